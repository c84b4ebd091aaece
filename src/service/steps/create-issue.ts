/**
 * Step: a ticket with no issue gets one. Pairing already looked for its
 * issue in this run's listing (by link and by marker), so no issue of it
 * exists unless one was made since: the creation itself is idempotent
 * (after an answer that was lost, the adapter looks for the issue by its
 * marker before sending it again). A new issue has no comments: the
 * ticket's are posted without reading any.
 */
import { ticketView } from '../../sync/mapping/render-issue.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { Direction, SyncContext } from '../context.js';
import type { TicketReport } from '../report.js';
import { rememberOffGitHub } from './assignability.js';
import { localSide } from './local-side.js';
import { postComments } from './post-comments.js';
import { desiredIssue } from './write-issue.js';
import { linkTicket } from './write-ticket.js';

export async function createIssue(ctx: SyncContext, loaded: LoadedTicket, direction: Direction, dryRun: boolean): Promise<TicketReport> {
  const ticket = loaded.ticket;
  const report: TicketReport = { ticket: ticket.id, outcome: 'created', local: ['github'], github: ['issue'], conflicts: [] };
  if (direction === 'pull') return { ...report, outcome: 'skipped', local: [], github: [], reason: 'not linked to an issue (push creates it)' };
  if (dryRun) return report;
  const view = ticketView(ticket, ctx.mapping);
  const issue = await ctx.github.createIssue(await desiredIssue(ctx, loaded, view));
  report.issue = issue.number;
  await postComments(ctx, ticket.id, issue, view.comments);
  await linkTicket(ctx, loaded, issue);
  await rememberOffGitHub(ctx, ticket.id, view.assignees);
  await ctx.state.setBase(ctx.repo, ticket.id, view);
  // The issue exists whether or not the ticket's link lands (the App's commit may lose the race): remembered at once.
  const github = ctx.githubState ?? ctx.state;
  if (github !== ctx.state) {
    await github.setLink(ctx.repo, ticket.id, issue.number);
    await github.setBase(ctx.repo, ticket.id, view);
  }
  const { writer, at } = await localSide(ctx, loaded);
  await github.appendLog(ctx.repo, [{ ticket: ticket.id, field: 'title', side: 'github', writer, at, before: null, after: view.title, cause: ctx.cause }]);
  return report;
}
