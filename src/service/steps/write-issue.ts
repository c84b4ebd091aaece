/**
 * Step: make an issue show a ticket's merged view — the desired issue
 * rendered from it, compared with the issue as GitHub holds it, and only
 * the difference sent.
 */
import type { IssueWrite, RemoteIssue } from '../../github/types.js';
import { issueChanges, isEmptyWrite, needsReopenFirst, type DesiredIssue } from '../../sync/issue-write.js';
import { renderIssue } from '../../sync/mapping/render-issue.js';
import type { SyncView } from '../../sync/types.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { SyncContext } from '../context.js';
import { canAssignOf } from './assignability.js';
import { unheldFields } from './local-side.js';

/** The issue ticket-sync wants for a ticket: logins GitHub cannot assign are left to the ticket. */
export async function desiredIssue(ctx: SyncContext, loaded: LoadedTicket, view: SyncView, shown: readonly string[] = []): Promise<DesiredIssue> {
  const desired = renderIssue(loaded.ticket, view, ctx.mapping, unheldFields(ctx, loaded));
  // A login the issue already shows is one GitHub took: only the others are asked about.
  const onIssue = new Set(shown.map((l) => l.toLowerCase()));
  const canAssign = await canAssignOf(ctx, desired.assignees.filter((l) => !onIssue.has(l.toLowerCase())));
  return { ...desired, assignees: desired.assignees.filter((l) => onIssue.has(l.toLowerCase()) || canAssign(l)) };
}

/** What must change on `issue` for it to show `view`. */
export async function plannedIssueWrite(ctx: SyncContext, loaded: LoadedTicket, issue: RemoteIssue, view: SyncView): Promise<IssueWrite> {
  return issueChanges(await desiredIssue(ctx, loaded, view, issue.assignees), issue);
}

/** Send a planned write. */
export async function writeIssue(ctx: SyncContext, issue: RemoteIssue, write: IssueWrite): Promise<void> {
  if (isEmptyWrite(write)) return;
  // GitHub ignores a new close reason unless the state changes: reopen, then close with it.
  if (needsReopenFirst(write, issue)) await ctx.github.updateIssue(issue.number, { state: 'open' });
  await ctx.github.updateIssue(issue.number, write);
}
