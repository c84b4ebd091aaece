/**
 * aitrackdown JSON, as written by mcp-ticketer: `.aitrackdown/tickets/<id>.json`
 * with `tags`, `type`, `parent_epic`/`parent_issue`, `child_issues`, a single
 * `assignee` and free `metadata`; comments are files of their own,
 * `.aitrackdown/comments/<id>.json`, carrying `ticket_id`. The location root
 * is the `.aitrackdown` folder. `blocked_by` (the ids of the tickets it is
 * blocked by), `github` and `additional_assignees` live in `metadata` (a
 * `metadata.dependencies` key is free metadata); `estimated_hours` and
 * `actual_hours` are format fields. `child_issues` is kept as written
 * (mcp-ticketer fills it when it creates a child). Comments are read in the
 * order of their `created_at`, then of their file names; files under
 * `attachments/` are not ours.
 */
import { z } from 'zod';
import { TicketId, type Comment, type Ticket } from '../model.js';
import { JsonDocument, serialize } from '../json-document.js';
import { compact, compactTimestamp, objectFileFormat, PYTHON_JSON_STYLE, pythonIsoTime, schemaProblems, takenIds } from './object-file.js';
import {
  CANONICAL_PRIORITY_WORDS,
  external,
  formatFields,
  freeObject,
  getPath,
  githubLink,
  list,
  plain,
  priority,
  PriorityWord,
  singleAssignee,
  status,
  StatusWord,
  StoredGitHubLink,
  text,
  ticketType,
  TypeWord,
  type FieldCodec,
  type JsonObject,
} from './record.js';
import type { FileOp, LoadResult, LoadedTicket, SourceFile, TicketFormat } from './types.js';
import type { JsonEdit } from '../json-document.js';

const CLAIMED = ['github', 'blocked_by', 'additional_assignees'];
const TICKET_FILE = /^tickets\/[^/]+\.json$/;
const COMMENT_FILE = /^comments\/[^/]+\.json$/;

const AitrackdownSchema = z.looseObject({
  id: TicketId,
  title: z.string(),
  description: z.string().nullable().optional(),
  status: StatusWord.optional(),
  priority: PriorityWord.optional(),
  tags: z.array(z.string()).optional(),
  type: TypeWord.optional(),
  parent_issue: TicketId.nullable().optional(),
  parent_epic: TicketId.nullable().optional(),
  child_issues: z.array(TicketId).optional(),
  assignee: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  estimated_hours: z.number().nullable().optional(),
  actual_hours: z.number().nullable().optional(),
  metadata: z
    .looseObject({
      github: StoredGitHubLink.optional(),
      blocked_by: z.array(TicketId).optional(),
      additional_assignees: z.array(z.string()).optional(),
    })
    .optional(),
});

const CommentFileSchema = z.looseObject({
  id: TicketId,
  ticket_id: TicketId,
  author: z.string().nullable().optional(),
  content: z.string(),
  created_at: z.string().nullable().optional(),
  metadata: z.looseObject({ updated_at: z.string().optional() }).optional(),
});

/** aitrackdown's own fields without a canonical home, with the types its readers accept. */
const FORMAT_FIELDS: Readonly<Record<string, z.ZodType>> = {
  estimated_hours: AitrackdownSchema.shape.estimated_hours,
  actual_hours: AitrackdownSchema.shape.actual_hours,
};

/** Refuse format fields aitrackdown has no place for, or values it would not read back: never drop or break them silently. */
function checkFormatFields(fields: Ticket['format_fields']): void {
  for (const [key, value] of Object.entries(fields)) {
    const schema = Object.hasOwn(FORMAT_FIELDS, key) ? FORMAT_FIELDS[key] : undefined;
    if (schema === undefined) throw new Error(`aitrackdown has no place for the format field ${JSON.stringify(key)}`);
    if (!schema.safeParse(value).success) throw new Error(`aitrackdown: ${key} must be a number or null`);
  }
}

const formatFieldsCodec: FieldCodec<'format_fields'> = {
  read: formatFields(Object.keys(FORMAT_FIELDS)).read,
  write: (next, raw, ticket) => {
    checkFormatFields(next);
    return formatFields(Object.keys(FORMAT_FIELDS)).write(next, raw, ticket);
  },
};

/** The parent is `parent_issue` or `parent_epic`: the key already in use, else by type (a task's parent is an issue). */
const parent: FieldCodec<'parent'> = {
  read: (raw) => (raw.parent_issue as string | null | undefined) ?? (raw.parent_epic as string | null | undefined) ?? undefined,
  write: (next, raw, ticket) => {
    const inUse = raw.parent_issue != null ? 'parent_issue' : raw.parent_epic != null ? 'parent_epic' : undefined;
    if (next === undefined) {
      // Both keys may be set (mcp-ticketer does not forbid it): clearing the parent clears both, or the other would show through.
      return (['parent_issue', 'parent_epic'] as const).filter((k) => raw[k] != null).map((k) => ({ path: [k], value: null }));
    }
    return [{ path: [inUse ?? (ticket.type === 'task' ? 'parent_issue' : 'parent_epic')], value: next }];
  },
};

const STATUS = {
  open: 'open',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'ready',
  done: 'done',
  reopened: 'open',
  cancelled: 'closed',
} as const;

