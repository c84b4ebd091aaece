/**
 * Step: GitHub's side of a merge — the issue's view, its writer and, for
 * each field GitHub says so of, when that field changed.
 *
 * The issue's `updated_at` moves with any change, a comment too, so it is
 * only an upper bound of when a field changed: a time taken from it is
 * approximate. What GitHub says of one field is used instead: the title and
 * body edits `issues.edited` webhooks recorded (`recordEdit`), and, only when
 * a conflict would otherwise be decided by the approximate time, the issue's
 * events (one conditional listing) and its body's last edit (one GraphQL
 * query).
 */
import { createHash } from 'node:crypto';
import type { RemoteIssue } from '../../github/types.js';
import { latestStamps, stampOfEdit, stampsOfEvents, type EditStamp } from '../../sync/github-stamps.js';
import type { FieldStamps, Side, SyncField, SyncView } from '../../sync/types.js';
import { issueEdits, type IssueEdits } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import type { SyncContext } from '../context.js';

/** A text's digest, to tell whether an issue still shows the text an edit left. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** GitHub's side with the stamps the webhooks recorded for the issue. */
export async function githubSide(ctx: SyncContext, issue: RemoteIssue, view: SyncView): Promise<Side> {
  const edits = await issueEdits.get(ctx.state, ctx.repo, String(issue.number));
  const fields: FieldStamps = {};
  const title = stampOfEdit(edits?.title, textDigest(issue.title));
  const body = stampOfEdit(edits?.body, textDigest(issue.body));
  if (title) fields.title = title;
  if (body) fields.description = body;
  return { view, writer: ctx.githubWriter ?? 'github', at: issue.updated_at, approximate: true, fields };
}

/**
 * The side with what GitHub says of when the `guessed` fields changed: the
 * issue's events for a title, status, priority, type, label or assignee; for
 * the body, its last edit (GraphQL: no event records one), or its creation
 * when it was never edited.
 */
export async function withGitHubStamps(ctx: SyncContext, issue: RemoteIssue, side: Side, guessed: readonly SyncField[]): Promise<Side> {
  const found: FieldStamps[] = [side.fields ?? {}];
  if (guessed.some((field) => field !== 'description')) found.push(stampsOfEvents(await ctx.github.listChanges(issue.number), issue.title, ctx.mapping));
  if (guessed.includes('description')) {
    const edit = await ctx.github.bodyEdit(issue.number);
    if (edit !== undefined) found.push({ description: edit ?? { writer: issue.author, at: issue.created_at } });
  }
  return { ...side, fields: latestStamps(...found) };
}

/**
 * Remember an edit an `issues.edited` webhook told of: the issue's title or
 * body became `text` at `at`, by `writer`. A delivery that comes late (an
 * older edit) never replaces a newer one.
 */
export async function recordEdit(state: StateStore, repo: string, issue: number, field: keyof IssueEdits, edit: Omit<EditStamp, 'digest'> & { text: string }): Promise<void> {
  const id = String(issue);
  const edits = (await issueEdits.get(state, repo, id)) ?? {};
  const known = edits[field];
  if (known && Date.parse(known.at) > Date.parse(edit.at)) return;
  await issueEdits.set(state, repo, id, { ...edits, [field]: { writer: edit.writer, at: edit.at, digest: textDigest(edit.text) } });
}
