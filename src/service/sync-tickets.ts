/**
 * One sync of a repository's tickets with its issues, as a list of steps.
 * Data flows one way: read both sides → reconcile → write both sides → log.
 * The CLI runs it on a working copy; the App on the branch's files (see
 * `repo-sync.ts`).
 */
import type { LoadedTicket } from '../tickets/formats/types.js';
import type { Direction, Progress, RunScope, SyncContext } from './context.js';
import { failedReport, type SyncReport, type TicketReport } from './report.js';
import { createIssue } from './steps/create-issue.js';
import { linkClaims } from '../tickets/link-claims.js';
import { findImports } from './steps/find-imports.js';
import { importIssue } from './steps/import-issue.js';
import { mergeTicket } from './steps/merge-ticket.js';
import { pairScoped, pairWithListing, type Pair } from './steps/pair-tickets.js';

/**
 * A step that needs every ticket's issue at once (relations between
 * tickets): run after each ticket has its issue, before the imports.
 */
export type AcrossTicketsStep = (ctx: SyncContext, pairs: readonly Pair[], dryRun: boolean) => Promise<TicketReport[]>;

/** The steps across tickets, in order. */
const ACROSS_TICKETS: readonly AcrossTicketsStep[] = [];

/** Sync every valid ticket; `dryRun` computes the same plan and writes nothing anywhere. */
export async function syncTickets(ctx: SyncContext, scope: RunScope, direction: Direction = 'both', dryRun = false, onProgress?: Progress): Promise<SyncReport> {
  // 1. Read the ticket files; set aside the tickets this run leaves out: held back, or claiming an issue another ticket claims.
  const snapshot = await ctx.tickets.snapshot();
  const claims = linkClaims(snapshot.tickets);
  const inScope = snapshot.tickets.filter((loaded) => scope.only?.(loaded) ?? true);
  const held = scope.held === undefined ? [] : inScope.filter((loaded) => scope.held!.holds(loaded));
  const inRun = inScope.filter((loaded) => !held.includes(loaded) && !claims.contested.has(loaded.ticket.id));
  // 2. Pair each ticket with its issue.
  const { pairs, listing } = scope.only === undefined ? await pairWithListing(ctx, scope, inRun, snapshot.tickets) : await pairScoped(ctx, scope, inRun, snapshot.tickets);
  // 3. Find the issues born on GitHub that become tickets (full runs only).
  const imports = scope.only === undefined && direction !== 'push' ? await findImports(ctx, scope, pairs, snapshot.tickets, listing ?? []) : [];
  const problems = [...snapshot.problems, ...claims.problems];
  const report: SyncReport = { tickets: [], problems: problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.message}`) };
  const told = progressOf(onProgress, pairs.length + imports.length);
  // 4. Sync each ticket: create its issue, or merge it with its issue.
  const errors: NonNullable<SyncReport['errors']> = [];
  for (const pair of pairs) report.tickets.push(told(await syncOne(ctx, scope, pair, direction, dryRun, errors)));
  // 5. The steps that need every ticket's issue.
  for (const step of ACROSS_TICKETS) report.tickets.push(...(await step(ctx, pairs, dryRun)));
  // 6. Import the issues born on GitHub.
  for (const issue of imports) report.tickets.push(told(await importIssue(ctx, issue, dryRun)));
  // 7. The tickets left out, as skipped.
  for (const loaded of held) report.tickets.push(await heldReport(ctx, loaded, scope.held!.reason));
  // 8. After a full run created issues, read the listing again: the next run's listing is then all 304s.
  if (!dryRun && scope.only === undefined && created(report)) await ctx.github.listIssues();
  if (errors.length > 0) report.errors = errors;
  return report;
}

/** One ticket's sync; a failure is its report (the others go on), its error kept in `errors`. */
async function syncOne(ctx: SyncContext, scope: RunScope, pair: Pair, direction: Direction, dryRun: boolean, errors: NonNullable<SyncReport['errors']>): Promise<TicketReport> {
  const { loaded, issue } = pair;
  try {
    return issue === undefined ? await createIssue(ctx, loaded, direction, dryRun) : await mergeTicket(ctx, scope, { ...pair, issue }, direction, dryRun);
  } catch (error) {
    errors.push({ ticket: loaded.ticket.id, error });
    return failedReport(loaded.ticket.id, issue?.number, error);
  }
}

/** A held ticket's line in the report: skipped, with its issue when known. */
async function heldReport(ctx: SyncContext, loaded: LoadedTicket, reason: string): Promise<TicketReport> {
  const issue = loaded.ticket.github?.issue ?? (await ctx.state.getLink(ctx.repo, loaded.ticket.id));
  return { ticket: loaded.ticket.id, ...(issue !== undefined ? { issue } : {}), outcome: 'skipped', local: [], github: [], conflicts: [], reason };
}

function created(report: SyncReport): boolean {
  return report.tickets.some((t) => t.outcome === 'created');
}

function progressOf(onProgress: Progress | undefined, total: number): (line: TicketReport) => TicketReport {
  let done = 0;
  return (line) => {
    onProgress?.(++done, total, line.ticket);
    return line;
  };
}
