/**
 * GitHub's JSON for git data and repository contents: content files and
 * directory listings, blobs, trees, git commits, refs, REST commits,
 * branches, comparisons, and the commits of `push` payloads. The contract
 * checks hold each one to GitHub's published schemas.
 */
import type { Emulator } from '../emulator.js';
import { userJson } from '../shapes.js';
import type { Commit, Repo, Signature } from '../state.js';
import { isoSeconds, userForEmail, type FileChange, type FileEntry } from './services.js';

const api = (emu: Emulator, repo: Repo) => `${emu.urls.api}/repos/${repo.fullName}`;
const html = (emu: Emulator, repo: Repo) => `${emu.urls.html}/${repo.fullName}`;
/** A path in a URL: each segment escaped, the slashes kept. */
export const urlPath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** Base64 as GitHub sends file and blob content: lines of 60 characters, each ending in `\n` (Ruby's `encode64`). */
export function base64Lines(content: Buffer): string {
  const text = content.toString('base64');
  return text === '' ? '' : `${text.match(/.{1,60}/g)!.join('\n')}\n`;
}

function commitNodeId(repo: Repo, sha: string): string {
  return Buffer.from(`Commit:${repo.id}:${sha}`).toString('base64').replace(/=+$/, '');
}

const gitUser = (s: Signature) => ({ name: s.name, email: s.email, date: isoSeconds(s.date) });

/** Commits made through the emulator are unsigned. */
const unsigned = () => ({ verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null });

// ---- contents ----

function contentLinks(emu: Emulator, repo: Repo, ref: string, path: string, entry: FileEntry) {
  const kind = entry.type === 'tree' ? 'tree' : 'blob';
  const self = `${api(emu, repo)}/contents/${urlPath(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${api(emu, repo)}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const htmlUrl = `${html(emu, repo)}/${kind}/${urlPath(ref)}/${urlPath(path)}`;
  return { self, git, html: htmlUrl };
}

/** An entry of a directory listing (`GET /contents/{dir}`), or the metadata part of a file. */
export function contentEntryJson(emu: Emulator, repo: Repo, ref: string, path: string, entry: FileEntry, size: number) {
  const links = contentLinks(emu, repo, ref, path, entry);
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : entry.mode === '120000' ? 'symlink' : 'file';
  return {
    type,
    size: entry.type === 'blob' ? size : 0,
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    sha: entry.sha,
    url: links.self,
    git_url: entry.type === 'commit' ? null : links.git,
    html_url: entry.type === 'commit' ? null : links.html,
    // The emulator serves no raw files; the address keeps GitHub's shape.
    download_url: type === 'file' || type === 'symlink' ? `${emu.urls.html}/raw/${repo.fullName}/${urlPath(ref)}/${urlPath(path)}` : null,
    _links: { self: links.self, git: entry.type === 'commit' ? null : links.git, html: entry.type === 'commit' ? null : links.html },
  };
}

/** A file with its content (`GET /contents/{file}`). */
export function contentFileJson(emu: Emulator, repo: Repo, ref: string, path: string, entry: FileEntry, content: Buffer) {
  return { ...contentEntryJson(emu, repo, ref, path, entry, content.length), type: 'file' as const, encoding: 'base64', content: base64Lines(content) };
}

/** The answer of `PUT` and `DELETE /contents/{path}`: the file (null once deleted) and the commit. */
export function fileCommitJson(emu: Emulator, repo: Repo, branch: string, path: string, file: { entry: FileEntry; size: number } | null, commit: Commit) {
  return {
    content: file ? contentEntryJson(emu, repo, branch, path, file.entry, file.size) : null,
    commit: gitCommitJson(emu, repo, commit),
  };
}

// ---- git data ----

export function blobJson(emu: Emulator, repo: Repo, sha: string, content: Buffer) {
  return {
    sha,
    node_id: Buffer.from(`Blob:${repo.id}:${sha}`).toString('base64').replace(/=+$/, ''),
    size: content.length,
    url: `${api(emu, repo)}/git/blobs/${sha}`,
    content: base64Lines(content),
    encoding: 'base64',
  };
}

/** A tree (`GET`/`POST /git/trees`); `entries` carry full paths when recursive. */
export function treeJson(emu: Emulator, repo: Repo, sha: string, entries: { path: string; entry: FileEntry }[]) {
  return {
    sha,
    url: `${api(emu, repo)}/git/trees/${sha}`,
    tree: entries.map(({ path, entry }) => ({
      path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob' ? { size: emu.world.blob(repo, entry.sha)?.length ?? 0 } : {}),
      ...(entry.type === 'commit' ? {} : { url: `${api(emu, repo)}/git/${entry.type}s/${entry.sha}` }),
    })),
    truncated: false,
  };
}

/** A git commit (`/git/commits`). */
export function gitCommitJson(emu: Emulator, repo: Repo, commit: Commit) {
  return {
    sha: commit.sha,
    node_id: commitNodeId(repo, commit.sha),
    url: `${api(emu, repo)}/git/commits/${commit.sha}`,
    html_url: `${html(emu, repo)}/commit/${commit.sha}`,
    author: gitUser(commit.author),
    committer: gitUser(commit.committer),
    tree: { sha: commit.tree, url: `${api(emu, repo)}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha, url: `${api(emu, repo)}/git/commits/${sha}`, html_url: `${html(emu, repo)}/commit/${sha}` })),
    verification: unsigned(),
  };
}

export function refJson(emu: Emulator, repo: Repo, ref: string, sha: string) {
  const type = emu.world.commit(repo, sha) ? 'commit' : emu.world.tree(repo, sha) ? 'tree' : 'blob';
  return {
    ref,
    node_id: Buffer.from(`Ref:${repo.id}:${ref}`).toString('base64').replace(/=+$/, ''),
    url: `${api(emu, repo)}/git/${urlPath(ref)}`,
    object: { type, sha, url: `${api(emu, repo)}/git/${type}s/${sha}` },
  };
}

