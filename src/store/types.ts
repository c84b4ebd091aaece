/**
 * What ticket-sync remembers between runs, per repository: the last synced
 * view of each ticket (the merge base), the link between tickets and issues,
 * the last-writer log, and the ETags (with the data they stand for) of
 * conditional requests. Losing it is survivable: links come back from markers
 * and `github` fields, and a missing base makes differing fields conflicts
 * resolved by last writer, each logged.
 */
import type { LogDraft, SyncView } from '../sync/types.js';

/** A logged write or conflict, as `ticket-sync log --json` shows it. */
export interface LogEntry extends Omit<LogDraft, 'conflict'> {
  /** Position in the repository's log: 1, 2, 3, … never reused. */
  seq: number;
  /** `owner/name`. */
  repo: string;
  /** What caused the write: a delivery id, a commit sha, or a CLI run (`cli:<run id>`). */
  cause: string;
  conflict?: LogDraft['conflict'];
}

/** A cached answer of a conditional request: its ETag and the data it stood for. */
export interface CachedResponse<T = unknown> {
  etag: string;
  data: T;
}

export interface StateStore {
  /** Where the state lives, without credentials (`sqlite:///…/state.sqlite`, `redis://host:6379`). */
  readonly location: string;

  getBase(repo: string, ticket: string): Promise<SyncView | undefined>;
  setBase(repo: string, ticket: string, view: SyncView): Promise<void>;
  deleteBase(repo: string, ticket: string): Promise<void>;

  /** The issue number linked to a ticket. */
  getLink(repo: string, ticket: string): Promise<number | undefined>;
  /** The ticket linked to an issue number. */
  ticketForIssue(repo: string, issue: number): Promise<string | undefined>;
  /** Link a ticket and an issue (replacing any earlier link of either). */
  setLink(repo: string, ticket: string, issue: number): Promise<void>;

  /** Append entries to the repository's log, in order; they come back with their sequence numbers. */
  appendLog(repo: string, entries: readonly (Omit<LogEntry, 'seq' | 'repo'>)[]): Promise<LogEntry[]>;
  /** The log in sequence order, optionally of one ticket, optionally only conflicts. */
  readLog(repo: string, filter?: { ticket?: string; conflicts?: boolean }): Promise<LogEntry[]>;
  getLogEntry(repo: string, seq: number): Promise<LogEntry | undefined>;

  getCached<T>(key: string): Promise<CachedResponse<T> | undefined>;
  setCached<T>(key: string, value: CachedResponse<T>): Promise<void>;

  /** Free keys for the shell's own bookkeeping (a run's progress, to resume after a crash, the App's queue). */
  getMeta<T>(repo: string, key: string): Promise<T | undefined>;
  /** Set (or, with `undefined`, delete) a key; with `ttlMs`, the store forgets it after that long (delivery ids). */
  setMeta<T>(repo: string, key: string, value: T | undefined, ttlMs?: number): Promise<void>;

  close(): Promise<void>;
}
