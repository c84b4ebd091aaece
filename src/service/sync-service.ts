/**
 * The sync of one repository as the CLI and the App call it: a context
 * (the two sides, the state, who writes) and, for the App, a scope. Each
 * command is a list of steps in a file of its own: `sync-tickets.ts`,
 * `status.ts`, `restore.ts`.
 */
import type { LogEntry } from '../store/types.js';
import type { Direction, Progress, RunScope, SyncContext } from './context.js';
import type { StatusLine, SyncReport } from './report.js';
import { restoreEntry } from './restore.js';
import { ticketStatus } from './status.js';
import { syncTickets } from './sync-tickets.js';

export class SyncService {
  constructor(
    private readonly ctx: SyncContext,
    private readonly scope: RunScope = {},
  ) {}

  /** Sync every valid ticket (of the scope); `dryRun` computes the same plan and writes nothing anywhere. */
  sync(direction: Direction = 'both', dryRun = false, onProgress?: Progress): Promise<SyncReport> {
    return syncTickets(this.ctx, this.scope, direction, dryRun, onProgress);
  }

  /** Where each ticket stands, without writing anything. */
  status(): Promise<StatusLine[]> {
    return ticketStatus(this.ctx, this.scope);
  }

  /** Apply a logged value again as a new write, to the ticket file and to GitHub. */
  restore(seq: number): Promise<LogEntry[]> {
    return restoreEntry(this.ctx, seq);
  }
}
