import { describe, expect, it } from 'vitest';
import { useEmulator, webhookReceiver } from '../testing.js';
import { commitFiles, moveBranch, seedFiles, ZERO_SHA } from './services.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const owner = 'acme';
const repoName = 'app';

/** A file's data from `GET /contents`, which Octokit types as a union of files, directories and links. */
function asFile(data: unknown): { type: string; sha: string; content: string; encoding: string; path: string } {
  return data as { type: string; sha: string; content: string; encoding: string; path: string };
}

describe('the contents API', () => {
  it('answers the raw media type with a file’s bytes as text, and a folder still as JSON, as Probot’s config plugin reads them', async () => {
    const { github, repo, app } = await useEmulator();
    const text = 'writeBack: pull_request # ✓\n';
    seedFiles(github, repo, { '.github/ticket-sync.yml': text });
    const raw = await app.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: repoName, path: '.github/ticket-sync.yml', mediaType: { format: 'raw' } });
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.data).toBe(text);
    const folder = await app.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: repoName, path: '.github', mediaType: { format: 'raw' } });
    expect(folder.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(folder.data).toEqual([expect.objectContaining({ type: 'file', path: '.github/ticket-sync.yml' })]);
  });

  it('round-trips unicode content as base64, making the first commit of an empty repository', async () => {
    const { app } = await useEmulator();
    const text = '{"title": "Überprüfen ✓ — 日本語", "emoji": "🎫"}\n';
    const created = await app.rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'tickets/ü-1.json', message: 'Add ticket', content: b64(text) });
    expect(created.status).toBe(201);
    expect(created.data.commit.parents).toEqual([]);

    const read = asFile((await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/ü-1.json' })).data);
    expect(read).toMatchObject({ type: 'file', encoding: 'base64', path: 'tickets/ü-1.json', sha: created.data.content!.sha });
    expect(read.content).toMatch(/\n$/);
    expect(unb64(read.content)).toBe(text);

    const updated = await app.rest.repos.createOrUpdateFileContents({
      owner,
      repo: repoName,
      path: 'tickets/ü-1.json',
      message: 'Edit ticket',
      content: b64(text.replace('🎫', '🎟️')),
      sha: read.sha,
    });
    expect(updated.status).toBe(200);
    expect(updated.data.commit.parents?.map((p) => p.sha)).toEqual([created.data.commit.sha]);
    const again = asFile((await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/ü-1.json', ref: created.data.commit.sha! })).data);
    expect(unb64(again.content)).toBe(text);
  });

  it('answers 409 to a stale sha and 422 to a missing one, and leaves the file as it was', async () => {
    const { github, repo, app, person } = await useEmulator();
    seedFiles(github, repo, { 'tickets/1.json': '{"v": 1}\n' });
    const first = asFile((await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/1.json' })).data);
    await person().rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'tickets/1.json', message: 'v2', content: b64('{"v": 2}\n'), sha: first.sha });
    const head = repo.git.refs.get('refs/heads/main');

    const stale = app.rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'tickets/1.json', message: 'v3', content: b64('{"v": 3}\n'), sha: first.sha });
    await expect(stale).rejects.toMatchObject({ status: 409, response: { data: { message: `tickets/1.json does not match ${first.sha}` } } });
    const missing = app.rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'tickets/1.json', message: 'v3', content: b64('{"v": 3}\n') });
    await expect(missing).rejects.toMatchObject({ status: 422, response: { data: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } } });
    const staleDelete = app.rest.repos.deleteFile({ owner, repo: repoName, path: 'tickets/1.json', message: 'rm', sha: first.sha });
    await expect(staleDelete).rejects.toMatchObject({ status: 409 });

    const now = asFile((await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/1.json' })).data);
    expect(unb64(now.content)).toBe('{"v": 2}\n');
    expect(repo.git.refs.get('refs/heads/main')).toBe(head);

    const deleted = await app.rest.repos.deleteFile({ owner, repo: repoName, path: 'tickets/1.json', message: 'rm', sha: now.sha });
    expect(deleted.data.content).toBeNull();
    await expect(app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/1.json' })).rejects.toMatchObject({ status: 404 });
  });

  it('lists a directory with its files and subdirectories', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'README.md': '# app\n', 'tickets/b.json': '{}\n', 'tickets/a.json': '{"x": 1}\n', 'tickets/done/c.json': '{}\n' });
    const { data } = await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets' });
    expect(Array.isArray(data)).toBe(true);
    const listing = data as { name: string; path: string; type: string; size: number; download_url: string | null }[];
    expect(listing.map((e) => [e.path, e.type, e.size])).toEqual([
      ['tickets/a.json', 'file', 9],
      ['tickets/b.json', 'file', 3],
      ['tickets/done', 'dir', 0],
    ]);
    expect(listing.find((e) => e.type === 'dir')!.download_url).toBeNull();
  });
});

