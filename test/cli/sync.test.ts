import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/tickets/formats/index.js';
import type { FormatName } from '../../src/tickets/formats/types.js';
import { TicketStore } from '../../src/tickets/store.js';
import { useEmulator } from '../emulator/testing.js';
import { cli, cliWith } from '../support/cli.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';
import { REDIS_URL, skipWithoutRedis } from '../support/redis.js';
import { difference, fixtureCopy, readText, tempDir } from '../support/files.js';

/** The managed labels of a native ticket as `nativeTicket` makes it: what its issue shows when ticket-sync made it. */
const MANAGED = ['priority: medium', 'type: task'];

/** A working copy with `files`, the emulator, and the CLI bound to both. */
const setup = workingCopy;

describe('ticket-sync push', () => {
  it('creates one issue per new ticket, with the marker and labels, and links the ticket back', async () => {
    const { github, root, run } = await setup({
      'tickets/TSK-0001.json': nativeTicket('TSK-0001', { status: 'in_progress', priority: 'high', labels: ['backend'] }),
      'tickets/TSK-0002.json': nativeTicket('TSK-0002'),
      'tickets/BUG-0001.json': nativeTicket('BUG-0001', { type: 'bug' }),
    });
    const result = await run('push');
    expect(result.code).toBe(0);
    expect(github.log.filter((e) => e.method === 'POST' && e.route === '/repos/{owner}/{repo}/issues')).toHaveLength(3);
    const issues = [...github.world.repo('acme/app')!.issues.values()];
    const first = issues.find((i) => i.title === 'Ticket TSK-0001')!;
    expect(first.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');
    expect(first.labels.sort()).toEqual(['backend', 'priority: high', 'status: in progress', 'type: task']);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).github).toEqual({ issue: first.number, url: expect.stringContaining(`/issues/${first.number}`) });
  });

  it('names labels and assignees as .github/ticket-sync.yml says', async () => {
    const { github, run } = await setup({
      '.github/ticket-sync.yml': 'labels:\n  status: "state/"\n  priority: "prio/"\nassignees:\n  Ada Lovelace: octocat\n',
      'tickets/TSK-0001.json': nativeTicket('TSK-0001', { status: 'review', priority: 'critical', assignees: ['Ada Lovelace'] }),
    });
    expect((await run('push')).code).toBe(0);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    expect(issue.labels.sort()).toEqual(['prio/critical', 'state/review', 'type: task']);
    expect(issue.assignees).toEqual(['octocat']);
  });

  it('never makes a second issue for a ticket whose issue a crashed run created without recording the link', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    // What a run that crashed right after creating the issue leaves behind: the issue, no link anywhere.
    github.as('octocat').in('acme/app').openIssue({ title: 'Ticket TSK-0001', body: 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', labels: MANAGED });
    expect((await run('push')).code).toBe(0);
    expect(github.world.repo('acme/app')!.issues.size).toBe(1);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).github.issue).toBe(1);
  });
});

