/**
 * The App's verdict on a pushed commit, as one completed check run named
 * `ticket-sync`: a failure naming the key, line and column of an invalid
 * configuration (the repository is paused); a failure with one annotation
 * per problem of the ticket files (the valid tickets were synced all the
 * same, the invalid files were left as they are); else a success.
 */
import { CONFIG_PATH } from '../config/load.js';
import { annotationOf, completeCheckRun, createCheckRun, findCheckRun, progressCheckRun, startCheckRun, type CheckRunRequest, type ChecksOctokit } from '../github/checks.js';
import type { RepoFilesOctokit } from '../github/repo-files.js';
import type { RepoRef } from '../github/types.js';
import type { RepoSyncResult } from '../service/repo-sync.js';
import { formatProblem, sortProblems, type Problem } from '../tickets/problems.js';

export const CHECK_NAME = 'ticket-sync';

type Octokit = ChecksOctokit & RepoFilesOctokit;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * An invalid configuration, on the pushed commit (or a first sync's branch
 * head): the problems with their lines and columns, annotated on the file
 * when it is this repository's own (not its owner's `.github` repository's).
 */
export async function reportInvalidConfig(octokit: ChecksOctokit, repo: RepoRef, sha: string, problems: readonly Problem[], from = `${repo.owner}/${repo.name}`): Promise<void> {
  const sorted = sortProblems([...problems]);
  const first = sorted[0]!;
  const own = from.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase();
  const where = own ? '' : ` (in ${from})`;
  await createCheckRun(octokit, repo, {
    head_sha: sha,
    name: CHECK_NAME,
    conclusion: 'failure',
    title: `Invalid ${CONFIG_PATH}${where}: ${first.message}${sorted.length > 1 ? ` (and ${plural(sorted.length - 1, 'more problem')})` : ''}`,
    summary: [
      `ticket-sync is paused for this repository until \`${CONFIG_PATH}\`${where} is fixed: nothing was synced.`,
      '',
      ...sorted.map((p) => `- \`${p.path}\` line ${p.line}, column ${p.column}: ${p.message}`),
    ].join('\n'),
    ...(own ? { annotations: sorted.map((p) => annotationOf(p)) } : {}),
  });
}

/**
 * The outcome of a push's sync, on the pushed commit: one check run. A job
 * tried again (`again`: the bot's login) looks for the run an earlier try made
 * and updates it, so a retry never leaves a commit with two.
 */
export async function reportPush(octokit: Octokit, repo: RepoRef, sha: string, result: RepoSyncResult, again?: string): Promise<void> {
  const verdict = verdictOf(result);
  const made = again === undefined ? undefined : await findCheckRun(octokit, repo, sha, CHECK_NAME, again);
  if (made === undefined) await createCheckRun(octokit, repo, { head_sha: sha, name: CHECK_NAME, ...verdict });
  // The same verdict as the earlier try's: nothing to write (a write a retry would make on every try).
  else if (made.conclusion !== verdict.conclusion || made.title !== verdict.title) await completeCheckRun(octokit, repo, made.id, verdict);
}

/** A sync's verdict as a check run's conclusion, title, summary and annotations. */
export function verdictOf(result: RepoSyncResult): Omit<CheckRunRequest, 'head_sha' | 'name'> {
  const dir = result.location?.dir ?? '';
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  const problems = sortProblems(result.problems ?? []);
  const tickets = result.report?.tickets ?? [];
  const failed = tickets.filter((t) => t.outcome === 'failed');
  const count = (...outcomes: string[]) => tickets.filter((t) => outcomes.includes(t.outcome)).length;
  const tally =
    result.location === undefined
      ? 'No ticket files in this repository.'
      : `${plural(tickets.length, 'ticket')}: ${count('created')} created, ${count('imported')} imported, ${count('pushed', 'pulled', 'merged')} updated, ${count('in-sync')} in sync, ${failed.length} failed${count('skipped') > 0 ? `, ${count('skipped')} held back` : ''}.`;
  // A pull request of `writeBack: pull_request` in conflict with the default branch: a person has to resolve it.
  const conflict = result.writeBack?.conflict;
  if (problems.length === 0 && failed.length === 0) {
    // The project board could not be kept: said once, the sync itself went through.
    if (result.board && !conflict) return { conclusion: 'neutral', title: 'Tickets in sync; the project board is not kept', summary: [tally, '', result.board].join('\n') };
    if (conflict) return { conclusion: 'neutral', title: 'Tickets synced, writing back paused by a merge conflict', summary: [tally, '', conflict].join('\n') };
    return { conclusion: 'success', title: 'Tickets in sync', summary: tally };
  }
  const files = new Set(problems.map((p) => p.path)).size;
  const title = [
    ...(files > 0 ? [`${plural(files, 'invalid ticket file')} not synced`] : []),
    ...(failed.length > 0 ? [`${plural(failed.length, 'ticket')} failed to sync`] : []),
  ].join('; ');
  const summary = [
    tally,
    ...(problems.length > 0
      ? ['', `These files were neither synced nor written; the valid tickets were synced. Fix them and push again:`, '', ...problems.map((p) => `- ${formatProblem(p, prefix)}`)]
      : []),
    ...(failed.length > 0 ? ['', 'Tickets that failed to sync:', '', ...failed.map((t) => `- ${t.ticket}${t.issue !== undefined ? ` (#${t.issue})` : ''}: ${t.reason ?? 'failed'}`)] : []),
    ...(conflict ? ['', conflict] : []),
    ...(result.board ? ['', result.board] : []),
  ].join('\n');
  return { conclusion: 'failure', title, summary, annotations: problems.map((p) => annotationOf(p, prefix)) };
}

/**
 * A first sync's progress as a check run on the branch head: opened at once
 * ("ticket-sync: importing tickets"), moved on about every 5% ("ticket-sync:
 * importing 230 of 1,000 tickets"), and completed with the sync's verdict.
 */
export function progressReporter(octokit: Octokit, repo: RepoRef, sha: string, resumed?: number) {
  // A first sync resumed after a rate limit or a restart goes on with the check run it opened.
  let id: Promise<number> | undefined = resumed === undefined ? undefined : Promise.resolve(resumed);
  let chain: Promise<unknown> = Promise.resolve();
  let shown = 0;
  const open = () =>
    (id ??= startCheckRun(octokit, repo, { head_sha: sha, name: CHECK_NAME, title: 'ticket-sync: importing tickets', summary: 'The first sync of this repository has started.' }));
  return {
    /** Open the check run (or take up the resumed one); its id. */
    start: () => open(),
    /**
     * Told after each ticket. Updates go in order: at the first ticket, then
     * every 5% (at least every 25 tickets), and at the last. They show
     * progress and nothing else: one GitHub refuses (a rate limit) is skipped,
     * never the sync's failure.
     */
    progress(done: number, total: number): void {
      const step = Math.max(25, Math.ceil(total / 20));
      if (done !== 1 && done < total && done - shown < step) return;
      shown = done;
      const title = `ticket-sync: importing ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} tickets`;
      chain = chain.then(async () => progressCheckRun(octokit, repo, await open(), { title, summary: 'The first sync of this repository is under way.' })).catch(() => undefined);
    },
    async finish(result: RepoSyncResult): Promise<void> {
      await chain;
      await completeCheckRun(octokit, repo, await open(), verdictOf(result));
    },
  };
}
