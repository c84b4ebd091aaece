/**
 * One sync of a repository as the App runs it: the ticket files are read
 * from the branch on GitHub into memory, the same sync service runs on them,
 * and the ticket changes go back as one commit, fast-forward only. A commit
 * that loses the race for the branch is redone on the new head; the state
 * store sees a run's writes only once its commit has landed.
 *
 * A push's run is scoped: given the paths the push changed (`changed`) and
 * its head (`head`), it reads the branch's tree once (no ref, no commit),
 * the blobs it has not cached (in steady state: the changed files), and
 * syncs only the tickets of the changed files, each against its one issue.
 *
 * Where ticket changes go is the repository's `writeBack`: the default
 * branch (`commit`), the updates branch of a pull request (`pull_request`:
 * the tickets are read from that branch, the default branch merged into it
 * first), or nowhere (`off`: tickets → issues only). While the default
 * branch cannot be merged into the updates branch (a merge conflict for a
 * person to resolve), the default branch is read, nothing is written back,
 * and the tickets in the pull request's files are not synced at all: the
 * default branch lacks the changes waiting in the pull request, and syncing
 * its older values would undo them on GitHub (reopen the issue a person
 * closed).
 */
import { CONFIG_PATH } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { mappingOf } from '../config/schema.js';
import { githubIssues, issueWithMarker } from '../github/issues.js';
import type { IssuesOctokit } from '../github/issues.js';
import { repoFiles, type BranchHead } from '../github/repo-files.js';
import type { GitHubIssues, RepoRef } from '../github/types.js';
import { writeBackTarget } from '../github/write-back.js';
import { overlay } from '../store/overlay.js';
import type { StateStore } from '../store/types.js';
import { memoryFiles, type TicketFiles } from '../tickets/files.js';
import { ticketView } from '../sync/mapping.js';
import type { SyncView } from '../sync/types.js';
import { FORMATS, type FormatName } from '../tickets/formats/index.js';
import type { LoadedTicket, TicketFormat } from '../tickets/formats/types.js';
import { KNOWN_LOCATIONS, shapeOf } from '../tickets/locations.js';
import type { Problem } from '../tickets/problems.js';
import { TicketStore, type StoreSnapshot } from '../tickets/store.js';
import { SyncService, type Direction, type Progress, type SyncReport, type TicketReport } from './sync-service.js';

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
  /**
   * The paths (from the repository root) a push changed: only the tickets
   * with a file among them are synced, each read against its own issue, and
   * no issue born on GitHub is imported. Paths outside the ticket location
   * sync nothing and make no issue request. Everything is synced, as
   * without it, when `.github/ticket-sync.yml` is among them or a removed
   * file of the location cannot be told apart from a ticket's (a deleted
   * aitrackdown comment file: its ticket is no longer known).
   */
  changed?: readonly string[];
  /**
   * The branch's head as a push gave it (`after`, `head_commit.tree_id`,
   * and `before`): the first attempt reads no ref and no commit. It is
   * taken only when it is not older than what the last run saw (the state
   * keeps the head each run ended at; `before` or `sha` must be that head,
   * or none is kept yet), so a push delivered late never syncs old files
   * over newer ones: then the head is read, as a retry after a lost race is.
   */
  head?: BranchHead & { before?: string };
  /** Told after each ticket (a first sync's progress in its check run). */
  onProgress?: Progress;
  now: () => Date;
}

export interface RepoSyncResult {
  location?: { dir: string; format: FormatName };
  report?: SyncReport;
  /** The commit that wrote ticket changes back, if any. */
  commit?: string;
  /** Problems of the ticket files (paths relative to the location): those files were neither synced nor written. */
  problems?: Problem[];
  /** Whether only the tickets of the `changed` paths were synced (false: every ticket was). */
  scoped?: boolean;
  /**
   * Where ticket changes went: the mode, the branch, its pull request, or
   * why nothing was written (a merge conflict: one line for the log, naming
   * the pull request and the tickets left unsynced, which the report lists
   * as `skipped`).
   */
  writeBack?: { mode: Config['writeBack']; branch: string; pullRequest?: number; conflict?: string };
}

