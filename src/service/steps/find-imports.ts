/**
 * Step: the issues born on GitHub that become new tickets — no ticket is
 * paired with them or links to them, the state links no ticket to them,
 * ticket-sync did not open them for a ticket (a marker counts only on its
 * own issues; an earlier attempt of this run's imports are imported again),
 * and they pass the import filter. Pull requests never reach here: the
 * adapter leaves them out.
 */
import type { RemoteIssue } from '../../github/types.js';
import { recoveryMarker } from '../../sync/identity.js';
import { markerOf } from '../../sync/mapping/markers.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { RunScope, SyncContext } from '../context.js';
import type { Pair } from './pair-tickets.js';

export async function findImports(
  ctx: SyncContext,
  scope: RunScope,
  pairs: readonly Pair[],
  tickets: readonly LoadedTicket[],
  issues: readonly RemoteIssue[],
): Promise<RemoteIssue[]> {
  const filter = ctx.importIssues ?? 'none';
  if (filter === 'none') return [];
  const again = new Set(scope.importAgain ?? []);
  const taken = new Set<number>();
  for (const { issue } of pairs) if (issue) taken.add(issue.number);
  // Every ticket's own link counts, synced in this run or not (held back, contested).
  for (const { ticket } of tickets) if (ticket.github) taken.add(ticket.github.issue);
  const wanted = (issue: RemoteIssue) => filter === 'all' || issue.labels.some((l) => l.trim().toLowerCase() === filter.label.trim().toLowerCase());
  const candidates = issues.filter((issue) => !taken.has(issue.number) && wanted(issue));
  // Who ticket-sync is, asked only when some candidate carries a marker.
  const self = candidates.some((issue) => markerOf(issue.body) !== undefined) ? await ctx.self() : '';
  const result: RemoteIssue[] = [];
  for (const issue of candidates.sort((a, b) => a.number - b.number)) {
    // An issue ticket-sync opened for a ticket is that ticket's, even when the ticket is gone; a marker
    // anyone else wrote is only text: that issue is a person's, and becomes a ticket.
    if (!again.has(issue.number) && recoveryMarker(issue, self) !== undefined) continue;
    if ((await ctx.state.ticketForIssue(ctx.repo, issue.number)) !== undefined) continue;
    result.push(issue);
  }
  return result;
}
