/**
 * The Probot wiring: handlers only filter events and store a job for the
 * repository (`job-queue.ts`); the jobs do the work (`run-job.ts`). Changes
 * the app made itself are ignored; each delivery is processed at most once;
 * installing the app on a repository queues its first sync; a timer queues a
 * reconcile of every repository now and then.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import type { z } from 'zod';
import { changedPathsOfPush } from '../github/push-changes.js';
import type { StateStore } from '../store/types.js';
import { JobQueue, type NewJob } from './job-queue.js';
import type { Failure, Job, PushedCommits } from './jobs.js';
import { InstallationEvent, IssueEvent, PushEvent, readPayload, RepositoryEvent } from './payloads.js';
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

const ISSUE_EVENTS = [
  'issues.opened',
  'issues.edited',
  'issues.closed',
  'issues.reopened',
  'issues.labeled',
  'issues.unlabeled',
  'issues.assigned',
  'issues.unassigned',
  'issues.deleted',
  'issue_comment.created',
  'issue_comment.edited',
  'issue_comment.deleted',
] as const;

/** Delivery ids are remembered this long: GitHub redelivers on request within 3 days. */
const DELIVERY_TTL_MS = 7 * 24 * 3600_000;
const DELIVERY = (id: string) => `delivery:${id}`;

interface RepositoryJson {
  full_name: string;
  default_branch?: string;
}