const ticketFiles = objectFileFormat({
  name: 'aitrackdown',
  title: 'aitrackdown JSON (mcp-ticketer)',
  owns: (path) => TICKET_FILE.test(path),
  schema: AitrackdownSchema,
  asciiByDefault: true,
  newFileStyle: PYTHON_JSON_STYLE,
  mapping: {
    id: plain(['id']),
    type: ticketType(['type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: singleAssignee(['assignee'], ['metadata', 'additional_assignees']),
    labels: list(['tags']),
    parent,
    dependencies: list(['metadata', 'blocked_by']),
    comments: external(),
    created_at: plain(['created_at'], { nullWhenAbsent: true }),
    updated_at: plain(['updated_at'], { nullWhenAbsent: true }),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: formatFieldsCodec,
    github: githubLink(['metadata', 'github']),
  },
  toRecord: (t: Ticket, ctx) => {
    checkFormatFields(t.format_fields);
    const common = {
      id: t.id,
      title: t.title,
      description: t.description,
      status: STATUS[t.status],
      priority: t.priority,
      tags: t.labels,
    };
    const rest = {
      created_at: t.created_at ?? pythonIsoTime(ctx.now),
      updated_at: t.updated_at ?? pythonIsoTime(ctx.now),
      metadata: compact({
        ...t.metadata,
        github: t.github,
        blocked_by: t.dependencies.length > 0 ? t.dependencies : undefined,
        additional_assignees: t.assignees.length > 1 ? t.assignees.slice(1) : undefined,
      }),
      type: t.type,
      // Not written by mcp-ticketer; kept after its keys when the ticket has them.
      estimated_hours: t.format_fields.estimated_hours,
      actual_hours: t.format_fields.actual_hours,
    };
    if (t.type === 'epic') {
      // An epic has no parent or assignee in mcp-ticketer; one that has them keeps them.
      return compact({ ...common, child_issues: [], parent_epic: t.parent, assignee: t.assignees[0], ...rest });
    }
    const parentKey = t.type === 'task' ? 'parent_issue' : 'parent_epic';
    return compact({
      ...common,
      parent_issue: parentKey === 'parent_issue' ? (t.parent ?? null) : null,
      parent_epic: parentKey === 'parent_epic' ? (t.parent ?? null) : null,
      assignee: t.assignees[0] ?? null,
      ...rest,
    });
  },
  newId: (draft, ctx) => {
    const taken = takenIds(ctx);
    const kind = draft.type === 'epic' ? 'epic' : 'task';
    const micros = ctx.now.getUTCMilliseconds() * 1000;
    for (let n = 0; ; n++) {
      const id = `${kind}-${compactTimestamp(ctx.now)}${String(micros + n).padStart(6, '0')}`;
      if (!taken.has(id)) return id;
    }
  },
  pathFor: (t) => `tickets/${t.id}.json`,
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
 * A free file name for a new comment: `comments/<id>.json`, unless another
 * file (another ticket's comment of the same id) has it. mcp-ticketer finds
 * comments by their `ticket_id`, not by their file name.
 */
function newCommentPath(id: string, taken: Set<string>): string {
  let path = `comments/${id}.json`;
  for (let n = 2; taken.has(path); n++) path = `comments/${id}-${n}.json`;
  taken.add(path);
  return path;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newCommentFile(ticketId: string, c: Comment, taken: Set<string>): FileOp {
  const record = {
    id: c.id,
    ticket_id: ticketId,
    author: c.author,
    content: c.body,
    created_at: c.created_at === '' ? null : c.created_at,
    metadata: compact({ updated_at: c.updated_at }),
  };
  return { op: 'write', path: newCommentPath(c.id, taken), text: serialize(record, PYTHON_JSON_STYLE) };
}

export const aitrackdown: TicketFormat = {
  ...ticketFiles,
  owns: (path) => TICKET_FILE.test(path) || COMMENT_FILE.test(path),
  load(files: readonly SourceFile[]): LoadResult {
    const result = ticketFiles.load(files.filter((f) => TICKET_FILE.test(f.path)));
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
        (a, b) => compareText(a.comment.created_at, b.comment.created_at) || compareText(a.path, b.path),
      );
      loaded.ticket = { ...loaded.ticket, comments: entries.map((e) => e.comment) };
      loaded.files = [loaded.path, ...entries.map((e) => e.path), ...(brokenByTicket.get(loaded.ticket.id) ?? [])];
      loaded.commentFiles = Object.fromEntries(entries.map((e) => [e.comment.id, e.path]));
    }
    return result;
  },
  create(ticket, ctx): FileOp[] {
    const taken = new Set(ctx.files.keys());
    return [...ticketFiles.create({ ...ticket, comments: [] }, ctx), ...ticket.comments.map((c) => newCommentFile(ticket.id, c, taken))];
  },
  update(prev: LoadedTicket, next: Ticket, ctx): FileOp[] {
    const ops = ticketFiles.update(prev, { ...next, comments: prev.ticket.comments }, ctx);
    const before = new Map(prev.ticket.comments.map((c) => [c.id, c]));
    const after = new Set(next.comments.map((c) => c.id));
    const taken = new Set(ctx.files.keys());
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
  },
};
