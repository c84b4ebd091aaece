/**
 * Git state changes, shared by the routes and the people-driver: commits of
 * whole files, ref moves with GitHub's fast-forward rule, and the `push`
 * webhook every ref change sends (as GitHub sends it for pushes made through
 * the API too, which is how echo loops start).
 *
 * Also the read helpers the routes need: resolving refs, walking trees,
 * flattening and rebuilding them with modes kept, history walks and diffs.
 */
import type { Emulator } from '../emulator.js';
import { HttpError } from '../http.js';
import type { Commit, Repo, Signature, TreeEntry, User } from '../state.js';
import { pushCommitJson } from './shapes.js';

/** The sha GitHub shows for "no commit": `before` of a created ref, `after` of a deleted one. */
export const ZERO_SHA = '0'.repeat(40);

/** What a path of a tree holds, without its name. */
export type FileEntry = Pick<TreeEntry, 'mode' | 'type' | 'sha'>;

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'modified';
  before?: FileEntry;
  after?: FileEntry;
}

// ---- identities ----

/** GitHub's no-reply address for an account (`<id>+<login>@users.noreply.github.com`), bots included. */
export function noreplyEmail(user: User): string {
  return `${user.id}+${user.login}@users.noreply.github.com`;
}

/** The account a git author email belongs to, when it is one of GitHub's no-reply addresses. */
export function userForEmail(emu: Emulator, email: string | undefined): User | undefined {
  const match = /^(\d+)\+(.+)@users\.noreply\.github\.com$/i.exec(email ?? '');
  if (!match) return undefined;
  const user = emu.world.users.get(match[2]!.toLowerCase());
  return user && user.id === Number(match[1]) ? user : undefined;
}

/** A git signature for an account, now. */
export function signatureOf(emu: Emulator, user: User, date?: string): Signature {
  return { name: user.login, email: noreplyEmail(user), date: date ?? emu.clock.iso() };
}

