import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../test/emulator/testing.js';
import { seedFiles } from '../../test/emulator/git/services.js';
import { createOctokit } from './octokit.js';
import { repoFiles } from './repo-files.js';
import { UPDATES_BRANCH, writeBackTarget, type WriteBackMode, type WriteBackTarget } from './write-back.js';

const PULLS = 'GET /repos/{owner}/{repo}/pulls 200';
const COMPARE = 'GET /repos/{owner}/{repo}/compare/{base}...{head} 200';
const REF = 'GET /repos/{owner}/{repo}/git/ref/{ref} 200';
const NO_REF = 'GET /repos/{owner}/{repo}/git/ref/{ref} 404';
const NEW_REF = 'POST /repos/{owner}/{repo}/git/refs 201';
const RESET = 'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200';
const MERGED = 'POST /repos/{owner}/{repo}/merges 201';
const CONFLICT = 'POST /repos/{owner}/{repo}/merges 409';
const OPEN_PR = 'POST /repos/{owner}/{repo}/pulls 201';

const REPO = { owner: 'acme', name: 'app' };
const SEEDED = { 'README.md': '# app\n', 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "open"}\n', 'tickets/TSK-0002.json': '{"id": "TSK-0002", "status": "open"}\n' };

/**
 * The emulator with `acme/app` seeded, the app allowed to write pull
 * requests, and the App's write-back on it: `target(mode)` as the App gets
 * it, `batch(target, …)` to commit one batch of ticket changes to its branch
 * as the App will (`commitWithRetry`, then `landed`), and `made()` for the
 * requests since the last call, as `METHOD route status`.
 */
