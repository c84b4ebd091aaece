/**
 * Step: merge one linked ticket with its issue — read both sides, reconcile
 * them against the base (pure), write what each side lacks, remember the
 * new base, log every write.
 */
import type { IssueWrite } from '../../github/types.js';
import { reconcile } from '../../sync/merge.js';
import type { SyncField } from '../../sync/types.js';
import type { Direction, RunScope, SyncContext } from '../context.js';
import type { TicketReport } from '../report.js';
import { localSide } from './local-side.js';
import { readSides, type LinkedPair } from './read-sides.js';
import { rememberSync } from './remember-sync.js';
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
  await rememberSync(ctx, pair, direction, { local, remote, result, toLocal, toGitHub, wroteGitHub: github.length > 0, linkedFile: needsLink });
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
