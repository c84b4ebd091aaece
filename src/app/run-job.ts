/**
 * One job of the App's queue, done: read the repository's configuration,
 * sync (only the pushed tickets when every event was a push; everything
 * otherwise), and report on the pushed commits — or, for the first sync of
 * an installation, show its progress in a check run on the branch head.
 */
import type { IssuesOctokit } from '../github/issues.js';
import type { PullsOctokit } from '../github/pulls.js';
import { changedPaths as comparedPaths } from '../github/push-changes.js';
import type { RepoRef } from '../github/types.js';
import { syncRepository } from '../service/repo-sync.js';
import { firstSyncCheck } from '../store/records.js';
import type { StateStore } from '../store/types.js';
import { reasonOf, type Job } from './jobs.js';
import { readRepoConfig } from './repo-config.js';
import { CHECK_NAME, progressReporter, reportInvalidConfig, reportPush } from './verdict.js';
import { reportPull } from './pull-check.js';
import type { Config } from '../config/schema.js';
import { projectOf, pullRequestsOf } from '../config/pull-requests.js';
import { syncBoard, type BoardTicket } from '../service/board/sync-board.js';
import { boardPlanner, bothPlanners } from '../service/board/board-planner.js';
import { readPullFacts } from '../service/pull-requests/read-pull.js';
import { pullPlanner, type PulledWork, type PullPlanner } from '../service/pull-requests/pull-planner.js';
import { followedPulls, ticketIndex } from '../store/records.js';

/** What a job needs of Probot's installation Octokit: requests, and pages of them. */
export type JobOctokit = IssuesOctokit & PullsOctokit;

/** How long a first sync's check run is remembered for taking it up again after a rate limit or a restart. */
const FIRST_SYNC_CHECK_TTL_MS = 7 * 24 * 3600_000;

export interface JobDeps {
  octokit: JobOctokit;
  state: StateStore;
  now: () => Date;
  /** The App's own bot login: only its issues and comments carry markers that count. */
  self: () => Promise<string>;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export async function runJob(job: Job, deps: JobDeps): Promise<void> {
  const { octokit } = deps;
  const [owner, name] = job.repo.split('/') as [string, string];
  const repo: RepoRef = { owner, name };
  const branch = job.branch ?? (await octokit.request('GET /repos/{owner}/{repo}', { owner, repo: name })).data.default_branch;

  const config = await readRepoConfig(octokit, repo);
  if (!config.result.ok) {
    const { problems } = config.result;
    deps.log.warn({ repo: job.repo, problems }, 'ticket-sync: invalid .github/ticket-sync.yml; this repository is paused');
    // Each pushed commit (or, for a first sync, the branch head) gets a failing check run naming the key, line and column.
    const shas = job.pushes.length > 0 ? job.pushes.map((p) => p.after) : job.kind === 'install' ? [await headOf(octokit, repo, branch)] : [];
    for (const sha of shas) await reportInvalidConfig(octokit, repo, sha, problems, config.from);
    return;
  }

  const pulls = await pullRequestsOfJob(job, deps, repo, branch, config.result.config);
  // A job of pull requests only, moving no ticket: no branch read, no sync; the pull requests and their check runs are kept.
  const index = pulls && job.scoped && job.pushes.length === 0 && job.board.length === 0 ? await ticketIndex.get(deps.state, job.repo) : undefined;
  if (pulls && index && (await pulls.planIndex(index)).transitions.size === 0) {
    await pulls.settle(undefined, deps.state);
    for (const planned of pulls.plans()) await reportPull(octokit, repo, deps.state, planned);
    return;
  }
  const project = projectOf(config.result.config);
  const board = project && job.board.length > 0 ? boardPlanner({ repo: job.repo, project, state: deps.state, moves: job.board }) : undefined;
  const planner = bothPlanners(pulls, board);
  const changed = job.scoped ? await changedPaths(octokit, repo, job) : undefined;
  const progress = job.kind === 'install' ? await openFirstSyncCheck(job, deps, repo, branch) : undefined;
  const result = await syncRepository({
    octokit,
    self: deps.self,
    repo,
    branch,
    state: deps.state,
    config: config.result.config,
    cause: job.causes.join(',') || job.id,
    reason: reasonOf(job),
    ...(job.writer !== undefined ? { githubWriter: job.writer } : {}),
    // A reconcile is there for what webhooks missed: a comment edit among them.
    ...(job.kind === 'reconcile' ? { refreshComments: 'all' as const } : job.refreshComments.length > 0 ? { refreshComments: job.refreshComments } : {}),
    ...(changed !== undefined ? { changed, ...headOfPushes(job) } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress.progress(done, total) } : {}),
    ...(planner ? { planner } : {}),
    now: deps.now,
  });
  result.board = await keepBoard(job, deps, repo, config.result.config, result.tickets ?? []);
  if (result.writeBack?.conflict) deps.log.warn({ repo: job.repo, branch: result.writeBack.branch }, `ticket-sync: ${result.writeBack.conflict}`);
  await progress?.finish(result);
  // A job tried again may have made some of its check runs already.
  const again = job.retries > 0 ? await deps.self() : undefined;
  for (const push of job.pushes) await reportPush(octokit, repo, push.after, result, again);
  for (const planned of pulls?.plans() ?? []) await reportPull(octokit, repo, deps.state, planned);
}

