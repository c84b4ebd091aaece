/**
 * What a push costs: `syncRepository` on the emulator with the paths a push
 * changed (`changedPaths` of its payload) and its head (`headOfPush`), after
 * a first full sync linked every ticket. The request log of the push's run
 * is asserted whole.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Config } from '../../src/config/schema.js';
import { createOctokit } from '../../src/github/octokit.js';
import { renderIssue, ticketView } from '../../src/sync/mapping/render-issue.js';
import { FORMATS } from '../../src/tickets/formats/index.js';
import type { Emulator } from '../emulator/index.js';
import type { Repo } from '../emulator/state.js';
import { changedPaths, headOfPush, type PushPayload } from '../../src/github/push-changes.js';
import { syncRepository, type RepoSyncOptions } from '../../src/service/repo-sync.js';
import { openStateStore } from '../../src/store/keyv-store.js';
import type { StateStore } from '../../src/store/types.js';
import { seedFiles } from '../emulator/git/services.js';
import { useEmulator } from '../emulator/testing.js';

const REPO = { owner: 'acme', name: 'app' };
const TREE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200';
const BLOB = 'GET /repos/{owner}/{repo}/git/blobs/{file_sha} 200';
const REF = 'GET /repos/{owner}/{repo}/git/ref/{ref} 200';
const GET_COMMIT = 'GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200';
const ISSUE = 'GET /repos/{owner}/{repo}/issues/{issue_number} 200';
const EDIT_ISSUE = 'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200';
/** The read again right before an issue write: conditional, so a 304 (free) when the issue did not move. */
const ISSUE_AGAIN = 'GET /repos/{owner}/{repo}/issues/{issue_number} 304';
const LIST_ISSUES = 'GET /repos/{owner}/{repo}/issues';
const NEW_ISSUE = 'POST /repos/{owner}/{repo}/issues 201';
const COMMENTS = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200';
const NEW_TREE = 'POST /repos/{owner}/{repo}/git/trees 201';
const NEW_COMMIT = 'POST /repos/{owner}/{repo}/git/commits 201';
const MOVE = 'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200';

const stores: StateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

const id = (n: number) => `TSK-${String(n).padStart(4, '0')}`;

function ticket(ticketId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id: ticketId, type: 'task', title: `Ticket ${ticketId}`, description: `About ${ticketId}.`, status: 'open', priority: 'medium', ...extra }, null, 2) + '\n';
}

/**
 * `acme/app` seeded with `files` (or with what `seed` makes of it), a first
 * full sync of it done (every ticket linked, the links committed), and a
 * run for the last push as the App's push handler would make it.
 */
