/** Who wrote a ticket's local side, and when: for the merge and the log. */
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { SyncContext } from '../context.js';

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