describe('the git data API', () => {
  it('commits several files at once with a tree, a commit and a ref update, in five requests after the token', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'tickets/1.json': '{"v": 1}\n', 'tickets/2.json': '{"v": 1}\n', 'README.md': '# app\n' });
    github.log.length = 0;

    const ref = await app.rest.git.getRef({ owner, repo: repoName, ref: 'heads/main' });
    const parent = await app.rest.git.getCommit({ owner, repo: repoName, commit_sha: ref.data.object.sha });
    const tree = await app.rest.git.createTree({
      owner,
      repo: repoName,
      base_tree: parent.data.tree.sha,
      tree: [
        { path: 'tickets/1.json', mode: '100644', type: 'blob', content: '{"v": 2}\n' },
        { path: 'tickets/3.json', mode: '100644', type: 'blob', content: '{"v": 1}\n' },
        { path: 'tickets/2.json', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const commit = await app.rest.git.createCommit({ owner, repo: repoName, message: 'Sync tickets', tree: tree.data.sha, parents: [parent.data.sha] });
    const moved = await app.rest.git.updateRef({ owner, repo: repoName, ref: 'heads/main', sha: commit.data.sha });

    expect(moved.data.object.sha).toBe(commit.data.sha);
    expect(commit.data.author).toMatchObject({ name: 'ticket-sync[bot]' });
    expect(github.log.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /app/installations/{installation_id}/access_tokens 201',
      'GET /repos/{owner}/{repo}/git/ref/{ref} 200',
      'GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200',
      'POST /repos/{owner}/{repo}/git/trees 201',
      'POST /repos/{owner}/{repo}/git/commits 201',
      'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200',
    ]);
    const files = [...github.world.files(repo, github.world.commit(repo, repo.git.refs.get('refs/heads/main')!)!.tree).keys()].sort();
    expect(files).toEqual(['README.md', 'tickets/1.json', 'tickets/3.json']);
  });

  it('refuses a non-fast-forward ref update without force and makes it with force', async () => {
    const { github, repo, app } = await useEmulator();
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const ahead = seedFiles(github, repo, { 'a.txt': 'b\n' });
    const sibling = await app.rest.git.createCommit({ owner, repo: repoName, message: 'Elsewhere', tree: base.tree, parents: [base.sha] });

    const refused = app.rest.git.updateRef({ owner, repo: repoName, ref: 'heads/main', sha: sibling.data.sha });
    await expect(refused).rejects.toMatchObject({ status: 422, response: { data: { message: 'Update is not a fast forward' } } });
    expect(repo.git.refs.get('refs/heads/main')).toBe(ahead.sha);

    const forced = await app.rest.git.updateRef({ owner, repo: repoName, ref: 'heads/main', sha: sibling.data.sha, force: true });
    expect(forced.data.object.sha).toBe(sibling.data.sha);
    expect(repo.git.refs.get('refs/heads/main')).toBe(sibling.data.sha);
  });

  it('lists trees recursively and builds a new tree on a base tree', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'README.md': '# app\n', 'tickets/1.json': '{}\n', 'tickets/done/2.json': '{}\n' });

    const flat = await app.rest.git.getTree({ owner, repo: repoName, tree_sha: 'main' });
    expect(flat.data.tree.map((e) => `${e.type} ${e.path}`)).toEqual(['blob README.md', 'tree tickets']);
    const deep = await app.rest.git.getTree({ owner, repo: repoName, tree_sha: 'main', recursive: '1' });
    expect(deep.data.tree.map((e) => `${e.type} ${e.path}`)).toEqual([
      'blob README.md',
      'tree tickets',
      'blob tickets/1.json',
      'tree tickets/done',
      'blob tickets/done/2.json',
    ]);
    expect(deep.data.truncated).toBe(false);

    const built = await app.rest.git.createTree({
      owner,
      repo: repoName,
      base_tree: flat.data.sha,
      tree: [
        { path: 'tickets/done/2.json', mode: '100644', type: 'blob', sha: null },
        { path: 'tickets/new/3.json', mode: '100644', type: 'blob', content: '{"n": 3}\n' },
      ],
    });
    const rebuilt = await app.rest.git.getTree({ owner, repo: repoName, tree_sha: built.data.sha, recursive: '1' });
    expect(rebuilt.data.tree.filter((e) => e.type === 'blob').map((e) => e.path)).toEqual(['README.md', 'tickets/1.json', 'tickets/new/3.json']);

    const alone = await app.rest.git.createTree({ owner, repo: repoName, tree: [{ path: 'only.txt', mode: '100644', type: 'blob', content: 'x' }] });
    expect(alone.data.tree.map((e) => e.path)).toEqual(['only.txt']);
    const missing = app.rest.git.createTree({ owner, repo: repoName, base_tree: flat.data.sha, tree: [{ path: 'nope.txt', mode: '100644', type: 'blob', sha: null }] });
    await expect(missing).rejects.toMatchObject({ status: 422 });
  });

  it('finds a ref by its exact name and refs by prefix, and refuses to create one twice', async () => {
    const { github, repo, app } = await useEmulator();
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    await app.rest.git.createRef({ owner, repo: repoName, ref: 'refs/heads/feature-a', sha: base.sha });
    await app.rest.git.createRef({ owner, repo: repoName, ref: 'refs/heads/feature-b', sha: base.sha });

    const matching = await app.rest.git.listMatchingRefs({ owner, repo: repoName, ref: 'heads/feature' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/feature-a', 'refs/heads/feature-b']);
    await expect(app.rest.git.getRef({ owner, repo: repoName, ref: 'heads/feature' })).rejects.toMatchObject({ status: 404 });
    const again = app.rest.git.createRef({ owner, repo: repoName, ref: 'refs/heads/feature-a', sha: base.sha });
    await expect(again).rejects.toMatchObject({ status: 422, response: { data: { message: 'Reference already exists' } } });

    await app.rest.git.deleteRef({ owner, repo: repoName, ref: 'heads/feature-a' });
    const left = await app.rest.git.listMatchingRefs({ owner, repo: repoName, ref: 'heads/' });
    expect(left.data.map((r) => r.ref)).toEqual(['refs/heads/feature-b', 'refs/heads/main']);
    await expect(app.rest.git.deleteRef({ owner, repo: repoName, ref: 'heads/feature-a' })).rejects.toMatchObject({ status: 422 });
  });

  it('lists the history of a path, newest first', async () => {
    const { github, repo, app } = await useEmulator();
    const first = seedFiles(github, repo, { 'tickets/1.json': '1\n', 'README.md': 'r\n' });
    seedFiles(github, repo, { 'README.md': 'r2\n' });
    const third = seedFiles(github, repo, { 'tickets/1.json': '2\n' });
    const history = await app.rest.repos.listCommits({ owner, repo: repoName, path: 'tickets' });
    expect(history.data.map((c) => c.sha)).toEqual([third.sha, first.sha]);
    const all = await app.rest.repos.listCommits({ owner, repo: repoName, per_page: 2 });
    expect(all.data).toHaveLength(2);
    expect(all.headers.link).toContain('rel="next"');
  });

  it('refuses git data in an empty repository until the contents API makes the first commit', async () => {
    const { app } = await useEmulator();
    await expect(app.rest.git.createBlob({ owner, repo: repoName, content: 'x' })).rejects.toMatchObject({
      status: 409,
      response: { data: { message: 'Git Repository is empty.' } },
    });
    await app.rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'README.md', message: 'init', content: b64('# app\n') });
    const blob = await app.rest.git.createBlob({ owner, repo: repoName, content: b64('x'), encoding: 'base64' });
    expect(blob.status).toBe(201);
  });

  it('hashes blobs and trees exactly as git does', async () => {
    const { github, repo, app } = await useEmulator();
    // Expected ids computed with git 2.39 outside the emulator:
    //   printf 'héllo wörld ✓\n' | git hash-object --stdin
    //   printf 'a\n' | git hash-object --stdin   (and 'b\n')
    //   tree bytes written with printf (`100644 dir.txt\0<sha>40000 dir\0<sha>`) | git hash-object -t tree --stdin
    seedFiles(github, repo, { 'dir.txt': 'a\n', 'dir/b.txt': 'b\n' });
    const blob = await app.rest.git.createBlob({ owner, repo: repoName, content: 'héllo wörld ✓\n', encoding: 'utf-8' });
    expect(blob.data.sha).toBe('2b03fb79bec73ce6b02bf976ef7c9f9ff36ec1ff');
    const fetched = await app.rest.git.getBlob({ owner, repo: repoName, file_sha: blob.data.sha });
    expect(unb64(fetched.data.content)).toBe('héllo wörld ✓\n');

    const tree = await app.rest.git.getTree({ owner, repo: repoName, tree_sha: 'main', recursive: 'true' });
    expect(tree.data.sha).toBe('d34fe16e1485c4bd393ea66c3775ffb221584345');
    expect(tree.data.tree.map((e) => `${e.path} ${e.sha}`)).toEqual([
      'dir.txt 78981922613b2afb6025042ff6bd878ac1994e85',
      'dir f8f7aefc2900a3d737cea9eee45729fd55761e1a',
      'dir/b.txt 61780798228d17af2d34fce4cfbdf35556832472',
    ]);
  });
});