async function synced(files: Record<string, string> | ((github: Emulator, repo: Repo) => Record<string, string>), config: Record<string, unknown> = {}) {
  const { github, repo, installation } = await useEmulator();
  seedFiles(github, repo, typeof files === 'function' ? files(github, repo) : files);
  const octokit = createOctokit({
    auth: github.installationToken(installation).token,
    baseUrl: github.apiUrl,
    waitScale: 0.001,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const state = await openStateStore('memory:');
  stores.push(state);
  const options = (extra: Partial<RepoSyncOptions> = {}): RepoSyncOptions => ({
    octokit,
    self: async () => github.world.app.bot.login,
    repo: REPO,
    branch: 'main',
    state,
    config: Config.parse(config),
    cause: 'test',
    reason: 'first sync',
    now: () => new Date(github.clock.iso()),
    ...extra,
  });
  const first = await syncRepository(options());
  expect(first.report!.tickets.filter((t) => t.outcome !== 'created' && t.outcome !== 'in-sync')).toEqual([]);

  let seen = github.log.length;
  /** The requests since the last call, as `METHOD route status`. */
  const made = () => {
    const entries = github.log.slice(seen);
    seen = github.log.length;
    return entries.map((e) => `${e.method} ${e.route} ${e.status}`);
  };
  /** The blob shas read since `from`. */
  const blobsRead = (from: number) => github.log.slice(from).filter((e) => e.route.endsWith('/git/blobs/{file_sha}')).map((e) => e.path.split('/').at(-1)!);
  const person = github.as('octocat').in('acme/app');
  const headCommit = () => github.world.commit(repo, repo.git.refs.get('refs/heads/main')!)!;
  const fileOnMain = (path: string) => {
    const sha = github.world.files(repo, headCommit().tree).get(path);
    return sha === undefined ? undefined : github.world.blob(repo, sha)!.toString('utf8');
  };
  const blobOnMain = (path: string) => github.world.files(repo, headCommit().tree).get(path)!;
  /** A person's edit of a ticket file on main: its JSON changed by `change`. */
  const edited = (path: string, change: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(fileOnMain(path)!), ...change }, null, 2) + '\n';
  const pushes = () => github.webhooks.deliveries.filter((d) => d.event === 'push').map((d) => d.payload as unknown as PushPayload);
  /** The App's run for a push: only what it changed, from its head. */
  const runPush = async (payload = pushes().at(-1)!) => {
    const changed = await changedPaths(octokit, REPO, payload);
    return syncRepository(options({ changed, head: headOfPush(payload), reason: `push ${payload.after.slice(0, 7)} by @octocat`, githubWriter: 'octocat' }));
  };
  made();
  return { github, repo, state, made, blobsRead, person, fileOnMain, blobOnMain, edited, pushes, runPush, headCommit };
}

const manyTickets = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tickets/${id(i + 1)}.json`, ticket(id(i + 1))]));

/**
 * `n` tickets already linked to their issues, each issue as ticket-sync
 * renders it (opened here rather than by a first sync that creates them
 * one by one: the same state, in a fraction of the time).
 */
const linkedTickets = (n: number) => (github: Emulator, repo: Repo) => {
  const files: Record<string, string> = {};
  const bot = github.as('ticket-sync[bot]').in('acme/app');
  for (let i = 1; i <= n; i++) {
    const loaded = FORMATS.native.load([{ path: `${id(i)}.json`, text: ticket(id(i)) }]).tickets[0]!.ticket;
    const issue = bot.openIssue(renderIssue(loaded, ticketView(loaded)));
    expect(issue.number).toBe(i);
    files[`tickets/${id(i)}.json`] = ticket(id(i), { github: { issue: i, url: `${github.urls.html}/${repo.fullName}/issues/${i}` } });
  }
  return files;
};

describe('a push to a repository of 150 linked tickets', () => {
  it('that renames 3 tickets costs one tree read, their 3 blob reads, and a read, a conditional read again and a write of each of their 3 issues', async () => {
    const { github, repo, made, blobsRead, person, edited, blobOnMain, runPush } = await synced(linkedTickets(150));
    const renamed = [7, 42, 150].map((n) => `tickets/${id(n)}.json`);
    person.push(Object.fromEntries(renamed.map((path, i) => [path, edited(path, { title: `Renamed ${i + 1}` })])), { message: 'Rename three tickets' });
    const start = github.log.length;

    const result = await runPush();

    expect(made()).toEqual([TREE, BLOB, BLOB, BLOB, ISSUE, ISSUE, ISSUE, ISSUE_AGAIN, EDIT_ISSUE, ISSUE_AGAIN, EDIT_ISSUE, ISSUE_AGAIN, EDIT_ISSUE]);
    // The blobs read are exactly those of the changed files.
    expect(blobsRead(start).sort()).toEqual(renamed.map(blobOnMain).sort());
    expect(result).toMatchObject({ scoped: true, location: { dir: 'tickets', format: 'native' } });
    expect(result.commit).toBeUndefined();
    expect(result.report!.tickets.map((t) => [t.ticket, t.outcome, t.github])).toEqual([
      [id(7), 'pushed', ['title']],
      [id(42), 'pushed', ['title']],
      [id(150), 'pushed', ['title']],
    ]);
    expect([7, 42, 150].map((n) => repo.issues.get(n)!.title)).toEqual(['Renamed 1', 'Renamed 2', 'Renamed 3']);
  });

  it('that changes no ticket file costs the one tree read, and asks nothing about issues', async () => {
    const { made, person, runPush, pushes } = await synced(linkedTickets(150));
    person.push({ 'README.md': '# app\n', 'docs/tickets.md': 'How we track work.\n' });
    expect(pushes().at(-1)!.commits.flatMap((c) => c.added ?? [])).toEqual(['README.md', 'docs/tickets.md']);

    const result = await runPush();

    // The tree tells where the tickets are and what their files' problems are (the push's check run reports them).
    expect(made()).toEqual([TREE]);
    expect(result).toMatchObject({ scoped: true, report: { tickets: [], problems: [] }, problems: [] });
    expect(result.commit).toBeUndefined();
  });

  it('that adds a ticket opens exactly one issue for it and commits the link, reading no ref', async () => {
    const { github, repo, made, person, runPush, fileOnMain, headCommit } = await synced(linkedTickets(150));
    person.push({ [`tickets/${id(151)}.json`]: ticket(id(151), { status: 'in_progress' }) }, { message: 'Add a ticket' });
    const pushed = headCommit().sha;

    const result = await runPush();

    // A ticket with no link needs the listing once, to pair it by its marker; that read is also the duplicate
    // check before creating. Its two pages are unchanged since the first sync: 304s, which GitHub does not count.
    // The new issue has no comments to read.
    const unchanged = `${LIST_ISSUES} 304`;
    expect(made()).toEqual([TREE, BLOB, unchanged, unchanged, NEW_ISSUE, NEW_TREE, NEW_COMMIT, MOVE]);
    expect(result.report!.tickets).toMatchObject([{ ticket: id(151), issue: 151, outcome: 'created' }]);
    expect(repo.issues.size).toBe(151);
    expect(repo.issues.get(151)!.labels).toContain('status: in progress');
    expect(JSON.parse(fileOnMain(`tickets/${id(151)}.json`)!).github).toMatchObject({ issue: 151 });
    const commit = headCommit();
    expect(result.commit).toBe(commit.sha);
    expect(commit.parents).toEqual([pushed]);
    expect(commit.message).toBe(`ticket-sync: ${id(151)} linked to #151 (push ${pushed.slice(0, 7)} by @octocat)`);
    // The 150 issues were opened before the first sync: the only issue ticket-sync ever created is this one.
    expect(github.log.filter((e) => e.method === 'POST' && e.route === '/repos/{owner}/{repo}/issues')).toHaveLength(1);
  });
});

