/**
 * Git data, repository contents, branches, commits and comparisons. Every
 * ref the API moves (contents `PUT`/`DELETE`, `POST`/`PATCH`/`DELETE
 * /git/refs`) sends `push` with the caller as sender, as GitHub does.
 *
 * Where the OpenAPI description leaves behaviour open, the comment at the
 * route says what settled it.
 */
import type { Emulator } from '../emulator.js';
import { HttpError, noContent, notFound, ok, paginate, validationFailed, type RequestContext } from '../http.js';
import type { Repo, Signature, TreeEntry } from '../state.js';
import {
  branchHead,
  buildTree,
  changeTree,
  commitChanges,
  commitsBetween,
  createCommit,
  diffFiles,
  entryAt,
  flatten,
  isoSeconds,
  mergeBase,
  moveBranch,
  resolveCommit,
  resolveTree,
  signatureOf,
  updateRef,
  type FileEntry,
} from './services.js';
import {
  blobJson,
  branchJson,
  commitJson,
  comparisonJson,
  contentEntryJson,
  contentFileJson,
  fileCommitJson,
  gitCommitJson,
  refJson,
  shortBranchJson,
  treeJson,
  urlPath,
} from './shapes.js';

/** A path parameter without leading or trailing slashes. */
const cleanPath = (path: string | undefined) => (path ?? '').replace(/^\/+|\/+$/g, '');

/** `heads/main` (as the routes take it) or `refs/heads/main` → `refs/heads/main`. */
const fullRef = (ref: string) => (ref.startsWith('refs/') ? ref : `refs/${ref}`);

/**
 * The git data API refuses empty repositories with 409 "Git Repository is
 * empty." (github/rest-api-description#637 for blobs and trees,
 * github/docs#31951 for `GET /git/trees`); the first commit has to come
 * through the contents API.
 */
function requireHistory(repo: Repo): void {
  if (repo.git.refs.size === 0) throw new HttpError(409, 'Git Repository is empty.');
}

