/**
 * Step: the comment writes that turn GitHub's comments from `before` into
 * `after` (both as the view holds them): a local comment deleted is deleted
 * on GitHub, a new one posted, an edited one (posted by ticket-sync) edited.
 */
import type { RemoteComment, RemoteIssue } from '../../github/types.js';
import { renderComment } from '../../sync/mapping/comments.js';
import { issueView } from '../../sync/mapping/read-issue.js';
import type { SyncComment } from '../../sync/types.js';
import { sameValue } from '../../sync/view.js';
import { commentsSeen } from '../../store/records.js';
import type { SyncContext } from '../context.js';
import type { ReadComments } from './read-comments.js';
import { selfForComments } from './self.js';

export async function writeComments(
  ctx: SyncContext,
  ticket: string,
  issue: RemoteIssue,
  read: ReadComments,
  before: readonly SyncComment[],
  after: readonly SyncComment[],
): Promise<void> {
  if (sameValue(before, after)) return;
  // Comments taken as the last run saw them may be out of date: write against what GitHub holds.
  const remote = read.fresh ? read.comments : await ctx.github.listComments(issue.number);
  // What GitHub holds once these writes are done.
  let now = [...remote];
  const byLocalId = commentTargets(ctx, issue, remote, await selfForComments(ctx, remote));
  const wanted = new Set(after.map((c) => c.id));
  for (const old of before) {
    const target = byLocalId.get(old.id);
    if (wanted.has(old.id) || !target) continue;
    await ctx.github.deleteComment(target.id);
    now = now.filter((c) => c.id !== target.id);
  }
  const had = new Map(before.map((c) => [c.id, c]));
  for (const comment of after) {
    const target = byLocalId.get(comment.id);
    if (!target) now.push(await ctx.github.createComment(issue.number, renderComment(comment)));
    else if (!sameValue(had.get(comment.id), comment) && !comment.id.startsWith('gh-')) {
      const edited = await ctx.github.updateComment(target.id, renderComment(comment));
      now = now.map((c) => (c.id === edited.id ? edited : c));
    }
  }
  // An issue's time has a second's resolution (and a comment edit need not move it): without this, a
  // later run in the same second would take the comments as they were before these writes.
  await commentsSeen.set(ctx.state, ctx.repo, ticket, { updated_at: issue.updated_at, count: now.length, comments: now });
}

/**
 * Each GitHub comment by the id the view gives it: a local comment's id from
 * its marker (only on ticket-sync's own comments), else `gh-<id>`.
 */
function commentTargets(ctx: SyncContext, issue: RemoteIssue, remote: readonly RemoteComment[], self: string | undefined): Map<string, RemoteComment> {
  const byLocalId = new Map<string, RemoteComment>();
  for (const c of remote) {
    const read = issueView({ ...issue, body: '' }, [c], ctx.mapping, undefined, undefined, self).view.comments[0];
    if (read) byLocalId.set(read.id, c);
  }
  return byLocalId;
}
