/**
 * The App as `probot run` loads it (`npm start`): the state store named by
 * REDIS_URL when several instances share the work, else STORE_URL (a SQLite
 * file by default); the reconcile timer of RECONCILE_INTERVAL; the time limit
 * of each request to GitHub, GITHUB_REQUEST_TIMEOUT (30 s by default); and the
 * Probot application function.
 */
import { requestTimeoutOf } from '../github/request-timeout.js';
import { openStateStore } from '../store/keyv-store.js';
import { createTicketSyncApp } from './app.js';
import { parseInterval } from './jobs.js';

/** Where the App keeps its state: REDIS_URL when set (several instances share it), else STORE_URL, else a SQLite file. */
export function storeUrlOf(env: NodeJS.ProcessEnv): string {
  return env.REDIS_URL || env.STORE_URL || 'sqlite://.ticket-sync/app-state.sqlite';
}

/** Why the environment cannot run the App in production, if it cannot. */
export function productionProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV !== 'production') return undefined;
  const secret = env.WEBHOOK_SECRET;
  if (!secret || secret === 'development') return 'WEBHOOK_SECRET is unset or the development default: set a long random secret in production';
  return undefined;
}

const problem = productionProblem(process.env);
if (problem) throw new Error(`ticket-sync refuses to start: ${problem}`);

const reconcileInterval = parseInterval(process.env.RECONCILE_INTERVAL ?? '1h');
const requestTimeout = requestTimeoutOf(process.env);
const state = await openStateStore(storeUrlOf(process.env));

export default createTicketSyncApp({ state, reconcileInterval, requestTimeout }).appFn;
