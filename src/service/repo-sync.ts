/**
 * One sync of a repository as the App runs it: the ticket files are read
 * from the branch on GitHub into memory, the same steps as the CLI's run on
 * them (`sync-tickets.ts`), and the ticket changes go back as one commit,
 * fast-forward only. A commit that loses the race for the branch is redone
 * on the new head; the state store sees a run's writes only once its commit
 * has landed.
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
import type { Config } from '../config/schema.js';
import { mappingOf } from '../config/schema.js';
import { githubIssues, type IssuesOctokit } from '../github/issues.js';
import { isTransient } from '../github/transient.js';
import { branchTicketHistory } from './branch/ticket-history.js';
import { repoFiles, type BranchHead } from '../github/repo-files.js';
import type { RepoRef } from '../github/types.js';
import { writeBackTarget, type WriteBackTarget } from '../github/write-back.js';
import { overlay, type OverlayStore } from '../store/overlay.js';
import type { StateStore } from '../store/types.js';
import type { MappingConfig } from '../config/mapping.js';
import { ticketView } from '../sync/mapping/render-issue.js';
import type { FormatName } from '../tickets/formats/index.js';
import { FORMATS } from '../tickets/formats/index.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import type { Problem } from '../tickets/problems.js';
import { linkClaims } from '../tickets/link-claims.js';
import { TicketStore } from '../tickets/store.js';
import { commitMessage } from './branch/commit-message.js';
import { pushScope, scopingPaths } from './branch/push-scope.js';
import { readBranchTickets } from './branch/read-branch-tickets.js';
import { rememberHead, trustedHead } from './branch/trusted-head.js';
import type { Direction, HeldTickets, Progress, RunScope } from './context.js';
import type { SyncReport } from './report.js';
import { syncTickets } from './sync-tickets.js';
import type { BoardTicket } from './board/sync-board.js';
import { rememberTickets } from './pull-requests/remember-tickets.js';
import type { Transition } from '../sync/pull-requests/transition.js';

export interface RepoSyncOptions {
  octokit: IssuesOctokit;
  /** The App's own bot login: only its issues and comments carry markers that count. */
  self: () => Promise<string>;
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
  /**
   * Issues whose comments an event says changed: read afresh (the others as
   * the last run saw them, unless their time or count moved); `all` (a
   * reconcile: a comment edit whose webhook was lost) reads every issue's
   * comments afresh, each a conditional request.
   */
  refreshComments?: readonly number[] | 'all';
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
   * taken only when it is not older than what the last run saw (see
   * `branch/trusted-head.ts`).
   */
  head?: BranchHead & { before?: string };
  /** Told after each ticket (a first sync's progress in its check run). */
  onProgress?: Progress;
  /**
   * Pull requests' say in the run: which tickets they add to a scoped run,
   * and how those move (worked out from the tickets each attempt reads);
   * what they keep lands with the run's commit.
   */
  planner?: TicketPlanner;
  now: () => Date;
}

/** What something besides the changed files (a pull request) asks of a run, worked out from the tickets an attempt read. */
export interface TicketPlanner {
  plan(tickets: readonly LoadedTicket[]): Promise<{ only: ReadonlySet<string>; transitions: ReadonlyMap<string, Transition> }>;
  /** After the attempt's sync: keep what must land with its commit, in `pending`. */
  settle(report: SyncReport | undefined, pending: StateStore): Promise<void>;
}

