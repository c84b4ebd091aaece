/**
 * What the App does to the Probot instance it is given, before anything
 * else: every Octokit `app.auth()` hands out (the App's own, and each
 * installation's, which the jobs run on) gets a time limit on every request
 * (`GITHUB_REQUEST_TIMEOUT`, see `src/github/request-timeout.ts`), and the
 * webhook middleware gets its guard (`webhook-guard.ts`: the size cap,
 * signatures and payload shapes).
 *
 * Probot builds its Octokits itself (`probot run` offers no way in), so
 * `auth` is wrapped on the instance: with a hung GitHub, a job's request
 * fails after the limit, the job is retried with back-off like after a 5xx,
 * and its worker slot is free for other repositories meanwhile.
 */
import type { Probot } from 'probot';
import { DEFAULT_REQUEST_TIMEOUT_MS, withRequestTimeout } from '../github/request-timeout.js';
import { guardWebhooks } from './webhook-guard.js';

export interface Hardening {
  /** The time limit of one request to GitHub, in ms (default 30 s). */
  requestTimeout?: number;
  /** The largest webhook body accepted, in bytes (default: GitHub's cap, 25 MB). */
  maxWebhookBytes?: number;
}

export function harden(app: Probot, options: Hardening = {}): void {
  const ms = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const auth = app.auth.bind(app);
  app.auth = async (installationId?: number) => {
    const octokit = await auth(installationId);
    return withRequestTimeout(octokit as unknown as Parameters<typeof withRequestTimeout>[0], ms) as unknown as typeof octokit;
  };
  guardWebhooks(app, options.maxWebhookBytes);
}
