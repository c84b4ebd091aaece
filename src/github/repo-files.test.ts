import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../test/emulator/testing.js';
import { seedFiles } from '../../test/emulator/git/services.js';
import { createOctokit } from './octokit.js';
import { CommitConflictError, gitBlobSha, repoFiles, type RepoFilesOctokit } from './repo-files.js';

const REF = 'GET /repos/{owner}/{repo}/git/ref/{ref} 200';
const GET_COMMIT = 'GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200';
const TREE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200';
const BLOB = 'GET /repos/{owner}/{repo}/git/blobs/{file_sha} 200';
const NEW_TREE = 'POST /repos/{owner}/{repo}/git/trees 201';
const NEW_COMMIT = 'POST /repos/{owner}/{repo}/git/commits 201';
const MOVE = 'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200';
const REFUSED = 'PATCH /repos/{owner}/{repo}/git/refs/{ref} 422';

/**
 * The emulator with `acme/app`, the adapter on it as the app's installation
 * through `createOctokit` (waits a thousandfold shorter), and `wrap` to put
 * something between the adapter and Octokit.
 */
async function connect(wrap: (octokit: RepoFilesOctokit) => RepoFilesOctokit = (o) => o) {
  const setup = await useEmulator();
  const { github, installation } = setup;
  const client = createOctokit({
    auth: github.installationToken(installation).token,
    baseUrl: github.apiUrl,
    waitScale: 0.001,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const files = repoFiles(wrap(client), { owner: 'acme', name: 'app' });
  let seen = github.log.length;
  /** The requests made since the last call, as `METHOD route status`. */
  const made = () => {
    const entries = github.log.slice(seen);
    seen = github.log.length;
    return entries.map((e) => `${e.method} ${e.route} ${e.status}`);
  };
  const octocat = github.as('octocat').in('acme/app');
  const branchHead = () => setup.repo.git.refs.get('refs/heads/main');
  /** The files of the branch's head commit, as text. */
  const onBranch = () => {
    const tree = github.world.commit(setup.repo, branchHead()!)!.tree;
    return Object.fromEntries([...github.world.files(setup.repo, tree)].map(([path, blob]) => [path, github.world.blob(setup.repo, blob)!.toString('utf8')]));
  };
  const pushesBy = (login: string) =>
    github.webhooks.deliveries.filter((d) => d.event === 'push' && (d.payload.sender as { login: string }).login === login);
  return { ...setup, files, made, octocat, branchHead, onBranch, pushesBy };
}

const text = (files: Map<string, Buffer | null>) => Object.fromEntries([...files].map(([path, content]) => [path, content?.toString('utf8') ?? null]));

const SEEDED = {
  'README.md': '# app\n',
  'tickets.json': '{"not": "in the folder"}\n',
  'docs/tickets/guide.md': 'also not in it\n',
  'tickets/TSK-0001.json': '{"id": "TSK-0001", "title": "Add login rate limiting"}\n',
  'tickets/done/TSK-0002.json': '{"id": "TSK-0002", "title": "Überprüfen ✓ — 日本語 🎫"}\r\n',
  'tickets/done/2026/TSK-0003.json': '\uFEFF{"id": "TSK-0003"}',
};
const IN_FOLDER = {
  'TSK-0001.json': SEEDED['tickets/TSK-0001.json'],
  'done/2026/TSK-0003.json': SEEDED['tickets/done/2026/TSK-0003.json'],
  'done/TSK-0002.json': SEEDED['tickets/done/TSK-0002.json'],
};

describe('the repository files adapter', () => {
  it('reads every file below a folder, nested and unicode byte for byte, with one tree read and a blob read per file', async () => {
    const { github, repo, files, made } = await connect();
    const seeded = seedFiles(github, repo, SEEDED);

    const head = await files.head('main');
    expect(head).toEqual({ sha: seeded.sha, tree: seeded.tree });
    expect(made()).toEqual([REF, GET_COMMIT]);
    expect(await files.listPaths(head.tree)).toEqual(Object.keys(SEEDED).sort());
    expect(made()).toEqual([TREE]);

    const folder = await files.readFolder(head.sha, '/tickets/');
    expect(text(folder)).toEqual(IN_FOLDER);
    expect(folder.get('done/TSK-0002.json')).toEqual(Buffer.from(SEEDED['tickets/done/TSK-0002.json'], 'utf8'));
    expect(made()).toEqual([TREE, BLOB, BLOB, BLOB]);

    expect(text(await files.readFolder(head.tree, 'tickets/done'))).toEqual({
      'TSK-0002.json': SEEDED['tickets/done/TSK-0002.json'],
      '2026/TSK-0003.json': SEEDED['tickets/done/2026/TSK-0003.json'],
    });
    expect(await files.readFolder(head.sha, 'no-such-folder')).toEqual(new Map());
  });

  it('reads a tree once however often it is asked: its paths, a folder and named files of one tree cost one tree read', async () => {
    const { github, repo, files, made } = await connect();
    const seeded = seedFiles(github, repo, SEEDED);

    expect(await files.listPaths(seeded.tree)).toEqual(Object.keys(SEEDED).sort());
    expect(text(await files.readFolder(seeded.tree, 'tickets'))).toEqual(IN_FOLDER);
    expect(text(await files.readFiles(seeded.tree, ['README.md']))).toEqual({ 'README.md': SEEDED['README.md'] });
    expect(made()).toEqual([TREE, BLOB, BLOB, BLOB, BLOB]);
    expect(await files.listPaths(seeded.tree)).toEqual(Object.keys(SEEDED).sort());
    expect(made()).toEqual([]);
  });

  it('walks the folder one tree at a time when GitHub truncates the recursive tree', async () => {
    // The emulator never truncates a tree, so the root's recursive listing is cut here, as GitHub cuts a very large one.
    const truncateRoot = (octokit: RepoFilesOctokit): RepoFilesOctokit => ({
      request: (async (route: string, params: Record<string, unknown>) => {
        const response = await octokit.request(route, params);
        if (route.includes('/git/trees/') && params.tree_sha === root && params.recursive !== undefined) {
          return { ...response, data: { ...(response.data as object), tree: (response.data as { tree: unknown[] }).tree.slice(0, 2), truncated: true } };
        }
        return response;
      }) as RepoFilesOctokit['request'],
    });
    let root = '';
    const { github, repo, files, made } = await connect(truncateRoot);
    root = seedFiles(github, repo, SEEDED).sha;

    expect(text(await files.readFolder(root, 'tickets'))).toEqual(IN_FOLDER);
    // The cut listing, the root, then the folder's own recursive listing (complete), and the blobs.
    expect(made()).toEqual([TREE, TREE, TREE, BLOB, BLOB, BLOB]);
    expect(await files.listPaths(root)).toEqual(Object.keys(SEEDED).sort());

    expect(text(await files.readFiles(root, ['tickets/done/TSK-0002.json', 'tickets/TSK-0009.json', 'README.md']))).toEqual({
      'tickets/done/TSK-0002.json': SEEDED['tickets/done/TSK-0002.json'],
      'tickets/TSK-0009.json': null,
      'README.md': SEEDED['README.md'],
    });
  });

  it('reads the named files of a commit, with null for a path that is absent or a folder', async () => {
    const { github, repo, files, made } = await connect();
    const { sha } = seedFiles(github, repo, SEEDED);

    const read = await files.readFiles(sha, ['tickets/done/TSK-0002.json', 'tickets/TSK-0009.json', 'tickets/done']);
    expect(text(read)).toEqual({
      'tickets/done/TSK-0002.json': SEEDED['tickets/done/TSK-0002.json'],
      'tickets/TSK-0009.json': null,
      'tickets/done': null,
    });
    expect(made()).toEqual([TREE, BLOB]);
  });

  it('commits two changed files and a deletion as one commit on the old head, moving the branch with one push', async () => {
    const { files, made, branchHead, onBranch, pushesBy, github, repo } = await connect();
    const seeded = seedFiles(github, repo, { 'README.md': '# app\n', 'tickets/a.json': '{"v": 1}\n', 'tickets/b.json': '{"v": 1}\n' });
    const head = await files.head('main');
    made();

    const result = await files.commit({
      branch: 'main',
      parent: head.sha,
      changes: [
        { path: 'tickets/a.json', text: '{"v": 2, "title": "Überprüfen ✓"}\n' },
        { path: 'tickets/c.json', text: '{"v": 1}\n' },
        { path: 'tickets/b.json', text: null },
      ],
      message: 'Sync tickets from issues',
      author: { name: 'ticket-sync', email: 'sync@example.com' },
    });

    expect(made()).toEqual([GET_COMMIT, NEW_TREE, NEW_COMMIT, MOVE]);
    expect(result).toEqual({ sha: branchHead() });
    const commit = github.world.commit(repo, branchHead()!)!;
    expect(commit).toMatchObject({ parents: [seeded.sha], message: 'Sync tickets from issues', author: { name: 'ticket-sync', email: 'sync@example.com' } });
    expect(onBranch()).toEqual({ 'README.md': '# app\n', 'tickets/a.json': '{"v": 2, "title": "Überprüfen ✓"}\n', 'tickets/c.json': '{"v": 1}\n' });
    expect(pushesBy('ticket-sync[bot]').map((d) => [d.payload.before, d.payload.after])).toEqual([[seeded.sha, commit.sha]]);

    // With the parent's tree at hand, the commit costs a tree (the files inline, however many), a commit and the ref update.
    const next = await files.commit({ branch: 'main', parent: commit.sha, parentTree: commit.tree, changes: [{ path: 'tickets/a.json', text: '{"v": 3}\n' }], message: 'Again' });
    expect(made()).toEqual([NEW_TREE, NEW_COMMIT, MOVE]);
    expect(next).toEqual({ sha: branchHead() });
  });

  it('names a written file’s blob by the sha GitHub gives it, so what the app wrote is never read back', async () => {
    const { github, repo } = await connect();
    const text = '{"title": "Überprüfen ✓"}\r\n';
    const stored = seedFiles(github, repo, { 'tickets/a.json': text });
    const sha = github.world.files(repo, stored.tree).get('tickets/a.json');
    expect(gitBlobSha(Buffer.from(text, 'utf8'))).toBe(sha);
    expect(gitBlobSha(Buffer.alloc(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'); // git's empty blob
  });

  it('reports a conflict when a person pushed in between, keeps their commit, and succeeds on the retry on top of it', async () => {
    const { files, made, branchHead, onBranch, octocat, github, repo } = await connect();
    seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    const stale = await files.head('main');
    const theirs = octocat.push({ 'tickets/b.json': '{"by": "octocat"}\n' });
    made();

    const refused = await files.commit({ branch: 'main', parent: stale.sha, parentTree: stale.tree, changes: [{ path: 'tickets/a.json', text: '{"v": 2}\n' }], message: 'Sync' });
    expect(refused).toEqual({ conflict: true });
    expect(made()).toEqual([NEW_TREE, NEW_COMMIT, REFUSED]);
    expect(branchHead()).toBe(theirs.sha);

    const seen: string[] = [];
    const result = await files.commitWithRetry('main', async (head) => {
      seen.push(head.sha);
      if (seen.length === 1) octocat.push({ 'tickets/b.json': '{"by": "octocat", "again": true}\n' });
      return { changes: [{ path: 'tickets/a.json', text: '{"v": 2}\n' }], message: 'Sync' };
    });

    const second = seen[1]!;
    expect(seen).toEqual([theirs.sha, second]);
    expect(result).toEqual({ sha: branchHead(), committed: true, attempts: 2 });
    expect(github.world.commit(repo, result.sha)!.parents).toEqual([second]);
    expect(github.world.commit(repo, second)!.parents).toEqual([theirs.sha]);
    expect(onBranch()).toEqual({ 'tickets/a.json': '{"v": 2}\n', 'tickets/b.json': '{"by": "octocat", "again": true}\n' });
    expect(made()).toEqual([REF, GET_COMMIT, NEW_TREE, NEW_COMMIT, REFUSED, REF, GET_COMMIT, NEW_TREE, NEW_COMMIT, MOVE]);
  });

  it('takes a given first head without reading the ref, and reads the ref for the retry after a lost race', async () => {
    const { files, made, branchHead, onBranch, octocat, github, repo } = await connect();
    const seeded = seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    made();

    const seen: string[] = [];
    const result = await files.commitWithRetry(
      'main',
      async (head) => {
        seen.push(head.sha);
        if (seen.length === 1) octocat.push({ 'tickets/b.json': '{"by": "octocat"}\n' });
        return { changes: [{ path: 'tickets/a.json', text: '{"v": 2}\n' }], message: 'Sync' };
      },
      { head: { sha: seeded.sha, tree: seeded.tree } },
    );

    const theirs = github.world.commit(repo, result.sha)!.parents[0]!;
    expect(seen).toEqual([seeded.sha, theirs]);
    expect(result).toEqual({ sha: branchHead(), committed: true, attempts: 2 });
    expect(onBranch()).toEqual({ 'tickets/a.json': '{"v": 2}\n', 'tickets/b.json': '{"by": "octocat"}\n' });
    expect(made()).toEqual([NEW_TREE, NEW_COMMIT, REFUSED, REF, GET_COMMIT, NEW_TREE, NEW_COMMIT, MOVE]);

    // Nothing to commit against a given head: no request at all.
    expect(await files.commitWithRetry('main', async () => undefined, { head: { sha: result.sha, tree: github.world.commit(repo, result.sha)!.tree } })).toEqual({
      sha: result.sha,
      committed: false,
      attempts: 1,
    });
    expect(made()).toEqual([]);
  });

  it('takes a 409 on the ref update for a lost race: reads the head again, redoes the attempt and lands, never dropping the change', async () => {
    const { files, made, branchHead, onBranch, github, repo } = await connect();
    seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    made();
    github.fault('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', 409);
    let attempts = 0;
    const result = await files.commitWithRetry('main', async () => {
      attempts++;
      return { changes: [{ path: 'tickets/a.json', text: '{"v": 2}\n' }], message: 'Sync' };
    });
    expect(attempts).toBe(2);
    expect(result).toEqual({ sha: branchHead(), committed: true, attempts: 2 });
    expect(onBranch()).toEqual({ 'tickets/a.json': '{"v": 2}\n' });
    expect(made().filter((r) => r.startsWith('PATCH'))).toEqual(['PATCH /repos/{owner}/{repo}/git/refs/{ref} 409', MOVE]);
  });

  it('asks the branch, after a ref update whose answer was lost, whether it moved: the commit lands once', async () => {
    const { files, made, branchHead, onBranch, github, repo } = await connect();
    seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    made();
    github.fault('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', '502-after');
    const result = await files.commitWithRetry('main', async () => ({ changes: [{ path: 'tickets/a.json', text: '{"v": 2}\n' }], message: 'Sync' }));
    expect(result).toEqual({ sha: branchHead(), committed: true, attempts: 1 });
    expect(onBranch()).toEqual({ 'tickets/a.json': '{"v": 2}\n' });
    expect(made().slice(-2)).toEqual(['PATCH /repos/{owner}/{repo}/git/refs/{ref} 502', REF]);
  });

  it('gives up with a clear error when the branch moves under every attempt', async () => {
    const { files, branchHead, onBranch, octocat, pushesBy, github, repo } = await connect();
    seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    let attempts = 0;

    const run = files.commitWithRetry(
      'main',
      async () => {
        attempts++;
        octocat.push({ 'tickets/a.json': `{"v": "octocat ${attempts}"}\n` });
        return { changes: [{ path: 'tickets/a.json', text: '{"v": "ours"}\n' }], message: 'Sync' };
      },
      { maxAttempts: 3 },
    );

    await expect(run).rejects.toThrow(CommitConflictError);
    await expect(run).rejects.toThrow('acme/app: branch main moved while committing, 3 times in a row; gave up (the changes were not committed)');
    expect(attempts).toBe(3);
    expect(onBranch()).toEqual({ 'tickets/a.json': '{"v": "octocat 3"}\n' });
    expect(pushesBy('ticket-sync[bot]')).toEqual([]);
  });

  it('makes no request beyond reading the head when there is nothing to commit', async () => {
    const { files, made, pushesBy, github, repo } = await connect();
    const seeded = seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    made();

    expect(await files.commitWithRetry('main', async () => ({ changes: [], message: 'Nothing' }))).toEqual({ sha: seeded.sha, committed: false, attempts: 1 });
    expect(made()).toEqual([REF, GET_COMMIT]);
    expect(await files.commitWithRetry('main', async () => undefined)).toEqual({ sha: seeded.sha, committed: false, attempts: 1 });
    expect(made()).toEqual([REF, GET_COMMIT]);
    expect(await files.commit({ branch: 'main', parent: seeded.sha, changes: [], message: 'Nothing' })).toEqual({ sha: seeded.sha });
    expect(made()).toEqual([]);
    expect(pushesBy('ticket-sync[bot]')).toEqual([]);
  });

  it('makes no commit when the changes leave the tree as it was', async () => {
    const { files, made, branchHead, pushesBy, github, repo } = await connect();
    const seeded = seedFiles(github, repo, { 'tickets/a.json': '{"v": 1}\n' });
    made();

    const result = await files.commit({ branch: 'main', parent: seeded.sha, parentTree: seeded.tree, changes: [{ path: 'tickets/a.json', text: '{"v": 1}\n' }], message: 'Same' });
    expect(result).toEqual({ sha: seeded.sha });
    expect(made()).toEqual([NEW_TREE]);
    expect(branchHead()).toBe(seeded.sha);
    expect(pushesBy('ticket-sync[bot]')).toEqual([]);
  });
});
