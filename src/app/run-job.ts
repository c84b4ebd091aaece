/**
 * One job of the App's queue, done: read the repository's configuration,
 * sync (only the pushed tickets when every event was a push; everything
 * otherwise), and report on the pushed commits — or, for the first sync of
 * an installation, show its progress in a check run on the branch head.
 */
import { CONFIG_PATH } from '../config/load.js';
import { Config } from '../config/schema.js';
import type { IssuesOctokit } from '../github/issues.js';
import { changedPaths as comparedPaths } from '../github/push-changes.js';
import type { RepoRef } from '../github/types.js';
import { syncRepository } from '../service/repo-sync.js';
import type { StateStore } from '../store/types.js';
import { reasonOf, type Job } from './jobs.js';
import { progressReporter, reportInvalidConfig, reportPush } from './verdict.js';

/** What Probot's installation Octokit offers a job: requests, and the config plugin `context.config` uses. */
export interface JobOctokit extends IssuesOctokit {
  config: {
    get(params: { owner: string; repo: string; path: string }): Promise<{ config: Record<string, unknown>; files: { config: unknown }[] }>;
  };
}

/** How long a first sync's check run is remembered for taking it up again after a rate limit or a restart. */
const FIRST_SYNC_CHECK_TTL_MS = 7 * 24 * 3600_000;

export interface JobDeps {
  octokit: JobOctokit;
  state: StateStore;
  now: () => Date;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** The repository's configuration, or what is wrong with it (the zod issues, or why the YAML could not be read). */
export async function readConfig(octokit: JobOctokit, repo: RepoRef): Promise<{ ok: true; config: Config } | { ok: false; issues: Parameters<typeof reportInvalidConfig>[3] }> {
  let raw: Record<string, unknown>;
  try {
    const { config, files } = await octokit.config.get({ owner: repo.owner, repo: repo.name, path: CONFIG_PATH });
    raw = files.some((f) => f.config !== null) ? config : {};
  } catch (error) {
    // Unreadable YAML: the config plugin throws.
    return { ok: false, issues: `invalid YAML: ${String((error as Error).message).split('\n')[0]}` };
  }
  const parsed = Config.safeParse(raw);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, issues: parsed.error.issues };
}

export async function runJob(job: Job, deps: JobDeps): Promise<void> {
  const { octokit } = deps;
  const [owner, name] = job.repo.split('/') as [string, string];
  const repo: RepoRef = { owner, name };
  const branch = job.branch ?? (await octokit.request('GET /repos/{owner}/{repo}', { owner, repo: name })).data.default_branch;

  const config = await readConfig(octokit, repo);
  if (!config.ok) {
    deps.log.warn({ repo: job.repo, issues: config.issues }, 'ticket-sync: invalid .github/ticket-sync.yml; this repository is paused');
    // Each pushed commit (or, for a first sync, the branch head) gets a failing check run naming the key, line and column.
    const shas = job.pushes.length > 0 ? job.pushes.map((p) => p.after) : job.kind === 'install' ? [await headOf(octokit, repo, branch)] : [];
    for (const sha of shas) await reportInvalidConfig(octokit, repo, sha, config.issues);
    return;
  }

  const changed = job.scoped ? await changedPaths(octokit, repo, job) : undefined;
  const checkKey = `first-sync-check:${job.id}`;
  const scope = job.repo.toLowerCase();
  const resumed = job.kind === 'install' ? await deps.state.getMeta<number>(scope, checkKey) : undefined;
  const progress = job.kind === 'install' ? progressReporter(octokit, repo, await headOf(octokit, repo, branch), resumed) : undefined;
  if (progress) {
    const id = await progress.start();
    if (id !== resumed) await deps.state.setMeta(scope, checkKey, id, FIRST_SYNC_CHECK_TTL_MS);
  }
  const result = await syncRepository({
    octokit,
    repo,
    branch,
    state: deps.state,
    config: config.config,
    cause: job.causes.join(',') || job.id,
    reason: reasonOf(job),
    ...(job.writer !== undefined ? { githubWriter: job.writer } : {}),
    ...(job.refreshComments.length > 0 ? { refreshComments: job.refreshComments } : {}),
    ...(changed !== undefined ? { changed, ...headOfPushes(job) } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress.progress(done, total) } : {}),
    now: deps.now,
  });
  if (result.writeBack?.conflict) deps.log.warn({ repo: job.repo, branch: result.writeBack.branch }, `ticket-sync: ${result.writeBack.conflict}`);
  if (progress) {
    await progress.finish(result);
    await deps.state.setMeta(scope, checkKey, undefined);
  }
  for (const push of job.pushes) await reportPush(octokit, repo, push.after, result);
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