describe('ticket-sync sync', () => {
  it('makes no write and only conditional reads answered 304 when nothing changed since the last sync', async () => {
    const tickets: Record<string, string> = {};
    for (let n = 1; n <= 5; n++) tickets[`tickets/TSK-000${n}.json`] = nativeTicket(`TSK-000${n}`);
    const { github, run } = await setup(tickets);
    expect((await run('sync')).code).toBe(0);
    expect((await run('sync')).code).toBe(0); // may read the list once more: our own writes changed it
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    const third = github.log.slice(before);
    expect(third.filter((e) => e.createsContent)).toEqual([]);
    expect(third.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual(['GET /repos/{owner}/{repo}/issues 304']);
  });

  it('syncs k changed tickets out of n with k issue writes, each right after a read of that issue, and one list read per 100 issues', async () => {
    const tickets: Record<string, string> = {};
    const ids = Array.from({ length: 150 }, (_, i) => `TSK-${String(i + 1).padStart(4, '0')}`);
    for (const id of ids) tickets[`tickets/${id}.json`] = nativeTicket(id);
    const { github, root, run } = await setup(tickets);
    expect((await run('push')).code).toBe(0);
    expect(github.log.filter((e) => e.method === 'POST' && e.route === '/repos/{owner}/{repo}/issues')).toHaveLength(150);
    expect((await run('sync')).code).toBe(0); // reads each page once more: our own writes changed them

    for (const id of ['TSK-0007', 'TSK-0070', 'TSK-0140']) {
      const path = join(root, 'tickets', `${id}.json`);
      const ticket = JSON.parse(readFileSync(path, 'utf8'));
      writeFileSync(path, JSON.stringify({ ...ticket, status: 'in_progress', updated_at: new Date(Date.now() + 60_000).toISOString() }, null, 2) + '\n');
    }
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    const requests = github.log.slice(before).map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(requests.filter((r) => r.startsWith('PATCH'))).toEqual(Array(3).fill('PATCH /repos/{owner}/{repo}/issues/{issue_number} 200'));
    expect(requests.filter((r) => r.startsWith('GET /repos/{owner}/{repo}/issues '))).toHaveLength(2);
    // Each issue is read again right before it is written, so a change made since the listing is merged, not overwritten.
    expect(requests.filter((r) => r.startsWith('GET /repos/{owner}/{repo}/issues/{issue_number} '))).toEqual(Array(3).fill('GET /repos/{owner}/{repo}/issues/{issue_number} 200'));
    expect(requests.filter((r) => !r.startsWith('PATCH') && !r.startsWith('GET /repos/{owner}/{repo}/issues '))).toHaveLength(3);
    // 150 issues are made through the CLI first: about 20 s alone, more on a busy machine; no time is asserted.
  }, 90_000);

  it.each([
    ['native', 'native'],
    ['ticketdata', 'ticketdata'],
    ['ticketmanager', 'ticketmanager'],
    ['aitrackdown', 'aitrackdown'],
    ['taskmaster-untagged', 'taskmaster'],
  ])('brings an edit made on GitHub into a %s ticket file, changing only that field’s bytes', async (fixture, format) => {
    const { github, run } = await setup({});
    const location = fixtureCopy(fixture);
    const flags = ['--dir', location, '--format', format];
    expect((await run('sync', ...flags)).code).toBe(0);
    const issue = [...github.world.repo('acme/app')!.issues.values()][0]!;
    const before = readAll(location);
    const store = () => new TicketStore(location, FORMATS[format as FormatName]);
    const stamped = (await store().get(issue.body!.match(/ticket-sync:id=(.+?) -->/)![1]!))!;
    github.as('hubot').in('acme/app').editIssue(issue.number, { title: 'Renamed on GitHub' });
    expect((await run('sync', ...flags)).code).toBe(0);
    // The format's update time moves, as its tool moves it: checked, then put back through the format,
    // so that what is left to compare is the title alone.
    const renamed = (await store().get(stamped.id))!;
    expect(renamed.updated_at).not.toBe(stamped.updated_at);
    await store().update(stamped.id, { ...renamed, updated_at: stamped.updated_at });
    const after = readAll(location);
    const changed = [...after.keys()].filter((path) => before.get(path) !== after.get(path));
    expect(changed).toHaveLength(1);
    const diff = difference(before.get(changed[0]!)!, after.get(changed[0]!)!);
    expect(diff.after).toContain('Renamed on GitHub');
    expect(diff.before).not.toContain('\n');
  });

  it('lets the last writer win when both sides change one field, and keeps the loser in the log', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { updated_at: '2026-01-01T00:00:00Z' }) });
    expect((await run('sync')).code).toBe(0);
    const file = join(root, 'tickets', 'TSK-0001.json');
    const ticket = JSON.parse(readText(root, 'tickets/TSK-0001.json'));
    writeFileSync(file, JSON.stringify({ ...ticket, status: 'blocked', updated_at: '2026-01-01T00:00:01Z' }, null, 2) + '\n');
    github.clock.advance(60_000);
    github.as('hubot').in('acme/app').closeIssue(ticket.github.issue);
    expect((await run('sync')).code).toBe(0);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).status).toBe('done');
    const log = JSON.parse((await run('log', 'TSK-0001', '--conflicts', '--json')).stdout);
    expect(log).toEqual([
      expect.objectContaining({ ticket: 'TSK-0001', field: 'status', side: 'local', before: 'blocked', after: 'done', conflict: expect.objectContaining({ side: 'local', value: 'blocked' }) }),
    ]);
    expect(Object.keys(log[0]).sort()).toEqual(['after', 'at', 'before', 'cause', 'conflict', 'field', 'repo', 'seq', 'side', 'ticket', 'writer']);
  });

  it('retries through 502s and a secondary rate limit mid-run, and loses nothing', async () => {
    const tickets: Record<string, string> = {};
    for (let n = 1; n <= 6; n++) tickets[`tickets/TSK-000${n}.json`] = nativeTicket(`TSK-000${n}`);
    const { github, run } = await setup(tickets, { secondaryLimit: { perMinute: 2, perHour: 1000 }, clockSpeed: 100 });
    github.fault('POST', '/repos/{owner}/{repo}/issues', 502, 2);
    const result = await run('push');
    expect(result.code).toBe(0);
    expect(github.world.repo('acme/app')!.issues.size).toBe(6);
    const creates = github.log.filter((e) => e.method === 'POST' && e.route === '/repos/{owner}/{repo}/issues').map((e) => e.status);
    expect(creates).toContain(502);
    expect(creates).toContain(403);
    expect(creates.filter((s) => s === 201)).toHaveLength(6);
  });

  it('keeps an assignee GitHub cannot take in the ticket, and assigns them once GitHub can', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { assignees: ['newcomer', 'octocat'] }) });
    expect((await run('sync')).code).toBe(0);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    expect(issue.assignees).toEqual(['octocat']);
    expect((await run('sync')).code).toBe(0);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).assignees).toEqual(['newcomer', 'octocat']);
    github.world.user('newcomer'); // joins the organisation: now assignable
    expect((await run('sync')).code).toBe(0);
    expect(issue.assignees.sort()).toEqual(['newcomer', 'octocat']);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).assignees).toEqual(['newcomer', 'octocat']);
  });

  it('carries comments both ways, with edits and deletions, naming the local author on GitHub', async () => {
    const local = { id: 'c1', author: 'Ada', body: 'Started on it.', created_at: '2026-11-23T09:00:00Z' };
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { comments: [local] }) });
    expect((await run('sync')).code).toBe(0);
    const repo = github.world.repo('acme/app')!;
    const posted = [...repo.comments.values()];
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toContain('**Ada** wrote:');
    expect(posted[0]!.body).toContain('<!-- ticket-sync:comment=c1 author=Ada -->');

    // On GitHub: hubot comments, then edits Ada's text; locally nothing changes.
    const hubot = github.as('hubot').in('acme/app');
    const reply = hubot.comment(1, 'Need any help?');
    github.clock.advance(1_000);
    expect((await run('sync')).code).toBe(0);
    const ticket = () => JSON.parse(readText(root, 'tickets/TSK-0001.json')) as { comments: { id: string; author: string; body: string }[] };
    expect(ticket().comments.map((c) => [c.id, c.author, c.body])).toEqual([
      ['c1', 'Ada', 'Started on it.'],
      [`gh-${reply.id}`, 'hubot', 'Need any help?'],
    ]);

    // Locally: Ada edits her comment and deletes hubot's; both reach GitHub.
    const path = join(root, 'tickets', 'TSK-0001.json');
    const current = JSON.parse(readFileSync(path, 'utf8'));
    current.comments = [{ ...current.comments[0], body: 'Started on it; halfway.', updated_at: new Date(Date.now() + 60_000).toISOString() }];
    current.updated_at = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(path, JSON.stringify(current, null, 2) + '\n');
    expect((await run('sync')).code).toBe(0);
    expect([...repo.comments.values()].map((c) => c.body)).toEqual([expect.stringContaining('Started on it; halfway.')]);
    expect(ticket().comments.map((c) => c.id)).toEqual(['c1']);
  });

  it('survives a lost state store: links come back from the markers, and no issue is made twice', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001'), 'tickets/TSK-0002.json': nativeTicket('TSK-0002') });
    expect((await run('sync')).code).toBe(0);
    rmSync(join(root, '.ticket-sync'), { recursive: true });
    // The link field is gone from one ticket too: only the issue's marker is left.
    const path = join(root, 'tickets', 'TSK-0002.json');
    const { github: _link, ...unlinked } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify(unlinked, null, 2) + '\n');
    github.clock.advance(2_000); // GitHub's times have whole seconds: the edit comes after the file's last write
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed while the state was lost' });
    expect((await run('sync')).code).toBe(0);
    expect(github.world.repo('acme/app')!.issues.size).toBe(2);
    expect(JSON.parse(readFileSync(path, 'utf8')).github.issue).toBe(2);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).title).toBe('Renamed while the state was lost');
    const conflicts = JSON.parse((await run('log', '--conflicts', '--json')).stdout) as { ticket: string; field: string }[];
    expect(conflicts).toEqual([expect.objectContaining({ ticket: 'TSK-0001', field: 'title' })]);
  });

  it('keeps its state folder out of git in the working copy', async () => {
    const { root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await run('sync')).code).toBe(0);
    expect(readText(root, '.ticket-sync/.gitignore')).toBe('*\n');
  });

  it('writes nothing anywhere on --dry-run', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    const before = readText(root, 'tickets/TSK-0001.json');
    const result = await run('sync', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TSK-0001 would create its issue');
    expect(github.log.filter((e) => e.createsContent)).toEqual([]);
    expect(readText(root, 'tickets/TSK-0001.json')).toBe(before);
    expect(existsSync(join(root, '.ticket-sync'))).toBe(false);
  });
});

