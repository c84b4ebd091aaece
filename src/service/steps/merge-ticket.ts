/**
 * Step: merge one linked ticket with its issue — read both sides, reconcile
 * them against the base (pure), write what each side lacks, remember the
 * new base, log every write.
 */
import type { IssueWrite } from '../../github/types.js';
import { reconcile } from '../../sync/merge.js';
import type { SyncField, SyncView } from '../../sync/types.js';
import { sameValue } from '../../sync/view.js';
import type { Direction, RunScope, SyncContext } from '../context.js';
import type { TicketReport } from '../report.js';
import { rememberOffGitHub } from './assignability.js';
import { localSide } from './local-side.js';
import { readSides, type LinkedPair } from './read-sides.js';
import { writeComments } from './write-comments.js';
import { plannedIssueWrite, writeIssue } from './write-issue.js';
import { patchOf, writeTicket } from './write-ticket.js';

export async function mergeTicket(
  ctx: SyncContext,
  scope: RunScope,
  pair: LinkedPair,
  direction: Direction,
  dryRun: boolean,
): Promise<TicketReport> {
  const { loaded, issue } = pair;
  const ticket = loaded.ticket;
  // 1. Read both sides.
  const { local, remote, base, comments } = await readSides(ctx, scope, pair);
  const stamp = await localSide(ctx, loaded);
  // 2. Reconcile them. The issue does not say who last edited it: the CLI writes `github`; the App passes the event's sender.
  const result = reconcile(ticket.id, base, { view: local, ...stamp }, { view: remote, writer: ctx.githubWriter ?? 'github', at: issue.updated_at });
  const toLocal = direction === 'push' ? [] : (Object.keys(result.local) as SyncField[]);
  const toGitHub = direction === 'pull' ? [] : (Object.keys(result.github) as SyncField[]);
  // Whatever the issue does not show of the merged view is sent, not only the fields the merge changed.
  const write = direction === 'pull' ? {} : await plannedIssueWrite(ctx, loaded, issue, result.merged);
  const github = [...toGitHub, ...unexplained(write, toGitHub)];
  const needsLink = ticket.github?.issue !== issue.number;
  const report: TicketReport = {
    ticket: ticket.id,
    issue: issue.number,
    outcome: toLocal.length > 0 && github.length > 0 ? 'merged' : toLocal.length > 0 ? 'pulled' : github.length > 0 ? 'pushed' : 'in-sync',
    local: toLocal,
    github,
    conflicts: [...new Set(result.log.filter((l) => l.conflict).map((l) => l.field))],
  };
  if (dryRun) return needsLink ? { ...report, local: [...report.local, 'github'] } : report;

  // 3. Write both sides.
  if (toLocal.length > 0 || needsLink) await writeTicket(ctx, loaded, patchOf(result.merged, toLocal), issue);
  await writeIssue(ctx, issue, write);
  if (toGitHub.includes('comments')) await writeComments(ctx, ticket.id, issue, comments, remote.comments, result.merged.comments);
  // 4. Remember what was synced, and log every write.
  if (toGitHub.includes('assignees') || toLocal.includes('assignees') || base === undefined) await rememberOffGitHub(ctx, ticket.id, result.merged.assignees);
  if (needsLink || !pair.linked) await ctx.state.setLink(ctx.repo, ticket.id, issue.number);
  const nextBase = direction === 'both' ? result.merged : oneWayBase(base, direction === 'push' ? local : remote, result.merged, [...toLocal, ...toGitHub]);
  if (!sameValue(base, nextBase)) await ctx.state.setBase(ctx.repo, ticket.id, nextBase);
  const written = result.log.filter((l) => (l.side === 'local' ? toLocal : toGitHub).includes(l.field.startsWith('comment:') ? 'comments' : (l.field as SyncField)));
  if (written.length > 0) await ctx.state.appendLog(ctx.repo, written.map((l) => ({ ...l, cause: ctx.cause })));
  return report;
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

/**
 * The base after a one-way run: written fields hold the merged value; the
 * others keep their base, so the other side's pending change is still a change
 * next run. Without a base, an unwritten field takes the value of the side
 * this run wrote from, which makes the other side's (winning) value a change.
 */
function oneWayBase(base: SyncView | undefined, source: SyncView, merged: SyncView, written: readonly SyncField[]): SyncView {
  const next = { ...(base ?? source) };
  for (const field of written) (next as Record<SyncField, unknown>)[field] = merged[field];
  return next;
}