export interface RepoSyncResult {
  /** Every ticket as the run left it: its status and issue (for the project board). */
  tickets?: BoardTicket[];
  /** Why the project board could not be kept, when it could not. */
  board?: string;
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

export async function syncRepository(o: RepoSyncOptions, direction: Direction = 'both'): Promise<RepoSyncResult> {
  const repoName = `${o.repo.owner}/${o.repo.name}`;
  // Blob contents are cached by sha in the state store: an event re-reads only the files that changed.
  const files = repoFiles(o.octokit, o.repo, o.state);
  const mapping = mappingOf(o.config);
  const changed = scopingPaths(o.changed);
  // 1. Where ticket changes go: the default branch, the updates branch of a pull request, or nowhere.
  const target = await writeBackTarget(o.octokit, o.repo, o.branch, o.config.writeBack);
  // A pull request that cannot take the default branch's changes (a merge conflict) would be read as older
  // tickets: until a person resolves it, the default branch is read and nothing is written back.
  const writes = target !== undefined && target.prepared !== 'conflict';
  const branch = writes ? target.branch : o.branch;
  const result: RepoSyncResult = { writeBack: { mode: o.config.writeBack, branch } };
  // 2. Take the push's head when it can be trusted: the first attempt then reads no ref and no commit.
  const first = o.head && branch === o.branch ? await trustedHead(o.state, repoName, o.branch, o.head) : undefined;
  // Issues an attempt imported and marked: if its commit loses the race, the next attempt imports them again.
  const importedBefore = new Set<number>();
  let pending: OverlayStore | undefined;
  let heldBack: string[] = [];
  let message = '';
  // 3. Until the commit lands: read the branch's tickets, sync them, commit what changed.
  const committed = await files.commitWithRetry(
    branch,
    async (head) => {
      const read = await readBranchTickets(files, head, o.config);
      result.location = read.location;
      if (read.location === undefined) return undefined;
      const { location, contents } = read;
      // This attempt's state writes wait for its commit; a lost race drops them.
      pending = overlay(o.state, 'pending commit');
      // The formats stamp a ticket they change with this run's time, in their tool's style.
      const store = new TicketStore(read.files, FORMATS[location.format], o.now);
      // The same problems the sync reports as text, kept whole for the check run's annotations.
      const snapshot = await store.snapshot();
      result.problems = [...snapshot.problems, ...linkClaims(snapshot.tickets).problems];
      const pushed = changed === undefined ? undefined : pushScope(changed, location.dir, location.format, contents);
      const planned = await o.planner?.plan(snapshot.tickets);
      const only = pushed === undefined || planned === undefined ? pushed : (loaded: LoadedTicket) => pushed(loaded) || planned.only.has(loaded.ticket.id);
      result.scoped = only !== undefined;
      const held = heldTickets(target, location.dir, o.branch);
      const scope: RunScope = {
        ...(only ? { only } : {}),
        ...(held ? { held } : {}),
        importAgain: [...importedBefore],
        freshComments: o.refreshComments ?? [],
        ...(planned ? { transitions: planned.transitions } : {}),
      };
      const ctx = {
        repo: repoName,
        tickets: store,
        github: githubIssues(o.octokit, o.repo, pending, { self: o.self }),
        state: pending,
        // What is written to GitHub is remembered at once: a retry after a lost race must not take it for a newer change.
        githubState: o.state,
        mapping,
        importIssues: o.config.import,
        cause: o.cause,
        self: o.self,
        localWriter: 'ticket-sync',
        ticketHistory: branchTicketHistory(o.octokit, files, o.repo, head.sha, location.dir),
        ...(o.githubWriter ? { githubWriter: o.githubWriter } : {}),
        now: o.now,
      };
      result.report = await syncTickets(ctx, scope, writes ? direction : 'push', false, o.onProgress);
      await o.planner?.settle(result.report, pending);
      const after = (await store.snapshot()).tickets;
      result.tickets = after.map(({ ticket }) => ({ id: ticket.id, status: ticket.status, ...(ticket.github?.issue !== undefined ? { issue: ticket.github.issue } : {}) }));
      await rememberTickets(pending, repoName, after, o.config);
      heldBack = result.report.tickets.filter((t) => held !== undefined && t.reason === held.reason).map((t) => t.ticket);
      for (const t of result.report.tickets) if (t.outcome === 'imported' && t.issue !== undefined) importedBefore.add(t.issue);
      const changes = read.files
        .changes()
        // A file written and removed again in one run was never in the commit: nothing to delete.
        .filter((c) => c.text !== null || contents.has(c.path))
        .map((c) => ({ path: `${location.dir}/${c.path}`, text: c.text }));
      if (changes.length === 0 || !writes) return undefined;
      message = commitMessage(result.report, o.reason, await viewsAfter(store, mapping));
      return { changes, message };
    },
    first ? { head: first } : {},
  );
  // 4. Keep what the run wrote, where it left the branch, and tell the write-back target.
  if (committed.committed) result.commit = committed.sha;
  if (target?.conflict) result.writeBack!.conflict = conflictLine(target.conflict, heldBack);
  await pending?.flush();
  await rememberHead(o.state, repoName, branch, committed.sha);
  if (committed.committed) await target?.landed({ sha: committed.sha, message });
  if (target?.pullRequest) result.writeBack!.pullRequest = target.pullRequest.number;
  // 5. A ticket GitHub failed on for a while (a 5xx, a timeout): what the others wrote has landed; the run
  // is tried again for it, never left out of date until some later event.
  const transient = result.report?.errors?.find((e) => isTransient(e.error));
  if (transient) throw transient.error;
  return result;
}

/** The tickets a conflicting pull request changed: left out of the run, reported as skipped. */
function heldTickets(target: WriteBackTarget | undefined, dir: string, defaultBranch: string): HeldTickets | undefined {
  const held = target?.prepared === 'conflict' ? target.held : undefined;
  if (held === undefined) return undefined;
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  return {
    holds: (loaded: LoadedTicket) => held === 'all' || loaded.files.some((file) => held.has(`${prefix}${file}`)),
    reason: `changed in pull request #${target?.pullRequest?.number ?? '?'}, which cannot take ${defaultBranch}'s changes (merge conflict): synced once that is resolved`,
  };
}

/** Each ticket's view as the run left it, for the commit message. */
async function viewsAfter(store: TicketStore, mapping: MappingConfig): Promise<(id: string) => ReturnType<typeof ticketView> | undefined> {
  const written = new Map((await store.snapshot()).tickets.map((t) => [t.ticket.id, t.ticket]));
  return (id) => {
    const ticket = written.get(id);
    return ticket === undefined ? undefined : ticketView(ticket, mapping);
  };
}

/** One line for the log: the conflict, and the tickets it left unsynced. */
function conflictLine(conflict: string, ids: readonly string[]): string {
  const unsynced = ids.length === 0 ? 'no ticket it changes was in this sync' : `${ids.length} ticket${ids.length === 1 ? '' : 's'} it changes ${ids.length === 1 ? 'was' : 'were'} not synced (${ids.join(', ')})`;
  return `${conflict}. Until then nothing is written back, and ${unsynced}`;
}
