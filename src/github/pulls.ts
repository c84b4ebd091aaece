/**
 * What the App reads of a pull request to decide what it does to its
 * tickets: the pull request, its reviews, and the combined result of the
 * checks and commit statuses on its head (only the required ones, where the
 * configuration says so).
 */
import type { Octokit } from '@octokit/rest';
import type { CiVerdict } from '../sync/pull-requests/phase.js';
import type { RepoRef } from './types.js';

export type PullsOctokit = Pick<Octokit, 'request' | 'paginate'>;

export interface RemotePull {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  /** Who merged it, when merged. */
  mergedBy?: string;
  mergedAt?: string;
  updatedAt: string;
  /** Its head: the branch name (in a fork, the fork's branch) and commit. */
  head: { ref: string; sha: string };
  base: { ref: string };
  url: string;
}

/** The pull request as it is now. */
export async function readPull(octokit: PullsOctokit, repo: RepoRef, number: number): Promise<RemotePull> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: repo.owner, repo: repo.name, pull_number: number });
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'closed' ? 'closed' : 'open',
    draft: data.draft === true,
    merged: data.merged === true || data.merged_at !== null,
    ...(data.merged_by?.login ? { mergedBy: data.merged_by.login } : {}),
    ...(data.merged_at ? { mergedAt: data.merged_at } : {}),
    updatedAt: data.updated_at,
    head: { ref: data.head.ref, sha: data.head.sha },
    base: { ref: data.base.ref },
    url: data.html_url,
  };
}

/** Whether a reviewer's latest review (approvals, change requests and dismissals count; comments do not) asks for changes. */
export async function changesRequested(octokit: PullsOctokit, repo: RepoRef, number: number): Promise<boolean> {
  const reviews = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: repo.owner, repo: repo.name, pull_number: number, per_page: 100 });
  const latest = new Map<string, string>();
  for (const review of reviews) {
    const who = review.user?.login;
    if (who === undefined || !['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) continue;
    latest.set(who, review.state);
  }
  return [...latest.values()].includes('CHANGES_REQUESTED');
}

/** What the checks on a commit say: failing, passing, still going, or none at all; and the names that failed. */
export interface CiResult {
  verdict: CiVerdict;
  failed: string[];
}

const FAILING = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);

/**
 * The combined result of the check runs and commit statuses on `sha`: a
 * failure if any failed, pending while any has not finished, success when
 * all passed. `counts`: which names count (required checks); undefined: all.
 * The App's own check runs (`ignore`) never count.
 */
export async function ciResult(octokit: PullsOctokit, repo: RepoRef, sha: string, options: { counts?: ReadonlySet<string>; ignore?: string } = {}): Promise<CiResult> {
  const counts = (name: string) => name !== options.ignore && (options.counts === undefined || options.counts.has(name));
  const [runs, combined] = await Promise.all([
    octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner: repo.owner, repo: repo.name, ref: sha, filter: 'latest', per_page: 100 }),
    octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { owner: repo.owner, repo: repo.name, ref: sha, per_page: 100 }),
  ]);
  const results: { name: string; state: 'failure' | 'pending' | 'success' }[] = [];
  for (const run of runs as unknown as { name: string; status: string; conclusion: string | null }[]) {
    if (!counts(run.name)) continue;
    results.push({ name: run.name, state: run.status !== 'completed' ? 'pending' : FAILING.has(run.conclusion ?? '') ? 'failure' : 'success' });
  }
  for (const status of combined.data.statuses) {
    if (!counts(status.context)) continue;
    results.push({ name: status.context, state: status.state === 'failure' || status.state === 'error' ? 'failure' : status.state === 'pending' ? 'pending' : 'success' });
  }
  const failed = results.filter((r) => r.state === 'failure').map((r) => r.name);
  const verdict: CiVerdict = results.length === 0 ? 'none' : failed.length > 0 ? 'failure' : results.some((r) => r.state === 'pending') ? 'pending' : 'success';
  return { verdict, failed: [...new Set(failed)].sort() };
}

/**
 * The status checks a branch's rules require, where the App may read them
 * (`GET /repos/{owner}/{repo}/rules/branches/{branch}`); undefined when it
 * may not (403/404), for the configured list to stand in.
 */
export async function requiredChecks(octokit: PullsOctokit, repo: RepoRef, branch: string): Promise<Set<string> | undefined> {
  try {
    const rules = await octokit.paginate('GET /repos/{owner}/{repo}/rules/branches/{branch}', { owner: repo.owner, repo: repo.name, branch, per_page: 100 });
    const contexts = new Set<string>();
    for (const rule of rules as unknown as { type: string; parameters?: { required_status_checks?: { context: string }[] } }[]) {
      if (rule.type === 'required_status_checks') for (const check of rule.parameters?.required_status_checks ?? []) contexts.add(check.context);
    }
    return contexts;
  } catch (error) {
    if ([403, 404].includes((error as { status?: number }).status ?? 0)) return undefined;
    throw error;
  }
}