/** The state's record of the head the last run of a branch ended at. */
const SEEN_HEAD = (branch: string) => `branch-head:${branch}`;

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

/** Tickets named in a commit message; more are counted. */
const TICKETS_NAMED = 5;
/** Characters of a title shown in a commit message; a longer one is cut with `…`. */
const TITLE_SHOWN = 40;

/**
 * One line naming what a run wrote into the ticket files:
 * `ticket-sync: TSK-0003 status → done (#12 closed by @octocat)`,
 * `ticket-sync: TSK-0004 imported from #13 (…)`,
 * `ticket-sync: TSK-0005 linked to #14 (…)`. Status, priority, type and
 * title show the ticket's new value (from `after`, a ticket's view once
 * written); the other fields are named. Past five tickets, the rest are
 * counted.
 */
export function commitMessage(report: SyncReport, reason: string, after?: (ticket: string) => SyncView | undefined): string {
  const changed = report.tickets
    .filter((t) => t.local.length > 0)
    .map((t) => {
      if (t.outcome === 'imported') return `${t.ticket} imported from #${t.issue}`;
      const view = after?.(t.ticket);
      return `${t.ticket} ${t.local.map((field) => fieldChange(field, view, t.issue)).join(', ')}`;
    });
  const named = changed.length > TICKETS_NAMED ? [...changed.slice(0, TICKETS_NAMED - 1), `${changed.length - TICKETS_NAMED + 1} more tickets`] : changed;
  return `ticket-sync: ${named.join('; ') || 'tickets'} (${reason})`;
}

function fieldChange(field: string, view: SyncView | undefined, issue: number | undefined): string {
  if (field === 'github') return issue === undefined ? 'linked' : `linked to #${issue}`;
  if (view === undefined) return field;
  if (field === 'status' || field === 'priority' || field === 'type') return `${field} → ${view[field]}`;
  if (field === 'title') return `title → "${cut(view.title.replace(/\s+/g, ' ').trim(), TITLE_SHOWN)}"`;
  return field;
}

/** At most `max` characters (code points), the last a `…` when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Which tickets a push's changed paths put in scope: those with a file among
 * them; `undefined` (everything) when a removed file the format owns cannot
 * be told apart from part of a ticket, as a deleted comment file of
 * aitrackdown's. A removed ticket file leaves no ticket to sync either way.
 */
function scopeOf(changed: readonly string[], dir: string, format: FormatName, contents: ReadonlyMap<string, Buffer>): ((loaded: LoadedTicket) => boolean) | undefined {
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  const inLocation = new Set<string>();
  for (const raw of changed) {
    const path = raw.replace(/^\/+/, '');
    if (path.startsWith(prefix)) inLocation.add(path.slice(prefix.length));
  }
  for (const path of inLocation) {
    const hidden = path.split('/').some((part) => part.startsWith('.'));
    if (!contents.has(path) && !hidden && path.endsWith('.json') && FORMATS[format].owns(path)) return undefined;
  }
  return (loaded) => loaded.files.some((file) => inLocation.has(file));
}

