import { afterEach, describe, expect, it } from 'vitest';
import { Config, mappingOf } from '../config/schema.js';
import type { GitHubIssues, IssueWrite, RemoteComment, RemoteIssue } from '../github/types.js';
import { openStateStore } from '../store/keyv-store.js';
import type { StateStore } from '../store/types.js';
import { memoryFiles, type MemoryFiles } from '../tickets/files.js';
import { FORMATS } from '../tickets/formats/index.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import { TicketStore } from '../tickets/store.js';
import type { ImportIssues } from './context.js';
import { SyncService } from './sync-service.js';

const NOW = new Date('2026-11-23T09:30:00Z');
const REPO = { owner: 'acme', name: 'app' };

const stores: StateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/**
 * Issues in memory, as {@link GitHubIssues} promises them, with every call
 * recorded (`listIssues`, `getIssue 2`, `updateIssue 2`, …): what a run
 * asks of GitHub, without HTTP.
 */
function memoryIssues() {
  const issues = new Map<number, RemoteIssue>();
  const comments = new Map<number, RemoteComment & { issue: number }>();
  const calls: string[] = [];
  let clock = 0;
  // GitHub never gives a number twice, even after a deletion.
  let numbers = 0;
  const stamp = () => new Date(Date.parse('2026-11-20T00:00:00Z') + 1000 * ++clock).toISOString();
  const apply = (issue: RemoteIssue, write: IssueWrite): RemoteIssue => {
    const defined = Object.fromEntries(Object.entries(write).filter(([, v]) => v !== undefined)) as Partial<RemoteIssue>;
    return { ...issue, ...defined, updated_at: stamp() };
  };
  const github: GitHubIssues = {
    repo: REPO,
    async listIssues() {
      calls.push('listIssues');
      return [...issues.values()];
    },
    async getIssue(number) {
      calls.push(`getIssue ${number}`);
      return issues.get(number);
    },
    async findByMarker(ticket) {
      calls.push(`findByMarker ${ticket}`);
      return [...issues.values()].find((i) => i.body.includes(`<!-- ticket-sync:id=${ticket} -->`));
    },
    async createIssue(write) {
      calls.push('createIssue');
      const number = ++numbers;
      const at = stamp();
      const issue = apply(
        { number, id: 1000 + number, url: `https://github.com/acme/app/issues/${number}`, title: '', body: '', state: 'open', state_reason: null, labels: [], assignees: [], author: 'ticket-sync[bot]', created_at: at, updated_at: at, comments: 0 },
        write,
      );
      issues.set(number, issue);
      return issue;
    },
    async updateIssue(number, write) {
      calls.push(`updateIssue ${number}`);
      const issue = apply(issues.get(number)!, write);
      issues.set(number, issue);
      return issue;
    },
    async listComments(issue) {
      calls.push(`listComments ${issue}`);
      return [...comments.values()].filter((c) => c.issue === issue).map(({ issue: _, ...c }) => c);
    },
    async listChanges(issue) {
      // These issues keep no events: every field's time is the issue's (approximate).
      calls.push(`listChanges ${issue}`);
      return [];
    },
    async bodyEdit(issue) {
      calls.push(`bodyEdit ${issue}`);
      return undefined;
    },
    async createComment(issue, body) {
      calls.push(`createComment ${issue}`);
      const at = stamp();
      const comment = { id: 5000 + comments.size + 1, issue, author: 'ticket-sync[bot]', body, created_at: at, updated_at: at };
      comments.set(comment.id, comment);
      // A new comment moves its issue's time and count.
      issues.set(issue, { ...issues.get(issue)!, comments: issues.get(issue)!.comments + 1, updated_at: at });
      const { issue: _, ...created } = comment;
      return created;
    },
    async updateComment(id, body) {
      calls.push(`updateComment ${id}`);
      // An edit leaves the issue's time where it was (GitHub need not move it, and it has a second's resolution).
      const comment = { ...comments.get(id)!, body, updated_at: stamp() };
      comments.set(id, comment);
      const { issue: _, ...edited } = comment;
      return edited;
    },
    async deleteComment(id) {
      calls.push(`deleteComment ${id}`);
      const issue = comments.get(id)!.issue;
      comments.delete(id);
      issues.set(issue, { ...issues.get(issue)!, comments: issues.get(issue)!.comments - 1 });
    },
    async canAssign() {
      return true;
    },
  };
  /** An issue opened on GitHub by a person. */
  const open = (title: string, body: string, labels: string[] = [], author = 'hubot') => {
    const number = ++numbers;
    const at = stamp();
    issues.set(number, { number, id: 1000 + number, url: `https://github.com/acme/app/issues/${number}`, title, body, state: 'open', state_reason: null, labels, assignees: [], author, created_at: at, updated_at: at, comments: 0 });
    return number;
  };
  /** The calls since the last time asked. */
  const made = () => calls.splice(0);
  return { github, issues, comments, made, open };
}

