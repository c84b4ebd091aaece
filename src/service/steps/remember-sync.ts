/**
 * Step: remember what a merge synced — the link, the new base, and a log
 * entry for every write. What was written to GitHub is a fact whether or not
 * the run's local writes land: in the App, those writes wait for a commit
 * that may lose the race for the branch, while the issue write has happened.
 * So the GitHub side's base, link and log entries go to `ctx.githubState`
 * at once, and the full base (both sides) with the local side's entries to
 * `ctx.state`, which the App keeps only once its commit lands. A retry then
 * starts from a base that holds the run's own GitHub writes, and never takes
 * them for someone's newer change.
 */
import type { LogDraft, Reconciled, SyncField, SyncView } from '../../sync/types.js';
import { sameValue } from '../../sync/view.js';
import type { Direction, SyncContext } from '../context.js';
import { rememberOffGitHub } from './assignability.js';
import type { LinkedPair } from './read-sides.js';

export interface Synced {
  local: SyncView;
  remote: SyncView;
  result: Reconciled;
  toLocal: readonly SyncField[];
  toGitHub: readonly SyncField[];
  /** Whether anything was sent to GitHub (a changed field, or a drifted label put right). */
  wroteGitHub: boolean;
  /** Whether the ticket's file link was written. */
  linkedFile: boolean;
}

export async function rememberSync(ctx: SyncContext, pair: LinkedPair, direction: Direction, s: Synced): Promise<void> {
  const { loaded, issue, base } = pair;
  const id = loaded.ticket.id;
  const github = ctx.githubState ?? ctx.state;
  const relink = s.linkedFile || !pair.linked;
  if (s.wroteGitHub && github !== ctx.state) {
    // As if this run had only pushed: a field it wrote to GitHub is based on the file's value (what GitHub
    // now shows of it, less what only waits to go into the file: a label, an assignee or a comment added on
    // GitHub, which a retry must still read as GitHub's addition, never as the file's removal); the others stay.
    const pushed = oneWayBase(base, s.local, s.toGitHub);
    if (!sameValue(base, pushed)) await github.setBase(ctx.repo, id, pushed);
    if (relink) await github.setLink(ctx.repo, id, issue.number);
  }
  const assigneesMoved = s.toGitHub.includes('assignees') || s.toLocal.includes('assignees') || base === undefined;
  if (assigneesMoved) await rememberOffGitHub(ctx, id, s.result.merged.assignees);
  if (relink) await ctx.state.setLink(ctx.repo, id, issue.number);
  const nextBase = direction === 'both' ? s.result.merged : direction === 'push' ? oneWayBase(base, s.local, s.toGitHub) : oneWayBase(base, s.remote, s.toLocal);
  if (!sameValue(base, nextBase)) await ctx.state.setBase(ctx.repo, id, nextBase);
  const written = (side: LogDraft['side'], fields: readonly SyncField[]) =>
    s.result.log.filter((l) => l.side === side && fields.includes(l.field.startsWith('comment:') ? 'comments' : (l.field as SyncField))).map((l) => ({ ...l, cause: l.cause ?? ctx.cause }));
  const onGitHub = written('github', s.toGitHub);
  const inFile = written('local', s.toLocal);
  if (onGitHub.length > 0) await github.appendLog(ctx.repo, onGitHub);
  if (inFile.length > 0) await ctx.state.appendLog(ctx.repo, inFile);
}

/**
 * The base after a one-way write from `source` (the file when pushing, the
 * issue when pulling): a written field is based on the source's value, which
 * both sides now show, except that a label, assignee or comment the merge took
 * from the other side, still waiting to be written there, stays a change of
 * that side next run (never read as the source's removal). The other fields
 * keep their base, so the other side's pending change is still a change next
 * run. Without a base, an unwritten field takes the source's value, which
 * makes the other side's (winning) value a change.
 */
export function oneWayBase(base: SyncView | undefined, source: SyncView, written: readonly SyncField[]): SyncView {
  const next = { ...(base ?? source) };
  for (const field of written) (next as Record<SyncField, unknown>)[field] = source[field];
  return next;
}