/** git's tree order (a tree sorts as if its name ended in `/`), which is how GitHub lists entries. */
function sorted(entries: readonly TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => (e.type === 'tree' ? `${e.path}/` : e.path);
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function signatureFrom(input: { name: string; email: string; date?: string } | undefined, fallback: Signature): Signature {
  if (!input) return fallback;
  return { name: input.name, email: input.email, date: input.date ? isoSeconds(input.date) : fallback.date };
}

function decodeBase64(content: string): Buffer {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw new HttpError(422, 'content is not valid Base64');
  return Buffer.from(content, 'base64');
}

export function gitRoutes(emu: Emulator): void {
  const { world } = emu;
  const location = (reply: ReturnType<typeof ok>, url: string) => ({ ...reply, headers: { ...reply.headers, location: url } });

  // ---- contents ----

  emu.route('GET', '/repos/{owner}/{repo}/contents/{path}', (ctx) => {
    const repo = ctx.repo();
    if (repo.git.refs.size === 0) throw new HttpError(404, 'This repository is empty.');
    const ref = ctx.query.get('ref') || repo.defaultBranch;
    const sha = resolveCommit(emu, repo, ref);
    if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const path = cleanPath(ctx.params.path);
    const entry = entryAt(emu, repo, world.commit(repo, sha)!.tree, path);
    if (!entry || path === '') throw notFound();
    if (entry.type === 'tree') {
      return ok(
        sorted(world.tree(repo, entry.sha)!).map((e) =>
          contentEntryJson(emu, repo, ref, `${path}/${e.path}`, e, e.type === 'blob' ? (world.blob(repo, e.sha)?.length ?? 0) : 0),
        ),
      );
    }
    if (entry.type === 'commit') {
      return ok({ ...contentEntryJson(emu, repo, ref, path, entry, 0), submodule_git_url: `${emu.urls.html}/${repo.fullName}.git` });
    }
    const content = world.blob(repo, entry.sha)!;
    // The raw media type (`application/vnd.github.raw`, Octokit's `mediaType: { format: 'raw' }`, as Probot's
    // config plugin reads `.github/*.yml`): a file's bytes as they are. Directories and submodules stay JSON.
    if (/application\/vnd\.github(?:\.v3)?\.raw\b/.test(ctx.accept)) return { status: 200, raw: { bytes: content, contentType: 'text/plain; charset=utf-8' } };
    if (entry.mode === '120000') return ok({ ...contentEntryJson(emu, repo, ref, path, entry, content.length), target: content.toString('utf8') });
    return ok(contentFileJson(emu, repo, ref, path, entry, content));
  });

  /**
   * Create or update a file. `sha` is a compare-and-swap on the file's blob:
   * updating an existing file without it answers 422 `Invalid request.\n\n"sha"
   * wasn't supplied.` (octokit/octokit.rb#992), with a different one 409
   * `<path> does not match <sha>` (PyGithub/PyGithub#1815); for a new path it
   * is ignored. `committer` defaults to the caller, `author` to the committer
   * (docs.github.com/rest/repos/contents#create-or-update-file-contents).
   */
  emu.route('PUT', '/repos/{owner}/{repo}/contents/{path}', (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { message: string; content: string; sha?: string; branch?: string; committer?: Signature; author?: Signature };
    const path = cleanPath(ctx.params.path);
    const branch = body.branch ?? repo.defaultBranch;
    const head = branchHead(repo, branch);
    if (head === undefined && repo.git.refs.size > 0) throw new HttpError(404, `Branch ${branch} not found`);
    const baseTree = head === undefined ? undefined : world.commit(repo, head)!.tree;
    const existing = baseTree === undefined ? undefined : entryAt(emu, repo, baseTree, path);
    if (existing) {
      if (!body.sha) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      if (body.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${body.sha}`);
    }
    const content = decodeBase64(body.content);
    const committer = signatureFrom(body.committer, signatureOf(emu, ctx.actor.user));
    const author = signatureFrom(body.author, committer);
    const tree = changeTree(emu, repo, baseTree, { [path]: content });
    const commit = world.putCommit(repo, { tree, parents: head === undefined ? [] : [head], message: body.message, author, committer });
    moveBranch(emu, repo, ctx.actor.user, branch, commit.sha);
    const entry = entryAt(emu, repo, tree, path)!;
    return ok(fileCommitJson(emu, repo, branch, path, { entry, size: content.length }, commit), existing ? 200 : 201);
  });

  /** Delete a file; `sha` is required and compared as for `PUT` (409 `<path> does not match <sha>`). */
  emu.route('DELETE', '/repos/{owner}/{repo}/contents/{path}', (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { message: string; sha: string; branch?: string; committer?: Signature; author?: Signature };
    const path = cleanPath(ctx.params.path);
    const branch = body.branch ?? repo.defaultBranch;
    const head = branchHead(repo, branch);
    if (head === undefined) throw repo.git.refs.size === 0 ? notFound() : new HttpError(404, `Branch ${branch} not found`);
    const baseTree = world.commit(repo, head)!.tree;
    const existing = entryAt(emu, repo, baseTree, path);
    if (!existing || existing.type !== 'blob' || path === '') throw notFound();
    if (body.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${body.sha}`);
    const committer = signatureFrom(body.committer, signatureOf(emu, ctx.actor.user));
    const author = signatureFrom(body.author, committer);
    const tree = changeTree(emu, repo, baseTree, { [path]: null });
    const commit = world.putCommit(repo, { tree, parents: [head], message: body.message, author, committer });
    moveBranch(emu, repo, ctx.actor.user, branch, commit.sha);
    return ok(fileCommitJson(emu, repo, branch, path, null, commit));
  });

  // ---- blobs ----

  emu.route('POST', '/repos/{owner}/{repo}/git/blobs', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const body = ctx.body as { content: string; encoding?: string };
    const encoding = body.encoding ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') throw validationFailed('Blob', 'encoding', 'invalid');
    const sha = world.putBlob(repo, encoding === 'base64' ? decodeBase64(body.content) : Buffer.from(body.content, 'utf8'));
    const url = `${emu.urls.api}/repos/${repo.fullName}/git/blobs/${sha}`;
    return location(ok({ url, sha }, 201), url);
  });

  emu.route('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}', (ctx) => {
    const repo = ctx.repo();
    const content = world.blob(repo, ctx.params.file_sha!);
    if (!content) throw notFound();
    return ok(blobJson(emu, repo, ctx.params.file_sha!, content));
  });

  // ---- trees ----

  /**
   * A tree by sha, or by a commit or ref name ("The SHA1 value or ref (branch
   * or tag) name of the tree"). `recursive` set to any value, `0` and `false`
   * included, lists every entry below with full paths (the parameter's
   * description in GitHub's REST description).
   */
  emu.route('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const sha = resolveTree(emu, repo, ctx.params.tree_sha!);
    if (!sha) throw notFound();
    const entries: { path: string; entry: FileEntry }[] = [];
    const walk = (treeSha: string, prefix: string, deep: boolean) => {
      for (const entry of sorted(world.tree(repo, treeSha)!)) {
        entries.push({ path: prefix + entry.path, entry });
        if (deep && entry.type === 'tree') walk(entry.sha, `${prefix}${entry.path}/`, deep);
      }
    };
    walk(sha, '', ctx.query.has('recursive'));
    return ok(treeJson(emu, repo, sha, entries));
  });

  /**
   * Entries with `sha: null` delete a path of `base_tree` ("Returns an error
   * if you try to delete a file that does not exist": GitHub answers 422
   * `GitRPC::BadObjectState`); each entry takes `sha` or `content`, never both
   * (422 "Must supply either tree.sha or tree.content…", octokit/octokit.net#2836);
   * an unknown `sha` is 422 "tree.sha … is not a valid blob"
   * (BetaHuhn/repo-file-sync-action#349). Without `base_tree`, the tree holds
   * only the given entries (docs.github.com/rest/git/trees#create-a-tree).
   */
  emu.route('POST', '/repos/{owner}/{repo}/git/trees', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const body = ctx.body as {
      base_tree?: string;
      tree: { path?: string; mode?: TreeEntry['mode']; type?: TreeEntry['type']; sha?: string | null; content?: string }[];
    };
    if (body.base_tree !== undefined && !world.tree(repo, body.base_tree)) throw new HttpError(422, `base_tree ${body.base_tree} is not a valid tree`);
    const flat = flatten(emu, repo, body.base_tree);
    const dropAt = (path: string) => {
      let dropped = flat.delete(path);
      for (const other of [...flat.keys()]) if (other.startsWith(`${path}/`)) dropped = flat.delete(other) || dropped;
      return dropped;
    };
    for (const item of body.tree) {
      const path = cleanPath(item.path);
      if (!path) throw validationFailed('Tree', 'path', 'missing_field');
      if (item.sha === null) {
        if (!dropAt(path)) throw new HttpError(422, 'GitRPC::BadObjectState');
        continue;
      }
      if ((item.sha === undefined) === (item.content === undefined)) {
        throw new HttpError(422, 'Must supply either tree.sha or tree.content. Request will be rejected if both are present.');
      }
      const type = item.type ?? (item.mode === '040000' ? 'tree' : item.mode === '160000' ? 'commit' : 'blob');
      const mode = item.mode ?? (type === 'tree' ? '040000' : type === 'commit' ? '160000' : '100644');
      let sha = item.sha;
      if (item.content !== undefined) {
        if (type !== 'blob') throw new HttpError(422, 'tree.content can only be used for blobs');
        sha = world.putBlob(repo, Buffer.from(item.content, 'utf8'));
      }
      const exists = type === 'blob' ? world.blob(repo, sha!) : type === 'tree' ? world.tree(repo, sha!) : true;
      if (!exists) throw new HttpError(422, `tree.sha ${sha} is not a valid ${type}`);
      dropAt(path);
      // A path under a file turns the file into a directory, as in git.
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) flat.delete(path.slice(0, i));
      if (type === 'tree') for (const [p, e] of flatten(emu, repo, sha!, `${path}/`)) flat.set(p, e);
      else flat.set(path, { mode, type, sha: sha! });
    }
    const sha = buildTree(emu, repo, flat);
    const entries = sorted(world.tree(repo, sha)!).map((entry) => ({ path: entry.path, entry }));
    return location(ok(treeJson(emu, repo, sha, entries), 201), `${emu.urls.api}/repos/${repo.fullName}/git/trees/${sha}`);
  });

  // ---- git commits ----

  /**
   * `author` defaults to the caller with the current time, `committer` to
   * `author` (docs.github.com/rest/git/commits#create-a-commit). A missing
   * tree or parent is 422.
   */
  emu.route('POST', '/repos/{owner}/{repo}/git/commits', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const body = ctx.body as { message: string; tree: string; parents?: string[]; author?: Signature; committer?: Signature };
    const author = signatureFrom(body.author, signatureOf(emu, ctx.actor.user));
    const committer = signatureFrom(body.committer, author);
    const commit = createCommit(emu, repo, { tree: body.tree, parents: body.parents ?? [], message: body.message, author, committer });
    return location(ok(gitCommitJson(emu, repo, commit), 201), `${emu.urls.api}/repos/${repo.fullName}/git/commits/${commit.sha}`);
  });

  emu.route('GET', '/repos/{owner}/{repo}/git/commits/{commit_sha}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const commit = world.commit(repo, ctx.params.commit_sha!);
    if (!commit) throw notFound();
    return ok(gitCommitJson(emu, repo, commit));
  });

  // ---- refs ----

  /** Exactly one ref (`heads/main`); a prefix is not enough (that is `matching-refs`). */
  emu.route('GET', '/repos/{owner}/{repo}/git/ref/{ref}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const ref = fullRef(ctx.params.ref!);
    const sha = repo.git.refs.get(ref);
    if (!sha) throw notFound();
    return ok(refJson(emu, repo, ref, sha));
  });

  /** Every ref whose name starts with `refs/<ref>` (an empty array when none). */
  emu.route('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const prefix = fullRef(ctx.params.ref!);
    const refs = [...repo.git.refs].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
    return paginate(ctx, refs.map(([name, sha]) => refJson(emu, repo, name, sha)));
  });

  /**
   * "If it doesn't start with 'refs' and have at least two slashes, it will be
   * rejected" (docs.github.com/rest/git/refs#create-a-reference); an existing
   * ref is 422 "Reference already exists".
   */
  emu.route('POST', '/repos/{owner}/{repo}/git/refs', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const body = ctx.body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(body.ref)) throw new HttpError(422, `${body.ref} is not a valid ref name.`);
    if (repo.git.refs.has(body.ref)) throw new HttpError(422, 'Reference already exists');
    updateRef(emu, repo, ctx.actor.user, body.ref, body.sha);
    const url = `${emu.urls.api}/repos/${repo.fullName}/git/${urlPath(body.ref)}`;
    return location(ok(refJson(emu, repo, body.ref, body.sha), 201), url);
  });

  /**
   * Move a ref. Without `force` the new commit must descend from the old one,
   * else 422 "Update is not a fast forward" (the message GitHub answers, e.g.
   * philschatz/octokit.js#21, rust-lang/homu#75;
   * docs.github.com/rest/git/refs#update-a-reference for `force`).
   */
  emu.route('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const body = ctx.body as { sha: string; force?: boolean };
    const ref = fullRef(ctx.params.ref!);
    if (!repo.git.refs.has(ref)) throw new HttpError(422, 'Reference does not exist');
    updateRef(emu, repo, ctx.actor.user, ref, body.sha, { force: body.force === true });
    return ok(refJson(emu, repo, ref, body.sha));
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    updateRef(emu, repo, ctx.actor.user, fullRef(ctx.params.ref!), null);
    return noContent();
  });

  // ---- comparisons ----

  /**
   * `base...head`: the commits reachable from head and not from base (oldest
   * first, at most 250), and the files changed between their merge base and
   * head (docs.github.com/rest/commits/commits#compare-two-commits).
   */
  const compare = (ctx: RequestContext, base: string, head: string) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const own = (name: string) => name.replace(new RegExp(`^${repo.owner.login}:`, 'i'), '');
    const baseSha = resolveCommit(emu, repo, own(base));
    const headSha = resolveCommit(emu, repo, own(head));
    if (!baseSha || !headSha) throw notFound();
    const base_ = mergeBase(emu, repo, baseSha, headSha);
    if (!base_) throw new HttpError(404, `No common ancestor between ${base} and ${head}.`);
    const headCommit = world.commit(repo, headSha)!;
    return ok(
      comparisonJson(
        emu,
        repo,
        { base, head },
        {
          base: world.commit(repo, baseSha)!,
          head: headCommit,
          mergeBase: world.commit(repo, base_)!,
          ahead: commitsBetween(emu, repo, [baseSha], headSha),
          behindBy: commitsBetween(emu, repo, [headSha], baseSha).length,
          files: diffFiles(flatten(emu, repo, world.commit(repo, base_)!.tree), flatten(emu, repo, headCommit.tree)),
        },
      ),
    );
  };
  emu.route('GET', '/repos/{owner}/{repo}/compare/{basehead}', (ctx) => {
    const basehead = ctx.params.basehead!;
    const at = basehead.indexOf('...');
    if (at < 0) throw notFound();
    return compare(ctx, basehead.slice(0, at), basehead.slice(at + 3));
  });
  emu.route('GET', '/repos/{owner}/{repo}/compare/{base}...{head}', (ctx) => compare(ctx, ctx.params.base!, ctx.params.head!));

  // ---- branches ----

  const branches = (repo: Repo) =>
    [...repo.git.refs]
      .filter(([name]) => name.startsWith('refs/heads/'))
      .map(([name, sha]) => ({ name: name.slice('refs/heads/'.length), sha }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));

  emu.route('GET', '/repos/{owner}/{repo}/branches', (ctx) => {
    const repo = ctx.repo();
    // No branch is protected in the emulator.
    const list = ctx.query.get('protected') === 'true' ? [] : branches(repo);
    return paginate(ctx, list.map((b) => shortBranchJson(emu, repo, b.name, b.sha)));
  });

  emu.route('GET', '/repos/{owner}/{repo}/branches/{branch}', (ctx) => {
    const repo = ctx.repo();
    const sha = branchHead(repo, ctx.params.branch!);
    if (!sha) throw new HttpError(404, 'Branch not found');
    return ok(branchJson(emu, repo, ctx.params.branch!, world.commit(repo, sha)!));
  });

  // ---- REST commits ----

  /** 409 "Git Repository is empty." in an empty repository; 422 "No commit found for SHA: …" for an unknown ref. */
  emu.route('GET', '/repos/{owner}/{repo}/commits/{ref}', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const sha = resolveCommit(emu, repo, ctx.params.ref!);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`);
    const commit = world.commit(repo, sha)!;
    return ok(commitJson(emu, repo, commit, commitChanges(emu, repo, commit)));
  });

  /** History from `sha` (default branch by default), newest first; `path` keeps the commits that changed it. */
  emu.route('GET', '/repos/{owner}/{repo}/commits', (ctx) => {
    const repo = ctx.repo();
    requireHistory(repo);
    const from = ctx.query.get('sha') || repo.defaultBranch;
    const head = resolveCommit(emu, repo, from);
    if (!head) throw new HttpError(404, `No commit found for SHA: ${from}`);
    const path = cleanPath(ctx.query.get('path') ?? '');
    const history = commitsBetween(emu, repo, [], head)
      .reverse()
      .filter((c) => !path || commitChanges(emu, repo, c).some((f) => f.path === path || f.path.startsWith(`${path}/`)));
    return paginate(ctx, history.map((c) => commitJson(emu, repo, c)));
  });
}
