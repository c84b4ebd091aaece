/**
 * `writeBack` (`.github/ticket-sync.yml`) end to end through the App:
 * `pull_request` puts the App's ticket changes on `ticket-sync/updates`,
 * carried by one open pull request into main; `off` writes nothing to the
 * repository. The emulator's app has exactly the permissions and events
 * `app.yml` asks for, so the App is held to its manifest too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TestOctokit } from '../emulator/testing.js';
import { startApp, ticket, writes, type StartOptions } from '../support/app.js';

const UPDATES = 'ticket-sync/updates';
const BOT = 'ticket-sync[bot]';
const CONFIG = '.github/ticket-sync.yml';

/** What the App is registered with: the permissions and events of `app.yml`. */
const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};

const path = (id: string) => `tickets/${id}.json`;

/**
 * The App on acme/app, its app granted what `app.yml` asks for, with helpers
 * to read any branch: its head, a file on it, the paths a commit changed
 * against its first parent, and the pull requests.
 */
async function start(options: StartOptions = {}) {
  const started = await startApp(options);
  const { github, repo } = started;
  github.world.app.permissions = { ...manifest.default_permissions };
  github.world.app.events = [...manifest.default_events];
  const head = (branch: string) => repo.git.refs.get(`refs/heads/${branch}`);
  const commit = (sha: string) => github.world.commit(repo, sha)!;
  const filesOf = (sha: string) => github.world.files(repo, commit(sha).tree);
  const fileAt = (branch: string, file: string) => {
    const sha = head(branch);
    const blob = sha === undefined ? undefined : filesOf(sha).get(file);
    return blob === undefined ? undefined : github.world.blob(repo, blob)!.toString('utf8');
  };
  /** The paths a commit changed against its first parent. */
  const changedBy = (sha: string) => {
    const after = filesOf(sha);
    const before = filesOf(commit(sha).parents[0]!);
    return [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
  };
  const pulls = () => [...repo.issues.values()].filter((i) => i.pull !== undefined);
  const openPulls = () => pulls().filter((p) => p.state === 'open');
  const branches = () => new Map([...repo.git.refs].filter(([ref]) => ref.startsWith('refs/heads/')));
  const hubot = github.as('hubot').in('acme/app');
  /** A person's change on GitHub, a moment after the last one (issue times have a second's resolution). */
  const later = () => (github.clock.advance(2_000), hubot);
  return { ...started, head, commit, fileAt, changedBy, pulls, openPulls, branches, later };
}

/** The App with `ids` pushed and linked on main (by a commit, as by default), then `writeBack` set to `mode` by a push. */
async function linkedThen(mode: 'pull_request' | 'off', ids: string[]) {
  const app = await start();
  app.person.push(Object.fromEntries(ids.map((id) => [path(id), ticket(id)])), { message: 'Add tickets' });
  await app.quiet();
  app.person.push({ [CONFIG]: `writeBack: ${mode}\n` }, { message: `writeBack: ${mode}` });
  await app.quiet();
  expect(app.failures).toEqual([]);
  for (const id of ids) expect(JSON.parse(app.fileAt('main', path(id))!).github).toMatchObject({ issue: expect.any(Number) });
  return app;
}

describe('writeBack: pull_request', () => {
  it('commits a person’s issue edits to ticket-sync/updates, carried by one pull request the app opens, never to main, then falls silent', async () => {
    const { github, repo, quiet, head, commit, fileAt, changedBy, pulls, openPulls, later, failures } = await linkedThen('pull_request', ['TSK-0001', 'TSK-0002']);
    const main = head('main')!;
    const linked = fileAt('main', path('TSK-0001'))!;

    later().closeIssue(1);
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(main);
    const first = head(UPDATES)!;
    expect(commit(first)).toMatchObject({ parents: [main], message: 'ticket-sync: TSK-0001 status → done (#1 closed by @hubot)', author: { name: BOT } });
    expect(changedBy(first)).toEqual([path('TSK-0001')]);
    // The status changes, and the update time is stamped as the format's tool stamps it.
    const stampOf = (text: string) => (JSON.parse(text) as { updated_at: string }).updated_at;
    const updated = fileAt(UPDATES, path('TSK-0001'))!;
    expect(updated).toBe(linked.replace('"status": "open"', '"status": "done"').replace(stampOf(linked), stampOf(updated)));
    const [pr, ...others] = openPulls();
    expect(others).toEqual([]);
    expect(pr).toMatchObject({ user: { login: BOT }, pull: { head: { ref: UPDATES, sha: first }, base: { ref: 'main' } } });
    expect(pr!.body).toContain('> ticket-sync: TSK-0001 status → done (#1 closed by @hubot)');

    const logStart = github.log.length;
    later().editIssue(2, { title: 'Second, renamed' });
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(main);
    const second = head(UPDATES)!;
    expect(commit(second)).toMatchObject({ parents: [first], message: 'ticket-sync: TSK-0002 title → "Second, renamed" (#2 edited by @hubot)' });
    expect(changedBy(second)).toEqual([path('TSK-0002')]);
    expect(JSON.parse(fileAt(UPDATES, path('TSK-0002'))!).title).toBe('Second, renamed');
    expect(pulls()).toHaveLength(1);
    expect(repo.issues.get(pr!.number)!.pull!.head.sha).toBe(second);
    // With the pull request open: the pulls list and a comparison, then one commit; no pull request is opened or edited.
    expect(writes(github, logStart)).toEqual([
      `POST /repos/{owner}/{repo}/git/trees ${BOT}`,
      `POST /repos/{owner}/{repo}/git/commits ${BOT}`,
      `PATCH /repos/{owner}/{repo}/git/refs/{ref} ${BOT}`,
    ]);

    // Echo quiescence: the app's commits, its pull request and the branch's pushes cause nothing more.
    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('merges main into the updates branch when a person pushes a ticket change to main, and takes the change to the issue', async () => {
    const { github, repo, quiet, person, head, commit, fileAt, openPulls, later, failures } = await linkedThen('pull_request', ['TSK-0001', 'TSK-0002']);
    later().closeIssue(1);
    await quiet();
    const pending = head(UPDATES)!;

    const pushed = person.push({ [path('TSK-0002')]: fileAt('main', path('TSK-0002'))!.replace('"priority": "medium"', '"priority": "high"') }, { message: 'TSK-0002 is urgent' });
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(pushed.sha);
    const merge = commit(head(UPDATES)!);
    expect(merge).toMatchObject({ parents: [pending, pushed.sha], message: `Merge main into ${UPDATES}`, author: { name: BOT } });
    expect(JSON.parse(fileAt(UPDATES, path('TSK-0001'))!).status).toBe('done');
    expect(JSON.parse(fileAt(UPDATES, path('TSK-0002'))!).priority).toBe('high');
    expect(repo.issues.get(2)!.labels).toContain('priority: high');
    // The issue closed on GitHub stays closed: main's older status did not win over the branch's.
    expect(repo.issues.get(1)!.state).toBe('closed');
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]!.pull!.head.sha).toBe(merge.sha);
    expect([...repo.checkRuns.values()].filter((r) => r.head_sha === pushed.sha).map((r) => r.conclusion)).toEqual(['success']);

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('starts the branch afresh from main with a new pull request once a person merged the last one', async () => {
    const { github, quiet, person, head, commit, fileAt, changedBy, pulls, openPulls, later, failures } = await linkedThen('pull_request', ['TSK-0001', 'TSK-0002']);
    later().closeIssue(1);
    await quiet();
    const first = openPulls()[0]!;
    const merged = person.merge(first.number);
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(merged.sha);
    expect(JSON.parse(fileAt('main', path('TSK-0001'))!).status).toBe('done');

    later().editIssue(2, { title: 'After the merge' });
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(merged.sha);
    const fresh = head(UPDATES)!;
    expect(commit(fresh)).toMatchObject({ parents: [merged.sha], message: 'ticket-sync: TSK-0002 title → "After the merge" (#2 edited by @hubot)' });
    expect(changedBy(fresh)).toEqual([path('TSK-0002')]);
    expect(pulls()).toHaveLength(2);
    const [second, ...others] = openPulls();
    expect(others).toEqual([]);
    expect(second!.number).not.toBe(first.number);
    expect(second).toMatchObject({ user: { login: BOT }, pull: { head: { ref: UPDATES, sha: fresh }, base: { ref: 'main' } } });

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('creates the issue of a ticket pushed to main and commits its link to the updates branch, not to main', async () => {
    const { github, repo, quiet, person, head, commit, fileAt, changedBy, openPulls, failures } = await start({ files: { [CONFIG]: 'writeBack: pull_request\n' } });
    const pushed = person.push({ [path('TSK-0001')]: ticket('TSK-0001') }, { message: 'Add TSK-0001' });
    await quiet();
    expect(failures).toEqual([]);
    const [issue, ...more] = [...repo.issues.values()].filter((i) => i.pull === undefined);
    expect(more).toEqual([]);
    expect(issue!.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');

    expect(head('main')).toBe(pushed.sha);
    expect(fileAt('main', path('TSK-0001'))).toBe(ticket('TSK-0001'));
    const link = head(UPDATES)!;
    expect(commit(link)).toMatchObject({ parents: [pushed.sha], message: `ticket-sync: TSK-0001 linked to #${issue!.number} (push ${pushed.sha.slice(0, 7)} by @octocat)` });
    expect(changedBy(link)).toEqual([path('TSK-0001')]);
    expect(JSON.parse(fileAt(UPDATES, path('TSK-0001'))!).github).toMatchObject({ issue: issue!.number });
    expect(openPulls().map((p) => p.pull!.head)).toEqual([{ ref: UPDATES, sha: link }]);
    expect([...repo.checkRuns.values()].map((r) => [r.head_sha, r.conclusion])).toEqual([[pushed.sha, 'success']]);

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });
});

describe('writeBack: pull_request, with main in conflict with the pull request', () => {
  it('reads main and writes nothing back, leaves the tickets the pull request changed alone until a person resolves the conflict, and does not fail', async () => {
    const { github, repo, quiet, person, head, commit, fileAt, openPulls, branches, later, failures } = await linkedThen('pull_request', ['TSK-0001', 'TSK-0002']);
    later().closeIssue(1);
    await quiet();
    const pending = head(UPDATES)!;
    const [pr] = openPulls();

    // Main changes TSK-0001 differently from the pull request (a conflict), and TSK-0002, which the pull request leaves alone.
    const onMain = (id: string) => fileAt('main', path(id))!;
    const pushed = person.push(
      { [path('TSK-0001')]: onMain('TSK-0001').replace('"priority": "medium"', '"priority": "high"'), [path('TSK-0002')]: onMain('TSK-0002').replace('"title": "Ticket TSK-0002"', '"title": "Renamed on main"') },
      { message: 'Triage' },
    );
    let logStart = github.log.length;
    await quiet();
    expect(failures).toEqual([]);
    const bot = () => github.log.slice(logStart).filter((e) => e.actor === BOT).map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(bot()).toContain('POST /repos/{owner}/{repo}/merges 409');
    // Nothing written back: no merge commit, no commit, on any branch.
    expect(branches()).toEqual(new Map([['refs/heads/main', pushed.sha], [`refs/heads/${UPDATES}`, pending]]));
    // Main's change to a ticket the pull request does not hold reaches its issue …
    expect(repo.issues.get(2)!.title).toBe('Renamed on main');
    // … and the held ticket's issue is left as it is: main's older status does not reopen what a person closed.
    expect(repo.issues.get(1)).toMatchObject({ state: 'closed', labels: expect.arrayContaining(['priority: medium']) });
    // The check run is neutral: the tickets synced, the held one counted, and the conflict named for a person to resolve.
    const runs = [...repo.checkRuns.values()].filter((r) => r.head_sha === pushed.sha);
    expect(runs.map((r) => [r.conclusion, r.output.title])).toEqual([['neutral', 'Tickets synced, writing back paused by a merge conflict']]);
    expect(runs[0]!.output.summary).toMatch(/^2 tickets: 0 created, 0 imported, 1 updated, 0 in sync, 0 failed, 1 held back\.\n\n.*conflict.*TSK-0001/s);

    // An issue edit meanwhile is not written back either, and reopens nothing.
    logStart = github.log.length;
    later().editIssue(1, { title: 'Renamed on GitHub' });
    await quiet();
    expect(failures).toEqual([]);
    expect(branches()).toEqual(new Map([['refs/heads/main', pushed.sha], [`refs/heads/${UPDATES}`, pending]]));
    expect(repo.issues.get(1)).toMatchObject({ state: 'closed', title: 'Renamed on GitHub' });
    // Each run tries the merge again (that is how it sees the conflict resolved); it is the one write, and it fails.
    expect(writes(github, logStart)).toEqual([`POST /repos/{owner}/{repo}/merges ${BOT}`]);
    expect(github.log.slice(logStart).filter((e) => e.createsContent).map((e) => e.status)).toEqual([409]);

    // A person resolves the conflict on the branch (a merge commit keeping both changes); the next event syncs from it again.
    const octocat = new TestOctokit({ baseUrl: github.apiUrl, auth: github.world.personalToken('octocat') });
    const at = { owner: 'acme', repo: 'app' };
    const resolved = JSON.stringify({ ...JSON.parse(fileAt(UPDATES, path('TSK-0001'))!), priority: 'high' }, null, 2) + '\n';
    const { data: tree } = await octocat.rest.git.createTree({ ...at, base_tree: commit(pushed.sha).tree, tree: [{ path: path('TSK-0001'), mode: '100644', type: 'blob', content: resolved }] });
    const { data: merge } = await octocat.rest.git.createCommit({ ...at, message: 'Merge main into ticket-sync/updates', tree: tree.sha, parents: [pending, pushed.sha] });
    await octocat.rest.git.updateRef({ ...at, ref: `heads/${UPDATES}`, sha: merge.sha });
    expect(fileAt(UPDATES, path('TSK-0002'))).toBe(fileAt('main', path('TSK-0002')));
    await quiet();

    later().label(2, 'ui');
    await quiet();
    expect(failures).toEqual([]);
    expect(head('main')).toBe(pushed.sha);
    // The held ticket is synced both ways again: main's priority to the issue, the issue's title into the file, on the branch.
    expect(repo.issues.get(1)).toMatchObject({ state: 'closed', title: 'Renamed on GitHub', labels: expect.arrayContaining(['priority: high']) });
    expect(JSON.parse(fileAt(UPDATES, path('TSK-0001'))!)).toMatchObject({ title: 'Renamed on GitHub', status: 'done', priority: 'high' });
    expect(commit(head(UPDATES)!).parents).toEqual([merge.sha]);
    expect(openPulls().map((p) => p.number)).toEqual([pr!.number]);

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });
});

describe('writeBack: off', () => {
  it('creates the issue of a pushed ticket with no commit, writes no issue edit back, and updates the same issue on a later push', async () => {
    const { github, repo, quiet, person, head, fileAt, branches, later, failures } = await start({ files: { [CONFIG]: 'writeBack: off\n' } });
    const pushed = person.push({ [path('TSK-0001')]: ticket('TSK-0001') }, { message: 'Add TSK-0001' });
    await quiet();
    expect(failures).toEqual([]);
    expect([...repo.issues.values()].map((i) => [i.number, i.title])).toEqual([[1, 'Ticket TSK-0001']]);
    expect(repo.issues.get(1)!.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');
    // No commit at all: main is where the person left it, and there is no other branch.
    expect(branches()).toEqual(new Map([['refs/heads/main', pushed.sha]]));
    expect(fileAt('main', path('TSK-0001'))).toBe(ticket('TSK-0001'));

    later().closeIssue(1);
    await quiet();
    expect(failures).toEqual([]);
    expect(branches()).toEqual(new Map([['refs/heads/main', pushed.sha]]));
    expect(repo.issues.get(1)!.state).toBe('closed');

    const changed = person.push({ [path('TSK-0001')]: ticket('TSK-0001', { title: 'Renamed in the file' }) }, { message: 'Rename TSK-0001' });
    await quiet();
    expect(failures).toEqual([]);
    // The same issue, found by the link the state store kept (the file has none): no second issue.
    expect([...repo.issues.values()].map((i) => [i.number, i.title])).toEqual([[1, 'Renamed in the file']]);
    // The person's close on GitHub is not undone by the file's older status.
    expect(repo.issues.get(1)!.state).toBe('closed');
    expect(branches()).toEqual(new Map([['refs/heads/main', changed.sha]]));

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });
});
