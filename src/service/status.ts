/** Where each ticket stands against its issue, without writing anything. */
import { fileLinks } from '../sync/identity.js';
import type { SyncField, SyncView } from '../sync/types.js';
import { sameValue } from '../sync/view.js';
import type { RunScope, SyncContext } from './context.js';
import type { StatusLine, TicketState } from './report.js';
import { linkedIssue, pairWithListing } from './steps/pair-tickets.js';
import { readSides } from './steps/read-sides.js';

export async function ticketStatus(ctx: SyncContext, scope: RunScope = {}): Promise<StatusLine[]> {
  const snapshot = await ctx.tickets.snapshot();
  const { pairs } = await pairWithListing(ctx, scope, snapshot.tickets);
  const claimed = fileLinks(snapshot.tickets);
  const lines: StatusLine[] = [];
  for (const pair of pairs) {
    const { loaded, issue } = pair;
    const id = loaded.ticket.id;
    if (issue === undefined) {
      // The link as pairing weighs it: a state link another ticket's file claims is not this ticket's.
      const linked = await linkedIssue(ctx, loaded, claimed);
      lines.push({ ticket: id, ...(linked ? { issue: linked } : {}), state: linked ? 'issue missing' : 'not linked', fields: [] });
      continue;
    }
    const { local, remote, base } = await readSides(ctx, scope, { ...pair, issue });
    const localChanged = changedFields(base, local);
    const remoteChanged = changedFields(base, remote);
    const state: TicketState = sameValue(local, remote)
      ? 'in sync'
      : localChanged.length > 0 && remoteChanged.length > 0
        ? 'conflict'
        : remoteChanged.length > 0
          ? 'GitHub ahead'
          : 'local ahead';
    lines.push({ ticket: id, issue: issue.number, state, fields: [...new Set([...localChanged, ...remoteChanged])] });
  }
  return lines;
}

/** The fields of `view` that differ from `base` (none without a base). */
export function changedFields(base: SyncView | undefined, view: SyncView): SyncField[] {
  if (base === undefined) return [];
  return (Object.keys(view) as SyncField[]).filter((f) => !sameValue(base[f], view[f]));
}
