/**
 * Step: the local side's stamps for fields changed on both sides — when each
 * took the value the file holds, from the file's history
 * (`SyncContext.ticketHistory`), read back only as far as needed: a ticket's
 * update time moves with any change to it, so alone it would date an older
 * title edit by a newer priority edit.
 */
import { stampsOfHistory, type TicketVersion } from '../../sync/local-stamps.js';
import { ticketView } from '../../sync/mapping/render-issue.js';
import type { Side, SyncField, SyncView } from '../../sync/types.js';
import { sameValue } from '../../sync/view.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { SyncContext, TicketFileVersion } from '../context.js';

export async function withHistoryStamps(ctx: SyncContext, loaded: LoadedTicket, side: Side, fields: readonly SyncField[]): Promise<Side> {
  if (!ctx.ticketHistory || fields.length === 0) return side;
  const current = ticketView(loaded.ticket, ctx.mapping);
  const versions: TicketVersion[] = [];
  const open = new Set(fields);
  for await (const version of ctx.ticketHistory(loaded)) {
    const read = versionOf(ctx, loaded, version);
    versions.push(read);
    for (const field of [...open]) if (read.view === undefined || !sameValue(read.view[field], current[field])) open.delete(field);
    if (open.size === 0) break;
  }
  return { ...side, fields: { ...side.fields, ...stampsOfHistory(current, versions, fields) } };
}

/** A version as the ticket read then: its own update time and writer where it has them, else the commit's. */
function versionOf(ctx: SyncContext, loaded: LoadedTicket, version: TicketFileVersion): TicketVersion {
  const ticket = version.text === null ? undefined : ctx.tickets.format.load([{ path: loaded.path, text: version.text }]).tickets.find((t) => t.ticket.id === loaded.ticket.id)?.ticket;
  if (!ticket) return { view: undefined, writer: version.writer, at: version.at };
  const author = ticket.metadata.updated_by;
  const view: SyncView = ticketView(ticket, ctx.mapping);
  return { view, writer: typeof author === 'string' && author !== '' ? author : version.writer, at: ticket.updated_at ?? version.at };
}