export async function syncRepository(o: RepoSyncOptions, direction: Direction = 'both'): Promise<RepoSyncResult> {
  // Blob contents are cached by sha in the state store: an event re-reads only the files that changed.
  const files = repoFiles(o.octokit, o.repo, o.state);
  const repoName = `${o.repo.owner}/${o.repo.name}`;
  const result: RepoSyncResult = {};
  let pending: ReturnType<typeof overlay> | undefined;
  // Issues an attempt imported and marked: if its commit loses the race, the next attempt imports them again.
  const importedBefore = new Set<number>();
  // A changed configuration may move the location or change how every issue looks: sync everything.
  const changed = o.changed?.some((path) => path.replace(/^\/+/, '') === CONFIG_PATH) ? undefined : o.changed;
  const mapping = mappingOf(o.config);
  // Where ticket changes go (`writeBack`): the default branch, the updates branch of a pull request, or nowhere.
  const target = await writeBackTarget(o.octokit, o.repo, o.branch, o.config.writeBack);
  // A pull request whose branch cannot take the default branch's changes (a merge conflict) would be read
  // as older tickets: until a person resolves it, the default branch is read and nothing is written back.
  const writes = target !== undefined && target.prepared !== 'conflict';
  const branch = writes ? target.branch : o.branch;
  result.writeBack = { mode: o.config.writeBack, branch };
  const oneWay: Direction = writes ? direction : 'push';
  // ... and the tickets the pull request changed are left alone: the default branch lacks those changes.
  const held = target?.prepared === 'conflict' ? target.held : undefined;
  let heldBack: LoadedTicket[] = [];
  let message = '';
  const first = o.head && branch === o.branch ? await trustedHead(o, repoName) : undefined;
  const committed = await files.commitWithRetry(branch, async (head) => {
    // Trees are read once per sha: listing the paths and reading the folder cost one request.
    const paths = await files.listPaths(head.tree);
    // A repository without tickets takes issues born on GitHub as native tickets in tickets/.
    const location = (await locateTickets(paths, o.config, (p) => files.readFiles(head.tree, p))) ?? (o.config.import === 'none' ? undefined : { dir: 'tickets', format: 'native' as const });
    result.location = location;
    if (location === undefined) return undefined;
    const contents = await files.readFolder(head.tree, location.dir);
    const tickets = memoryFiles(contents, location.dir);
    // This attempt's state writes wait for its commit; a lost race drops them.
    pending = overlay(o.state, 'pending commit');
    const prefix = location.dir === '' || location.dir === '.' ? '' : `${location.dir}/`;
    const store =
      held === undefined
        ? new TicketStore(tickets, FORMATS[location.format])
        : new HoldingStore(tickets, FORMATS[location.format], (loaded) => held === 'all' || loaded.files.some((file) => held.has(`${prefix}${file}`)));
    // The same problems the service reports as text, kept whole for the check run's annotations.
    result.problems = (await store.snapshot()).problems;
    const only = changed === undefined ? undefined : scopeOf(changed, location.dir, location.format, contents);
    result.scoped = only !== undefined;
    const service = new SyncService({
      repo: repoName,
      tickets: store,
      github: notMarkedBefore(githubIssues(o.octokit, o.repo, pending), importedBefore),
      state: pending,
      mapping,
      importIssues: o.config.import,
      importAgain: [...importedBefore],
      cause: o.cause,
      localWriter: 'ticket-sync',
      ...(o.githubWriter ? { githubWriter: o.githubWriter } : {}),
      ...(o.refreshComments ? { refreshComments: o.refreshComments } : {}),
      ...(only ? { only } : {}),
      now: o.now,
    });
    result.report = await service.sync(oneWay, false, o.onProgress);
    if (store instanceof HoldingStore) {
      heldBack = store.heldBack.filter((loaded) => only === undefined || only(loaded));
      const why = `changed in pull request #${target?.pullRequest?.number ?? '?'}, which cannot take ${o.branch}'s changes (merge conflict): synced once that is resolved`;
      for (const loaded of heldBack) result.report.tickets.push(await heldReport(loaded, pending, repoName, why));
    }
    for (const t of result.report.tickets) if (t.outcome === 'imported' && t.issue !== undefined) importedBefore.add(t.issue);
    const changes = tickets
      .changes()
      // A file written and removed again in one run was never in the commit: nothing to delete.
      .filter((c) => c.text !== null || contents.has(c.path))
      .map((c) => ({ path: `${location.dir}/${c.path}`, text: c.text }));
    if (changes.length === 0 || !writes) return undefined;
    const written = new Map((await store.snapshot()).tickets.map((t) => [t.ticket.id, t.ticket]));
    const after = (id: string) => {
      const ticket = written.get(id);
      return ticket === undefined ? undefined : ticketView(ticket, mapping);
    };
    message = commitMessage(result.report, o.reason, after);
    return { changes, message };
  }, first ? { head: first } : {});
  if (committed.committed) result.commit = committed.sha;
  if (target?.conflict) {
    const ids = heldBack.map((t) => t.ticket.id);
    const unsynced = ids.length === 0 ? 'no ticket it changes was in this sync' : `${ids.length} ticket${ids.length === 1 ? '' : 's'} it changes ${ids.length === 1 ? 'was' : 'were'} not synced (${ids.join(', ')})`;
    result.writeBack.conflict = `${target.conflict}. Until then nothing is written back, and ${unsynced}`;
  }
  await pending?.flush();
  // Where this run left the branch: a later push that does not follow from it brings an old head.
  await o.state.setMeta(repoName, SEEN_HEAD(branch), committed.sha);
  if (committed.committed) await target?.landed({ sha: committed.sha, message });
  if (target?.pullRequest) result.writeBack.pullRequest = target.pullRequest.number;
  return result;
}

