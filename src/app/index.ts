/**
 * The App as `probot run` loads it (`npm start`): the state store named by
 * STORE_URL (a SQLite file by default; redis://… when several instances
 * share the work), and the Probot application function.
 */
import { openStateStore } from '../store/keyv-store.js';
import { createTicketSyncApp } from './app.js';

/** Why the environment cannot run the App in production, if it cannot. */
export function productionProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV !== 'production') return undefined;
  const secret = env.WEBHOOK_SECRET;
  if (!secret || secret === 'development') return 'WEBHOOK_SECRET is unset or the development default: set a long random secret in production';
  return undefined;
}

const problem = productionProblem(process.env);
if (problem) throw new Error(`ticket-sync refuses to start: ${problem}`);

const state = await openStateStore(process.env.STORE_URL ?? 'sqlite://.ticket-sync/app-state.sqlite');

export default createTicketSyncApp({ state }).appFn;
