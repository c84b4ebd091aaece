/**
 * Step: a pull request's status move, merged into a ticket's sync as a
 * third writer (see `src/sync/pull-requests/transition.ts`) — unless a
 * person set the status after the event that triggered it, or set a
 * `blocked` or `cancelled` that only a person undoes. Who wrote the status
 * last is this sync's own status change if it carries one (its time from
 * GitHub's events where the issue's time is only an upper bound), else the
 * log's newest status write.
 */
import type { RemoteIssue } from '../../github/types.js';
import { compareInstants } from '../../sync/time.js';
import { transitionVerdict, withTransition, type Transition } from '../../sync/pull-requests/transition.js';
import type { FieldStamp, Reconciled, Side } from '../../sync/types.js';
import type { SyncContext } from '../context.js';
import type { TransitionReport } from '../report.js';
import { withGitHubStamps } from './github-side.js';

export async function applyTransition(
  ctx: SyncContext,
  ticket: string,
  issue: RemoteIssue,
  sides: { local: Side; github: Side },
  result: Reconciled,
  transition: Transition,
): Promise<{ result: Reconciled; report: TransitionReport }> {
  const from = result.merged.status;
  const last = await lastStatusWrite(ctx, ticket, issue, sides.github, result, transition);
  const verdict = transitionVerdict(from, last, transition);
  const base = { from, to: transition.to, cause: transition.cause };
  if (!verdict.apply) return { result, report: { ...base, skipped: verdict.why } };
  return { result: withTransition(ticket, result, { local: sides.local.view, github: sides.github.view }, transition), report: base };
}

async function lastStatusWrite(ctx: SyncContext, ticket: string, issue: RemoteIssue, github: Side, result: Reconciled, transition: Transition): Promise<FieldStamp | undefined> {
  const now = result.log.find((l) => l.field === 'status');
  if (now !== undefined) {
    // The issue's time bounds the change from above: only when it is later than the event is GitHub asked when.
    if (now.side === 'local' && now.approximate && compareInstants(now.at, transition.at) > 0) {
      const stamped = await withGitHubStamps(ctx, issue, github, ['status']);
      const own = stamped.fields?.status;
      if (own) return own;
    }
    return { writer: now.writer, at: now.at };
  }
  const logged = (await ctx.state.readLog(ctx.repo, { ticket })).filter((e) => e.field === 'status').at(-1);
  return logged === undefined ? undefined : { writer: logged.writer, at: logged.at };
}