/** GitHub's timestamp format for any date string: ISO 8601 in UTC without milliseconds. */
export function isoSeconds(date: string): string {
  return new Date(Date.parse(date)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- reading refs and trees ----

export function branchHead(repo: Repo, branch: string): string | undefined {
  return repo.git.refs.get(`refs/heads/${branch}`);
}

/** The commit a name stands for: `HEAD`, a branch, a tag, a full ref, or a (possibly abbreviated) commit sha. */
export function resolveCommit(emu: Emulator, repo: Repo, name: string): string | undefined {
  const refs = repo.git.refs;
  if (name === 'HEAD') return refs.get(`refs/heads/${repo.defaultBranch}`);
  const byRef = name.startsWith('refs/') ? refs.get(name) : (refs.get(`refs/heads/${name}`) ?? refs.get(`refs/tags/${name}`));
  if (byRef) return byRef;
  if (!/^[0-9a-f]{4,40}$/i.test(name)) return undefined;
  const prefix = name.toLowerCase();
  if (emu.world.commit(repo, prefix)) return prefix;
  const found = [...repo.git.objects.entries()].filter(([sha, o]) => o.type === 'commit' && sha.startsWith(prefix));
  return found.length === 1 ? found[0]![0] : undefined;
}

/** The tree a name stands for: a tree sha, or anything `resolveCommit` resolves. */
export function resolveTree(emu: Emulator, repo: Repo, name: string): string | undefined {
  if (emu.world.tree(repo, name)) return name;
  const commit = resolveCommit(emu, repo, name);
  return commit ? emu.world.commit(repo, commit)!.tree : undefined;
}

/** The entry at `path` in a tree (`''` is the tree itself), or undefined. */
export function entryAt(emu: Emulator, repo: Repo, treeSha: string, path: string): FileEntry | undefined {
  let current: FileEntry = { mode: '040000', type: 'tree', sha: treeSha };
  for (const part of path.split('/').filter(Boolean)) {
    if (current.type !== 'tree') return undefined;
    const next = emu.world.tree(repo, current.sha)?.find((e) => e.path === part);
    if (!next) return undefined;
    current = next;
  }
  return current;
}

/** Every non-tree entry of a tree by full path, modes kept (`World.files` keeps blobs only). */
export function flatten(emu: Emulator, repo: Repo, treeSha: string | undefined, prefix = ''): Map<string, FileEntry> {
  const result = new Map<string, FileEntry>();
  if (treeSha === undefined) return result;
  for (const entry of emu.world.tree(repo, treeSha) ?? []) {
    const path = prefix + entry.path;
    if (entry.type === 'tree') for (const [p, e] of flatten(emu, repo, entry.sha, `${path}/`)) result.set(p, e);
    else result.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
  }
  return result;
}

/** Store the nested trees for a flat path → entry map; returns the root tree sha. */
export function buildTree(emu: Emulator, repo: Repo, files: ReadonlyMap<string, FileEntry>): string {
  const entries: TreeEntry[] = [];
  const dirs = new Map<string, Map<string, FileEntry>>();
  for (const [path, entry] of files) {
    const slash = path.indexOf('/');
    if (slash < 0) {
      entries.push({ path, ...entry });
      continue;
    }
    const dir = path.slice(0, slash);
    if (!dirs.has(dir)) dirs.set(dir, new Map());
    dirs.get(dir)!.set(path.slice(slash + 1), entry);
  }
  for (const [dir, inner] of dirs) entries.push({ path: dir, mode: '040000', type: 'tree', sha: buildTree(emu, repo, inner) });
  return emu.world.putTree(repo, entries);
}

/** Added, removed and modified paths between two flat trees, by path. */
export function diffFiles(before: ReadonlyMap<string, FileEntry>, after: ReadonlyMap<string, FileEntry>): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) changes.push({ path, status: 'added', after: entry });
    else if (old.sha !== entry.sha || old.mode !== entry.mode) changes.push({ path, status: 'modified', before: old, after: entry });
  }
  for (const [path, entry] of before) if (!after.has(path)) changes.push({ path, status: 'removed', before: entry });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What a commit changed against its first parent (everything is added in a root commit). */
export function commitChanges(emu: Emulator, repo: Repo, commit: Commit): FileChange[] {
  const parent = commit.parents[0] === undefined ? undefined : emu.world.commit(repo, commit.parents[0]);
  return diffFiles(flatten(emu, repo, parent?.tree), flatten(emu, repo, commit.tree));
}

// ---- history ----

/** Every commit reachable from `tips`, the tips included. */
export function reachable(emu: Emulator, repo: Repo, tips: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...tips];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    const commit = emu.world.commit(repo, sha);
    if (!commit) continue;
    seen.add(sha);
    stack.push(...commit.parents);
  }
  return seen;
}

/** Commits reachable from `head` and not from any of `exclude`, parents before children (oldest first). */
export function commitsBetween(emu: Emulator, repo: Repo, exclude: readonly string[], head: string): Commit[] {
  const excluded = reachable(emu, repo, exclude);
  const ordered: Commit[] = [];
  const done = new Set<string>();
  const stack: { sha: string; expanded: boolean }[] = [{ sha: head, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (done.has(top.sha) || excluded.has(top.sha)) continue;
    const commit = emu.world.commit(repo, top.sha);
    if (!commit) continue;
    if (top.expanded) {
      done.add(top.sha);
      ordered.push(commit);
      continue;
    }
    stack.push({ sha: top.sha, expanded: true });
    for (const parent of [...commit.parents].reverse()) if (!done.has(parent)) stack.push({ sha: parent, expanded: false });
  }
  return ordered;
}

/** The best common ancestor of two commits (the nearest to `b` by breadth-first walk), or undefined. */
export function mergeBase(emu: Emulator, repo: Repo, a: string, b: string): string | undefined {
  const fromA = reachable(emu, repo, [a]);
  const queue = [b];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    if (fromA.has(sha)) return sha;
    queue.push(...(emu.world.commit(repo, sha)?.parents ?? []));
  }
  return undefined;
}

