/**
 * What the sync commands need from the world: the working copy, its ticket
 * location, the repository (`--repo` or the `origin` remote), a token, the
 * API base, the state store, and the mapping configuration.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createOctokit } from '../github/octokit.js';
import { githubIssues } from '../github/issues.js';
import { loadConfig } from '../config/load.js';
import { mappingOf } from '../config/schema.js';
import { SyncService } from '../service/sync-service.js';
import { openStateStore } from '../store/keyv-store.js';
import { overlay } from '../store/overlay.js';
import type { StateStore } from '../store/types.js';
import { FORMATS, type FormatName } from '../tickets/formats/index.js';
import { workingCopyRoot } from '../tickets/locations.js';
import { TicketStore } from '../tickets/store.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import { fileTimes } from './file-times.js';
import { formatProblem } from '../tickets/problems.js';
import { UsageError, type CliIo } from './io.js';
import { resolveLocations } from './commands/validate.js';

const exec = promisify(execFile);

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

/** `owner/name` and the API base of a git remote URL (github.com or a GitHub Enterprise host). */
export function parseRemote(url: string): { repo: string; apiUrl: string } | undefined {
  const match =
    /^(?:https?:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/|git@([^:]+):|ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match) return undefined;
  const host = (match[1] ?? match[2] ?? match[3])!.toLowerCase();
  return { repo: `${match[4]}/${match[5]}`, apiUrl: host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3` };
}

/** A git configuration value of the working copy, if git and the value are there. */
async function gitConfig(workdir: string, key: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('git', ['config', '--get', key], { cwd: workdir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Where the CLI keeps its state: `STORE_URL`, else `.ticket-sync/state.sqlite` in the working copy. */
export function storeUrlFor(workdir: string, env: CliIo['env']): string {
  return env.STORE_URL ?? `sqlite://${join(workdir, '.ticket-sync', 'state.sqlite')}`;
}

export async function openSyncContext(io: CliIo, flags: SyncFlags): Promise<SyncContext> {
  const workdir = workingCopyRoot(io.cwd);
  const locations = await resolveLocations(io, flags);
  if (locations.length > 1) {
    throw new UsageError(`the working copy has ${locations.length} ticket locations (${locations.map((l) => l.dir).join(', ')}): pass --dir, or set tickets.path in .github/ticket-sync.yml`);
  }
  const location = locations[0]!;
  const config = await loadConfig(workdir);
  if (!config.ok) throw new UsageError(`invalid configuration:\n${config.problems.map((p) => formatProblem(p)).join('\n')}`);

  const origin = flags.repo === undefined ? await gitConfig(workdir, 'remote.origin.url') : undefined;
  const remote = origin === undefined ? undefined : parseRemote(origin);
  const repo = flags.repo ?? remote?.repo;
  if (repo === undefined) {
    throw new UsageError(origin ? `cannot tell the GitHub repository from the origin remote ${origin}: pass --repo owner/name` : 'no origin remote: pass --repo owner/name');
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo ${repo}: expected owner/name`);
  const token = flags.token ?? io.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('no token: pass --token or set GITHUB_TOKEN');
  const apiUrl = flags.apiUrl ?? io.env.GITHUB_API_URL ?? remote?.apiUrl ?? 'https://api.github.com';
  try {
    new URL(apiUrl);
  } catch {
    throw new UsageError(`--api-url ${apiUrl}: not a URL`);
  }

  const storeUrl = storeUrlFor(workdir, io.env);
  const sqlitePath = storeUrl.startsWith('sqlite://') ? storeUrl.slice('sqlite://'.length) : undefined;
  // A dry run writes nothing anywhere: not even a new state file.
  const inner = flags.dryRun && sqlitePath !== undefined && !existsSync(sqlitePath) ? await openStateStore('memory:') : await openStateStore(storeUrl);
  if (!flags.dryRun && sqlitePath !== undefined) keepOutOfGit(dirname(sqlitePath));
  // A dry run reads state through an overlay it never flushes.
  const state = flags.dryRun ? overlay(inner, 'dry run: never written') : inner;
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
  const service = new SyncService({
    repo,
    tickets: new TicketStore(location.root, FORMATS[location.format]),
    github: githubIssues(octokit, { owner, name }, state),
    state,
    mapping: mappingOf(config.config),
    importIssues: config.config.import,
    cause: `cli:${randomUUID().slice(0, 8)}`,
    localWriter: (await gitConfig(workdir, 'user.name')) ?? 'local',
    fileTime: (() => {
      const times = fileTimes(workdir, location.root);
      return (loaded: LoadedTicket) => times(join(location.root, loaded.path));
    })(),
    now: () => new Date(),
  });
  return { repo, service, state, close: () => state.close() };
}

/** The state folder ignores itself, so a working copy never commits it. */
function keepOutOfGit(folder: string): void {
  const ignore = join(folder, '.gitignore');
  if (existsSync(folder) && !existsSync(ignore)) writeFileSync(ignore, '*\n');
}
