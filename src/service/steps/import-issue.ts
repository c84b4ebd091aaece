/**
 * Step: an issue born on GitHub becomes a new ticket — created through the
 * store (the format picks the id), filled from the issue, linked both ways,
 * and the issue marked so that it pairs by marker from then on.
 */
import type { RemoteIssue } from '../../github/types.js';
import { issueView } from '../../sync/mapping/read-issue.js';
import type { SyncContext } from '../context.js';
import { failedReport, type TicketReport } from '../report.js';
import { selfForComments } from './self.js';
import { plannedIssueWrite, writeIssue } from './write-issue.js';

export async function importIssue(ctx: SyncContext, issue: RemoteIssue, dryRun: boolean): Promise<TicketReport> {
  const report: TicketReport = { ticket: '(new)', issue: issue.number, outcome: 'imported', local: ['ticket'], github: ['body'], conflicts: [] };
  if (dryRun) return report;
  let id: string | undefined;
  try {
    const comments = issue.comments === 0 ? [] : await ctx.github.listComments(issue.number);
    const { view } = issueView(issue, comments, ctx.mapping, undefined, undefined, await selfForComments(ctx, comments));
    const ticket = await ctx.tickets.create({
      ...view,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      github: { issue: issue.number, url: issue.url },
    });
    id = ticket.id;
    await ctx.state.setLink(ctx.repo, id, issue.number);
    await ctx.state.setBase(ctx.repo, id, view);
    // The marker, and the managed labels of what the ticket now says, in one write.
    const loaded = (await ctx.tickets.snapshot()).tickets.find((t) => t.ticket.id === ticket.id);
    if (loaded) await writeIssue(ctx, issue, await plannedIssueWrite(ctx, loaded, issue, view));
    await ctx.state.appendLog(ctx.repo, [
      { ticket: id, field: 'title', side: 'local', writer: issue.author, at: issue.created_at, before: null, after: view.title, cause: ctx.cause },
    ]);
    return { ...report, ticket: id };
  } catch (error) {
    return failedReport(id ?? report.ticket, issue.number, error);
  }
}
