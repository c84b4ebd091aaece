/**
 * The pure sync engine's vocabulary: what of a ticket is synced (its view),
 * a side of a merge with its writer and time, and what a merge returns. No
 * I/O and no clock here: times come in with the sides.
 */
import type { Priority, Status, TicketType } from '../tickets/vocabulary.js';

/** A comment as both sides see it, keyed by the ticket's comment id (`gh-<id>` for one born on GitHub). */
export interface SyncComment {
  id: string;
  /** A local name, or the GitHub login for a comment born on GitHub. */
  author: string;
  body: string;
  created_at: string;
  updated_at?: string;
}

/**
 * What ticket-sync keeps equal on both sides. Texts have `\r\n` folded to
 * `\n` and trailing white space removed; `labels` and `assignees` are sorted
 * and unique; `comments` are sorted by `created_at`, then id.
 */
export interface SyncView {
  title: string;
  /** The people's text: the ticket's description, the issue body without ticket-sync's managed parts. */
  description: string;
  status: Status;
  priority: Priority;
  type: TicketType;
  /** Free labels: never a managed `status:`/`priority:`/`type:` label. */
  labels: string[];
  /** Local names (GitHub logins mapped back through the assignee map). */
  assignees: string[];
  comments: SyncComment[];
}

export const SYNC_FIELDS = ['title', 'description', 'status', 'priority', 'type', 'labels', 'assignees', 'comments'] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

export type SideName = 'local' | 'github';

/** Who changed one field of a side, and when. */
export interface FieldStamp {
  writer: string;
  /** ISO 8601. */
  at: string;
}

/** When each field of a side last changed, where the side says so. */
export type FieldStamps = Partial<Record<SyncField, FieldStamp>>;

/** One side of a merge: its view, who last wrote it and when. */
export interface Side {
  view: SyncView;
  /** Who wrote it: a local author or commit author, or a GitHub login. */
  writer: string;
  /** When (ISO 8601): the ticket's update time or its commit's time; the issue's `updated_at` or the event's time. */
  at: string;
  /**
   * When each field changed, where that is known (GitHub: the events
   * and the webhook's `changes`): a field's time, not the side's. A field
   * without a stamp is taken to have changed at `at`.
   */
  fields?: FieldStamps;
  /**
   * `at` is only an upper bound of when a field changed (an issue's
   * `updated_at`, which any comment moves): a time taken from it is logged as
   * approximate.
   */
  approximate?: boolean;
}

/** The value that lost a conflict, and whose it was. */
export interface ConflictLoser {
  side: SideName;
  writer: string;
  at: string;
  /** `at` is the side's time, not the field's: the field changed at or before it. */
  approximate?: true;
  value: unknown;
}

/**
 * One write the engine applies: `field` of `ticket` on `side` goes from
 * `before` to `after`; `writer`/`at` are the winning value's. `field` is a
 * sync field, or `comment:<id>` for one comment (`before`/`after` null for an
 * added/deleted comment).
 */
export interface LogDraft {
  ticket: string;
  field: SyncField | `comment:${string}`;
  side: SideName;
  writer: string;
  at: string;
  /** `at` is the winning side's time, not the field's: the field changed at or before it. */
  approximate?: true;
  before: unknown;
  after: unknown;
  /** Set when both sides changed the field differently: the value that lost. */
  conflict?: ConflictLoser;
  /** Why, when it is not the run's cause: an automatic transition's (`PR #34 merged by @ada`). */
  cause?: string;
}

export interface Reconciled {
  /** What both sides hold after the writes. */
  merged: SyncView;
  /** The fields to write into the ticket file (only those that change). */
  local: Partial<SyncView>;
  /** The fields to write to GitHub (only those that change). */
  github: Partial<SyncView>;
  log: LogDraft[];
  /**
   * The conflicting fields whose winner an approximate time chose: knowing
   * when the field really changed (GitHub's issue events) may change it.
   */
  guessed: SyncField[];
}
