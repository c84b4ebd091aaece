/**
 * Step: pair each ticket with its issue, by the link ticket-sync recorded
 * (`sync/identity.ts`): the ticket's own `github` link, else the state's,
 * else — a crash between creating an issue and recording the link — the
 * issue ticket-sync opened whose marker names the ticket. A full run reads
 * the issue listing once; a scoped run reads each linked issue alone and
 * the listing only when a ticket has no recorded link. Each pair comes with
 * its merge base, read before any ticket of the run is written: the base of
 * the ticket the state last synced with that issue.
 */
import type { RemoteIssue } from '../../github/types.js';
import { fileLinks, recordedLink, recoveryMarker } from '../../sync/identity.js';
import { markerOf } from '../../sync/mapping/markers.js';
import type { SyncView } from '../../sync/types.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { RunScope, SyncContext } from '../context.js';

export interface Pair {
  loaded: LoadedTicket;
  /** Its issue; none yet for a ticket that is not linked (or whose issue is gone). */
  issue?: RemoteIssue;
  /** The view both sides held after they were last synced; none without such a sync. */
  base?: SyncView;
  /** Whether the state already links this ticket and its issue. */
  linked?: boolean;
}

export interface Paired {
  pairs: Pair[];
  /** The issue listing, when this run read it. */
  listing?: RemoteIssue[];
}

/** How a run finds issues: the whole listing at once, or one linked issue at a time with the listing only when needed. */
interface IssueSource {
  byNumber(number: number): Promise<RemoteIssue | undefined>;
  listing(): Promise<RemoteIssue[]>;
  read(): RemoteIssue[] | undefined;
}

/** Pair every ticket against the whole issue listing, read once. */
export async function pairWithListing(ctx: SyncContext, scope: RunScope, tickets: readonly LoadedTicket[], all: readonly LoadedTicket[] = tickets): Promise<Paired> {
  const listing = await ctx.github.listIssues();
  const source: IssueSource = { byNumber: async (n) => listing.find((i) => i.number === n), listing: async () => listing, read: () => listing };
  return pairAll(ctx, scope, tickets, all, source);
}

/**
 * Pair the tickets of a scoped run: a recorded link reads its one issue;
 * the listing is read (once) only for a ticket with no recorded link.
 */
export async function pairScoped(ctx: SyncContext, scope: RunScope, tickets: readonly LoadedTicket[], all: readonly LoadedTicket[]): Promise<Paired> {
  let listing: Promise<RemoteIssue[]> | undefined;
  let read: RemoteIssue[] | undefined;
  const source: IssueSource = {
    byNumber: (n) => ctx.github.getIssue(n),
    listing: async () => (read = await (listing ??= ctx.github.listIssues())),
    read: () => read,
  };
  return pairAll(ctx, scope, tickets, all, source);
}

async function pairAll(ctx: SyncContext, scope: RunScope, tickets: readonly LoadedTicket[], all: readonly LoadedTicket[], source: IssueSource): Promise<Paired> {
  const claimed = fileLinks(all);
  const pairs: Pair[] = [];
  for (const loaded of tickets) {
    const number = await linkedIssue(ctx, loaded, claimed);
    const issue = number !== undefined ? await source.byNumber(number) : await byMarker(ctx, scope, loaded, claimed, await source.listing());
    pairs.push(issue === undefined ? { loaded } : { loaded, issue, ...(await lastSynced(ctx, loaded, issue)) });
  }
  const listing = source.read();
  return listing === undefined ? { pairs } : { pairs, listing };
}

/** The issue number ticket-sync recorded for a ticket (see `recordedLink`). */
export async function linkedIssue(ctx: SyncContext, loaded: LoadedTicket, claimed: ReadonlyMap<number, string | null> = new Map()): Promise<number | undefined> {
  const id = loaded.ticket.id;
  const stateLink = loaded.ticket.github === undefined ? await ctx.state.getLink(ctx.repo, id) : undefined;
  return recordedLink(id, loaded.ticket.github?.issue, stateLink, claimed);
}

/**
 * The issue ticket-sync opened for a ticket whose link was never recorded:
 * its marker names the ticket, no ticket's file and no other ticket in the
 * state claims it, and no earlier attempt of this run imported it.
 */
async function byMarker(ctx: SyncContext, scope: RunScope, loaded: LoadedTicket, claimed: ReadonlyMap<number, string | null>, issues: readonly RemoteIssue[]): Promise<RemoteIssue | undefined> {
  const id = loaded.ticket.id;
  const again = new Set(scope.importAgain ?? []);
  const candidates = issues.filter((issue) => !again.has(issue.number) && !claimed.has(issue.number) && markerOf(issue.body) === id);
  // Who ticket-sync is, asked only when some issue's marker names the ticket.
  const self = candidates.length > 0 ? await ctx.self() : '';
  for (const issue of candidates.sort((a, b) => a.number - b.number)) {
    if (recoveryMarker(issue, self) !== id) continue;
    const owner = await ctx.state.ticketForIssue(ctx.repo, issue.number);
    if (owner === undefined || owner === id) return issue;
  }
  return undefined;
}

/** The base of a pair: the view of the ticket the state last synced with the issue (a moved ticket keeps its history). */
async function lastSynced(ctx: SyncContext, loaded: LoadedTicket, issue: RemoteIssue): Promise<Pick<Pair, 'base' | 'linked'>> {
  const id = loaded.ticket.id;
  const owner = await ctx.state.ticketForIssue(ctx.repo, issue.number);
  const stateLink = owner === undefined ? await ctx.state.getLink(ctx.repo, id) : undefined;
  const baseOf = owner ?? (stateLink === undefined ? id : undefined);
  const base = baseOf === undefined ? undefined : await ctx.state.getBase(ctx.repo, baseOf);
  return { ...(base ? { base } : {}), linked: owner === id };
}