function nativeTicket(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium', ...extra }, null, 2) + '\n';
}

/** Native tickets in memory, their issues in memory, and a service factory over both sharing one state store. */
async function setup(tickets: Record<string, string>, importIssues: ImportIssues = 'none') {
  const files: MemoryFiles = memoryFiles(new Map(Object.entries(tickets)), 'tickets');
  const store = new TicketStore(files, FORMATS.native, () => NOW);
  const state = await openStateStore('memory:');
  stores.push(state);
  const remote = memoryIssues();
  // A store per run, as the CLI and the App make one: it reads the files once, with what the test changed.
  const service = (only?: (loaded: LoadedTicket) => boolean) =>
    new SyncService({
      repo: 'acme/app',
      tickets: new TicketStore(files, FORMATS.native, () => NOW),
      github: remote.github,
      state,
      mapping: mappingOf(Config.parse({})),
      cause: 'test',
      self: async () => 'ticket-sync[bot]',
      localWriter: 'ticket-sync',
      importIssues,
      now: () => NOW,
    }, only ? { only } : {});
  const read = async (path: string) => JSON.parse((await files.read(path)).toString('utf8')) as Record<string, unknown>;
  const write = (path: string, change: Record<string, unknown>) => read(path).then((t) => files.write(path, JSON.stringify({ ...t, ...change }, null, 2) + '\n'));
  return { files, store, state, remote, service, read, write };
}

const byPath =
  (...paths: string[]) =>
  (loaded: LoadedTicket) =>
    paths.includes(loaded.path);

