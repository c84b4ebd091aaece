/**
 * The files of one repository through GitHub's git data API, for the App:
 * read a branch's ticket files, and write ticket changes back as one commit
 * per batch that only ever fast-forwards the branch.
 *
 * - Reads are content-addressed (a tree or blob sha never changes what it
 *   names), so they need no conditional requests: one recursive tree read,
 *   then one blob read per file. For the same reason one adapter reads each
 *   tree once, however often it is asked (`listPaths` then `readFolder` of
 *   the same sha cost one request), and blobs are kept by sha in the
 *   optional blob cache across runs.
 * - A write is one tree (the files inline) on the parent's tree → a commit with that one
 *   parent → `PATCH /git/refs` with `force: false`. When someone pushed in
 *   between, GitHub answers 422 "Update is not a fast forward" and nothing
 *   moved: {@link RepoFiles.commit} reports the conflict and
 *   {@link RepoFiles.commitWithRetry} re-reads, asks for the changes again
 *   against the new head, and retries a bounded number of times.
 *
 * Works with any Octokit that has `request` (`createOctokit`'s, Probot's).
 */
import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { byCodeUnits } from '../sync/view.js';
import type { ResponseCache } from './issues.js';
import type { RepoRef } from './types.js';

export type RepoFilesOctokit = Pick<Octokit, 'request'>;

export interface BranchHead {
  /** The commit the branch points at. */
  sha: string;
  /** That commit's root tree. */
  tree: string;
}

/** A whole-file change: the new text (written as UTF-8), or `null` to delete the file. */
export interface FileChange {
  path: string;
  text: string | null;
}

export interface CommitInput {
  branch: string;
  /** The commit the changes were made against; the new commit's only parent. */
  parent: string;
  /** The parent's tree, when the caller has it (saves reading the parent commit). */
  parentTree?: string;
  /** A deleted path must exist in the parent (GitHub refuses to delete an absent path with 422). */
  changes: readonly FileChange[];
  message: string;
  /** The commit's author (and committer); GitHub's default is the token's account. */
  author?: { name: string; email: string };
}

export type CommitResult = { sha: string } | { conflict: true };

/** What {@link RepoFiles.commitWithRetry} asks of each attempt: changes against `head`, or nothing to do. */
export type CommitAttempt = (head: BranchHead) => Promise<{ changes: readonly FileChange[]; message: string; author?: CommitInput['author'] } | undefined>;

export interface CommitWithRetryOptions {
  /** Attempts before giving up; default 5. */
  maxAttempts?: number;
  /** The first attempt's head, when the caller knows it (a push payload's `after` and `head_commit.tree_id`): no ref or commit is read for it. */
  head?: BranchHead;
}

export interface CommitWithRetryResult {
  /** The branch's head afterwards: the new commit, or the head read when there was nothing to commit. */
  sha: string;
  /** Whether a commit was made. */
  committed: boolean;
  /** How many attempts it took (1 when nobody pushed in between). */
  attempts: number;
}

export interface RepoFiles {
  readonly repo: RepoRef;
  head(branch: string): Promise<BranchHead>;
  /** The path of every file of a commit or tree, sorted; no contents are read (symbolic links and submodules left out). */
  listPaths(commitOrTreeSha: string): Promise<string[]>;
  /**
   * Every file below `folder` (`''` for the whole tree) of a commit or tree,
   * by path relative to `folder`, `/`-separated. Symbolic links and
   * submodules are left out (links are not followed, as in the local store).
   */
  readFolder(commitOrTreeSha: string, folder: string): Promise<Map<string, Buffer>>;
  /** The named files of a commit (paths from the repository root); `null` for a path that is not a file there. */
  readFiles(commitSha: string, paths: readonly string[]): Promise<Map<string, Buffer | null>>;
  /**
   * One commit of `changes` on `parent`, and the branch fast-forwarded to it.
   * `{ conflict: true }` when the branch is no longer at `parent` (nothing
   * was moved). No changes, or changes that leave the tree as it was, make
   * no commit: the parent is returned.
   */
  commit(input: CommitInput): Promise<CommitResult>;
  /**
   * Read the head, ask `attempt` for the changes against it, commit; on a
   * conflict, do it all again with the new head, at most `maxAttempts` times
   * (default 5), then throw a {@link CommitConflictError}. With `head`, the
   * first attempt takes it as the branch's head and reads nothing (a push's
   * `after` and its tree); a retry reads the head as always.
   */
  commitWithRetry(branch: string, attempt: CommitAttempt, options?: CommitWithRetryOptions): Promise<CommitWithRetryResult>;
}

/** The branch moved under every attempt to commit to it. */
export class CommitConflictError extends Error {
  override readonly name = 'CommitConflictError';

  constructor(
    readonly repo: RepoRef,
    readonly branch: string,
    readonly attempts: number,
  ) {
    super(
      `${repo.owner}/${repo.name}: branch ${branch} moved while committing, ${attempts} time${attempts === 1 ? '' : 's'} in a row; gave up (the changes were not committed)`,
    );
  }
}