describe('branches, commits and comparisons', () => {
  it('compares two branches with their commits and changed files', async () => {
    const { github, repo, app, person } = await useEmulator();
    seedFiles(github, repo, { 'keep.txt': 'k\n', 'edit.txt': 'v1\n', 'drop.txt': 'd\n' });
    const octocat = github.world.user('octocat');
    const one = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'edit.txt': 'v2\n', 'new.txt': 'n\n' }, message: 'One' });
    const two = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'drop.txt': null }, message: 'Two' });

    const ahead = await app.rest.repos.compareCommitsWithBasehead({ owner, repo: repoName, basehead: 'main...feature' });
    expect(ahead.data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(ahead.data.commits.map((c) => c.sha)).toEqual([one.sha, two.sha]);
    expect(ahead.data.commits[0]!.author?.login).toBe('octocat');
    expect(ahead.data.files!.map((f) => `${f.status} ${f.filename}`)).toEqual(['removed drop.txt', 'modified edit.txt', 'added new.txt']);

    commitFiles(github, repo, octocat, { branch: 'main', files: { 'keep.txt': 'k2\n' }, message: 'Main moves' });
    const diverged = await person().rest.repos.compareCommits({ owner, repo: repoName, base: 'main', head: 'feature' });
    expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1 });
    expect(diverged.data.files!.map((f) => f.filename)).toEqual(['drop.txt', 'edit.txt', 'new.txt']);
  });

  it('lists branches and shows a branch and a commit with its files', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const feature = commitFiles(github, repo, github.world.user('octocat'), { branch: 'feature/x', files: { 'b.txt': 'b\nb\n' }, message: 'Add b' });

    const list = await app.rest.repos.listBranches({ owner, repo: repoName });
    expect(list.data.map((b) => `${b.name} ${b.commit.sha}`)).toEqual([`feature/x ${feature.sha}`, `main ${repo.git.refs.get('refs/heads/main')}`]);
    const branch = await app.rest.repos.getBranch({ owner, repo: repoName, branch: 'feature/x' });
    expect(branch.data.commit.sha).toBe(feature.sha);

    const commit = await app.rest.repos.getCommit({ owner, repo: repoName, ref: 'feature/x' });
    expect(commit.data.files!.map((f) => `${f.status} ${f.filename} +${f.additions}`)).toEqual(['added b.txt +2']);
    expect(commit.data.commit.message).toBe('Add b');
    await expect(app.rest.repos.getCommit({ owner, repo: repoName, ref: 'nope' })).rejects.toMatchObject({ status: 422 });
  });
});

