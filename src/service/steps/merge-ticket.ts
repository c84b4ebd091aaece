/**
 * Step: merge one linked ticket with its issue — read both sides, reconcile
 * them against the base (pure), write what each side lacks, remember the
 * new base, log every write.
 */
import type { IssueWrite, RemoteIssue } from '../../github/types.js';
import { sameValue } from '../../sync/view.js';
import { reconcile } from '../../sync/merge.js';
import type { Reconciled, Side, SyncField } from '../../sync/types.js';
import type { Direction, RunScope, SyncContext } from '../context.js';
import type { TicketReport } from '../report.js';
import { applyTransition } from './apply-transition.js';
import { githubSide, withGitHubStamps } from './github-side.js';
import { withHistoryStamps } from './history-stamps.js';
import { localSide } from './local-side.js';
import { readSides, type LinkedPair } from './read-sides.js';
import { rememberSync } from './remember-sync.js';
import { writeComments } from './write-comments.js';
import { plannedIssueWrite, writeIssue } from './write-issue.js';
import { patchOf, writeTicket } from './write-ticket.js';

/** How many times a merge is redone when the issue moved between its read and its write. */
const MERGE_ATTEMPTS = 3;

export async function mergeTicket(ctx: SyncContext, scope: RunScope, first: LinkedPair, direction: Direction, dryRun: boolean): Promise<TicketReport> {
  let pair = first;
  for (let attempt = 1; ; attempt++) {
    // 1. Read both sides, and 2. reconcile them.
    const plan = await planMerge(ctx, scope, pair, direction);
    if (dryRun) return plan.needsLink ? { ...plan.report, local: [...plan.report.local, 'github'] } : plan.report;
    // Right before writing the issue, read it again (a conditional read, free when it did not move): a
    // person's change made since the first read is merged, never overwritten by a write planned without it.
    const writesIssue = plan.report.github.length > 0;
    const fresh = writesIssue && attempt < MERGE_ATTEMPTS ? await ctx.github.getIssue(pair.issue.number) : pair.issue;
    if (fresh !== undefined && !sameIssue(fresh, pair.issue)) {
      pair = { ...pair, issue: fresh };
      continue;
    }
    // 3. Write both sides, and 4. remember what was synced, logging every write.
    await writeMerge(ctx, pair, direction, plan);
    return plan.report;
  }
}

type MergePlan = Awaited<ReturnType<typeof planMerge>>;

async function planMerge(ctx: SyncContext, scope: RunScope, pair: LinkedPair, direction: Direction) {
  const { loaded, issue } = pair;
  const ticket = loaded.ticket;
  const sides = await readSides(ctx, scope, pair);
  const local: Side = { view: sides.local, ...(await localSide(ctx, loaded)) };
  const remote = await githubSide(ctx, issue, sides.remote);
  let result = reconcile(ticket.id, sides.base, local, remote);
  // A field changed on both sides is decided again by when each side changed that field: GitHub's
  // events or GraphQL where the issue's time decided, the file's history where the branch has one.
  const conflicted = conflictedFields(result);
  if (conflicted.length > 0) {
    const github = result.guessed.length > 0 ? await withGitHubStamps(ctx, issue, remote, result.guessed) : remote;
    const mine = await withHistoryStamps(ctx, loaded, local, conflicted);
    if (github !== remote || mine !== local) result = reconcile(ticket.id, sides.base, mine, github);
  }
  // 3. A pull request's status move, as a third writer.
  const transition = scope.transitions?.get(ticket.id);
  const moved = transition ? await applyTransition(ctx, ticket.id, issue, { local, github: remote }, result, transition) : undefined;
  if (moved) result = moved.result;
  const toLocal = direction === 'push' ? [] : (Object.keys(result.local) as SyncField[]);
  const toGitHub = direction === 'pull' ? [] : (Object.keys(result.github) as SyncField[]);
  // Whatever the issue does not show of the merged view is sent, not only the fields the merge changed.
  const write = direction === 'pull' ? {} : await plannedIssueWrite(ctx, loaded, issue, result.merged);
  const github = [...toGitHub, ...unexplained(write, toGitHub)];
  const report: TicketReport = {
    ticket: ticket.id,
    issue: issue.number,
    outcome: toLocal.length > 0 && github.length > 0 ? 'merged' : toLocal.length > 0 ? 'pulled' : github.length > 0 ? 'pushed' : 'in-sync',
    local: toLocal,
    github,
    conflicts: [...new Set(result.log.filter((l) => l.conflict).map((l) => l.field))],
    ...(moved ? { transition: moved.report } : {}),
  };
  return { sides, result, toLocal, toGitHub, write, report, needsLink: ticket.github?.issue !== issue.number };
}

async function writeMerge(ctx: SyncContext, pair: LinkedPair, direction: Direction, plan: MergePlan): Promise<void> {
  const { loaded, issue } = pair;
  const { sides, result, toLocal, toGitHub, write, report, needsLink } = plan;
  if (toLocal.length > 0 || needsLink) await writeTicket(ctx, loaded, patchOf(result.merged, toLocal), issue);
  await writeIssue(ctx, issue, write);
  if (toGitHub.includes('comments')) await writeComments(ctx, loaded.ticket.id, issue, sides.comments, sides.remote.comments, result.merged.comments);
  await rememberSync(ctx, pair, direction, { local: sides.local, remote: sides.remote, result, toLocal, toGitHub, wroteGitHub: report.github.length > 0, linkedFile: needsLink });
}

/** Whether two reads of an issue show the same issue (its time has a second's resolution: the fields are compared too). */
function sameIssue(a: RemoteIssue, b: RemoteIssue): boolean {
  return sameValue(a, b);
}

/** The fields (not labels, assignees or comments, which merge element by element) whose winner a time chose. */
function conflictedFields(result: Reconciled): SyncField[] {
  const timed: readonly string[] = ['title', 'description', 'status', 'priority', 'type'];
  return [...new Set(result.log.filter((l) => l.conflict && timed.includes(l.field)).map((l) => l.field as SyncField))];
}

/** The sync fields each part of an issue write shows. */
const SHOWN_BY: Readonly<Record<keyof IssueWrite, readonly SyncField[]>> = {
  title: ['title'],
  body: ['description'],
  state: ['status'],
  state_reason: ['status'],
  labels: ['labels', 'status', 'priority', 'type'],
  assignees: ['assignees'],
};

/** The parts of a write no changed field accounts for (a stale label, a drifted body), by GitHub's names. */
function unexplained(write: IssueWrite, fields: readonly SyncField[]): string[] {
  return (Object.keys(write) as (keyof IssueWrite)[]).filter((key) => key !== 'state_reason' && !SHOWN_BY[key].some((f) => fields.includes(f)));
}
