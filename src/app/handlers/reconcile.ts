/**
 * The periodic reconcile: a full sync of every repository of every
 * installation, now and then, to catch missed webhooks.
 */
import type { Probot } from 'probot';
import type { Intake } from '../intake.js';

interface RepositoryJson {
  full_name: string;
  default_branch?: string;
}

export interface Reconciler {
  /** Queue a reconcile of every repository of every installation now; how many were queued. */
  reconcileAll(): Promise<number>;
  /** Do it every `intervalMs` (0: never); returns the stop. */
  every(intervalMs: number | undefined): () => void;
}

export function reconciler(app: Probot, intake: Intake, now: () => Date): Reconciler {
  const reconcileAll = async (): Promise<number> => {
    const cause = `reconcile:${now().toISOString()}`;
    const octokit = await app.auth();
    const installations = await octokit.paginate('GET /app/installations', { per_page: 100 });
    let queued = 0;
    for (const installation of installations) {
      if (installation.suspended_at) continue;
      const scoped = await app.auth(installation.id);
      const repositories = (await scoped.paginate('GET /installation/repositories', { per_page: 100 })) as unknown as RepositoryJson[];
      for (const repository of repositories) {
        const branch = repository.default_branch ? { branch: repository.default_branch } : {};
        await intake.enqueue({ installation: installation.id, repo: repository.full_name, ...branch }, { kind: 'reconcile', cause, reason: 'reconcile' });
        queued++;
      }
    }
    return queued;
  };
  return {
    reconcileAll,
    every(intervalMs) {
      if (!intervalMs || intervalMs <= 0) return () => undefined;
      const timer = setInterval(() => {
        reconcileAll().catch((error: unknown) => app.log.error({ err: error }, 'ticket-sync: queuing the reconcile failed'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
