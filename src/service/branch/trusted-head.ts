/**
 * A push's head, taken only when it is not older than the head the last run
 * of the branch ended at: a push delivered late never syncs old files over
 * newer ones (then the head is read, as a retry after a lost race is).
 */
import type { BranchHead } from '../../github/repo-files.js';
import { branchHead } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';

export async function trustedHead(state: StateStore, repo: string, branch: string, head: BranchHead & { before?: string }): Promise<BranchHead | undefined> {
  const seen = await branchHead.get(state, repo, branch);
  return seen === undefined || seen === head.sha || seen === head.before ? { sha: head.sha, tree: head.tree } : undefined;
}

/** Where this run left the branch: a later push that does not follow from it brings an old head. */
export async function rememberHead(state: StateStore, repo: string, branch: string, sha: string): Promise<void> {
  await branchHead.set(state, repo, branch, sha);
}