describe('ticket-sync sync with issues born on GitHub', () => {
  it('imports an issue a person opened as a native ticket with the next free id, marks the issue, and then stays quiet', async () => {
    const { github, root, run, writes } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    const hubot = github.as('hubot').in('acme/app');
    const opened = hubot.openIssue({ title: 'Login fails on Safari', body: 'Steps: open the login page.', labels: ['priority: high', 'frontend'] });
    github.as('octocat').in('acme/app').comment(opened.number, 'Seen it too.');

    const result = await run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`TSK-0001 #2 created its issue (ticket: github)\nTSK-0002 imported from #${opened.number}\n`);
    expect(result.stderr).toBe('acme/app: 2 tickets, 0 in sync, 1 created, 1 imported, 0 updated, 0 failed\n');
    const imported = JSON.parse(readText(root, 'tickets/TSK-0002.json'));
    expect(imported).toMatchObject({
      id: 'TSK-0002',
      type: 'task',
      title: 'Login fails on Safari',
      description: 'Steps: open the login page.',
      status: 'open',
      priority: 'high',
      labels: ['frontend'],
      comments: [{ author: 'octocat', body: 'Seen it too.' }],
      github: { issue: opened.number, url: expect.stringContaining(`/acme/app/issues/${opened.number}`) },
    });
    const issue = github.world.repo('acme/app')!.issues.get(opened.number)!;
    expect(issue.body).toBe('Steps: open the login page.\n\n<!-- ticket-sync:id=TSK-0002 -->');

    const log = JSON.parse((await run('log', 'TSK-0002', '--json')).stdout);
    expect(log).toEqual([expect.objectContaining({ ticket: 'TSK-0002', field: 'title', side: 'local', writer: 'hubot', before: null, after: 'Login fails on Safari' })]);

    const files = readdirSync(join(root, 'tickets')).sort();
    const before = readText(root, 'tickets/TSK-0002.json');
    const writesBefore = writes().length;
    const again = await run('sync');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(writes().slice(writesBefore)).toEqual([]);
    expect(readdirSync(join(root, 'tickets')).sort()).toEqual(files);
    expect(readText(root, 'tickets/TSK-0002.json')).toBe(before);
  });

  it('takes the type from the issue’s type label, and with it the id prefix', async () => {
    const { github, root, run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { github: { issue: 1, url: 'https://github.com/acme/app/issues/1' } }) });
    github.as('hubot').in('acme/app').openIssue({ title: 'Ticket TSK-0001', body: 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', labels: MANAGED });
    github.as('hubot').in('acme/app').openIssue({ title: 'Crash on save', labels: ['type: bug'] });
    expect((await run('pull')).code).toBe(0);
    expect(JSON.parse(readText(root, 'tickets/BUG-0001.json'))).toMatchObject({ type: 'bug', title: 'Crash on save', github: { issue: 2 } });
    expect(readdirSync(join(root, 'tickets')).sort()).toEqual(['BUG-0001.json', 'TSK-0001.json']);
  });

  it('imports only the issues carrying the configured label', async () => {
    const { github, root, run } = await setup({ '.github/ticket-sync.yml': 'import:\n  label: triage\n', 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { github: { issue: 1, url: 'https://github.com/acme/app/issues/1' } }) });
    const hubot = github.as('hubot').in('acme/app');
    hubot.openIssue({ title: 'Ticket TSK-0001', body: 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', labels: MANAGED });
    hubot.openIssue({ title: 'A question', body: 'How do I log in?' });
    hubot.openIssue({ title: 'Needs a look', body: 'The footer overlaps.', labels: ['Triage'] });
    const result = await run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('TSK-0002 imported from #3\n');
    expect(readdirSync(join(root, 'tickets')).sort()).toEqual(['TSK-0001.json', 'TSK-0002.json']);
    expect(JSON.parse(readText(root, 'tickets/TSK-0002.json')).labels).toEqual(['Triage']);
    expect(github.world.repo('acme/app')!.issues.get(2)!.body).toBe('How do I log in?');
  });

  it('imports nothing with import: none, and nothing on push whatever the setting', async () => {
    const { github, root, run, writes } = await setup({ '.github/ticket-sync.yml': 'import: none\n', 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { github: { issue: 1, url: 'https://github.com/acme/app/issues/1' } }) });
    github.as('hubot').in('acme/app').openIssue({ title: 'Ticket TSK-0001', body: 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', labels: MANAGED });
    github.as('hubot').in('acme/app').openIssue({ title: 'A question', body: 'How do I log in?' });
    expect((await run('sync')).stdout).toBe('');
    writeFileSync(join(root, '.github', 'ticket-sync.yml'), 'import: all\n');
    expect((await run('push')).stdout).toBe('');
    expect(readdirSync(join(root, 'tickets'))).toEqual(['TSK-0001.json']);
    expect(writes()).toEqual([]);
  });

  it('refuses an import setting it does not know, naming the key', async () => {
    const { run } = await setup({ '.github/ticket-sync.yml': 'import: some\n', 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    const result = await run('sync');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('import: expected "all", "none" or { label: "<name>" }');
  });

  it('imports into a task-master file as the next task number', async () => {
    const tasks = {
      tasks: [
        { id: 1, title: 'Set up', description: 'Scaffold.', status: 'done', priority: 'medium', dependencies: [], details: '', testStrategy: '', subtasks: [] },
        { id: 4, title: 'Ship', description: 'Release.', status: 'pending', priority: 'high', dependencies: [1], details: '', testStrategy: '', subtasks: [] },
      ],
      metadata: { created: '2026-11-01T00:00:00.000Z', updated: '2026-11-01T00:00:00.000Z', description: 'Tasks' },
    };
    const { github, root, run } = await setup({ '.taskmaster/tasks/tasks.json': JSON.stringify(tasks, null, 2) + '\n' });
    expect((await run('push')).code).toBe(0);
    const opened = github.as('hubot').in('acme/app').openIssue({ title: 'Write the changelog', body: 'For 1.0.' });
    const result = await run('pull');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`5 imported from #${opened.number}\n`);
    const written = JSON.parse(readText(root, '.taskmaster/tasks/tasks.json')).tasks;
    expect(written.map((t: { id: number }) => t.id)).toEqual([1, 4, 5]);
    expect(written[2]).toMatchObject({ title: 'Write the changelog', description: 'For 1.0.', status: 'pending' });
    expect(github.world.repo('acme/app')!.issues.get(opened.number)!.body).toBe('For 1.0.\n\n<!-- ticket-sync:id=5 -->');
  });

  it('reports the imports of a dry run and writes nothing anywhere', async () => {
    const { github, root, run, writes } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { github: { issue: 1, url: 'https://github.com/acme/app/issues/1' } }) });
    github.as('hubot').in('acme/app').openIssue({ title: 'Ticket TSK-0001', body: 'About TSK-0001.\n\n<!-- ticket-sync:id=TSK-0001 -->', labels: MANAGED });
    github.as('hubot').in('acme/app').openIssue({ title: 'A question', body: 'How do I log in?' });
    const result = await run('sync', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('TSK-0001 #1 in sync\n#2 would be imported as a new ticket\n');
    expect(result.stderr).toBe('acme/app: 2 tickets, 1 in sync, 0 created, 1 imported, 0 updated, 0 failed (dry run: nothing written)\n');
    expect(readdirSync(join(root, 'tickets'))).toEqual(['TSK-0001.json']);
    expect(writes()).toEqual([]);
    expect(existsSync(join(root, '.ticket-sync'))).toBe(false);
  });
});