/** The project board after the sync: each linked issue in its ticket's column; why not, when it cannot be kept (logged). */
async function keepBoard(job: Job, deps: JobDeps, repo: RepoRef, config: Config, tickets: readonly BoardTicket[]): Promise<string | undefined> {
  const project = projectOf(config);
  if (project === undefined) return undefined;
  const problem = await syncBoard({ octokit: deps.octokit, repo, installation: job.installation, project, state: deps.state, tickets });
  if (problem) deps.log.warn({ repo: job.repo }, `ticket-sync: ${problem}`);
  return problem;
}

/**
 * The job's pull requests, read as they are now, as a planner of the sync:
 * their linked tickets join the run, and move. None when the job has no
 * pull request or the repository turned them off.
 */
async function pullRequestsOfJob(job: Job, deps: JobDeps, repo: RepoRef, branch: string, config: Config): Promise<PullPlanner | undefined> {
  const settings = pullRequestsOf(config);
  if (settings === undefined || job.pulls.length === 0) return undefined;
  const followed = (await followedPulls.get(deps.state, job.repo)) ?? {};
  const work: PulledWork[] = [];
  for (const p of job.pulls) {
    const read = await readPullFacts({ octokit: deps.octokit, repo, number: p.number, review: p.review, ci: p.ci, at: p.at, now: deps.now, record: followed[String(p.number)], settings, defaultBranch: branch, checkName: CHECK_NAME });
    work.push({ read, at: read.pull.merged && read.pull.mergedAt ? read.pull.mergedAt : p.at, reason: p.reason, ...(p.ciReason !== undefined ? { ciReason: p.ciReason } : {}) });
  }
  const url = work[0]!.read.pull.url;
  const htmlBase = url.slice(0, Math.max(0, url.indexOf(`/${repo.owner}/${repo.name}/`))) || 'https://github.com';
  return pullPlanner({ repo: job.repo, htmlBase, settings, state: deps.state, work, now: deps.now });
}

/**
 * A first sync's check run on the branch head, opened now or, for a job
 * resumed after a rate limit or a restart, the one it opened before; it is
 * forgotten once completed.
 */
async function openFirstSyncCheck(job: Job, deps: JobDeps, repo: RepoRef, branch: string) {
  const scope = job.repo.toLowerCase();
  const resumed = await firstSyncCheck.get(deps.state, scope, job.id);
  const progress = progressReporter(deps.octokit, repo, await headOf(deps.octokit, repo, branch), resumed);
  const id = await progress.start();
  if (id !== resumed) await firstSyncCheck.set(deps.state, scope, job.id, id, FIRST_SYNC_CHECK_TTL_MS);
  return {
    progress: progress.progress,
    async finish(result: Parameters<typeof progress.finish>[0]): Promise<void> {
      await progress.finish(result);
      await firstSyncCheck.set(deps.state, scope, job.id, undefined);
    },
  };
}

/** The paths the job's pushes changed; undefined when one of them cannot tell (then everything is synced). */
async function changedPaths(octokit: IssuesOctokit, repo: RepoRef, job: Job): Promise<string[] | undefined> {
  const paths = new Set<string>();
  for (const push of job.pushes) {
    // A payload that could not tell them all: the comparison (both ways for a forced push) does.
    const some =
      push.paths === 'compare'
        ? await comparedPaths(octokit, repo, { before: push.before, after: push.after, forced: push.forced, created: false, deleted: false, commits: [] })
        : push.paths;
    if (some === null || some === undefined) return undefined;
    for (const path of some) paths.add(path);
  }
  return [...paths];
}

/** The last push's head as the sync's first head (no ref read), when the payload gave its tree; `before` is the first push's. */
function headOfPushes(job: Job): { head?: { sha: string; tree: string; before: string } } {
  const last = job.pushes.at(-1);
  return last?.tree ? { head: { sha: last.after, tree: last.tree, before: job.pushes[0]!.before } } : {};
}

async function headOf(octokit: IssuesOctokit, repo: RepoRef, branch: string): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: repo.owner, repo: repo.name, ref: `heads/${branch}` });
  return data.object.sha;
}
