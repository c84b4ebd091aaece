/**
 * The local side of one ticket: its view as the file means it, who wrote it
 * and when, and which fields its record cannot hold.
 */
import type { UnheldFields } from '../../sync/mapping/labels.js';
import { ticketView } from '../../sync/mapping/render-issue.js';
import type { SyncView } from '../../sync/types.js';
import { holds, settleLossy } from '../../tickets/formats/lossy.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { SyncContext } from '../context.js';

/**
 * The ticket's view. Where the format writes one word for several values
 * (aitrackdown's `closed` for done and cancelled), the value last synced
 * stands while the file still holds the word writing it produced: a sync
 * never takes its own write for someone's change.
 */
export function localView(ctx: SyncContext, loaded: LoadedTicket, base: SyncView | undefined): SyncView {
  return settleLossy(ticketView(loaded.ticket, ctx.mapping), base, loaded, ctx.tickets.format);
}

/** The fields the ticket's record cannot hold (a task-master subtask's priority): no label on GitHub, never written back. */
export function unheldFields(ctx: SyncContext, loaded: LoadedTicket): UnheldFields {
  return new Set((['priority', 'type'] as const).filter((field) => !holds(ctx.tickets.format, loaded, field)));
}

export interface LocalStamp {
  writer: string;
  at: string;
}

/**
 * The ticket's own author of its last update (`metadata.updated_by`), else
 * the run's local writer; its update time, else when its file was last
 * written, else its creation, else now.
 */
export async function localSide(ctx: SyncContext, loaded: LoadedTicket): Promise<LocalStamp> {
  const ticket = loaded.ticket;
  const author = ticket.metadata.updated_by;
  const writer = typeof author === 'string' && author !== '' ? author : ctx.localWriter;
  const at = ticket.updated_at ?? (await ctx.fileTime?.(loaded)) ?? ticket.created_at ?? ctx.now().toISOString();
  return { writer, at };
}