describe('ticket-sync status, log and restore', () => {
  it('shows where each ticket stands, and restores a losing value to both sides', async () => {
    const { github, root, run } = await setup({
      'tickets/TSK-0001.json': nativeTicket('TSK-0001', { updated_at: '2026-01-01T00:00:00Z' }),
      'tickets/TSK-0002.json': nativeTicket('TSK-0002'),
    });
    await run('sync');
    const number = JSON.parse(readText(root, 'tickets/TSK-0001.json')).github.issue;
    github.as('hubot').in('acme/app').editIssue(number, { title: 'From GitHub' });
    const status = await run('status');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/TSK-0001\s+#\d+\s+GitHub ahead \(title\)/);
    expect(status.stdout).toMatch(/TSK-0002\s+#\d+\s+in sync/);

    await run('sync');
    const log = JSON.parse((await run('log', 'TSK-0001', '--json')).stdout) as { seq: number; field: string; after: unknown }[];
    const titleWrite = log.find((e) => e.field === 'title' && e.after === 'From GitHub')!;
    const restored = await run('restore', String(titleWrite.seq));
    expect(restored.code).toBe(0);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).title).toBe('Ticket TSK-0001');
    expect(github.world.repo('acme/app')!.issues.get(number)!.title).toBe('Ticket TSK-0001');
    const after = JSON.parse((await run('log', 'TSK-0001', '--json')).stdout) as { cause: string }[];
    expect(after.filter((e) => e.cause === `restore:${titleWrite.seq}`)).toHaveLength(2);
  });
});