/**
 * A ticket store that leaves out the tickets `held` accepts (those a
 * conflicting pull request changed): the sync sees neither them nor, through
 * them, their issues. Their ids stay taken. {@link HoldingStore.heldBack}
 * holds what the last snapshot left out.
 */
class HoldingStore extends TicketStore {
  heldBack: LoadedTicket[] = [];

  constructor(
    files: TicketFiles,
    format: TicketFormat,
    private readonly held: (loaded: LoadedTicket) => boolean,
  ) {
    super(files, format);
  }

  override async snapshot(): Promise<StoreSnapshot> {
    const all = await super.snapshot();
    this.heldBack = all.tickets.filter((loaded) => this.held(loaded));
    if (this.heldBack.length === 0) return all;
    const invalidIds = new Map(all.invalidIds);
    for (const loaded of this.heldBack) if (!invalidIds.has(loaded.ticket.id)) invalidIds.set(loaded.ticket.id, loaded.path);
    return { ...all, tickets: all.tickets.filter((loaded) => !this.held(loaded)), invalidIds };
  }
}

/** A held ticket's line in the report: skipped, with its issue when known. */
async function heldReport(loaded: LoadedTicket, state: StateStore, repoName: string, reason: string): Promise<TicketReport> {
  const issue = loaded.ticket.github?.issue ?? (await state.getLink(repoName, loaded.ticket.id));
  return { ticket: loaded.ticket.id, ...(issue !== undefined ? { issue } : {}), outcome: 'skipped', local: [], github: [], conflicts: [], reason };
}

/**
 * The issues as `issues` has them, except that an issue an earlier attempt
 * of this run imported and marked is never found by its marker: that marker
 * names a ticket that never landed, and a ticket pushed in between may now
 * carry its id. Without this, creating that ticket's issue would find the
 * marked issue and take it (the idempotent creation looks by marker first),
 * and the import again that follows would link the same issue a second time.
 */
function notMarkedBefore(issues: GitHubIssues, marked: ReadonlySet<number>): GitHubIssues {
  if (marked.size === 0) return issues;
  return { ...issues, findByMarker: async (ticket) => issueWithMarker((await issues.listIssues()).filter((issue) => !marked.has(issue.number)), ticket) };
}

/** A push's head, when it is not older than the head the last run of the branch ended at. */
async function trustedHead(o: RepoSyncOptions, repoName: string): Promise<BranchHead | undefined> {
  const head = o.head!;
  const seen = await o.state.getMeta<string>(repoName, SEEN_HEAD(o.branch));
  return seen === undefined || seen === head.sha || seen === head.before ? { sha: head.sha, tree: head.tree } : undefined;
}