// ---- REST commits, branches, comparisons ----

export function diffEntryJson(emu: Emulator, repo: Repo, headSha: string, change: FileChange) {
  const lines = (entry: FileEntry | undefined) => {
    const blob = entry?.type === 'blob' ? emu.world.blob(repo, entry.sha) : undefined;
    if (!blob || blob.length === 0) return 0;
    const text = blob.toString('utf8');
    return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  };
  const additions = change.status === 'removed' ? 0 : lines(change.after);
  const deletions = change.status === 'added' ? 0 : lines(change.before);
  const at = change.status === 'removed' ? change.before! : change.after!;
  return {
    sha: at.sha,
    filename: change.path,
    status: change.status,
    // Whole-file counts: the emulator does not compute line diffs.
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${html(emu, repo)}/blob/${headSha}/${urlPath(change.path)}`,
    raw_url: `${html(emu, repo)}/raw/${headSha}/${urlPath(change.path)}`,
    contents_url: `${api(emu, repo)}/contents/${urlPath(change.path)}?ref=${headSha}`,
  };
}

/** A commit as `/commits/{ref}`, branches and comparisons show it; with `files` and `stats` when given changes. */
export function commitJson(emu: Emulator, repo: Repo, commit: Commit, changes?: FileChange[]) {
  const account = (s: Signature) => {
    const user = userForEmail(emu, s.email);
    return user ? userJson(emu.urls, user) : null;
  };
  const files = changes?.map((c) => diffEntryJson(emu, repo, commit.sha, c));
  const additions = files?.reduce((n, f) => n + f.additions, 0) ?? 0;
  const deletions = files?.reduce((n, f) => n + f.deletions, 0) ?? 0;
  return {
    sha: commit.sha,
    node_id: commitNodeId(repo, commit.sha),
    url: `${api(emu, repo)}/commits/${commit.sha}`,
    html_url: `${html(emu, repo)}/commit/${commit.sha}`,
    comments_url: `${api(emu, repo)}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api(emu, repo)}/git/commits/${commit.sha}`,
      author: gitUser(commit.author),
      committer: gitUser(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api(emu, repo)}/git/trees/${commit.tree}` },
      verification: unsigned(),
    },
    author: account(commit.author),
    committer: account(commit.committer),
    parents: commit.parents.map((sha) => ({ sha, url: `${api(emu, repo)}/commits/${sha}`, html_url: `${html(emu, repo)}/commit/${sha}` })),
    ...(files ? { stats: { additions, deletions, total: additions + deletions }, files } : {}),
  };
}

export function shortBranchJson(emu: Emulator, repo: Repo, name: string, sha: string) {
  return { name, commit: { sha, url: `${api(emu, repo)}/commits/${sha}` }, protected: false };
}

export function branchJson(emu: Emulator, repo: Repo, name: string, commit: Commit) {
  const self = `${api(emu, repo)}/branches/${encodeURIComponent(name)}`;
  return {
    name,
    commit: commitJson(emu, repo, commit),
    _links: { self, html: `${html(emu, repo)}/tree/${urlPath(name)}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${self}/protection`,
  };
}

export function comparisonJson(
  emu: Emulator,
  repo: Repo,
  spec: { base: string; head: string },
  found: { base: Commit; head: Commit; mergeBase: Commit; ahead: Commit[]; behindBy: number; files: FileChange[] },
) {
  const aheadBy = found.ahead.length;
  const status = aheadBy === 0 && found.behindBy === 0 ? 'identical' : found.behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
  const basehead = `${encodeURIComponent(spec.base)}...${encodeURIComponent(spec.head)}`;
  return {
    url: `${api(emu, repo)}/compare/${basehead}`,
    html_url: `${html(emu, repo)}/compare/${basehead}`,
    permalink_url: `${html(emu, repo)}/compare/${repo.owner.login}:${found.base.sha.slice(0, 7)}...${repo.owner.login}:${found.head.sha.slice(0, 7)}`,
    diff_url: `${html(emu, repo)}/compare/${basehead}.diff`,
    patch_url: `${html(emu, repo)}/compare/${basehead}.patch`,
    base_commit: commitJson(emu, repo, found.base),
    merge_base_commit: commitJson(emu, repo, found.mergeBase),
    status,
    ahead_by: aheadBy,
    behind_by: found.behindBy,
    total_commits: aheadBy,
    // GitHub lists at most 250 commits in a comparison.
    commits: found.ahead.slice(-250).map((c) => commitJson(emu, repo, c)),
    files: found.files.map((c) => diffEntryJson(emu, repo, found.head.sha, c)),
  };
}

// ---- push payloads ----

/** One commit of a `push` payload (`commits[]` and `head_commit`). */
export function pushCommitJson(emu: Emulator, repo: Repo, commit: Commit, distinct: boolean, changes: FileChange[]) {
  const person = (s: Signature) => {
    const user = userForEmail(emu, s.email);
    return { name: s.name, email: s.email, ...(user ? { username: user.login } : {}) };
  };
  const paths = (status: FileChange['status']) => changes.filter((c) => c.status === status).map((c) => c.path);
  return {
    id: commit.sha,
    tree_id: commit.tree,
    distinct,
    message: commit.message,
    timestamp: isoSeconds(commit.author.date),
    url: `${html(emu, repo)}/commit/${commit.sha}`,
    author: person(commit.author),
    committer: person(commit.committer),
    added: paths('added'),
    removed: paths('removed'),
    modified: paths('modified'),
  };
}
