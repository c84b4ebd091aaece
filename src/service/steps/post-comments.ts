/**
 * Step: post a ticket's comments on its brand-new issue. An issue just
 * created has no comments, so none are read; what was posted is remembered
 * as the comments the next run starts from.
 */
import type { RemoteComment, RemoteIssue } from '../../github/types.js';
import { renderComment } from '../../sync/mapping/comments.js';
import type { SyncComment } from '../../sync/types.js';
import { commentsSeen } from '../../store/records.js';
import type { SyncContext } from '../context.js';

export async function postComments(ctx: SyncContext, ticket: string, issue: RemoteIssue, comments: readonly SyncComment[]): Promise<void> {
  if (comments.length === 0) return;
  const posted: RemoteComment[] = [];
  for (const comment of comments) posted.push(await ctx.github.createComment(issue.number, renderComment(comment)));
  await commentsSeen.set(ctx.state, ctx.repo, ticket, { updated_at: issue.updated_at, count: posted.length, comments: posted });
}
