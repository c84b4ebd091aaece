/**
 * The git a pull request needs, on top of the git services: a file-level
 * three-way merge (a path changed differently on both sides is a conflict),
 * what a pull request brings (commits, files, lines), and the merge, squash
 * and rebase commits GitHub's merge button makes.
 */
import type { Emulator } from '../emulator.js';
import { commitsBetween, diffFiles, flatten, mergeBase, noreplyEmail, buildTree, type FileEntry } from '../git/services.js';
import { diffEntryJson } from '../git/shapes.js';
import type { Commit, Repo, Signature, User } from '../state.js';

type Files = ReadonlyMap<string, FileEntry>;

/** path → entry of a commit's tree (empty for an unknown commit). */
export function filesAt(emu: Emulator, repo: Repo, sha: string | undefined): Map<string, FileEntry> {
  const commit = sha === undefined ? undefined : emu.world.commit(repo, sha);
  return flatten(emu, repo, commit?.tree);
}

const same = (a: FileEntry | undefined, b: FileEntry | undefined) => a?.sha === b?.sha && a?.mode === b?.mode;

/** Three-way merge of flat trees; `conflicts` lists the paths changed differently on both sides. */
export function mergeFiles(base: Files, ours: Files, theirs: Files): { files: Map<string, FileEntry>; conflicts: string[] } {
  const files = new Map<string, FileEntry>();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const b = base.get(path);
    const o = ours.get(path);
    const t = theirs.get(path);
    let result: FileEntry | undefined;
    if (same(o, t) || same(t, b)) result = o;
    else if (same(o, b)) result = t;
    else {
      conflicts.push(path);
      continue;
    }
    if (result !== undefined) files.set(path, result);
  }
  return { files, conflicts };
}

export interface PullStats {
  commits: number;
  changedFiles: number;
  additions: number;
  deletions: number;
  /** Whether head merges into base without conflicts. */
  mergeable: boolean;
}

/** What a pull request from `head` into `base` brings, measured from their merge base as GitHub does. */
export function pullStats(emu: Emulator, repo: Repo, baseSha: string, headSha: string): PullStats {
  const baseOfMerge = mergeBase(emu, repo, baseSha, headSha);
  const from = filesAt(emu, repo, baseOfMerge);
  const to = filesAt(emu, repo, headSha);
  // Counted as the compare and commit routes count them, so the numbers agree.
  const changes = diffFiles(from, to).map((c) => diffEntryJson(emu, repo, headSha, c));
  const merged = mergeFiles(from, filesAt(emu, repo, baseSha), to);
  return {
    commits: commitsBetween(emu, repo, [baseSha], headSha).length,
    changedFiles: changes.length,
    additions: changes.reduce((n, c) => n + c.additions, 0),
    deletions: changes.reduce((n, c) => n + c.deletions, 0),
    mergeable: baseOfMerge !== undefined && merged.conflicts.length === 0,
  };
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** How GitHub signs what its merge button makes: the person who merged as author, GitHub as committer. */
export function mergeSignatures(user: User, date: string): { author: Signature; committer: Signature } {
  return {
    author: { name: user.login, email: noreplyEmail(user), date },
    committer: { name: 'GitHub', email: 'noreply@github.com', date },
  };
}

/**
 * The commit the base branch moves to: a merge commit with the base and the
 * head as parents, one squashed commit on the base, or the head's own
 * commits replayed onto the base (authors kept, GitHub as committer).
 * Undefined when the histories are unrelated or the changes conflict.
 */
export function mergeCommit(
  emu: Emulator,
  repo: Repo,
  input: { baseSha: string; headSha: string; method: MergeMethod; message: string; merger: User },
): Commit | undefined {
  const { baseSha, headSha, method } = input;
  const { world } = emu;
  const baseOfMerge = mergeBase(emu, repo, baseSha, headSha);
  if (baseOfMerge === undefined) return undefined;
  const merged = mergeFiles(filesAt(emu, repo, baseOfMerge), filesAt(emu, repo, baseSha), filesAt(emu, repo, headSha));
  if (merged.conflicts.length > 0) return undefined;
  const { author, committer } = mergeSignatures(input.merger, emu.clock.iso());
  if (method !== 'rebase') {
    const parents = method === 'merge' ? [baseSha, headSha] : [baseSha];
    return world.putCommit(repo, { tree: buildTree(emu, repo, merged.files), parents, message: input.message, author, committer });
  }
  let tip = baseSha;
  let last: Commit | undefined;
  for (const commit of commitsBetween(emu, repo, [baseSha], headSha)) {
    if (commit.parents.length > 1) continue;
    const step = mergeFiles(filesAt(emu, repo, commit.parents[0]), filesAt(emu, repo, tip), filesAt(emu, repo, commit.sha));
    if (step.conflicts.length > 0) return undefined;
    last = world.putCommit(repo, { tree: buildTree(emu, repo, step.files), parents: [tip], message: commit.message, author: commit.author, committer });
    tip = last.sha;
  }
  return last;
}
