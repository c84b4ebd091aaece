/**
 * Step: pair each ticket with its issue — the ticket's own link, else the
 * state's, else the issue whose marker names the ticket. A full run reads
 * the issue listing once; a scoped run reads each linked issue alone and
 * the listing only when a ticket has no known issue.
 */
import type { RemoteIssue } from '../../github/types.js';
import { markerOf } from '../../sync/mapping/markers.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { RunScope, SyncContext } from '../context.js';

export interface Pair {
  loaded: LoadedTicket;
  /** Its issue; none yet for a ticket that is not linked (or whose issue is gone). */
  issue?: RemoteIssue;
}

export interface Paired {
  pairs: Pair[];
  /** The issue listing, when this run read it. */
  listing?: RemoteIssue[];
}

/** The issue number a ticket is linked to: its own `github` link, else the state's. */
export async function linkedIssue(ctx: SyncContext, loaded: LoadedTicket): Promise<number | undefined> {
  return loaded.ticket.github?.issue ?? (await ctx.state.getLink(ctx.repo, loaded.ticket.id));
}

/** Pair every ticket against the whole issue listing, read once. */
export async function pairWithListing(ctx: SyncContext, scope: RunScope, tickets: readonly LoadedTicket[]): Promise<Paired> {
  const listing = await ctx.github.listIssues();
  const pairs: Pair[] = [];
  for (const loaded of tickets) pairs.push({ loaded, issue: await issueOf(ctx, scope, loaded, listing) });
  return { pairs, listing };
}

/**
 * Pair the tickets of a scoped run: a known link reads its one issue; the
 * listing is read (once) only for a ticket with no known link or whose
 * issue is gone, and pairs it as a full run would.
 */
export async function pairScoped(ctx: SyncContext, scope: RunScope, tickets: readonly LoadedTicket[]): Promise<Paired> {
  let listing: RemoteIssue[] | undefined;
  const pairs: Pair[] = [];
  for (const loaded of tickets) {
    const number = await linkedIssue(ctx, loaded);
    const linked = number === undefined ? undefined : await ctx.github.getIssue(number);
    pairs.push({ loaded, issue: linked ?? (await issueOf(ctx, scope, loaded, (listing ??= await ctx.github.listIssues()))) });
  }
  return listing === undefined ? { pairs } : { pairs, listing };
}

/** A ticket's issue in the listing: by its link, else by marker (not an issue an earlier attempt of this run imported). */
export async function issueOf(ctx: SyncContext, scope: RunScope, loaded: LoadedTicket, issues: readonly RemoteIssue[]): Promise<RemoteIssue | undefined> {
  const number = await linkedIssue(ctx, loaded);
  const byNumber = number === undefined ? undefined : issues.find((i) => i.number === number);
  if (byNumber) return byNumber;
  const again = new Set(scope.importAgain ?? []);
  return issues.find((i) => !again.has(i.number) && markerOf(i.body) === loaded.ticket.id);
}
