/**
 * The App's units of work, as kept in the state store so that a restart
 * resumes them: one job per repository waiting to be synced. Pure: what a
 * job is, how a new event folds into a job still waiting, and how an error
 * decides what happens to the job next.
 */
import { isTransient } from '../github/transient.js';
import { z } from 'zod';
import { parseDuration } from '../github/request-timeout.js';

/** One push the job answers: its commits' changed paths (or that a comparison must tell them), and the commit that gets the check run. */
export const PushedCommits = z.object({
  /** The commit the branch was at before the push. */
  before: z.string(),
  /** The pushed commit: it gets the check run. */
  after: z.string(),
  /** The pushed commit's tree, from the payload. */
  tree: z.string().optional(),
  /** A forced push: the commits it dropped changed files too. */
  forced: z.boolean().default(false),
  /**
   * Repository paths the push changed, from the payload's commits;
   * `'compare'` when the payload may be cut short and a comparison of
   * `before...after` must tell them; `null` when nothing can tell (a new branch).
   */
  paths: z.union([z.array(z.string()), z.literal('compare'), z.null()]),
});
export type PushedCommits = z.infer<typeof PushedCommits>;

/** A pull request whose tickets a job looks at again: its event's time and words, and what to read besides the pull request. */
export const PullWork = z.object({
  number: z.number().int().positive(),
  /** When the event happened (ISO 8601): a person's status set after it stands. */
  at: z.string(),
  /** For the log and the commit message: `PR #34 ready for review by @ada`, `check suite 991 failed on 3f2a1b2`. */
  reason: z.string(),
  /** Read its reviews (a review event). */
  review: z.boolean().default(false),
  /** Read the checks on its head (a check event). */
  ci: z.boolean().default(false),
  /** The latest check event's words (`check suite 991 failed on 3f2a1b2`): the cause of a move the checks make. */
  ciReason: z.string().optional(),
});
export type PullWork = z.infer<typeof PullWork>;

/** A card a person moved on the project board: the issue, the column it went to, when and by whom. */
export const BoardMove = z.object({
  issue: z.number().int().positive(),
  column: z.string(),
  at: z.string(),
  writer: z.string(),
  /** The field that changed, as the event names it: only the configured one moves tickets. */
  field: z.string().optional(),
});
export type BoardMove = z.infer<typeof BoardMove>;

export const JobKind = z.enum(['event', 'reconcile', 'install']);
export type JobKind = z.infer<typeof JobKind>;

export const Job = z.object({
  id: z.string().min(1),
  /** The installation whose token does the work. */
  installation: z.number().int().positive(),
  /** `owner/name`. */
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  /** The default branch, when the event told it (installation events do not: it is read). */
  branch: z.string().optional(),
  /**
   * `install`: the repository's first sync, with its progress in a check run;
   * `reconcile`: the periodic catch-up; `event`: webhooks. A job folded into
   * another keeps the stronger kind (install, then reconcile, then event).
   */
  kind: JobKind,
  /**
   * Only the tickets of these pushes need a sync: true while every event
   * folded into the job was a push. An issue event, a reconcile or an
   * install makes the sync whole.
   */
  scoped: z.boolean(),
  pushes: z.array(PushedCommits),
  /** What caused it: delivery ids, for the log. */
  causes: z.array(z.string()),
  /** Why, for the commit message: `#12 closed by @octocat`. */
  reasons: z.array(z.string()),
  /** The last event's sender: the writer of GitHub's side. */
  writer: z.string().optional(),
  /** Issues whose comments an event says changed. */
  refreshComments: z.array(z.number().int().positive()),
  /** Pull requests whose linked tickets may move (their events and their checks'). */
  pulls: z.array(PullWork).default([]),
  /** Cards people moved on the project board. */
  board: z.array(BoardMove).default([]),
  enqueuedAt: z.string(),
  /** Set while a worker runs it: a job found started after a restart is run again (runs are idempotent). */
  startedAt: z.string().optional(),
  /** Not before this instant (a rate limit's reset, or a retry's back-off). */
  notBefore: z.string().optional(),
  /** Runs that failed with an error worth another try, and got nothing synced (these count toward giving up). */
  failures: z.number().int().nonnegative(),
  /** Runs that failed and were tried again, all of them: a run after one may find what an earlier one made. */
  retries: z.number().int().nonnegative().default(0),
});
export type Job = z.infer<typeof Job>;

const STRENGTH: Record<JobKind, number> = { event: 0, reconcile: 1, install: 2 };

/** The cause to name in a commit message: the first reasons, and how many more. */
export function reasonOf(job: Pick<Job, 'reasons'>): string {
  const [first, second, ...rest] = job.reasons;
  if (first === undefined) return 'sync';
  if (second === undefined) return first;
  return rest.length === 0 ? `${first}; ${second}` : `${first}; ${second} and ${rest.length} more`;
}

/**
 * Fold `next` into `waiting`, a job of the same repository not started yet:
 * one sync then answers both. Order is kept (causes, reasons, pushes), the
 * last event's sender and branch win, and the sync is scoped only if both were.
 */