describe('a scoped sync', () => {
  it('reads only the issue of each ticket in scope, writes only theirs, and never lists the issues', async () => {
    const { remote, service, write } = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001'), 'TSK-0002.json': nativeTicket('TSK-0002'), 'TSK-0003.json': nativeTicket('TSK-0003') });
    await service().sync();
    remote.made();
    await write('TSK-0001.json', { title: 'Renamed', updated_at: '2026-11-23T09:00:00Z' });
    await write('TSK-0002.json', { status: 'done', updated_at: '2026-11-23T09:00:00Z' });
    // Changed too, but not in scope: left for its own push.
    await write('TSK-0003.json', { priority: 'high', updated_at: '2026-11-23T09:00:00Z' });

    const report = await service(byPath('TSK-0001.json', 'TSK-0002.json')).sync();

    // Each issue is read again right before it is written.
    expect(remote.made()).toEqual(['getIssue 1', 'getIssue 2', 'getIssue 1', 'updateIssue 1', 'getIssue 2', 'updateIssue 2']);
    expect(report.tickets.map((t) => [t.ticket, t.issue, t.outcome, t.github])).toEqual([
      ['TSK-0001', 1, 'pushed', ['title']],
      ['TSK-0002', 2, 'pushed', ['status']],
    ]);
    expect(remote.issues.get(1)!.title).toBe('Renamed');
    expect(remote.issues.get(2)!.state).toBe('closed');
    expect(remote.issues.get(3)!.labels).toContain('priority: medium');
  });

  it('reads the issue the state links to a ticket whose file does not name it', async () => {
    const { remote, service, read, files } = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001') });
    await service().sync();
    const { github: _link, ...unlinked } = await read('TSK-0001.json');
    await files.write('TSK-0001.json', JSON.stringify(unlinked, null, 2) + '\n');
    remote.made();

    const report = await service(byPath('TSK-0001.json')).sync();

    expect(remote.made()).toEqual(['getIssue 1']);
    expect(report.tickets).toMatchObject([{ ticket: 'TSK-0001', issue: 1, outcome: 'in-sync' }]);
    // The link is written back into the file.
    expect((await read('TSK-0001.json')).github).toMatchObject({ issue: 1 });
  });

  it('lists the issues once for tickets with no known link: one pairs by its marker, the other gets its issue after the duplicate check', async () => {
    const { remote, service, read } = await setup({
      'TSK-0001.json': nativeTicket('TSK-0001'),
      'TSK-0002.json': nativeTicket('TSK-0002'),
      'TSK-0003.json': nativeTicket('TSK-0003'),
    });
    // An issue a crashed run made for TSK-0001 without recording the link anywhere.
    remote.open('Ticket TSK-0001', 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', ['priority: medium', 'type: task'], 'ticket-sync[bot]');

    const report = await service(byPath('TSK-0001.json', 'TSK-0002.json')).sync();

    // The listing read for pairing is the duplicate check: no second look before creating, and a new issue has no comments to read.
    expect(remote.made()).toEqual(['listIssues', 'createIssue']);
    expect(report.tickets.map((t) => [t.ticket, t.issue, t.outcome])).toEqual([
      ['TSK-0001', 1, 'in-sync'],
      ['TSK-0002', 2, 'created'],
    ]);
    expect((await read('TSK-0001.json')).github).toMatchObject({ issue: 1 });
    expect((await read('TSK-0002.json')).github).toMatchObject({ issue: 2 });
    expect((await read('TSK-0003.json')).github).toBeUndefined();
  });

  it('treats a linked issue that is gone as a full sync does: it opens a new issue, never taking another by its marker', async () => {
    const scoped = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001') });
    const full = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001') });
    for (const { service, remote } of [scoped, full]) {
      await service().sync();
      remote.issues.delete(1);
      remote.made();
    }

    const scopedReport = await scoped.service(byPath('TSK-0001.json')).sync();
    const fullReport = await full.service().sync();

    // The full run reads the listing again after creating, so that its next listing is all 304s.
    expect(scoped.remote.made()).toEqual(['getIssue 1', 'createIssue']);
    expect(full.remote.made()).toEqual(['listIssues', 'createIssue', 'listIssues']);
    expect(scopedReport).toEqual(fullReport);
    expect(scopedReport.tickets).toMatchObject([{ ticket: 'TSK-0001', issue: 2, outcome: 'created' }]);
    expect((await scoped.read('TSK-0001.json')).github).toMatchObject({ issue: 2 });
  });

  it('imports no issue born on GitHub, which a full sync does', async () => {
    const { remote, service, files } = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001') }, 'all');
    await service().sync();
    remote.open('Dark mode', 'Please add one.');
    remote.made();

    const scopedReport = await service(byPath('TSK-0001.json')).sync();
    expect(remote.made()).toEqual(['getIssue 1']);
    expect(scopedReport.tickets.map((t) => t.outcome)).toEqual(['in-sync']);
    expect(await files.list()).toEqual(['TSK-0001.json']);

    const fullReport = await service().sync();
    expect(fullReport.tickets.map((t) => t.outcome)).toEqual(['in-sync', 'imported']);
    expect(await files.list()).toEqual(['TSK-0001.json', 'TSK-0002.json']);
  });

  it('asks nothing of GitHub when no ticket is in scope', async () => {
    const { remote, service } = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001') }, 'all');
    await service().sync();
    remote.open('Dark mode', 'Please add one.');
    remote.made();

    const report = await service(() => false).sync();

    expect(remote.made()).toEqual([]);
    expect(report).toEqual({ tickets: [], problems: [] });
  });
});

describe('a sync that wrote comments', () => {
  it('remembers the comments as it left them, so a deletion right after an edit is not undone by the comments it saw before', async () => {
    const comment = (body: string) => ({ id: 'C1', author: 'Ada', body, created_at: '2026-11-22T10:00:00Z' });
    const { remote, service, write, read } = await setup({ 'TSK-0001.json': nativeTicket('TSK-0001', { comments: [comment('First thoughts.')] }) });
    await service().sync();
    const [posted] = [...remote.comments.values()];
    expect(posted!.body).toContain('First thoughts.');

    await write('TSK-0001.json', { comments: [comment('Second thoughts.')] });
    expect((await service().sync()).tickets).toMatchObject([{ outcome: 'pushed', github: ['comments'] }]);
    expect(remote.comments.get(posted!.id)!.body).toContain('Second thoughts.');

    await write('TSK-0001.json', { comments: [] });
    remote.made();
    const report = await service().sync();

    expect(report.tickets).toMatchObject([{ outcome: 'pushed', local: [], github: ['comments'], conflicts: [] }]);
    expect(remote.made()).toEqual(['listIssues', 'listComments 1', 'getIssue 1', `deleteComment ${posted!.id}`]);
    expect(remote.comments.size).toBe(0);
    expect((await read('TSK-0001.json')).comments).toEqual([]);
  });
});
