/**
 * What every sync command finds in the working copy itself: its git
 * settings, its one ticket location, the repository it syncs with, and the
 * state store. `log` and `restore --dry-run` need nothing more: no token, no
 * remote, no request to GitHub.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { openStateStore } from '../store/keyv-store.js';
import { overlay } from '../store/overlay.js';
import type { StateStore } from '../store/types.js';
import { FORMATS, type FormatName } from '../tickets/formats/index.js';
import type { TicketLocation } from '../tickets/locations.js';
import { TicketStore } from '../tickets/store.js';
import { resolveLocations } from './commands/validate.js';
import { UsageError, type CliIo } from './io.js';

const exec = promisify(execFile);

/** A git configuration value of the working copy, if git and the value are there. */
export async function gitConfig(workdir: string, key: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('git', ['config', '--get', key], { cwd: workdir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `owner/name` and the API base of a git remote URL (github.com or a GitHub Enterprise host). */
export function parseRemote(url: string): { repo: string; apiUrl: string } | undefined {
  const match =
    /^(?:https?:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/|git@([^:]+):|ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match) return undefined;
  const host = (match[1] ?? match[2] ?? match[3])!.toLowerCase();
  return { repo: `${match[4]}/${match[5]}`, apiUrl: host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3` };
}

/** The one ticket location a sync command works on. */
export async function singleLocation(io: CliIo, flags: { dir?: string; format?: FormatName }): Promise<TicketLocation> {
  const locations = await resolveLocations(io, flags);
  if (locations.length > 1) {
    throw new UsageError(`the working copy has ${locations.length} ticket locations (${locations.map((l) => l.dir).join(', ')}): pass --dir, or set tickets.path in .github/ticket-sync.yml`);
  }
  return locations[0]!;
}

export function ticketStoreOf(location: TicketLocation): TicketStore {
  return new TicketStore(location.root, FORMATS[location.format]);
}

/** The one repository the tickets' links name (`https://github.com/acme/app/issues/3`), if they name exactly one. */
export async function repoOfLinks(tickets: TicketStore): Promise<string | undefined> {
  const repos = new Set<string>();
  for (const { ticket } of (await tickets.snapshot()).tickets) {
    const match = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/issues\/\d+$/.exec(ticket.github?.url ?? '');
    if (match) repos.add(match[1]!);
  }
  return repos.size === 1 ? [...repos][0] : undefined;
}

/**
 * `owner/name`: `--repo`, else the origin remote, else (when `links` is
 * given: commands that read only local state) the repository the tickets'
 * links name. The remote also tells the API base.
 */
export async function resolveRepo(workdir: string, flags: { repo?: string }, links?: () => Promise<string | undefined>): Promise<{ repo: string; apiUrl?: string }> {
  const origin = flags.repo === undefined ? await gitConfig(workdir, 'remote.origin.url') : undefined;
  const remote = origin === undefined ? undefined : parseRemote(origin);
  const repo = flags.repo ?? remote?.repo ?? (origin === undefined ? await links?.() : undefined);
  if (repo === undefined) {
    if (origin) throw new UsageError(`cannot tell the GitHub repository from the origin remote ${origin}: pass --repo owner/name`);
    throw new UsageError(links ? 'no origin remote, and no ticket links to an issue: pass --repo owner/name' : 'no origin remote: pass --repo owner/name');
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo ${repo}: expected owner/name`);
  return { repo, ...(remote ? { apiUrl: remote.apiUrl } : {}) };
}

/** Where the CLI keeps its state: `STORE_URL`, else `.ticket-sync/state.sqlite` in the working copy. */
export function storeUrlFor(workdir: string, env: CliIo['env']): string {
  return env.STORE_URL ?? `sqlite://${join(workdir, '.ticket-sync', 'state.sqlite')}`;
}

/**
 * The state store. `readOnly` (a dry run, `log`): read through an overlay
 * that is never flushed, and no state file is made where there is none.
 */
export async function openState(workdir: string, env: CliIo['env'], readOnly: boolean): Promise<StateStore> {
  const storeUrl = storeUrlFor(workdir, env);
  const sqlitePath = storeUrl.startsWith('sqlite://') ? storeUrl.slice('sqlite://'.length) : undefined;
  if (!readOnly) {
    const state = await openStateStore(storeUrl);
    if (sqlitePath !== undefined) keepOutOfGit(dirname(sqlitePath));
    return state;
  }
  const inner = sqlitePath !== undefined && !existsSync(sqlitePath) ? await openStateStore('memory:') : await openStateStore(storeUrl);
  return overlay(inner, 'dry run: never written');
}

/** The state folder ignores itself, so a working copy never commits it. */
function keepOutOfGit(folder: string): void {
  const ignore = join(folder, '.gitignore');
  if (existsSync(folder) && !existsSync(ignore)) writeFileSync(ignore, '*\n');
}