// ---- writing ----

/** Store a commit after checking that its tree and parents exist (GitHub's 422s for `POST /git/commits`). */
export function createCommit(emu: Emulator, repo: Repo, commit: Omit<Commit, 'sha'>): Commit {
  if (!emu.world.tree(repo, commit.tree)) throw new HttpError(422, 'Tree SHA does not exist');
  for (const parent of commit.parents) {
    if (!emu.world.commit(repo, parent)) throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
  }
  return emu.world.putCommit(repo, commit);
}

/**
 * Point a ref (`refs/heads/…`, `refs/tags/…`) at a commit, or delete it
 * (`sha: null`), and emit `push` as GitHub does for every ref change.
 * Branches move only forward unless `force` (GitHub's 422 "Update is not a
 * fast forward"). Setting a ref to where it already is changes nothing and
 * sends nothing.
 */
export function updateRef(emu: Emulator, repo: Repo, sender: User, ref: string, sha: string | null, options: { force?: boolean } = {}): void {
  const before = repo.git.refs.get(ref);
  if (sha === null) {
    if (before === undefined) throw new HttpError(422, 'Reference does not exist');
    repo.git.refs.delete(ref);
  } else {
    if (!emu.world.commit(repo, sha)) throw new HttpError(422, 'Object does not exist');
    if (before === sha) return;
    if (before !== undefined && !options.force && !emu.world.isAncestor(repo, before, sha)) {
      throw new HttpError(422, 'Update is not a fast forward');
    }
    repo.git.refs.set(ref, sha);
  }
  repo.pushed_at = emu.clock.iso();
  emitPush(emu, repo, sender, ref, before ?? ZERO_SHA, sha ?? ZERO_SHA);
}

/** Move (or create) `refs/heads/<branch>` and emit `push`. Throws GitHub's 422 on a non-fast-forward without `force`. */
export function moveBranch(emu: Emulator, repo: Repo, sender: User, branch: string, sha: string, options: { force?: boolean } = {}): void {
  updateRef(emu, repo, sender, `refs/heads/${branch}`, sha, options);
}

/** Apply whole-file changes (`null` deletes) to a tree; returns the new root tree sha. */
export function changeTree(emu: Emulator, repo: Repo, baseTree: string | undefined, files: Record<string, string | Buffer | null>): string {
  const flat = flatten(emu, repo, baseTree);
  for (const [rawPath, content] of Object.entries(files)) {
    const path = rawPath.replace(/^\/+|\/+$/g, '');
    if (content === null) {
      flat.delete(path);
      continue;
    }
    const sha = emu.world.putBlob(repo, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    const old = flat.get(path);
    flat.set(path, { mode: old?.type === 'blob' ? old.mode : '100644', type: 'blob', sha });
    // A file replaces a directory of the same name, and a directory a file, as in git.
    for (const other of [...flat.keys()]) if (other.startsWith(`${path}/`)) flat.delete(other);
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) flat.delete(path.slice(0, i));
  }
  return buildTree(emu, repo, flat);
}

/**
 * Commit whole files to a branch as `sender` (author, committer, pusher and
 * webhook sender), move the branch and emit `push`. A missing branch starts
 * from `baseBranch` (default: the repository's default branch); in an empty
 * repository this is the first commit.
 */
export function commitFiles(
  emu: Emulator,
  repo: Repo,
  sender: User,
  input: { branch: string; files: Record<string, string | null>; message: string; baseBranch?: string },
): Commit {
  const commit = buildCommit(emu, repo, sender, input);
  moveBranch(emu, repo, sender, input.branch, commit.sha);
  return commit;
}

/** Seed a branch (default: the default branch) with files, with no webhook: for tests and the demo. */
export function seedFiles(emu: Emulator, repo: Repo, files: Record<string, string | null>, options: { branch?: string; message?: string } = {}): Commit {
  const branch = options.branch ?? repo.defaultBranch;
  const commit = buildCommit(emu, repo, repo.owner, { branch, files, message: options.message ?? 'Seed files' });
  repo.git.refs.set(`refs/heads/${branch}`, commit.sha);
  return commit;
}

