/**
 * The one way work gets into the App's queue. Every handler (issue events,
 * pushes, installations, the reconcile timer) hands in a target repository
 * and what to do there; the intake reads payloads, drops the App's own
 * echoes and deliveries already seen, and stores the job.
 */
import type { Context, Probot } from 'probot';
import type { z } from 'zod';
import { deliverySeen } from '../store/records.js';
import type { StateStore } from '../store/types.js';
import type { JobQueue, NewJob } from './job-queue.js';
import type { BoardMove, JobKind, PullWork, PushedCommits } from './jobs.js';
import { readPayload } from './payloads.js';

/** Delivery ids are remembered this long: GitHub redelivers on request within 3 days. */
export const DELIVERY_TTL_MS = 7 * 24 * 3600_000;

/** The repository a job is for, and the installation whose token does it. */
export interface Target {
  installation: number;
  /** `owner/name`. */
  repo: string;
  /** The default branch, when the event told it. */
  branch?: string;
}

/** What to do there, and why. */
export interface Work {
  kind: JobKind;
  /** A delivery id, or `reconcile:<time>`. */
  cause: string;
  /** For the commit message: `#12 closed by @octocat`, `first sync`. */
  reason: string;
  /** The event's sender: the writer of GitHub's side. */
  writer?: string;
  /** Only the pushed tickets need a sync. */
  pushes?: PushedCommits[];
  /** Issues whose comments the event says changed. */
  refreshComments?: number[];
  /** Pull requests whose linked tickets may move: only their tickets need a sync. */
  pulls?: PullWork[];
  /** Cards people moved on the project board. */
  board?: BoardMove[];
}

/** One delivery's work: for the repositories it names, once per delivery id in `scope`, never for the App's own changes. */
export interface Delivery {
  /** Where its id is remembered: the repository (lowercase), or `*` for installation events. */
  scope: string;
  targets: readonly Target[];
  /** Its sender's login: the App's bot is an echo of its own change. */
  sender?: string;
  work: Omit<Work, 'cause'>;
}

export interface Intake {
  /** The payload as `schema` reads it; one without what the handler needs is acknowledged, logged and ignored (undefined). */
  read<T>(context: Context, schema: z.ZodType<T>): T | undefined;
  /** Store a delivery's jobs, unless it is an echo or was seen before; the webhook is answered once they are stored. */
  accept(context: Context, delivery: Delivery): Promise<void>;
  /** Store one job (every path into the queue ends here). */
  enqueue(target: Target, work: Work): Promise<void>;
}

export interface IntakeDeps {
  app: Probot;
  queue: JobQueue;
  state: StateStore;
  now: () => Date;
  /** The App's own bot (`<slug>[bot]`): its changes are echoes. */
  self: () => Promise<string>;
}

export function createIntake({ app, queue, state, now, self: bot }: IntakeDeps): Intake {

  /** True the first time a delivery is seen within {@link DELIVERY_TTL_MS}; a redelivery is acknowledged and ignored. */
  const firstDelivery = async (scope: string, id: string): Promise<boolean> => {
    const seen = await deliverySeen.get(state, scope, id);
    if (seen !== undefined && now().getTime() - Date.parse(seen) < DELIVERY_TTL_MS) return false;
    await deliverySeen.set(state, scope, id, now().toISOString(), DELIVERY_TTL_MS);
    return true;
  };

  const enqueue = async (target: Target, work: Work): Promise<void> => {
    const job: NewJob = {
      installation: target.installation,
      repo: target.repo,
      ...(target.branch ? { branch: target.branch } : {}),
      kind: work.kind,
      scoped: work.pushes !== undefined || work.pulls !== undefined || work.board !== undefined,
      pushes: work.pushes ?? [],
      causes: [work.cause],
      reasons: [work.reason],
      ...(work.writer !== undefined ? { writer: work.writer } : {}),
      refreshComments: work.refreshComments ?? [],
      pulls: work.pulls ?? [],
      board: work.board ?? [],
    };
    await queue.enqueue(job);
  };

  return {
    read(context, schema) {
      const payload = readPayload(schema, context.payload);
      if (payload.ok) return payload.value;
      app.log.warn({ event: context.name, delivery: context.id, problem: payload.problem }, `ticket-sync: ignored a ${context.name} webhook it cannot read: ${payload.problem}`);
      return undefined;
    },
    async accept(context, { scope, targets, sender, work }) {
      if (sender !== undefined && sender === (await bot())) return; // our own change, echoed back
      if (!(await firstDelivery(scope, context.id))) return;
      for (const target of targets) await enqueue(target, { ...work, cause: context.id });
    },
    enqueue,
  };
}
