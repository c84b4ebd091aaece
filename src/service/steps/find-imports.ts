/**
 * Step: the issues born on GitHub that become new tickets — no ticket is
 * paired with them or links to them, the state links no ticket to them,
 * they carry no marker (unless an earlier attempt of this run marked them),
 * and they pass the import filter. Pull requests never reach here: the
 * adapter leaves them out.
 */
import type { RemoteIssue } from '../../github/types.js';
import { markerOf } from '../../sync/mapping/markers.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { RunScope, SyncContext } from '../context.js';
import type { Pair } from './pair-tickets.js';

export async function findImports(
  ctx: SyncContext,
  scope: RunScope,
  pairs: readonly Pair[],
  held: readonly LoadedTicket[],
  issues: readonly RemoteIssue[],
): Promise<RemoteIssue[]> {
  const filter = ctx.importIssues ?? 'none';
  if (filter === 'none') return [];
  const again = new Set(scope.importAgain ?? []);
  const taken = new Set<number>();
  for (const { loaded, issue } of pairs) {
    if (issue) taken.add(issue.number);
    if (loaded.ticket.github) taken.add(loaded.ticket.github.issue);
  }
  for (const loaded of held) if (loaded.ticket.github) taken.add(loaded.ticket.github.issue);
  const wanted = (issue: RemoteIssue) => filter === 'all' || issue.labels.some((l) => l.trim().toLowerCase() === filter.label.trim().toLowerCase());
  const result: RemoteIssue[] = [];
  for (const issue of [...issues].sort((a, b) => a.number - b.number)) {
    if (taken.has(issue.number) || !wanted(issue)) continue;
    if (!again.has(issue.number) && markerOf(issue.body) !== undefined) continue;
    if ((await ctx.state.ticketForIssue(ctx.repo, issue.number)) !== undefined) continue;
    result.push(issue);
  }
  return result;
}