// The worked example in README ("Syncing with GitHub"), played for real.
it('plays the README example: push, a conflict seen by status, resolved by sync, logged, and restored', async () => {
  const early = '2026-11-23T09:00:00Z';
  const { github, root, run } = await setup({
    'tickets/TSK-0001.json': nativeTicket('TSK-0001', { updated_at: early }),
    'tickets/TSK-0002.json': nativeTicket('TSK-0002', { updated_at: early }),
  });
  const pushed = await run('push');
  expect(pushed.stdout).toBe('TSK-0001 #1 created its issue (ticket: github)\nTSK-0002 #2 created its issue (ticket: github)\n');
  expect(pushed.stderr).toBe('acme/app: 2 tickets, 0 in sync, 2 created, 0 imported, 0 updated, 0 failed\n');

  // Ada sets TSK-0001 to blocked locally; later, octocat closes #1 on GitHub.
  const path = join(root, 'tickets', 'TSK-0001.json');
  const ticket = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...ticket, status: 'blocked', updated_at: github.clock.iso(), metadata: { updated_by: 'Ada' } }, null, 2) + '\n');
  github.clock.advance(60_000);
  github.as('octocat').in('acme/app').closeIssue(1);

  const status = await run('status');
  expect(status.stdout).toBe('TSK-0001                 #1      conflict (status)\nTSK-0002                 #2      in sync\n');
  const synced = await run('sync');
  expect(synced.stdout).toBe('TSK-0001 #1 updated the ticket file (ticket: status; conflicts (last writer won, logged): status)\n');
  expect(synced.stderr).toBe('acme/app: 2 tickets, 1 in sync, 0 created, 0 imported, 1 updated, 0 failed\n');
  const log = await run('log', 'TSK-0001', '--conflicts');
  expect(log.stdout).toMatch(/^#3 \S+ TSK-0001 status on local: "blocked" → "done" by octocat \(cli:[0-9a-f]{8}\) \[conflict: local's "blocked" by Ada at \S+ lost\]\n$/);

  expect((await run('restore', '3')).code).toBe(0);
  expect(JSON.parse(readFileSync(path, 'utf8')).status).toBe('blocked');
  expect(github.world.repo('acme/app')!.issues.get(1)).toMatchObject({ state: 'open', labels: expect.arrayContaining(['status: blocked']) });
});

