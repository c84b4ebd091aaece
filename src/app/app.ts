/**
 * The Probot wiring: handlers only filter events and queue the repository's
 * sync (`src/service/repo-sync.ts`). Changes the app made itself are
 * ignored; each delivery is processed at most once.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import { Config } from '../config/schema.js';
import type { IssuesOctokit } from '../github/issues.js';
import { syncRepository } from '../service/repo-sync.js';
import { reportInvalidConfig, reportPush } from './verdict.js';
import type { StateStore } from '../store/types.js';
import { RepoQueue } from './queue.js';

export interface AppDeps {
  state: StateStore;
  now?: () => Date;
  /** Told when a repository's job fails (the log gets it too). */
  onError?: (repo: string, error: unknown) => void;
}

export interface TicketSyncApp {
  appFn: ApplicationFunction;
  /** Resolves when no sync is queued or running (tests, graceful shutdown). */
  idle(): Promise<void>;
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

const DELIVERY = (id: string) => `delivery:${id}`;

export function createTicketSyncApp(deps: AppDeps): TicketSyncApp {
  let queue: RepoQueue | undefined;
  const now = deps.now ?? (() => new Date());

  const appFn: ApplicationFunction = (app: Probot, { addHandler }) => {
    queue = new RepoQueue((repo, error) => {
      app.log.error({ repo, err: error }, `ticket-sync: syncing ${repo} failed`);
      deps.onError?.(repo, error);
    });
    let botLogin: Promise<string> | undefined;
    /** The app's own bot (`<slug>[bot]`): its changes are echoes. */
    const bot = () =>
      (botLogin ??= app.auth().then(async (octokit) => `${(await octokit.request('GET /app')).data?.slug ?? 'ticket-sync'}[bot]`));

    addHandler((req, res) => {
      if (req.url !== '/healthz') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', store: deps.state.location, queued: queue?.size ?? 0 }));
      return true;
    });

    /**
     * Filter one event and queue its repository's sync; false when it was
     * ignored. `pushed`: the pushed commit, which gets the check run.
     */
    const accept = async (context: Context, reason: string, refreshComments?: number, pushed?: string): Promise<boolean> => {
      const payload = context.payload as { repository?: { full_name: string; default_branch: string; owner: { login: string }; name: string }; sender?: { login: string } };
      const repository = payload.repository;
      if (!repository) return false;
      if (payload.sender?.login === (await bot())) return false; // our own change, echoed back
      const repoName = repository.full_name;
      const seen = DELIVERY(context.id);
      if (await deps.state.getMeta(repoName, seen)) return false; // a redelivery
      await deps.state.setMeta(repoName, seen, now().toISOString());
      const octokit = context.octokit as unknown as IssuesOctokit;
      const repo = { owner: repository.owner.login, name: repository.name };
      let raw: Record<string, unknown> | string;
      try {
        raw = (await context.config<Record<string, unknown>>('ticket-sync.yml')) ?? {};
      } catch (error) {
        // Unreadable YAML: Probot's loader throws.
        raw = `invalid YAML: ${String((error as Error).message).split('\n')[0]}`;
      }
      const config = typeof raw === 'string' ? undefined : Config.safeParse(raw);
      if (config === undefined || !config.success) {
        const issues = config?.error.issues ?? (raw as string);
        app.log.warn({ repo: repoName, issues }, 'ticket-sync: invalid .github/ticket-sync.yml; this repository is paused');
        // A push gets a failing check run naming the key, line and column; the other repositories go on.
        if (pushed !== undefined) queue!.push(repoName, () => reportInvalidConfig(octokit, repo, pushed, issues));
        return false;
      }
      queue!.push(repoName, async () => {
        const result = await syncRepository({
          octokit,
          repo,
          branch: repository.default_branch,
          state: deps.state,
          config: config.data,
          cause: context.id,
          reason,
          ...(payload.sender ? { githubWriter: payload.sender.login } : {}),
          ...(refreshComments !== undefined ? { refreshComments: [refreshComments] } : {}),
          now,
        });
        if (pushed !== undefined) await reportPush(octokit, repo, pushed, result);
      });
      return true;
    };

    app.on([...ISSUE_EVENTS], async (context) => {
      const payload = context.payload as { action: string; issue: { number: number }; sender: { login: string } };
      const comment = context.name === 'issue_comment';
      await accept(context, `#${payload.issue.number} ${comment ? `comment ${payload.action}` : payload.action} by @${payload.sender.login}`, comment ? payload.issue.number : undefined);
    });

    app.on('push', async (context) => {
      const { ref, repository, after, deleted } = context.payload;
      if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
      await accept(context, `push ${after.slice(0, 7)} by @${context.payload.sender?.login ?? context.payload.pusher.name}`, undefined, after);
    });
  };

  return { appFn, idle: () => queue?.idle() ?? Promise.resolve() };
}