describe('push webhooks', () => {
  it('sends push for every ref the API or a person moves, with the mover as sender and pusher', async () => {
    const { github, repo, app, person } = await useEmulator();
    const receiver = await webhookReceiver('s3cret');
    github.webhooks.target = { url: receiver.url, secret: 's3cret' };
    try {
      seedFiles(github, repo, { 'tickets/1.json': '{"v": 1}\n', 'tickets/2.json': '{}\n' });
      const main = repo.git.refs.get('refs/heads/main')!;
      const file = asFile((await app.rest.repos.getContent({ owner, repo: repoName, path: 'tickets/1.json' })).data);

      const put = await app.rest.repos.createOrUpdateFileContents({ owner, repo: repoName, path: 'tickets/1.json', message: 'v2', content: b64('{"v": 2}\n'), sha: file.sha });
      await person().rest.git.createRef({ owner, repo: repoName, ref: 'refs/heads/copy', sha: put.data.commit.sha! });
      const octocat = github.world.user('octocat');
      const feature = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'tickets/3.json': '{}\n', 'tickets/2.json': null }, message: 'Three' });
      moveBranch(github, repo, octocat, 'feature', put.data.commit.sha!, { force: true });
      await person().rest.git.deleteRef({ owner, repo: repoName, ref: 'heads/copy' });
      await github.settle();

      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
      // Other events (a check suite requested for each pushed commit) may follow pushes; these are the pushes.
      const pushes = receiver.received.filter((r) => r.event === 'push').map((r) => r.payload);
      expect(pushes).toHaveLength(5);
      const [edit, created, branched, forced, deleted] = pushes;

      expect(edit).toMatchObject({
        ref: 'refs/heads/main',
        before: main,
        after: put.data.commit.sha,
        created: false,
        deleted: false,
        forced: false,
        pusher: { name: 'ticket-sync[bot]' },
        sender: { login: 'ticket-sync[bot]', type: 'Bot' },
        head_commit: { id: put.data.commit.sha, modified: ['tickets/1.json'], added: [], removed: [] },
      });
      expect(edit.commits.map((c: { id: string; distinct: boolean }) => [c.id, c.distinct])).toEqual([[put.data.commit.sha, true]]);
      expect(edit.repository).toMatchObject({ full_name: 'acme/app', created_at: expect.any(Number), pushed_at: expect.any(Number) });

      expect(created).toMatchObject({ ref: 'refs/heads/copy', before: ZERO_SHA, after: put.data.commit.sha, created: true, commits: [], sender: { login: 'octocat' } });
      expect(created.head_commit).toMatchObject({ id: put.data.commit.sha, distinct: false });

      expect(branched).toMatchObject({ ref: 'refs/heads/feature', before: ZERO_SHA, created: true, pusher: { name: 'octocat' }, sender: { login: 'octocat' } });
      expect(branched.commits).toEqual([
        expect.objectContaining({ id: feature.sha, message: 'Three', added: ['tickets/3.json'], removed: ['tickets/2.json'], modified: [], author: expect.objectContaining({ username: 'octocat' }) }),
      ]);

      expect(forced).toMatchObject({ ref: 'refs/heads/feature', before: feature.sha, after: put.data.commit.sha, forced: true, commits: [] });
      expect(deleted).toMatchObject({ ref: 'refs/heads/copy', after: ZERO_SHA, deleted: true, commits: [], head_commit: null });
    } finally {
      await receiver.close();
    }
  });

  it('seeds files without a webhook', async () => {
    const { github, repo } = await useEmulator();
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    expect(github.webhooks.deliveries).toHaveLength(0);
    const commit = commitFiles(github, repo, github.world.user('octocat'), { branch: 'main', files: { 'a.txt': 'b\n' }, message: 'b' });
    const pushes = github.webhooks.deliveries.filter((d) => d.event === 'push');
    expect(pushes.map((d) => d.payload.after)).toEqual([commit.sha]);
  });
});
