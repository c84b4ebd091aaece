/**
 * TicketData, as kept by claude-pm's TicketingService: one ticket per file in
 * `tickets/` or `.claude-pm/tickets/`, ids `CLAUDE-YYYYMMDDHHMMSS`, a single
 * `assignee`, free `metadata`. What the format has no field for lives in
 * `metadata`: `parent_ticket` (the service's own convention), `type`,
 * `blocked_by` (the ids of the tickets it is blocked by), `comments`,
 * `github`, `additional_assignees`. A `metadata.dependencies` key is free
 * metadata: the service's own documentation puts library names there.
 */
import { z } from 'zod';
import { TicketId, type Ticket } from '../model.js';
import { compact, compactTimestamp, objectFileFormat, PYTHON_JSON_STYLE, pythonIsoTime, takenIds } from './object-file.js';
import { NativeComment } from './native.js';
import {
  CANONICAL_PRIORITY_WORDS,
  commentArray,
  freeObject,
  githubLink,
  list,
  noFormatFields,
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
} from './record.js';

const CLAIMED = ['type', 'parent_ticket', 'blocked_by', 'comments', 'github', 'additional_assignees'];

const TicketDataSchema = z.looseObject({
  id: TicketId,
  title: z.string(),
  description: z.string().nullable().optional(),
  status: StatusWord.optional(),
  priority: PriorityWord.optional(),
  assignee: z.string().nullable().optional(),
  labels: z.array(z.string()).optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  metadata: z
    .looseObject({
      type: TypeWord.optional(),
      parent_ticket: TicketId.nullable().optional(),
      blocked_by: z.array(TicketId).optional(),
      comments: z.array(NativeComment).optional(),
      github: StoredGitHubLink.optional(),
      additional_assignees: z.array(z.string()).optional(),
    })
    .optional(),
});

/** `CLAUDE-YYYYMMDDHHMMSS`, moved on by a second while taken. */
function claudeId(now: Date, taken: ReadonlySet<string>): string {
  for (let t = now.getTime(); ; t += 1000) {
    const id = `CLAUDE-${compactTimestamp(new Date(t))}`;
    if (!taken.has(id)) return id;
  }
}

export const ticketdata = objectFileFormat({
  name: 'ticketdata',
  title: 'TicketData (claude-pm TicketingService)',
  owns: (path) => path.endsWith('.json') && !path.includes('/'),
  schema: TicketDataSchema,
  asciiByDefault: true,
  newFileStyle: PYTHON_JSON_STYLE,
  mapping: {
    id: plain(['id']),
    type: ticketType(['metadata', 'type']),
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
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: singleAssignee(['assignee'], ['metadata', 'additional_assignees']),
    labels: list(['labels']),
    parent: plain(['metadata', 'parent_ticket']),
    dependencies: list(['metadata', 'blocked_by']),
    comments: commentArray(['metadata', 'comments']),
    created_at: plain(['created_at'], { nullWhenAbsent: true }),
    updated_at: plain(['updated_at'], { nullWhenAbsent: true }),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: noFormatFields('TicketData'),
    github: githubLink(['metadata', 'github']),
  },
  toRecord: (t: Ticket, ctx) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status === 'done' ? 'resolved' : t.status,
    priority: t.priority,
    assignee: t.assignees[0] ?? null,
    labels: t.labels,
    created_at: t.created_at ?? pythonIsoTime(ctx.now),
    updated_at: t.updated_at ?? pythonIsoTime(ctx.now),
    metadata: compact({
      ...t.metadata,
      type: t.type === 'task' ? undefined : t.type,
      parent_ticket: t.parent,
      blocked_by: t.dependencies.length > 0 ? t.dependencies : undefined,
      comments: t.comments.length > 0 ? t.comments : undefined,
      github: t.github,
      additional_assignees: t.assignees.length > 1 ? t.assignees.slice(1) : undefined,
    }),
  }),
  newId: (_draft, ctx) => claudeId(ctx.now, takenIds(ctx)),
  pathFor: (t) => `${t.id}.json`,
});

