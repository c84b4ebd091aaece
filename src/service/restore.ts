/**
 * Apply a logged value again as a new write, to the ticket file and to
 * GitHub: a conflict's losing value, or else the value before the write.
 */
import type { LogEntry } from '../store/types.js';
import type { LogDraft, SyncComment, SyncField, SyncView } from '../sync/types.js';
import { compareComments } from '../sync/view.js';
import { StoreError } from '../tickets/store.js';
import type { SyncContext } from './context.js';
import { pairWithListing } from './steps/pair-tickets.js';
import { readSides } from './steps/read-sides.js';
import { writeComments } from './steps/write-comments.js';
import { plannedIssueWrite, writeIssue } from './steps/write-issue.js';
import { patchOf, writeTicket } from './steps/write-ticket.js';
import { changedFields } from './status.js';

export async function restoreEntry(ctx: SyncContext, seq: number): Promise<LogEntry[]> {
  const entry = await ctx.state.getLogEntry(ctx.repo, seq);
  if (!entry) throw new StoreError(`no log entry ${seq}`, 'not-found');
  const value = entry.conflict ? entry.conflict.value : entry.before;
  const snapshot = await ctx.tickets.snapshot();
  const loaded = snapshot.tickets.find((t) => t.ticket.id === entry.ticket);
  if (!loaded) throw new StoreError(`ticket ${entry.ticket} is not in the ticket location`, 'not-found');
  const pair = (await pairWithListing(ctx, {}, [loaded], snapshot.tickets)).pairs[0];
  const issue = pair?.issue;
  if (!pair || !issue) throw new StoreError(`ticket ${entry.ticket} has no issue to restore on`, 'not-found');
  const { local, remote, comments } = await readSides(ctx, {}, { ...pair, issue }, true);
  const next = restoredView(local, entry.field, value);
  const at = ctx.now().toISOString();
  const fields = changedFields(local, next);
  await writeTicket(ctx, loaded, patchOf(next, fields), issue);
  await writeIssue(ctx, issue, await plannedIssueWrite(ctx, loaded, issue, next));
  await writeComments(ctx, loaded.ticket.id, issue, comments, remote.comments, next.comments);
  await ctx.state.setBase(ctx.repo, loaded.ticket.id, next);
  const drafts: LogDraft[] = (['local', 'github'] as const).map((side) => ({
    ticket: entry.ticket,
    field: entry.field,
    side,
    writer: ctx.localWriter,
    at,
    before: fieldValue(local, entry.field),
    after: value,
  }));
  return ctx.state.appendLog(ctx.repo, drafts.map((d) => ({ ...d, cause: `restore:${seq}` })));
}

function fieldValue(view: SyncView, field: string): unknown {
  if (field.startsWith('comment:')) return view.comments.find((c) => c.id === field.slice('comment:'.length)) ?? null;
  return view[field as SyncField];
}

function restoredView(view: SyncView, field: string, value: unknown): SyncView {
  if (!field.startsWith('comment:')) return { ...view, [field]: value };
  const id = field.slice('comment:'.length);
  const others = view.comments.filter((c) => c.id !== id);
  const comments = value === null ? others : [...others, value as SyncComment];
  return { ...view, comments: comments.sort(compareComments) };
}
