/**
 * One sync of a repository as the App runs it: the ticket files are read
 * from the branch on GitHub into memory, the same sync service runs on them,
 * and the ticket changes go back as one commit, fast-forward only. A commit
 * that loses the race for the branch is redone on the new head; the state
 * store sees a run's writes only once its commit has landed.
 */
import type { Config } from '../config/schema.js';
import { mappingOf } from '../config/schema.js';
import { githubIssues } from '../github/issues.js';
import type { IssuesOctokit } from '../github/issues.js';
import { repoFiles } from '../github/repo-files.js';
import type { RepoRef } from '../github/types.js';
import { overlay } from '../store/overlay.js';
import type { StateStore } from '../store/types.js';
import { memoryFiles } from '../tickets/files.js';
import { FORMATS, type FormatName } from '../tickets/formats/index.js';
import { KNOWN_LOCATIONS, shapeOf } from '../tickets/locations.js';
import type { Problem } from '../tickets/problems.js';
import { TicketStore } from '../tickets/store.js';
import { SyncService, type Direction, type SyncReport } from './sync-service.js';

export interface RepoSyncOptions {
  octokit: IssuesOctokit;
  repo: RepoRef;
  branch: string;
  state: StateStore;
  config: Config;
  /** What caused the run: a delivery id. */
  cause: string;
  /** For the commit message: `#12 closed by @octocat`. */
  reason: string;
  /** The event's sender, the writer of GitHub's side. */
  githubWriter?: string;
  /** Issues whose comments an event says changed: read afresh. */
  refreshComments?: readonly number[];
  now: () => Date;
}

export interface RepoSyncResult {
  location?: { dir: string; format: FormatName };
  report?: SyncReport;
  /** The commit that wrote ticket changes back, if any. */
  commit?: string;
  /** Problems of the ticket files (paths relative to the location): those files were neither synced nor written. */
  problems?: Problem[];
}

/** Where a repository keeps its tickets: configuration, else the known places, else the shape of `tickets/`. */
export async function locateTickets(
  paths: readonly string[],
  config: Config,
  readSome: (paths: string[]) => Promise<Map<string, Buffer | null>>,
): Promise<{ dir: string; format: FormatName } | undefined> {
  const has = (dir: string, holds?: string) =>
    holds === undefined ? paths.some((p) => p.startsWith(`${dir}/`)) : paths.some((p) => p === `${dir}/${holds}` || p.startsWith(`${dir}/${holds}/`));
  if (config.tickets.path !== undefined) {
    const dir = config.tickets.path.replace(/\/+$/, '');
    const known = KNOWN_LOCATIONS.find((k) => k.dir === dir && k.format !== 'by shape');
    const format = config.tickets.format ?? (known?.format as FormatName | undefined) ?? (await byShape(dir));
    return { dir, format };
  }
  for (const known of KNOWN_LOCATIONS) {
    if (!has(known.dir, known.holds)) continue;
    const format = known.format === 'by shape' ? await byShape(known.dir) : known.format;
    return { dir: known.dir, format: config.tickets.format ?? format };
  }
  return undefined;

  async function byShape(dir: string): Promise<FormatName> {
    const sample = paths.filter((p) => p.startsWith(`${dir}/`) && p.endsWith('.json')).slice(0, 5);
    const votes = new Map<FormatName, number>();
    for (const content of (await readSome(sample)).values()) {
      if (content === null) continue;
      try {
        const vote = shapeOf(JSON.parse(content.toString('utf8')));
        if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
      } catch {
        // An unreadable file has no vote.
      }
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'native';
  }
}

/** `ticket-sync: TSK-0003 status (#12 closed by @octocat)`; `ticket-sync: TSK-0004 imported from #13 (…)`. */
export function commitMessage(report: SyncReport, reason: string): string {
  const changed = report.tickets
    .filter((t) => t.local.length > 0)
    .map((t) => (t.outcome === 'imported' ? `${t.ticket} imported from #${t.issue}` : `${t.ticket} ${t.local.join(', ')}`));
  return `ticket-sync: ${changed.join('; ') || 'tickets'} (${reason})`;
}

export async function syncRepository(o: RepoSyncOptions, direction: Direction = 'both'): Promise<RepoSyncResult> {
  // Blob contents are cached by sha in the state store: an event re-reads only the files that changed.
  const files = repoFiles(o.octokit, o.repo, o.state);
  const repoName = `${o.repo.owner}/${o.repo.name}`;
  const result: RepoSyncResult = {};
  let pending: ReturnType<typeof overlay> | undefined;
  // Issues an attempt imported and marked: if its commit loses the race, the next attempt imports them again.
  const importedBefore = new Set<number>();
  const committed = await files.commitWithRetry(o.branch, async (head) => {
    const paths = await files.listPaths(head.tree);
    // A repository without tickets takes issues born on GitHub as native tickets in tickets/.
    const location = (await locateTickets(paths, o.config, (p) => files.readFiles(head.sha, p))) ?? (o.config.import === 'none' ? undefined : { dir: 'tickets', format: 'native' as const });
    result.location = location;
    if (location === undefined) return undefined;
    const contents = await files.readFolder(head.sha, location.dir);
    const tickets = memoryFiles(contents, location.dir);
    // This attempt's state writes wait for its commit; a lost race drops them.
    pending = overlay(o.state, 'pending commit');
    const store = new TicketStore(tickets, FORMATS[location.format]);
    // The same problems the service reports as text, kept whole for the check run's annotations.
    result.problems = (await store.snapshot()).problems;
    const service = new SyncService({
      repo: repoName,
      tickets: store,
      github: githubIssues(o.octokit, o.repo, pending),
      state: pending,
      mapping: mappingOf(o.config),
      importIssues: o.config.import,
      importAgain: [...importedBefore],
      cause: o.cause,
      localWriter: 'ticket-sync',
      ...(o.githubWriter ? { githubWriter: o.githubWriter } : {}),
      ...(o.refreshComments ? { refreshComments: o.refreshComments } : {}),
      now: o.now,
    });
    result.report = await service.sync(direction);
    for (const t of result.report.tickets) if (t.outcome === 'imported' && t.issue !== undefined) importedBefore.add(t.issue);
    const changes = tickets
      .changes()
      // A file written and removed again in one run was never in the commit: nothing to delete.
      .filter((c) => c.text !== null || contents.has(c.path))
      .map((c) => ({ path: `${location.dir}/${c.path}`, text: c.text }));
    if (changes.length === 0) return undefined;
    return { changes, message: commitMessage(result.report, o.reason) };
  });
  if (committed.committed) result.commit = committed.sha;
  await pending?.flush();
  return result;
}
