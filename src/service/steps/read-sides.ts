/**
 * Step: both sides of one linked ticket as views, with the merge base —
 * the ticket file's view and the issue's (its comments read as the run
 * says), with the last synced view pairing found. What GitHub shows exactly as ticket-sync would
 * render the ticket or the base reads as that value (cut texts, a reopened
 * state); a name GitHub cannot assign is not read as removed there.
 */
import type { RemoteIssue } from '../../github/types.js';
import { keepOffGitHub, namesNotShown } from '../../sync/assignee-policy.js';
import { issueView } from '../../sync/mapping/read-issue.js';
import type { SyncView } from '../../sync/types.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { RunScope, SyncContext } from '../context.js';
import type { Pair } from './pair-tickets.js';
import { canAssignOf, loginOf, recalledOffGitHub } from './assignability.js';
import { localView, unheldFields } from './local-side.js';
import { readComments, type ReadComments } from './read-comments.js';
import { selfForComments } from './self.js';

/** A ticket paired with its issue, and their base. */
export type LinkedPair = Pair & { issue: RemoteIssue };

export interface Sides {
  local: SyncView;
  remote: SyncView;
  /** The view both sides held after the last sync; none when it is lost or was never made. */
  base: SyncView | undefined;
  /** The issue's comments as read. */
  comments: ReadComments;
}

export async function readSides(ctx: SyncContext, scope: RunScope, { loaded, issue, base }: LinkedPair, freshComments = false): Promise<Sides> {
  const id = loaded.ticket.id;
  const local = localView(ctx, loaded, base);
  const comments = await readComments(ctx, scope, id, issue, freshComments);
  const self = await selfForComments(ctx, comments.comments);
  const read = issueView(issue, comments.comments, ctx.mapping, [local, base], unheldFields(ctx, loaded), self).view;
  const notShown = namesNotShown(local, read);
  const remote =
    notShown.length === 0
      ? read
      : keepOffGitHub(read, local, {
          canAssign: await canAssignOf(ctx, notShown.map((n) => loginOf(ctx, n))),
          loginOf: (n) => loginOf(ctx, n),
          offGitHub: await recalledOffGitHub(ctx, id),
        });
  return { local, remote, base, comments };
}
