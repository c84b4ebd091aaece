/**
 * What the commands that talk to GitHub need beyond the working copy
 * (`local-state.ts`): a token, the API base, and the sync service over the
 * ticket location, GitHub and the state store.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createOctokit } from '../github/octokit.js';
import { githubIssues } from '../github/issues.js';
import { loadConfig } from '../config/load.js';
import { mappingOf } from '../config/schema.js';
import { SyncService } from '../service/sync-service.js';
import { tokenUser } from './token-user.js';
import type { StateStore } from '../store/types.js';
import type { FormatName } from '../tickets/formats/index.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import { workingCopyRoot } from '../tickets/locations.js';
import { formatProblem } from '../tickets/problems.js';
import { fileTimes } from './file-times.js';
import { workingCopyHistory } from './ticket-history.js';
import { UsageError, type CliIo } from './io.js';
import { gitConfig, openState, resolveRepo, singleLocation, ticketStoreOf } from './local-state.js';

export interface SyncFlags {
  repo?: string;
  token?: string;
  apiUrl?: string;
  dir?: string;
  format?: FormatName;
  dryRun?: boolean;
  json?: boolean;
}

export interface SyncContext {
  repo: string;
  service: SyncService;
  state: StateStore;
  close(): Promise<void>;
}

export async function openSyncContext(io: CliIo, flags: SyncFlags): Promise<SyncContext> {
  const workdir = workingCopyRoot(io.cwd);
  const location = await singleLocation(io, flags);
  const config = await loadConfig(workdir);
  if (!config.ok) throw new UsageError(`invalid configuration:\n${config.problems.map((p) => formatProblem(p)).join('\n')}`);

  const { repo, apiUrl: remoteApi } = await resolveRepo(workdir, flags);
  const token = flags.token ?? io.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('no token: pass --token or set GITHUB_TOKEN');
  const apiUrl = flags.apiUrl ?? io.env.GITHUB_API_URL ?? remoteApi ?? 'https://api.github.com';
  try {
    new URL(apiUrl);
  } catch {
    throw new UsageError(`--api-url ${apiUrl}: not a URL`);
  }

  // A dry run reads state through an overlay it never flushes, and makes no state file.
  const state = await openState(workdir, io.env, flags.dryRun ?? false);
  const [owner, name] = repo.split('/') as [string, string];
  // TICKET_SYNC_WAIT_SCALE shrinks every wait (retry-after, backoff, write pacing): for tests against the emulator's fast clock.
  const waitScale = Number(io.env.TICKET_SYNC_WAIT_SCALE ?? 1);
  const octokit = createOctokit({
    auth: token,
    baseUrl: apiUrl,
    // Requests are not the user's business; waits and failures are.
    log: { debug: () => undefined, info: () => undefined, warn: (m: string) => io.stderr(`warning: ${m}\n`), error: (m: string) => io.stderr(`error: ${m}\n`) },
    ...(waitScale > 0 && waitScale !== 1 ? { waitScale } : {}),
  });
  const times = fileTimes(workdir, location.root);
  const localWriter = (await gitConfig(workdir, 'user.name')) ?? 'local';
  const self = tokenUser(octokit, state, token, io.env);
  const service = new SyncService({
    repo,
    tickets: ticketStoreOf(location),
    github: githubIssues(octokit, { owner, name }, state, { self }),
    state,
    mapping: mappingOf(config.config),
    importIssues: config.config.import,
    cause: `cli:${randomUUID().slice(0, 8)}`,
    self,
    localWriter,
    fileTime: (loaded: LoadedTicket) => times(join(location.root, loaded.path)),
    ticketHistory: workingCopyHistory(workdir, location.root, localWriter, times),
    now: () => new Date(),
  });
  return { repo, service, state, close: () => state.close() };
}
