/**
 * The Probot wiring. The handlers (`handlers/`, one file per event group)
 * only read events and hand their work to the intake (`intake.ts`), the one
 * way into the durable job queue (`job-queue.ts`); the jobs do the work
 * (`run-job.ts`). `/healthz` is an HTTP handler beside the webhooks, and a
 * timer queues a reconcile of every repository now and then.
 */
import type { ApplicationFunction, Probot } from 'probot';
import { botLogin } from './bot-login.js';
import type { StateStore } from '../store/types.js';
import { harden } from './harden.js';
import { handleInstallation } from './handlers/installation.js';
import { healthz } from './handlers/healthz.js';
import { handleIssueEvents } from './handlers/issues.js';
import { handlePush } from './handlers/push.js';
import { handleChecks } from './handlers/ci.js';
import { handleBoard } from './handlers/board.js';
import { handlePullRequests } from './handlers/pull-requests.js';
import { reconciler } from './handlers/reconcile.js';
import { createIntake } from './intake.js';
import { JobQueue } from './job-queue.js';
import type { Failure, Job } from './jobs.js';
import { madeProgress } from './jobs.js';
import { runJob, type JobOctokit } from './run-job.js';

export interface AppDeps {
  state: StateStore;
  now?: () => Date;
  /** Wait for a deferred job (a rate limit's reset); tests move a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Every installation's repositories are reconciled this often (ms); 0 or absent: never. */
  reconcileInterval?: number;
  /** Told when a repository's job fails (the log gets it too). */
  onError?: (repo: string, error: unknown, failure: Failure) => void;
  /** The time limit of one request to GitHub, in ms (default 30 s): a hung request fails, and its job is retried with back-off. */
  requestTimeout?: number;
}

export interface TicketSyncApp {
  appFn: ApplicationFunction;
  /** Resolves when no job is being stored or run (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Queue a reconcile of every repository of every installation now (what the timer does). */
  reconcile(): Promise<number>;
  /** Stop the timer and take up no more jobs; what is stored waits for the next start. */
  stop(): Promise<void>;
}

/** The requests that sync: writes to issues (comments, labels, assignees) and to the repository's files and git data. */
const SYNC_WRITE = /\/repos\/[^/]+\/[^/]+\/(issues|git|contents|pulls)(\/|\?|$)/;
/** A check run made (a push's report): made once per push, so a try that made one made progress. */
const CHECK_RUNS = /\/repos\/[^/]+\/[^/]+\/check-runs$/;

/** The durable queue whose jobs the App's installation tokens run; failures are logged and told. */
function jobQueue(app: Probot, deps: AppDeps, now: () => Date, self: () => Promise<string>): JobQueue {
  return new JobQueue({
    state: deps.state,
    now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    run: async (job) => {
      const octokit = await app.auth(job.installation);
      // Whether the try got anything done on GitHub (an issue, a comment, a label, a commit, a new check run): a
      // failed try that did made progress (see `onFailure`). A token is not progress, nor is a check run's update.
      let wrote = false;
      octokit.hook.after('request', (_, options) => {
        const url = String(options.url);
        if (options.method === 'POST' ? SYNC_WRITE.test(url) || CHECK_RUNS.test(url) : options.method !== 'GET' && options.method !== 'HEAD' && SYNC_WRITE.test(url)) wrote = true;
      });
      try {
        await runJob(job, { octokit: octokit as unknown as JobOctokit, state: deps.state, now, self, log: app.log });
      } catch (error) {
        throw wrote ? madeProgress(error) : error;
      }
    },
    onFailure: (job, failure, error) => {
      const message = `ticket-sync: a job for ${job.repo} failed (${failure.why}); ${failure.action === 'drop' ? 'dropped' : `again at ${failure.notBefore.toISOString()}`}`;
      if (failure.action === 'defer') app.log.info({ repo: job.repo }, message);
      else app.log.error({ repo: job.repo, err: error }, message);
      deps.onError?.(job.repo, error, failure);
    },
  });
}

export function createTicketSyncApp(deps: AppDeps): TicketSyncApp {
  let queue: JobQueue | undefined;
  let stopTimer = () => undefined as void;
  let reconcileAll: () => Promise<number> = async () => 0;
  const now = deps.now ?? (() => new Date());

  const appFn: ApplicationFunction = (app: Probot, { addHandler }) => {
    harden(app, deps.requestTimeout !== undefined ? { requestTimeout: deps.requestTimeout } : {});
    const self = botLogin(app);
    const jobs = (queue = jobQueue(app, deps, now, self));
    const intake = createIntake({ app, queue: jobs, state: deps.state, now, self });
    addHandler(healthz(deps.state, jobs));
    handleIssueEvents(app, intake, deps.state);
    handlePush(app, intake);
    handlePullRequests(app, intake, deps.state);
    handleChecks(app, intake, deps.state, now, self);
    handleBoard(app, intake, deps.state);
    handleInstallation(app, intake);
    const reconcile = reconciler(app, intake, now);
    reconcileAll = reconcile.reconcileAll;
    stopTimer = reconcile.every(deps.reconcileInterval);

    // What a previous run of the App left waiting or running is taken up again.
    void jobs.resume().then(
      (count) => count > 0 && app.log.info(`ticket-sync: resumed ${count} pending job${count === 1 ? '' : 's'}`),
      (error: unknown) => app.log.error({ err: error }, 'ticket-sync: resuming the stored jobs failed'),
    );
  };

  return {
    appFn,
    idle: () => queue?.idle() ?? Promise.resolve(),
    reconcile: () => reconcileAll(),
    async stop() {
      stopTimer();
      await queue?.close();
    },
  };
}

export type { Job };
