/**
 * Which repository paths a push changed, so that the App reads and syncs
 * only those tickets.
 *
 * - The push payload's `commits` carry each commit's `added`, `modified` and
 *   `removed` paths: their union is what changed between `before` and
 *   `after` when the push only moved the branch forward.
 * - GitHub cuts `commits` at {@link PUSH_COMMITS_LIMIT} (2048) commits and
 *   each commit's lists at {@link COMMIT_FILES_LIMIT} (3000) files (the
 *   `push` webhook's description in GitHub's webhook schema). At a limit the
 *   payload may be incomplete, and a forced push's commits say nothing of
 *   the commits it dropped: then the compare API tells
 *   (`GET /repos/{owner}/{repo}/compare/{basehead}`). A comparison lists the
 *   files changed from the merge base to its head, so a forced push is
 *   compared both ways (`before...after` and `after...before`): every path
 *   that differs between `before` and `after` differs between their merge
 *   base and one of them. Its `files` stop at {@link COMPARE_FILES_LIMIT}
 *   (300): a comparison that reaches it cannot be trusted either.
 * - A created branch (no `before`), a deleted one, a comparison GitHub
 *   cannot make (404: `before` is gone; 422) or one at its cap: the changes
 *   cannot be told, and the answer is `undefined`, meaning "do a full sync".
 *
 * Paths are from the repository root, `/`-separated, as GitHub gives them.
 */
import type { Octokit } from '@octokit/rest';
import { byCodeUnits } from '../sync/view.js';
import type { RepoRef } from './types.js';

/** At most this many commits are listed in a push payload's `commits`. */
export const PUSH_COMMITS_LIMIT = 2048;
/** At most this many changed files are listed per commit of a push payload (its `added`, `removed` and `modified` together). */
export const COMMIT_FILES_LIMIT = 3000;
/** At most this many files are listed in a comparison's `files`. */
export const COMPARE_FILES_LIMIT = 300;

/** What is read of a `push` webhook payload. */
export interface PushPayload {
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  commits: readonly PushCommit[];
  head_commit?: { id?: string; tree_id: string } | null;
}

/** What is read of one commit of a push payload. */
export interface PushCommit {
  added?: readonly string[];
  removed?: readonly string[];
  modified?: readonly string[];
}

/** What is read of a comparison (`GET /repos/{owner}/{repo}/compare/{basehead}`). */
export interface ComparisonFiles {
  files?: readonly { filename: string; previous_filename?: string }[];
}

export type CompareOctokit = Pick<Octokit, 'request'>;

/**
 * The paths a push changed, from its payload alone: the sorted, unique
 * paths of its commits; `'needs compare'` when the payload may not tell
 * them all (a forced push, `commits` or a commit's files at GitHub's limit,
 * or no commits at all for a branch that moved); `undefined` when nothing
 * can tell them (a created or deleted branch).
 */
export function changedPathsOfPush(payload: PushPayload): string[] | 'needs compare' | undefined {
  if (payload.created || payload.deleted || /^0+$/.test(payload.before) || /^0+$/.test(payload.after)) return undefined;
  if (payload.forced || payload.commits.length === 0 || payload.commits.length >= PUSH_COMMITS_LIMIT) return 'needs compare';
  const paths = new Set<string>();
  for (const commit of payload.commits) {
    const listed = [...(commit.added ?? []), ...(commit.removed ?? []), ...(commit.modified ?? [])];
    if (listed.length >= COMMIT_FILES_LIMIT) return 'needs compare';
    for (const path of listed) paths.add(path);
  }
  return [...paths].sort(byCodeUnits);
}

/**
 * The paths a comparison lists as changed, a renamed file under both its
 * names, sorted and unique; `undefined` when the list is at GitHub's cap
 * (there may be more) or missing.
 */
export function pathsOfComparison(comparison: ComparisonFiles): string[] | undefined {
  const files = comparison.files;
  if (files === undefined || files.length >= COMPARE_FILES_LIMIT) return undefined;
  const paths = new Set<string>();
  for (const file of files) {
    paths.add(file.filename);
    if (file.previous_filename) paths.add(file.previous_filename);
  }
  return [...paths].sort(byCodeUnits);
}

/**
 * The paths changed from the merge base of `base` and `head` to `head`, by
 * one compare request; `undefined` when GitHub cannot compare them (404,
 * 422) or lists as many files as it ever does.
 */
export async function comparePaths(octokit: CompareOctokit, repo: RepoRef, base: string, head: string): Promise<string[] | undefined> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner: repo.owner, repo: repo.name, basehead: `${base}...${head}` });
    return pathsOfComparison(data as ComparisonFiles);
  } catch (error) {
    const status = (error as { status?: unknown } | null)?.status;
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}

/**
 * The paths a push changed: from the payload when it tells them all, else
 * from the compare API (one request; two for a forced push). `undefined`
 * means the changes cannot be told: sync everything.
 */
export async function changedPaths(octokit: CompareOctokit, repo: RepoRef, payload: PushPayload): Promise<string[] | undefined> {
  const fromPayload = changedPathsOfPush(payload);
  if (fromPayload !== 'needs compare') return fromPayload;
  const forward = await comparePaths(octokit, repo, payload.before, payload.after);
  if (forward === undefined || !payload.forced) return forward;
  // A forced push may have dropped commits: what they changed is on the way back from `before`.
  const back = await comparePaths(octokit, repo, payload.after, payload.before);
  return back === undefined ? undefined : [...new Set([...forward, ...back])].sort(byCodeUnits);
}

/** The pushed head as the sync's first head (`syncRepository`'s `head`): `after`, its tree, and `before`; undefined for a deleted branch. */
export function headOfPush(payload: PushPayload): { sha: string; tree: string; before: string } | undefined {
  if (payload.deleted || !payload.head_commit) return undefined;
  return { sha: payload.after, tree: payload.head_commit.tree_id, before: payload.before };
}
