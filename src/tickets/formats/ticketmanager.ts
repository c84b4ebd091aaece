/**
 * TicketManager (Orchestr8): one ticket per file in `.orchestr8/tickets/`,
 * archived ones in `archive/`. `fiefdom`, `errors` and `warnings` are format
 * fields; `notes` ({time, author, text}) are the comments; `context` is the
 * free object, and holds what the format has no field for: `priority` (where
 * TicketManager's own callers put it), `type`, `assignees`, `labels`,
 * `parent`, `dependencies`, `github`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GitHubLink, TicketId, type Comment, type Ticket } from '../model.js';
import { compact, objectFileFormat, PYTHON_JSON_STYLE, pythonIsoTime, takenIds } from './object-file.js';
import {
  CANONICAL_PRIORITY_WORDS,
  commentArray,
  formatFields,
  freeObject,
  list,
  plain,
  priority,
  PriorityWord,
  status,
  StatusWord,
  text,
  ticketType,
  TypeWord,
  type CommentShape,
} from './record.js';

const CLAIMED = ['priority', 'type', 'assignees', 'labels', 'parent', 'dependencies', 'github'];
const FORMAT_FIELDS = ['fiefdom', 'errors', 'warnings'];

const Note = z.looseObject({
  time: z.string(),
  author: z.string(),
  text: z.string(),
  id: TicketId.optional(),
  updated_at: z.string().optional(),
});

const TicketManagerSchema = z.looseObject({
  id: TicketId,
  fiefdom: z.string().optional(),
  status: StatusWord.optional(),
  title: z.string(),
  description: z.string().nullable().optional(),
  errors: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  context: z
    .looseObject({
      priority: PriorityWord.optional(),
      type: TypeWord.optional(),
      assignees: z.array(z.string()).optional(),
      labels: z.array(z.string()).optional(),
      parent: TicketId.nullable().optional(),
      dependencies: z.array(TicketId).optional(),
      github: GitHubLink.optional(),
    })
    .optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  notes: z.array(Note).optional(),
});

/** A note is a comment: `time` is when, `text` is the body; ids are kept once we have given one. */
const NOTE: CommentShape = {
  fromRaw: (raw) =>
    compact({
      id: typeof raw.id === 'string' ? raw.id : undefined,
      author: raw.author as string,
      body: raw.text as string,
      created_at: raw.time as string,
      updated_at: typeof raw.updated_at === 'string' ? raw.updated_at : undefined,
    }) as Omit<Comment, 'id'>,
  toRaw: (c) => compact({ time: c.created_at, author: c.author, text: c.body, id: c.id, updated_at: c.updated_at }),
};

export const ticketmanager = objectFileFormat({
  name: 'ticketmanager',
  title: 'TicketManager (Orchestr8)',
  owns: (path) => /^(archive\/)?[^/]+\.json$/.test(path),
  schema: TicketManagerSchema,
  asciiByDefault: true,
  newFileStyle: PYTHON_JSON_STYLE,
  mapping: {
    id: plain(['id']),
    type: ticketType(['context', 'type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], {
      open: 'open',
      in_progress: 'in_progress',
      blocked: 'blocked',
      review: 'review',
      done: 'resolved',
      reopened: 'reopened',
      cancelled: 'cancelled',
    }),
    priority: priority(['context', 'priority'], CANONICAL_PRIORITY_WORDS),
    assignees: list(['context', 'assignees']),
    labels: list(['context', 'labels']),
    parent: plain(['context', 'parent']),
    dependencies: list(['context', 'dependencies']),
    comments: commentArray(['notes'], NOTE),
    created_at: plain(['created_at']),
    updated_at: plain(['updated_at']),
    metadata: freeObject(['context'], CLAIMED),
    format_fields: formatFields(FORMAT_FIELDS),
    github: plain(['context', 'github']),
  },
  toRecord: (t: Ticket, ctx) => ({
    id: t.id,
    fiefdom: typeof t.format_fields.fiefdom === 'string' ? t.format_fields.fiefdom : '',
    status: t.status === 'done' ? 'resolved' : t.status,
    title: t.title,
    description: t.description,
    errors: Array.isArray(t.format_fields.errors) ? t.format_fields.errors : [],
    warnings: Array.isArray(t.format_fields.warnings) ? t.format_fields.warnings : [],
    context: compact({
      ...t.metadata,
      priority: t.priority === 'medium' ? undefined : t.priority,
      type: t.type === 'task' ? undefined : t.type,
      assignees: t.assignees.length > 0 ? t.assignees : undefined,
      labels: t.labels.length > 0 ? t.labels : undefined,
      parent: t.parent,
      dependencies: t.dependencies.length > 0 ? t.dependencies : undefined,
      github: t.github,
    }),
    created_at: t.created_at ?? pythonIsoTime(ctx.now),
    updated_at: t.updated_at ?? pythonIsoTime(ctx.now),
    notes: t.comments.map((c) => NOTE.toRaw(c)),
  }),
  newId: (_draft, ctx) => {
    const taken = takenIds(ctx);
    for (;;) {
      const id = randomUUID().slice(0, 8);
      if (!taken.has(id)) return id;
    }
  },
  pathFor: (t) => `${t.id}.json`,
});
