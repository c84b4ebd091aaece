/**
 * What every step of a sync is given: the two sides, the state between
 * them, and who and what a run writes as. The CLI and the App build one each
 * run; the App adds a {@link RunScope}.
 */
import type { GitHubIssues } from '../github/types.js';
import type { StateStore } from '../store/types.js';
import type { MappingConfig } from '../config/mapping.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import type { TicketStore } from '../tickets/store.js';
import type { Transition } from '../sync/pull-requests/transition.js';

export type Direction = 'both' | 'push' | 'pull';

/** One version of a ticket's record file: its text (null where the file did not exist), who wrote it and when. */
export interface TicketFileVersion {
  text: string | null;
  writer: string;
  at: string;
}

/**
 * Which issues opened on GitHub without a ticket-sync marker become new
 * tickets: all, none, or only those carrying a label (any case).
 */
export type ImportIssues = 'none' | 'all' | { label: string };

/** Told after each ticket, for progress bars and check runs. */
export type Progress = (done: number, total: number, ticket: string) => void;

export interface SyncContext {
  /** `owner/name`. */
  repo: string;
  tickets: TicketStore;
  github: GitHubIssues;
  state: StateStore;
  /**
   * Where what was written to GitHub is remembered at once (its base, link
   * and log entries), when `state` keeps a run's writes only if its local
   * writes land (the App: until its commit lands). Default: `state`.
   */
  githubState?: StateStore;
  mapping: MappingConfig;
  /** What caused this run, for the log (`cli:<run id>`, a delivery id, a commit sha). */
  cause: string;
  /**
   * The GitHub login ticket-sync writes as (the App's bot, the CLI token's
   * user): a marker counts only on an issue or comment it wrote. Asked only
   * when a marker must be weighed.
   */
  self: () => Promise<string>;
  /** Who the local side's writes are by, when the ticket does not say (the git user, say). */
  localWriter: string;
  /** Who GitHub's side was last written by, when known (a webhook's sender); else `github`. */
  githubWriter?: string;
  /**
   * The versions of a ticket's record file, newest first, the file as it is
   * now first (the App: the branch's commits that changed it): for when each
   * field took its value, asked only for a field changed on both sides.
   * Without it a field's local time is the ticket's update time.
   */
  ticketHistory?: (loaded: LoadedTicket) => AsyncIterable<TicketFileVersion>;
  /** When a ticket's file was last written (its last commit, or its modification time), for tickets with no update time. */
  fileTime?: (loaded: LoadedTicket) => Promise<string | undefined>;
  /** Now, for the local side's time when a ticket has no update time. */
  now: () => Date;
  /** Which unmarked, unlinked issues `pull` and `both` import as new tickets. Default: `none`. */
  importIssues?: ImportIssues;
}

/** The tickets a conflicting pull request holds back, and why: they are reported as skipped, and their issues left alone. */
export interface HeldTickets {
  holds: (loaded: LoadedTicket) => boolean;
  reason: string;
}

/** How the App narrows a run; the CLI gives none. */
export interface RunScope {
  /**
   * A scoped run (the App on a push): only the tickets this accepts are
   * synced, and GitHub is read only for them. A ticket with a known issue
   * (its own link, else the state's) reads that one issue (a conditional
   * `getIssue`); only a ticket with no known link, or whose issue is gone,
   * falls back to the issue listing. Nothing is imported: issues born on
   * GitHub come in with issue events and full runs.
   */
  only?: (loaded: LoadedTicket) => boolean;
  /** Tickets left out of this run (a pull request that cannot be merged changed them); their ids and issues stay taken. */
  held?: HeldTickets;
  /**
   * Issues an earlier attempt of this run imported and marked, whose ticket
   * never landed (the App's commit lost the race for the branch): imported
   * again although they carry a marker.
   */
  importAgain?: readonly number[];
  /**
   * Which issues' comments are read afresh (a conditional listing: free when
   * nothing changed). A comment edit does not move its issue's update time,
   * so only a fresh read sees it. `all` (the default: the CLI, the App's
   * reconcile) reads every issue's comments so; a list (the App on an event
   * that names its issues) reads those, and takes the others as the last run
   * saw them unless their time or count moved.
   */
  freshComments?: 'all' | readonly number[];
  /** Status moves pull requests make, by ticket id: merged into those tickets' syncs as a third writer. */
  transitions?: ReadonlyMap<string, Transition>;
}
