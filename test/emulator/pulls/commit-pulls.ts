/**
 * `GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`, as the
 * `repos/list-pull-requests-associated-with-commit` description puts it:
 * "Lists the merged pull request that introduced the commit to the
 * repository. If the commit is not present in the default branch, it will
 * return merged and open pull requests associated with the commit. To list
 * the open or merged pull requests associated with a branch, you can set the
 * `commit_sha` parameter to the branch name."
 *
 * A pull request is associated with a commit when the commit is its merge
 * commit or one of its commits (reachable from its head, not from its base:
 * the base when it was merged, the base branch's tip while it is open).
 * Closed, unmerged pull requests are not listed. Oldest first (GitHub
 * documents no order). An unknown sha is 422 "No commit found for SHA", as
 * the other `commits/{sha}` routes answer.
 */
import type { Emulator } from '../emulator.js';
import { branchHead, commitsBetween, reachable, resolveCommit } from '../git/services.js';
import { HttpError, paginate } from '../http.js';
import type { Repo } from '../state.js';
import { pullRequestSimpleJson, type PullIssue } from './shapes.js';

function brings(emu: Emulator, repo: Repo, pr: PullIssue, sha: string): boolean {
  if (pr.pull.merge_commit_sha === sha) return true;
  const base = pr.pull.merged ? pr.pull.base.sha : (branchHead(repo, pr.pull.base.ref) ?? pr.pull.base.sha);
  return commitsBetween(emu, repo, [base], pr.pull.head.sha).some((c) => c.sha === sha);
}

/** The pull requests associated with a commit (see the file's comment). */
export function pullsForCommit(emu: Emulator, repo: Repo, sha: string): PullIssue[] {
  const defaultHead = branchHead(repo, repo.defaultBranch);
  const onDefault = defaultHead !== undefined && reachable(emu, repo, [defaultHead]).has(sha);
  return [...repo.issues.values()].filter(
    (i): i is PullIssue => i.pull !== undefined && (i.pull.merged || (!onDefault && i.state === 'open')) && brings(emu, repo, i as PullIssue, sha),
  );
}

export function commitPullsRoutes(emu: Emulator): void {
  emu.route('GET', '/repos/{owner}/{repo}/commits/{commit_sha}/pulls', (ctx) => {
    const repo = ctx.repo();
    const sha = resolveCommit(emu, repo, ctx.params.commit_sha!);
    if (sha === undefined) throw new HttpError(422, `No commit found for SHA: ${ctx.params.commit_sha}`);
    return paginate(ctx, pullsForCommit(emu, repo, sha).map((p) => pullRequestSimpleJson(emu, repo, p)));
  });
}
