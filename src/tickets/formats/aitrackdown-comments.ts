/**
 * aitrackdown's comments: files of their own, `comments/<id>.json` (the id
 * made a safe file name, see safe-name.ts), each carrying the `ticket_id` of
 * its ticket (mcp-ticketer's `add_comment`). A new comment is a new file, a
 * deleted one is removed, an edited one changes only its own keys. Comments are read in the order of their `created_at`, then of
 * their file names.
 */
import { z } from 'zod';
import { byCodeUnits } from '../../sync/view.js';
import { TicketId, type Comment, type Ticket } from '../model.js';
import { JsonDocument, serialize, type JsonEdit } from '../json-document.js';
import { freeFilePath, takenPaths } from '../safe-name.js';
import { compact, PYTHON_JSON_STYLE, schemaProblems } from './object-file.js';
import { getPath, type JsonObject } from './record.js';
import type { FileOp, LoadResult, LoadedTicket, SourceFile, WriteContext } from './types.js';

export const COMMENT_FILE = /^comments\/[^/]+\.json$/;

const CommentFileSchema = z.looseObject({
  id: TicketId,
  ticket_id: TicketId,
  author: z.string().nullable().optional(),
  content: z.string(),
  created_at: z.string().nullable().optional(),
  metadata: z.looseObject({ updated_at: z.string().optional() }).optional(),
});

/** The `ticket_id` a comment file that is not valid JSON seems to name, if any. */
function ticketIdInText(text: string): string | undefined {
  const match = /"ticket_id"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(text);
  if (match === null) return undefined;
  try {
    return JSON.parse(match[1]!) as string;
  } catch {
    return undefined;
  }
}

function commentFromFile(raw: JsonObject): Comment {
  const updated = getPath(raw, ['metadata', 'updated_at']);
  return compact({
    id: raw.id as string,
    author: (raw.author as string | null) ?? '',
    body: raw.content as string,
    created_at: (raw.created_at as string | null) ?? '',
    updated_at: typeof updated === 'string' ? updated : undefined,
  }) as Comment;
}

/** The edits of a comment file for the fields of the comment that changed (an unchanged comment's file is left alone). */
function commentEdits(old: Comment, c: Comment): JsonEdit[] {
  const edits: JsonEdit[] = [];
  if (old.author !== c.author) edits.push({ path: ['author'], value: c.author });
  if (old.body !== c.body) edits.push({ path: ['content'], value: c.body });
  if (old.created_at !== c.created_at) edits.push({ path: ['created_at'], value: c.created_at === '' ? null : c.created_at });
  if (old.updated_at !== c.updated_at) edits.push({ path: ['metadata', 'updated_at'], value: c.updated_at });
  return edits;
}

/**
 * The file of a new comment: `comments/<name>.json`, its name made safe from
 * its id (`freeFilePath`; `-2` … when another file, another ticket's comment
 * of the same id, has it). mcp-ticketer finds comments by their `ticket_id`,
 * not by their file name. `taken` is `takenPaths` of the location's files.
 */
export function newCommentFile(ticketId: string, c: Comment, taken: Set<string>): FileOp {
  const record = {
    id: c.id,
    ticket_id: ticketId,
    author: c.author,
    content: c.body,
    created_at: c.created_at === '' ? null : c.created_at,
    metadata: compact({ updated_at: c.updated_at }),
  };
  return { op: 'write', path: freeFilePath('comments/', c.id, taken), text: serialize(record, PYTHON_JSON_STYLE) };
}

/** Read the comment files and give each loaded ticket its comments; a broken comment file holds back its ticket. */
export function attachComments(files: readonly SourceFile[], result: LoadResult): void {
    const byTicket = new Map<string, { comment: Comment; path: string }[]>();
    // Broken comment files, by the ticket they seem to belong to: that ticket is not written
    // while one of its comments cannot be read (a sync would take the comment for deleted).
    const brokenByTicket = new Map<string, string[]>();
    const broken = (path: string, ticketId: string | undefined) => {
      result.invalidFiles.add(path);
      if (ticketId !== undefined) brokenByTicket.set(ticketId, [...(brokenByTicket.get(ticketId) ?? []), path]);
    };
    for (const file of files) {
      if (!COMMENT_FILE.test(file.path)) continue;
      const parsed = JsonDocument.parse(file.path, file.text, true);
      if (!parsed.ok) {
        result.problems.push(...parsed.problems);
        broken(file.path, ticketIdInText(file.text));
        continue;
      }
      const shaped = CommentFileSchema.safeParse(parsed.doc.value);
      if (!shaped.success) {
        result.problems.push(...schemaProblems(parsed.doc, shaped.error));
        const claimed = (parsed.doc.value as JsonObject | null)?.ticket_id;
        broken(file.path, typeof claimed === 'string' ? claimed : ticketIdInText(file.text));
        continue;
      }
      const raw = parsed.doc.value as JsonObject;
      const entry = { comment: commentFromFile(raw), path: file.path };
      byTicket.set(raw.ticket_id as string, [...(byTicket.get(raw.ticket_id as string) ?? []), entry]);
    }
    for (const loaded of result.tickets) {
      const entries = (byTicket.get(loaded.ticket.id) ?? []).sort(
        (a, b) => byCodeUnits(a.comment.created_at, b.comment.created_at) || byCodeUnits(a.path, b.path),
      );
      loaded.ticket = { ...loaded.ticket, comments: entries.map((e) => e.comment) };
      loaded.files = [loaded.path, ...entries.map((e) => e.path), ...(brokenByTicket.get(loaded.ticket.id) ?? [])];
      loaded.commentFiles = Object.fromEntries(entries.map((e) => [e.comment.id, e.path]));
    }
}

/** The comment files to write and remove to turn `prev`'s comments into `next`'s. */
export function commentOps(prev: LoadedTicket, next: Ticket, ctx: WriteContext): FileOp[] {
  const ops: FileOp[] = [];
    const before = new Map(prev.ticket.comments.map((c) => [c.id, c]));
    const after = new Set(next.comments.map((c) => c.id));
    const taken = takenPaths(ctx.files.keys());
    for (const c of next.comments) {
      const old = before.get(c.id);
      const path = prev.commentFiles?.[c.id];
      if (old === undefined || path === undefined) {
        ops.push(newCommentFile(next.id, c, taken));
        continue;
      }
      const edits = commentEdits(old, c);
      if (edits.length === 0) continue;
      const text = ctx.files.get(path);
      const parsed = text === undefined ? undefined : JsonDocument.parse(path, text, true);
      if (parsed === undefined || !parsed.ok) throw new Error(`${path} is no longer readable`);
      ops.push({ op: 'write', path, text: parsed.doc.apply(edits) });
    }
    for (const id of before.keys()) {
      const path = prev.commentFiles?.[id];
      if (!after.has(id) && path !== undefined) ops.push({ op: 'delete', path });
    }
  return ops;
}