describe('the sync commands given bad usage or configuration', () => {
  it.each([
    [['sync', '--repo', 'not-a-repo'], /expected owner\/name/],
    [['sync', '--api-url', 'nope'], /not a URL/],
    [['restore', 'x'], /expected a log sequence number/],
  ])('exit 2 for %j', async (argv, message) => {
    const { run } = await setup({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    const [command, ...rest] = argv;
    const result = await run(command!, ...rest);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exit 2 without a token', async () => {
    const root = tempDir({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    mkdirSync(join(root, '.git'));
    const result = await cli(root, 'sync', '--repo', 'acme/app');
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/no token/) });
  });
});

/** Every file under `dir`, by path. */
function readAll(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return out;
}

describe.skipIf(await skipWithoutRedis('the CLI on the Redis state store'))('the sync commands on the Redis state store', () => {
  it('keep their base, links and log in Redis: a second working copy continues where the first left off', async () => {
    const { github } = await useEmulator();
    const repo = `acme/redis-${randomUUID().slice(0, 8)}`;
    github.world.createRepo(repo);
    const token = github.world.personalToken('octocat');
    const env = { STORE_URL: `${REDIS_URL}/0`, TICKET_SYNC_WAIT_SCALE: '0.001' };
    const copy = (files: Record<string, string>) => {
      const root = tempDir(files);
      mkdirSync(join(root, '.git'));
      return (...argv: string[]) => cliWith(env, root, argv[0]!, '--repo', repo, '--api-url', github.apiUrl, '--token', token, ...argv.slice(1));
    };
    // The first copy pushes; the second has the same ticket without the link written back to it.
    const first = copy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await first('push')).code).toBe(0);
    const second = copy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { title: 'Renamed in the second copy', updated_at: new Date(Date.now() + 60_000).toISOString() }) });
    expect((await second('sync')).code).toBe(0);
    expect(github.world.repo(repo)!.issues.size).toBe(1);
    expect(github.world.repo(repo)!.issues.get(1)!.title).toBe('Renamed in the second copy');
    const log = JSON.parse((await second('log', '--json')).stdout) as { seq: number; field: string; cause: string }[];
    expect(log.map((e) => [e.seq, e.field])).toEqual([
      [1, 'title'],
      [2, 'title'],
    ]);
  });
});

