/** Step: write merged fields and the issue link into a ticket's file. */
import type { RemoteIssue } from '../../github/types.js';
import { applyView } from '../../sync/mapping/apply-view.js';
import type { SyncField, SyncView } from '../../sync/types.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { Ticket } from '../../tickets/model.js';
import type { SyncContext } from '../context.js';

/** The fields of a view to put into a ticket. */
export function patchOf(view: SyncView, fields: readonly SyncField[]): Partial<SyncView> {
  return Object.fromEntries(fields.map((f) => [f, view[f]])) as Partial<SyncView>;
}

/** Put `patch` into the ticket, and link it to `issue` if it is not yet. */
export async function writeTicket(ctx: SyncContext, loaded: LoadedTicket, patch: Partial<SyncView>, issue: RemoteIssue): Promise<void> {
  await ctx.tickets.update(loaded.ticket.id, (current) => {
    const next = Object.keys(patch).length === 0 ? current : applyView(current, patch, ctx.mapping);
    return isLinked(next, issue) ? next : { ...next, github: { issue: issue.number, url: issue.url } };
  });
}

/** Link a ticket to its issue, in the state and in its file. */
export async function linkTicket(ctx: SyncContext, loaded: LoadedTicket, issue: RemoteIssue): Promise<void> {
  await ctx.state.setLink(ctx.repo, loaded.ticket.id, issue.number);
  if (!isLinked(loaded.ticket, issue)) await writeTicket(ctx, loaded, {}, issue);
}

function isLinked(ticket: Ticket, issue: RemoteIssue): boolean {
  return ticket.github?.issue === issue.number && ticket.github.url === issue.url;
}