function buildCommit(emu: Emulator, repo: Repo, sender: User, input: { branch: string; files: Record<string, string | null>; message: string; baseBranch?: string }): Commit {
  let parent = branchHead(repo, input.branch);
  if (parent === undefined) {
    const base = input.baseBranch ?? repo.defaultBranch;
    parent = branchHead(repo, base);
    if (parent === undefined && repo.git.refs.size > 0) throw new HttpError(404, `Branch ${base} not found`);
  }
  const tree = changeTree(emu, repo, parent === undefined ? undefined : emu.world.commit(repo, parent)!.tree, input.files);
  const who = signatureOf(emu, sender);
  return emu.world.putCommit(repo, { tree, parents: parent === undefined ? [] : [parent], message: input.message, author: who, committer: who });
}

// ---- the push webhook ----

/**
 * `push` for a ref change, as GitHub documents it: `commits` are the commits
 * in the compare between `before` and `after` (at most 2048), oldest first;
 * a created ref has `before` all zeros and, for a branch, lists the commits
 * not already on the default branch; a deleted ref has `after` all zeros, no
 * commits and `head_commit: null`; `forced` when `before` is not an
 * ancestor of `after`. `distinct` is false for a commit some other ref
 * already had. Sources: docs.github.com/webhooks/webhook-events-and-payloads#push
 * and the `commits`/`compare` descriptions in @octokit/openapi-webhooks.
 */
export function emitPush(emu: Emulator, repo: Repo, sender: User, ref: string, before: string, after: string): void {
  const created = before === ZERO_SHA;
  const deleted = after === ZERO_SHA;
  const isBranch = ref.startsWith('refs/heads/');
  const defaultRef = `refs/heads/${repo.defaultBranch}`;
  const defaultHead = repo.git.refs.get(defaultRef);
  const others = [...repo.git.refs].filter(([name]) => name !== ref).map(([, sha]) => sha);
  const known = reachable(emu, repo, others);
  const html = `${emu.urls.html}/${repo.fullName}`;
  const short = (sha: string) => sha.slice(0, 12);

  let commits: Commit[] = [];
  let compare = `${html}/compare/${short(before)}...${short(after)}`;
  if (!deleted && !created) commits = commitsBetween(emu, repo, [before], after);
  if (created) {
    const basedOnDefault = isBranch && ref !== defaultRef && defaultHead !== undefined;
    if (isBranch) commits = commitsBetween(emu, repo, basedOnDefault ? [defaultHead] : [], after);
    compare =
      basedOnDefault && emu.world.isAncestor(repo, defaultHead, after)
        ? `${html}/compare/${repo.defaultBranch}...${short(after)}`
        : `${html}/compare/${encodeURIComponent(ref.replace(/^refs\/(heads|tags)\//, ''))}`;
  }
  const json = (commit: Commit) => pushCommitJson(emu, repo, commit, !known.has(commit.sha), commitChanges(emu, repo, commit));
  const baseRef = isBranch || deleted ? null : ([...repo.git.refs].find(([name, sha]) => name.startsWith('refs/heads/') && sha === after)?.[0] ?? null);
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

  emu.emitRepoEvent(repo, 'push', sender, {
    ref,
    before,
    after,
    repository: {
      // Push payloads carry the repository's times as Unix seconds, and `stargazers`/`master_branch`.
      created_at: seconds(repo.created_at),
      pushed_at: seconds(repo.pushed_at),
      stargazers: 0,
      master_branch: repo.defaultBranch,
    },
    pusher: { name: sender.login, email: noreplyEmail(sender) },
    created,
    deleted,
    forced: !created && !deleted && !emu.world.isAncestor(repo, before, after),
    base_ref: baseRef,
    compare,
    commits: commits.slice(-2048).map(json),
    head_commit: deleted ? null : json(emu.world.commit(repo, after)!),
  });
}