export function createTicketSyncApp(deps: AppDeps): TicketSyncApp {
  let queue: JobQueue | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reconcileAll: () => Promise<number> = async () => 0;
  const now = deps.now ?? (() => new Date());

  const appFn: ApplicationFunction = (app: Probot, { addHandler }) => {
    queue = new JobQueue({
      state: deps.state,
      now,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      run: async (job) => runJob(job, { octokit: (await app.auth(job.installation)) as unknown as JobOctokit, state: deps.state, now, log: app.log }),
      onFailure: (job, failure, error) => {
        const message = `ticket-sync: a job for ${job.repo} failed (${failure.why}); ${failure.action === 'drop' ? 'dropped' : `again at ${failure.notBefore.toISOString()}`}`;
        if (failure.action === 'defer') app.log.info({ repo: job.repo }, message);
        else app.log.error({ repo: job.repo, err: error }, message);
        deps.onError?.(job.repo, error, failure);
      },
    });
    const jobs = queue;
    let botLogin: Promise<string> | undefined;
    /** The app's own bot (`<slug>[bot]`): its changes are echoes. */
    const bot = () =>
      (botLogin ??= app.auth().then(async (octokit) => `${(await octokit.request('GET /app')).data?.slug ?? 'ticket-sync'}[bot]`));

    addHandler((req, res) => {
      if (req.url !== '/healthz') return false;
      void jobs.pending().then(
        (pending) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'ok', store: deps.state.location, queued: pending.length, active: jobs.active }));
        },
        (error: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'store unavailable', store: deps.state.location, error: String((error as Error)?.message ?? error) }));
        },
      );
      return true;
    });

    /** True the first time a delivery is seen; a redelivery is acknowledged and ignored. */
    const firstDelivery = async (scope: string, id: string): Promise<boolean> => {
      if (await deps.state.getMeta(scope, DELIVERY(id))) return false;
      await deps.state.setMeta(scope, DELIVERY(id), now().toISOString(), DELIVERY_TTL_MS);
      return true;
    };

    /** The payload as `schema` reads it; a payload without what the handler needs is acknowledged, logged and ignored. */
    const read = <T>(context: Context, schema: z.ZodType<T>): T | undefined => {
      const payload = readPayload(schema, context.payload);
      if (payload.ok) return payload.value;
      app.log.warn({ event: context.name, delivery: context.id, problem: payload.problem }, `ticket-sync: ignored a ${context.name} webhook it cannot read: ${payload.problem}`);
      return undefined;
    };

    /** Filter one repository event and store its job; the webhook is answered once it is stored. */
    const accept = async (context: Context, event: z.infer<typeof RepositoryEvent>, job: Pick<NewJob, 'scoped' | 'pushes' | 'reasons' | 'refreshComments'>): Promise<void> => {
      const { repository, installation, sender } = event;
      if (sender?.login === (await bot())) return; // our own change, echoed back
      if (!(await firstDelivery(repository.full_name.toLowerCase(), context.id))) return;
      await jobs.enqueue({
        installation: installation.id,
        repo: repository.full_name,
        ...(repository.default_branch ? { branch: repository.default_branch } : {}),
        kind: 'event',
        causes: [context.id],
        ...(sender ? { writer: sender.login } : {}),
        ...job,
      });
    };

    app.on([...ISSUE_EVENTS], async (context) => {
      const event = read(context, IssueEvent);
      if (!event) return;
      const comment = context.name === 'issue_comment';
      const reason = `#${event.issue.number} ${comment ? `comment ${event.action}` : event.action} by @${event.sender.login}`;
      await accept(context, event, { scoped: false, pushes: [], reasons: [reason], refreshComments: comment ? [event.issue.number] : [] });
    });

    app.on('push', async (context) => {
      const event = read(context, PushEvent);
      if (!event) return;
      const { ref, repository, before, after, deleted, forced, head_commit } = event;
      if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
      const paths = changedPathsOfPush(event);
      const push: PushedCommits = {
        before,
        after,
        forced,
        paths: paths === 'needs compare' ? 'compare' : (paths ?? null),
        ...(head_commit?.tree_id ? { tree: head_commit.tree_id } : {}),
      };
      const reason = `push ${after.slice(0, 7)} by @${event.sender?.login ?? event.pusher.name}`;
      await accept(context, event, { scoped: true, pushes: [push], reasons: [reason], refreshComments: [] });
    });

    /** Installing the app on repositories queues each one's first sync. */
    const install = async (context: Context, pick: (event: z.infer<typeof InstallationEvent>) => readonly { full_name: string }[] | undefined): Promise<void> => {
      const event = read(context, InstallationEvent);
      if (!event) return;
      if (!(await firstDelivery('*', context.id))) return;
      for (const repository of pick(event) ?? []) {
        await jobs.enqueue({
          installation: event.installation.id,
          repo: repository.full_name,
          kind: 'install',
          scoped: false,
          pushes: [],
          causes: [context.id],
          reasons: ['first sync'],
          refreshComments: [],
        });
      }
    };
    app.on('installation.created', async (context) => install(context, (event) => event.repositories));
    app.on('installation_repositories.added', async (context) => install(context, (event) => event.repositories_added));

    reconcileAll = async () => {
      const cause = `reconcile:${now().toISOString()}`;
      const octokit = await app.auth();
      const installations = await octokit.paginate('GET /app/installations', { per_page: 100 });
      let queued = 0;
      for (const installation of installations) {
        if (installation.suspended_at) continue;
        const scoped = await app.auth(installation.id);
        const repositories = (await scoped.paginate('GET /installation/repositories', { per_page: 100 })) as unknown as RepositoryJson[];
        for (const repository of repositories) {
          await jobs.enqueue({
            installation: installation.id,
            repo: repository.full_name,
            ...(repository.default_branch ? { branch: repository.default_branch } : {}),
            kind: 'reconcile',
            scoped: false,
            pushes: [],
            causes: [cause],
            reasons: ['reconcile'],
            refreshComments: [],
          });
          queued++;
        }
      }
      return queued;
    };
    if (deps.reconcileInterval && deps.reconcileInterval > 0) {
      timer = setInterval(() => {
        reconcileAll().catch((error: unknown) => app.log.error({ err: error }, 'ticket-sync: queuing the reconcile failed'));
      }, deps.reconcileInterval);
      timer.unref();
    }

    // What a previous run of the app left waiting or running is taken up again.
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
      if (timer) clearInterval(timer);
      await queue?.close();
    },
  };
}

export type { Job };
