/**
 * Check runs, for the App's verdict on a pushed commit: a completed run with
 * a title, a summary and one annotation per problem. GitHub takes at most 50
 * annotations per request; the rest follow as updates of the same run
 * (`PATCH …/check-runs/{id}`), which append them.
 */
import type { Octokit } from '@octokit/rest';
import type { Problem } from '../tickets/problems.js';
import type { RepoRef } from './types.js';

export type ChecksOctokit = Pick<Octokit, 'request'>;

/** One annotation as GitHub wants it: columns only when it spans one line. */
export interface CheckAnnotation {
  /** From the repository root. */
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

export interface CheckRunRequest {
  head_sha: string;
  name: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: readonly CheckAnnotation[];
}

/** GitHub's limit of annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a summary's length. */
const MAX_SUMMARY = 65_535;

/** A problem as a failure annotation; `pathPrefix` turns a path relative to the ticket location into one from the root. */
export function annotationOf(problem: Problem, pathPrefix = ''): CheckAnnotation {
  const line = Math.max(1, problem.line);
  const column = Math.max(1, problem.column);
  return {
    path: `${pathPrefix}${problem.path}`,
    start_line: line,
    end_line: line,
    start_column: column,
    end_column: column,
    annotation_level: 'failure',
    message: problem.message,
  };
}

/** Create a completed check run; annotations beyond the first 50 are sent as updates. Returns the run's id. */
export async function createCheckRun(octokit: ChecksOctokit, repo: RepoRef, run: CheckRunRequest): Promise<number> {
  const { first, rest } = outputs(run);
  const created = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: repo.owner,
    repo: repo.name,
    name: run.name,
    head_sha: run.head_sha,
    status: 'completed',
    conclusion: run.conclusion,
    output: first,
  });
  const id = Number(created.data.id);
  for (const output of rest) await updateCheckRun(octokit, repo, id, { output });
  return id;
}

/**
 * The newest check run named `name` on `sha` made by the app whose bot is
 * `self` (`<slug>[bot]`), if any: where a job tried again finds the run its
 * earlier try made (or made without hearing back), to update instead of
 * making a second.
 */
export async function findCheckRun(octokit: ChecksOctokit, repo: RepoRef, sha: string, name: string, self: string): Promise<{ id: number; conclusion: string | null; title: string | null } | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner: repo.owner, repo: repo.name, ref: sha, check_name: name, filter: 'latest' });
  const own = data.check_runs.filter((run) => run.app?.slug !== undefined && `${run.app.slug}[bot]` === self).sort((a, b) => Number(b.id) - Number(a.id));
  const newest = own[0];
  return newest === undefined ? undefined : { id: Number(newest.id), conclusion: newest.conclusion ?? null, title: newest.output?.title ?? null };
}

/** Open a check run that is still going (a first sync's progress); returns its id. */
export async function startCheckRun(octokit: ChecksOctokit, repo: RepoRef, run: Pick<CheckRunRequest, 'head_sha' | 'name' | 'title' | 'summary'>): Promise<number> {
  const created = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: repo.owner,
    repo: repo.name,
    name: run.name,
    head_sha: run.head_sha,
    status: 'in_progress',
    output: { title: run.title, summary: run.summary },
  });
  return Number(created.data.id);
}

/** Show new progress on a running check run. */
export async function progressCheckRun(octokit: ChecksOctokit, repo: RepoRef, id: number, output: { title: string; summary: string }): Promise<void> {
  await updateCheckRun(octokit, repo, id, { output });
}

/** Complete a running check run with its verdict; annotations beyond the first 50 follow as further updates. */
export async function completeCheckRun(octokit: ChecksOctokit, repo: RepoRef, id: number, run: Omit<CheckRunRequest, 'head_sha' | 'name'>): Promise<void> {
  const { first, rest } = outputs(run);
  await updateCheckRun(octokit, repo, id, { status: 'completed', conclusion: run.conclusion, output: first });
  for (const output of rest) await updateCheckRun(octokit, repo, id, { output });
}

type CheckOutput = { title: string; summary: string; annotations?: CheckAnnotation[] };

/** A run's output in requests of at most 50 annotations each. */
function outputs(run: Pick<CheckRunRequest, 'title' | 'summary' | 'annotations'>): { first: CheckOutput; rest: CheckOutput[] } {
  const annotations = (run.annotations ?? []).map(oneLineColumns);
  const summary = run.summary.length > MAX_SUMMARY ? `${run.summary.slice(0, MAX_SUMMARY - 1)}…` : run.summary;
  const output = (batch: CheckAnnotation[]) => ({ title: run.title, summary, ...(batch.length > 0 ? { annotations: batch } : {}) });
  const rest: CheckOutput[] = [];
  for (let start = ANNOTATIONS_PER_REQUEST; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) rest.push(output(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST)));
  return { first: output(annotations.slice(0, ANNOTATIONS_PER_REQUEST)), rest };
}

async function updateCheckRun(
  octokit: ChecksOctokit,
  repo: RepoRef,
  id: number,
  update: { status?: 'completed'; conclusion?: CheckRunRequest['conclusion']; output: CheckOutput },
): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { owner: repo.owner, repo: repo.name, check_run_id: id, ...update });
}

/** GitHub refuses columns on an annotation that spans lines. */
function oneLineColumns(a: CheckAnnotation): CheckAnnotation {
  if (a.start_line === a.end_line) return a;
  const { start_column: _s, end_column: _e, ...rest } = a;
  return rest;
}
