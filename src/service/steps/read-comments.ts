/**
 * Step: an issue's comments. Read afresh — a conditional listing, free when
 * nothing changed — where the run says comments may have changed (a comment
 * edit does not have to move its issue's time); otherwise as the last run
 * saw them, unless the issue's time or comment count moved.
 */
import type { RemoteComment, RemoteIssue } from '../../github/types.js';
import { commentsSeen } from '../../store/records.js';
import type { RunScope, SyncContext } from '../context.js';

export interface ReadComments {
  comments: RemoteComment[];
  /** Whether they were read from GitHub in this run (else: as the last run saw them). */
  fresh: boolean;
}

export async function readComments(ctx: SyncContext, scope: RunScope, ticket: string, issue: RemoteIssue, force = false): Promise<ReadComments> {
  const wanted = scope.freshComments ?? 'all';
  const fresh = force || wanted === 'all' || wanted.includes(issue.number);
  if (!fresh) {
    const seen = await commentsSeen.get(ctx.state, ctx.repo, ticket);
    if (seen && seen.updated_at === issue.updated_at && seen.count === issue.comments) return { comments: seen.comments, fresh: false };
  }
  if (issue.comments === 0 && !force) return { comments: [], fresh: true };
  const comments = await ctx.github.listComments(issue.number);
  await commentsSeen.set(ctx.state, ctx.repo, ticket, { updated_at: issue.updated_at, count: issue.comments, comments });
  return { comments, fresh: true };
}