export function foldInto(waiting: Job, next: Job): Job {
  const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];
  return {
    ...waiting,
    installation: next.installation,
    ...(next.branch !== undefined ? { branch: next.branch } : {}),
    kind: STRENGTH[next.kind] > STRENGTH[waiting.kind] ? next.kind : waiting.kind,
    scoped: waiting.scoped && next.scoped,
    pushes: [...waiting.pushes, ...next.pushes.filter((p) => !waiting.pushes.some((w) => w.after === p.after))],
    causes: union(waiting.causes, next.causes),
    reasons: union(waiting.reasons, next.reasons),
    ...(next.writer !== undefined ? { writer: next.writer } : {}),
    refreshComments: union(waiting.refreshComments, next.refreshComments),
    pulls: foldPulls(waiting.pulls, next.pulls),
    board: [...waiting.board, ...next.board],
  };
}

/** One entry per pull request: the later event's time and words, and every read either asked for. */
function foldPulls(waiting: readonly PullWork[], next: readonly PullWork[]): PullWork[] {
  const byNumber = new Map(waiting.map((p) => [p.number, p]));
  for (const p of next) {
    const known = byNumber.get(p.number);
    const later = known === undefined || Date.parse(p.at) >= Date.parse(known.at) ? p : known;
    const ciReason = p.ciReason ?? known?.ciReason;
    byNumber.set(p.number, known === undefined ? p : { ...later, review: known.review || p.review, ci: known.ci || p.ci, ...(ciReason !== undefined ? { ciReason } : {}) });
  }
  return [...byNumber.values()];
}

/** What to do with a job whose run threw. */
export type Failure =
  /** Run it again at `notBefore` (a rate limit: the limit's reset or GitHub's `retry-after`). */
  | { action: 'defer'; notBefore: Date; why: string }
  /**
   * Run it again after a back-off (GitHub's 5xx, a network error, the branch racing away).
   * `progressed`: the try wrote to GitHub before it failed, so it does not count toward giving up.
   */
  | { action: 'retry'; notBefore: Date; why: string; progressed?: true }
  /** Give up on it: the error will not go away by trying again. */
  | { action: 'drop'; why: string };

/** Retries after a transient error; then the job is dropped (the next event or reconcile syncs anyway). */
export const MAX_FAILURES = 4;

/**
 * Classify a failed run. Rate limits are waited out however often they come
 * (that is the pacing of a big first sync); other transient errors are tried
 * again with exponential back-off, at most {@link MAX_FAILURES} times.
 */
export function onFailure(error: unknown, job: Pick<Job, 'failures'>, now: Date): Failure {
  const e = (error ?? {}) as { status?: number; name?: string; message?: string; response?: { headers?: Record<string, string | undefined> } };
  const headers = e.response?.headers ?? {};
  const why = String(e.message ?? error).split('\n')[0]!;
  const retryAfter = Number(headers['retry-after']);
  if ((e.status === 403 || e.status === 429) && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return { action: 'defer', notBefore: new Date(now.getTime() + Math.max(retryAfter, 1) * 1000), why };
  }
  if ((e.status === 403 || e.status === 429) && headers['x-ratelimit-remaining'] === '0' && Number.isFinite(Number(headers['x-ratelimit-reset']))) {
    return { action: 'defer', notBefore: new Date(Math.max(Number(headers['x-ratelimit-reset']) * 1000, now.getTime() + 1000)), why };
  }
  if (!isTransient(error)) return { action: 'drop', why };
  // A try that got some writes through before a transient error has less left to do: tried again, uncounted.
  if ((error as { progressed?: unknown } | null)?.progressed === true) return { action: 'retry', notBefore: new Date(now.getTime() + 5_000), why, progressed: true };
  if (job.failures + 1 >= MAX_FAILURES) return { action: 'drop', why: `${why} (gave up after ${MAX_FAILURES} tries)` };
  return { action: 'retry', notBefore: new Date(now.getTime() + 2 ** job.failures * 5_000), why };
}

/**
 * Mark a try's error as one that came after the try wrote to GitHub. Each such
 * try leaves less to write, so a job whose writes fail now and then (5xx at a
 * steady rate) gets through in the end instead of being given up on after
 * {@link MAX_FAILURES} tries that each did part of the work.
 */
export function madeProgress(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) Object.assign(error, { progressed: true });
  return error;
}

/** `RECONCILE_INTERVAL`: `15m`, `1h`, `90s`, `1h30m`, a bare number of seconds; `0`/empty turns it off (0). Throws on anything else. */
export function parseInterval(text: string | undefined): number {
  const value = (text ?? '').trim();
  if (value === '' || value === '0') return 0;
  try {
    return parseDuration('RECONCILE_INTERVAL', value);
  } catch (error) {
    throw new Error(`${(error as Error).message.replace(/\)$/, '')}, or 0 to turn it off)`);
  }
}