/** What is read of a tree entry. */
interface TreeEntryJson {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string | null;
}

/** Blob reads in flight at once. */
const READ_CONCURRENCY = 8;

const REGULAR_FILE_MODES = new Set(['100644', '100755']);

const blobKey = (sha: string) => `git:v1:blob:${sha}`;

/** Where blob contents are kept between runs (the state store): a blob's content never changes, so its sha is its key. */
export type BlobCache = Pick<ResponseCache, 'getCached' | 'setCached'>;

export function repoFiles(octokit: RepoFilesOctokit, repo: RepoRef, blobCache?: BlobCache): RepoFiles {
  const at = { owner: repo.owner, repo: repo.name };

  /** Tree listings read so far, by sha and depth: a sha always names the same tree, so each is read once. */
  const trees = new Map<string, Promise<{ entries: TreeEntryJson[]; truncated: boolean }>>();

  /** One tree listing: its blobs and subtrees by path, and whether GitHub cut it short. */
  function getTree(sha: string, recursive: boolean): Promise<{ entries: TreeEntryJson[]; truncated: boolean }> {
    const key = `${sha}${recursive ? ':recursive' : ''}`;
    let listing = trees.get(key);
    if (!listing) {
      listing = octokit
        .request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { ...at, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) })
        .then(({ data }) => ({ entries: data.tree, truncated: data.truncated }));
      // A failed read is not remembered: the next call asks again.
      listing.catch(() => trees.delete(key));
      trees.set(key, listing);
    }
    return listing;
  }

  const isFile = (entry: TreeEntryJson) => entry.type === 'blob' && REGULAR_FILE_MODES.has(entry.mode ?? '') && !!entry.sha && !!entry.path;

  /**
   * The regular files below a tree, by path under it (with `prefix`): one
   * recursive read, or, when GitHub truncated it, one plain read of this
   * tree and the same for each subtree (GitHub's advice for large trees).
   */
  async function filesBelow(treeSha: string, prefix = '', knownTruncated = false): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    const deep = knownTruncated ? undefined : await getTree(treeSha, true);
    if (deep && !deep.truncated) {
      for (const entry of deep.entries) if (isFile(entry)) files.set(prefix + entry.path, entry.sha!);
      return files;
    }
    const { entries } = await getTree(treeSha, false);
    for (const entry of entries) {
      if (isFile(entry)) files.set(prefix + entry.path, entry.sha!);
      else if (entry.type === 'tree' && entry.sha && entry.path) {
        for (const [path, sha] of await filesBelow(entry.sha, `${prefix}${entry.path}/`)) files.set(path, sha);
      }
    }
    return files;
  }

  /** The tree at `folder` below a root tree (walked one level at a time), or undefined. */
  async function subtree(rootSha: string, folder: string): Promise<string | undefined> {
    let sha = rootSha;
    for (const part of splitPath(folder)) {
      const { entries } = await getTree(sha, false);
      const next = entries.find((e) => e.path === part && e.type === 'tree');
      if (!next?.sha) return undefined;
      sha = next.sha;
    }
    return sha;
  }

  async function readBlob(sha: string): Promise<Buffer> {
    const key = blobKey(sha);
    const cached = await blobCache?.getCached<string>(key);
    if (cached) return Buffer.from(cached.data, 'base64');
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { ...at, file_sha: sha });
    const content = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
    await blobCache?.setCached(key, { etag: sha, data: content.toString('base64') });
    return content;
  }

  /** The blobs of `shas`, each read once however many paths share it. */
  async function readBlobs(shas: Iterable<string>): Promise<Map<string, Buffer>> {
    const unique = [...new Set(shas)];
    const contents = new Map<string, Buffer>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const sha = unique[next++]!;
        contents.set(sha, await readBlob(sha));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, unique.length) }, worker));
    return contents;
  }

  async function treeOf(commitSha: string): Promise<string> {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...at, commit_sha: commitSha });
    return data.tree.sha;
  }

  const files: RepoFiles = {
    repo,

    async head(branch) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...at, ref: `heads/${branch}` });
      return { sha: data.object.sha, tree: await treeOf(data.object.sha) };
    },

    async listPaths(commitOrTreeSha) {
      return [...(await filesBelow(commitOrTreeSha)).keys()].sort(byCodeUnits);
    },

    async readFolder(commitOrTreeSha, folder) {
      const dir = splitPath(folder).join('/');
      const under = dir === '' ? '' : `${dir}/`;
      let shas = new Map<string, string>();
      const deep = await getTree(commitOrTreeSha, true);
      if (!deep.truncated) {
        for (const entry of deep.entries) {
          if (isFile(entry) && entry.path!.startsWith(under)) shas.set(entry.path!.slice(under.length), entry.sha!);
        }
      } else {
        const folderTree = await subtree(commitOrTreeSha, dir);
        if (folderTree !== undefined) shas = await filesBelow(folderTree, '', dir === '');
      }
      const contents = await readBlobs(shas.values());
      return new Map([...shas].sort(([a], [b]) => byCodeUnits(a, b)).map(([path, sha]) => [path, contents.get(sha)!]));
    },

    async readFiles(commitSha, paths) {
      if (paths.length === 0) return new Map();
      const wanted = paths.map((path) => ({ path, clean: splitPath(path).join('/') }));
      const shas = new Map<string, string>();
      const deep = await getTree(commitSha, true);
      if (!deep.truncated) {
        for (const entry of deep.entries) if (isFile(entry)) shas.set(entry.path!, entry.sha!);
      } else {
        // Only the folders of the wanted files, each listed once.
        const folders = new Map<string, Promise<TreeEntryJson[] | undefined>>();
        const listing = (dir: string) => {
          let found = folders.get(dir);
          if (!found) {
            found = subtree(commitSha, dir).then(async (sha) => (sha === undefined ? undefined : (await getTree(sha, false)).entries));
            folders.set(dir, found);
          }
          return found;
        };
        for (const { clean } of wanted) {
          const slash = clean.lastIndexOf('/');
          const entry = (await listing(clean.slice(0, Math.max(slash, 0))))?.find((e) => e.path === clean.slice(slash + 1));
          if (entry && isFile(entry)) shas.set(clean, entry.sha!);
        }
      }
      const contents = await readBlobs(wanted.flatMap(({ clean }) => (shas.has(clean) ? [shas.get(clean)!] : [])));
      return new Map(wanted.map(({ path, clean }) => [path, shas.has(clean) ? contents.get(shas.get(clean)!)! : null]));
    },

    async commit(input) {
      if (input.changes.length === 0) return { sha: input.parent };
      const baseTree = input.parentTree ?? (await treeOf(input.parent));

      // The last change of a path wins. The files go inline in one tree request (`content`), not a blob
      // request each: a first sync linking 1,000 tickets is one commit of 3 writes, well inside GitHub's
      // 80 content writes a minute, where 1,000 blob writes could never fit in one attempt.
      const byPath = new Map(input.changes.map((change) => [splitPath(change.path).join('/'), change.text]));
      const entries: ({ path: string; mode: '100644'; type: 'blob' } & ({ sha: null } | { content: string }))[] = [];
      for (const [path, text] of byPath) {
        if (text === null) {
          entries.push({ path, mode: '100644', type: 'blob', sha: null });
          continue;
        }
        entries.push({ path, mode: '100644', type: 'blob', content: text });
        // What we wrote we need not read again: a blob's sha is git's hash of its bytes.
        const bytes = Buffer.from(text, 'utf8');
        const sha = gitBlobSha(bytes);
        await blobCache?.setCached(blobKey(sha), { etag: sha, data: bytes.toString('base64') });
      }
      // `sha: null` deletes a path; Octokit's types for the tree entry do not allow null, GitHub's description does.
      const { data: tree } = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
        ...at,
        base_tree: baseTree,
        tree: entries as unknown as { path: string; mode: '100644'; type: 'blob'; sha?: string; content?: string }[],
      });
      if (tree.sha === baseTree) return { sha: input.parent };

      const { data: commit } = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
        ...at,
        message: input.message,
        tree: tree.sha,
        parents: [input.parent],
        ...(input.author ? { author: input.author } : {}),
      });
      try {
        // Not re-sent as it is: a refused update (422, not a fast forward) or a 409 (the ref was being
        // changed) is a lost race, redone by `commitWithRetry` on the branch's new head.
        await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...at, ref: `heads/${input.branch}`, sha: commit.sha, force: false, request: { retries: 0 } });
      } catch (error) {
        const status = (error as { status?: number }).status ?? 0;
        if (isNotFastForward(error) || status === 409) return { conflict: true };
        // An answer lost (5xx, a time-out) after GitHub may have moved the ref: the branch says whether it did.
        if (status >= 500) {
          const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...at, ref: `heads/${input.branch}` });
          return data.object.sha === commit.sha ? { sha: commit.sha } : { conflict: true };
        }
        throw error;
      }
      return { sha: commit.sha };
    },

    async commitWithRetry(branch, attempt, options = {}) {
      const maxAttempts = options.maxAttempts ?? 5;
      for (let attempts = 1; attempts <= maxAttempts; attempts++) {
        const head = attempts === 1 && options.head ? options.head : await files.head(branch);
        const planned = await attempt(head);
        if (!planned || planned.changes.length === 0) return { sha: head.sha, committed: false, attempts };
        const result = await files.commit({ branch, parent: head.sha, parentTree: head.tree, ...planned });
        if ('sha' in result) return { sha: result.sha, committed: result.sha !== head.sha, attempts };
      }
      throw new CommitConflictError(repo, branch, maxAttempts);
    },
  };
  return files;
}

/** The sha git names a blob of these bytes by (`git hash-object`). */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A repository path's parts, without empty ones (leading, trailing or doubled slashes). */
function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/** GitHub's answer to a ref update that would not fast-forward. */
function isNotFastForward(error: unknown): boolean {
  const { status, response } = (error ?? {}) as { status?: number; response?: { data?: { message?: unknown } } };
  return status === 422 && /not a fast.forward/i.test(String(response?.data?.message ?? ''));
}
