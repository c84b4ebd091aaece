/** What a sync says it did, ticket by ticket; what `status` says of each ticket. */
import { StoreError } from '../tickets/store.js';
import type { Status } from '../tickets/vocabulary.js';

export type Outcome = 'in-sync' | 'created' | 'pushed' | 'pulled' | 'merged' | 'imported' | 'failed' | 'skipped';

export interface TicketReport {
  /** The ticket's id; `(new)` for an import a dry run would make (the format picks the id when it writes). */
  ticket: string;
  issue?: number;
  outcome: Outcome;
  /** What changed or would change, by side: field names. */
  local: string[];
  github: string[];
  conflicts: string[];
  reason?: string;
  /** A pull request's status move on this ticket: applied, or why not. */
  transition?: TransitionReport;
}

/** An automatic status move as a ticket's report tells it. */
export interface TransitionReport {
  from: Status;
  to: Status;
  /** `PR #34 merged by @ada`. */
  cause: string;
  /** Why it was not applied (a person set the status later; already done). */
  skipped?: string;
}

export interface SyncReport {
  tickets: TicketReport[];
  /** Problems of the ticket location (invalid files, duplicates): those tickets are not synced. */
  problems: string[];
  /** The errors behind the failed tickets, for the App to try a run again that failed on a transient one. */
  errors?: { ticket: string; error: unknown }[];
}

export type TicketState = 'not linked' | 'in sync' | 'local ahead' | 'GitHub ahead' | 'conflict' | 'issue missing';

export interface StatusLine {
  ticket: string;
  issue?: number;
  state: TicketState;
  fields: string[];
}

/** A ticket's line when its sync threw: failed, with the reason. */
export function failedReport(ticket: string, issue: number | undefined, error: unknown): TicketReport {
  return { ticket, ...(issue !== undefined ? { issue } : {}), outcome: 'failed', local: [], github: [], conflicts: [], reason: reasonOf(error) };
}

export function reasonOf(error: unknown): string {
  if (error instanceof StoreError) return error.message;
  const e = error as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${e.message}` : String(e.message ?? error);
}