async function connect() {
  const setup = await useEmulator();
  const { github, installation, repo } = setup;
  github.world.app.permissions.pull_requests = 'write';
  seedFiles(github, repo, SEEDED);
  const octokit = createOctokit({
    auth: github.installationToken(installation).token,
    baseUrl: github.apiUrl,
    waitScale: 0.001,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const files = repoFiles(octokit, REPO);
  let seen = github.log.length;
  const made = () => {
    const entries = github.log.slice(seen);
    seen = github.log.length;
    return entries.map((e) => `${e.method} ${e.route} ${e.status}`);
  };
  const target = (mode: WriteBackMode = 'pull_request') => writeBackTarget(octokit, REPO, 'main', mode);
  /** One batch: the files changed on the target's branch in one commit, then `landed`. Its requests are not counted. */
  const batch = async (to: WriteBackTarget, changes: Record<string, string>, message: string) => {
    const result = await files.commitWithRetry(to.branch, async () => ({ changes: Object.entries(changes).map(([path, text]) => ({ path, text })), message }));
    made();
    await to.landed({ sha: result.sha, message });
    return result.sha;
  };
  const head = (branch: string) => repo.git.refs.get(`refs/heads/${branch}`);
  const fileAt = (branch: string, path: string) => {
    const tree = github.world.commit(repo, head(branch)!)!.tree;
    const blob = github.world.files(repo, tree).get(path);
    return blob === undefined ? undefined : github.world.blob(repo, blob)!.toString('utf8');
  };
  const pulls = () => [...repo.issues.values()].filter((i) => i.pull !== undefined);
  const openPulls = () => pulls().filter((p) => p.state === 'open');
  const octocat = github.as('octocat').in('acme/app');
  return { ...setup, target, batch, made, head, fileAt, pulls, openPulls, octocat };
}

describe('write-back in commit mode', () => {
  it('targets the default branch without a request, before or after a commit', async () => {
    const { target, batch, made, head } = await connect();
    const to = (await target('commit'))!;
    expect(to).toMatchObject({ mode: 'commit', branch: 'main', prepared: 'unchanged', conflict: undefined, held: undefined, pullRequest: undefined });
    expect(made()).toEqual([]);

    const sha = await batch(to, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status (#1 closed by @octocat)');
    expect(made()).toEqual([]);
    expect(head('main')).toBe(sha);
  });

  it('gives no target for off, and makes no request', async () => {
    const { target, made } = await connect();
    expect(await target('off')).toBeUndefined();
    expect(made()).toEqual([]);
  });
});

describe('write-back through a pull request', () => {
  it('creates the branch from main on the first batch and opens one pull request by the app, naming its first commit', async () => {
    const { target, batch, made, head, openPulls, fileAt } = await connect();
    const main = head('main');

    const to = (await target())!;
    expect(to).toMatchObject({ mode: 'pull_request', branch: UPDATES_BRANCH, prepared: 'created', pullRequest: undefined });
    // The two refs are read side by side.
    expect(made().sort()).toEqual([PULLS, NO_REF, REF, NEW_REF].sort());
    expect(head(UPDATES_BRANCH)).toBe(main);

    const message = 'ticket-sync: TSK-0001 status (#1 closed by @octocat)';
    const sha = await batch(to, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, message);
    expect(made()).toEqual([OPEN_PR]);

    expect(head('main')).toBe(main);
    expect(head(UPDATES_BRANCH)).toBe(sha);
    expect(fileAt(UPDATES_BRANCH, 'tickets/TSK-0001.json')).toBe('{"id": "TSK-0001", "status": "done"}\n');
    const [pr, ...others] = openPulls();
    expect(others).toEqual([]);
    expect(pr).toMatchObject({ title: 'ticket-sync: ticket changes from GitHub Issues', user: { login: 'ticket-sync[bot]' }, pull: { head: { ref: UPDATES_BRANCH, sha }, base: { ref: 'main' } } });
    expect(pr!.body).toContain(`> ${message}`);
    expect(to.pullRequest).toEqual({ number: pr!.number, url: expect.stringContaining(`/acme/app/pull/${pr!.number}`) });
  });

  it('puts a second batch on the same branch and pull request, in two requests before it and none after', async () => {
    const { target, batch, made, head, pulls, openPulls } = await connect();
    const first = await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    made();

    const to = (await target())!;
    expect(made()).toEqual([PULLS, COMPARE]);
    expect(to).toMatchObject({ branch: UPDATES_BRANCH, prepared: 'unchanged', conflict: undefined, held: undefined, pullRequest: { number: openPulls()[0]!.number } });
    const second = await batch(to, { 'tickets/TSK-0002.json': '{"id": "TSK-0002", "status": "blocked"}\n' }, 'ticket-sync: TSK-0002 status');
    expect(made()).toEqual([]);

    expect(pulls()).toHaveLength(1);
    expect(openPulls()[0]!.pull!.head.sha).toBe(second);
    expect(openPulls()[0]!.pull!.head.sha).not.toBe(first);
    expect(head(UPDATES_BRANCH)).toBe(second);
  });

  it('merges main into the branch when a person pushed to main, as the app, and commits the batch on top', async () => {
    const { github, repo, target, batch, made, head, fileAt, octocat, openPulls } = await connect();
    const first = await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    const pushed = octocat.push({ 'tickets/TSK-0003.json': '{"id": "TSK-0003", "status": "open"}\n' }, { message: 'Add TSK-0003' });
    made();

    const to = (await target())!;
    expect(made()).toEqual([PULLS, COMPARE, MERGED]);
    expect(to).toMatchObject({ prepared: 'merged', conflict: undefined, held: undefined });
    const merge = github.world.commit(repo, head(UPDATES_BRANCH)!)!;
    expect(merge.parents).toEqual([first, pushed.sha]);
    expect(merge.message).toBe(`Merge main into ${UPDATES_BRANCH}`);
    expect(merge.author.name).toBe('ticket-sync[bot]');
    const push = github.webhooks.deliveries.filter((d) => d.event === 'push').at(-1)!;
    expect(push.payload).toMatchObject({ ref: `refs/heads/${UPDATES_BRANCH}`, before: first, after: merge.sha, forced: false, sender: { login: 'ticket-sync[bot]' } });

    const sha = await batch(to, { 'tickets/TSK-0003.json': '{"id": "TSK-0003", "status": "in_progress"}\n' }, 'ticket-sync: TSK-0003 status');
    expect(made()).toEqual([]);
    expect(github.world.commit(repo, sha)!.parents).toEqual([merge.sha]);
    expect(fileAt(UPDATES_BRANCH, 'tickets/TSK-0001.json')).toBe('{"id": "TSK-0001", "status": "done"}\n');
    expect(fileAt(UPDATES_BRANCH, 'tickets/TSK-0003.json')).toBe('{"id": "TSK-0003", "status": "in_progress"}\n');
    expect(head('main')).toBe(pushed.sha);
    expect(openPulls()).toHaveLength(1);
  });

  it('starts a fresh branch from main and a new pull request once the last one was merged', async () => {
    const { target, batch, made, head, fileAt, octocat, pulls, openPulls } = await connect();
    await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    const first = openPulls()[0]!;
    const merged = octocat.merge(first.number, { mergeMethod: 'squash' });
    expect(fileAt('main', 'tickets/TSK-0001.json')).toBe('{"id": "TSK-0001", "status": "done"}\n');
    made();

    const to = (await target())!;
    expect(to).toMatchObject({ prepared: 'reset', pullRequest: undefined });
    expect(made().sort()).toEqual([PULLS, REF, REF, RESET].sort());
    expect(head(UPDATES_BRANCH)).toBe(merged.sha);

    const sha = await batch(to, { 'tickets/TSK-0002.json': '{"id": "TSK-0002", "status": "done"}\n' }, 'ticket-sync: TSK-0002 status');
    expect(made()).toEqual([OPEN_PR]);
    expect(pulls()).toHaveLength(2);
    const [second, ...others] = openPulls();
    expect(others).toEqual([]);
    expect(second!.number).not.toBe(first.number);
    expect(second!.pull).toMatchObject({ head: { ref: UPDATES_BRANCH, sha }, base: { ref: 'main' } });
    expect(to.pullRequest?.number).toBe(second!.number);
  });

  it('creates the branch again when it was deleted after its pull request was merged', async () => {
    const { app, target, batch, made, head, octocat, openPulls } = await connect();
    await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    octocat.merge(openPulls()[0]!.number);
    await app.rest.git.deleteRef({ owner: 'acme', repo: 'app', ref: `heads/${UPDATES_BRANCH}` });
    made();

    const to = (await target())!;
    expect(to.prepared).toBe('created');
    expect(made().sort()).toEqual([PULLS, NO_REF, REF, NEW_REF].sort());
    expect(head(UPDATES_BRANCH)).toBe(head('main'));
  });

  it('drops the changes of a pull request closed without merging: the branch starts again from main', async () => {
    const { person, target, batch, made, head, fileAt, openPulls } = await connect();
    await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    await person().rest.pulls.update({ owner: 'acme', repo: 'app', pull_number: openPulls()[0]!.number, state: 'closed' });
    made();

    const to = (await target())!;
    expect(to.prepared).toBe('reset');
    expect(made().sort()).toEqual([PULLS, REF, REF, RESET].sort());
    expect(head(UPDATES_BRANCH)).toBe(head('main'));
    expect(fileAt(UPDATES_BRANCH, 'tickets/TSK-0001.json')).toBe(SEEDED['tickets/TSK-0001.json']);
  });

  it('reports a merge conflict with main, forces nothing, and still takes the batch on the branch', async () => {
    const { github, target, batch, made, head, octocat, openPulls } = await connect();
    const first = await batch((await target())!, { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: TSK-0001 status');
    const pushed = octocat.push({ 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "cancelled"}\n' }, { message: 'Cancel TSK-0001' });
    const pr = openPulls()[0]!;
    const pushes = github.webhooks.deliveries.filter((d) => d.event === 'push').length;
    made();

    const to = (await target())!;
    expect(made()).toEqual([PULLS, COMPARE, CONFLICT]);
    expect(to).toMatchObject({ branch: UPDATES_BRANCH, prepared: 'conflict', pullRequest: { number: pr.number } });
    expect(to.conflict).toBe(
      `acme/app: main could not be merged into ${UPDATES_BRANCH} (merge conflict); the branch was left as it was: ` +
        `resolve the conflict in pull request #${pr.number} (${to.pullRequest!.url})`,
    );
    // What the branch changed since it left main: the pull request's files, which main lacks.
    expect(to.held).toEqual(new Set(['tickets/TSK-0001.json']));
    expect(head(UPDATES_BRANCH)).toBe(first);
    expect(head('main')).toBe(pushed.sha);
    expect(github.webhooks.deliveries.filter((d) => d.event === 'push')).toHaveLength(pushes);

    const sha = await batch(to, { 'tickets/TSK-0002.json': '{"id": "TSK-0002", "status": "done"}\n' }, 'ticket-sync: TSK-0002 status');
    expect(made()).toEqual([]);
    expect(github.world.commit(github.world.repo('acme/app')!, sha)!.parents).toEqual([first]);
    expect(openPulls()).toHaveLength(1);
  });

  it('holds every path when the branch changed as many files as a comparison lists, so none can be told apart', async () => {
    const { target, batch, head, octocat } = await connect();
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`tickets/TSK-${String(i + 3).padStart(4, '0')}.json`, `{"id": "TSK-${i + 3}"}\n`]));
    const left = await batch((await target())!, { ...many, 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "done"}\n' }, 'ticket-sync: 301 tickets');
    octocat.push({ 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "cancelled"}\n' });
    const to = (await target())!;
    expect(to).toMatchObject({ prepared: 'conflict', held: 'all' });
    expect(head(UPDATES_BRANCH)).toBe(left);
  });

  it('names the pull request it opens for a stopped run’s commits when main cannot be merged into them', async () => {
    const { github, installation, target, made, octocat, openPulls } = await connect();
    const to = (await target())!;
    const octokit = createOctokit({ auth: github.installationToken(installation).token, baseUrl: github.apiUrl, waitScale: 0.001, log: { debug() {}, info() {}, warn() {}, error() {} } });
    await repoFiles(octokit, REPO).commitWithRetry(to.branch, async () => ({ changes: [{ path: 'tickets/TSK-0001.json', text: '{"id": "TSK-0001", "status": "done"}\n' }], message: 'ticket-sync: TSK-0001 status' }));
    octocat.push({ 'tickets/TSK-0001.json': '{"id": "TSK-0001", "status": "cancelled"}\n' });
    made();

    const again = (await target())!;
    expect(made().sort()).toEqual([PULLS, REF, REF, COMPARE, CONFLICT, OPEN_PR].sort());
    const [pr] = openPulls();
    expect(again).toMatchObject({ prepared: 'conflict', held: new Set(['tickets/TSK-0001.json']), pullRequest: { number: pr!.number } });
    expect(again.conflict).toContain(`resolve the conflict in pull request #${pr!.number}`);
  });

  it('opens the pull request at once for commits a stopped run left on the branch without one', async () => {
    const { target, made, head, openPulls, github, installation } = await connect();
    const to = (await target())!;
    // A run that committed and stopped before `landed`.
    const octokit = createOctokit({ auth: github.installationToken(installation).token, baseUrl: github.apiUrl, waitScale: 0.001, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const message = 'ticket-sync: TSK-0001 status (#1 closed by @octocat)';
    const left = await repoFiles(octokit, REPO).commitWithRetry(to.branch, async () => ({ changes: [{ path: 'tickets/TSK-0001.json', text: '{"id": "TSK-0001", "status": "done"}\n' }], message }));
    made();

    const again = (await target())!;
    expect(made().sort()).toEqual([PULLS, REF, REF, COMPARE, OPEN_PR].sort());
    expect(again).toMatchObject({ prepared: 'unchanged', pullRequest: { number: openPulls()[0]!.number } });
    expect(head(UPDATES_BRANCH)).toBe(left.sha);
    expect(openPulls()).toHaveLength(1);
    expect(openPulls()[0]!.body).toContain(`> ${message}`);

    await again.landed({ sha: left.sha, message });
    expect(made()).toEqual([]);
  });
});