describe('a push’s run', () => {
  it('reads the head instead of a late push’s own, so an older push never moves an issue back', async () => {
    const { repo, made, person, edited, runPush, pushes } = await synced(manyTickets(3));
    person.push({ [`tickets/${id(1)}.json`]: edited(`tickets/${id(1)}.json`, { title: 'First rename' }) });
    const older = pushes().at(-1)!;
    person.push({ [`tickets/${id(1)}.json`]: edited(`tickets/${id(1)}.json`, { title: 'Second rename' }) });
    const newer = pushes().at(-1)!;

    // The newer push's delivery comes first: it does not follow the head the last run ended at, so the head is read.
    await runPush(newer);
    expect(made()).toEqual([REF, GET_COMMIT, TREE, BLOB, ISSUE, ISSUE_AGAIN, EDIT_ISSUE]);
    expect(repo.issues.get(1)!.title).toBe('Second rename');

    // The older one then reads the head too, finds the ticket as the issue has it, and writes nothing.
    const late = await runPush(older);
    expect(made()).toEqual([REF, GET_COMMIT, TREE, ISSUE]);
    expect(late.report!.tickets).toMatchObject([{ ticket: id(1), outcome: 'in-sync' }]);
    expect(repo.issues.get(1)!.title).toBe('Second rename');
  });

  it('syncs every ticket of a task-master tasks file that changed, since one file holds them all', async () => {
    const tasks = (titles: string[]) =>
      JSON.stringify(
        { tasks: titles.map((title, i) => ({ id: i + 1, title, description: '', status: 'pending', dependencies: [], priority: 'medium', details: '', testStrategy: '', subtasks: [] })) },
        null,
        2,
      ) + '\n';
    const { repo, made, person, fileOnMain, runPush } = await synced({ '.taskmaster/tasks/tasks.json': tasks(['One', 'Two', 'Three']) });
    const linked = JSON.parse(fileOnMain('.taskmaster/tasks/tasks.json')!) as { tasks: { title: string }[] };
    linked.tasks[1]!.title = 'Two, renamed';
    person.push({ '.taskmaster/tasks/tasks.json': JSON.stringify(linked, null, 2) + '\n' });

    const result = await runPush();

    expect(made()).toEqual([TREE, BLOB, ISSUE, ISSUE, ISSUE, ISSUE_AGAIN, EDIT_ISSUE]);
    expect(result.report!.tickets.map((t) => t.outcome)).toEqual(['in-sync', 'pushed', 'in-sync']);
    expect(repo.issues.get(2)!.title).toBe('Two, renamed');
  });

  it('counts an aitrackdown comment file as its ticket’s, and syncs everything when one is deleted, its ticket no longer known', async () => {
    const ticketFile = JSON.stringify({ id: 'task-1', title: 'Checkout', description: '', status: 'open', priority: 'low', tags: [], assignee: null, metadata: {}, type: 'task' }, null, 2) + '\n';
    const comment = (content: string) =>
      JSON.stringify({ id: 'comment-1', ticket_id: 'task-1', author: 'alice', content, created_at: '2025-03-02 14:05:09', metadata: {} }, null, 2) + '\n';
    const other = JSON.stringify({ id: 'task-2', title: 'Payments', description: '', status: 'open', priority: 'low', tags: [], assignee: null, metadata: {}, type: 'task' }, null, 2) + '\n';
    const { repo, made, person, runPush } = await synced({
      '.aitrackdown/tickets/task-1.json': ticketFile,
      '.aitrackdown/tickets/task-2.json': other,
      '.aitrackdown/comments/comment-1.json': comment('First thoughts.'),
    });
    const [posted] = [...repo.comments.values()];
    expect(posted!.body).toContain('First thoughts.');

    person.push({ '.aitrackdown/comments/comment-1.json': comment('Second thoughts.') });
    const edited = await runPush();
    expect(edited).toMatchObject({ scoped: true, report: { tickets: [{ ticket: 'task-1', outcome: 'pushed', github: ['comments'] }] } });
    // The issue's side is read with the comments as the last run saw them (its time and count did not move); the
    // issue is read again before the write, and the comment write goes against a fresh listing.
    expect(made()).toEqual([TREE, BLOB, ISSUE, ISSUE_AGAIN, COMMENTS, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200']);
    expect(repo.comments.get(posted!.id)!.body).toContain('Second thoughts.');

    person.push({ '.aitrackdown/comments/comment-1.json': null });
    const removed = await runPush();
    expect(removed.scoped).toBe(false);
    expect(removed.report!.tickets.map((t) => [t.ticket, t.outcome])).toEqual([
      ['task-1', 'pushed'],
      ['task-2', 'in-sync'],
    ]);
    expect(repo.comments.has(posted!.id)).toBe(false);
  });

  it('syncs everything when the push changed the configuration', async () => {
    const { made, person, runPush } = await synced(manyTickets(2));
    person.push({ '.github/ticket-sync.yml': 'labels:\n  status: "state/"\n' });

    const result = await runPush();

    expect(result.scoped).toBe(false);
    expect(made().filter((r) => r.startsWith(`${LIST_ISSUES} `)).length).toBeGreaterThan(0);
  });
});
