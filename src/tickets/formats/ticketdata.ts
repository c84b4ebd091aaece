/**
 * TicketData, as kept by claude-pm's TicketingService: one ticket per file in
 * `tickets/` or `.claude-pm/tickets/`, ids `CLAUDE-YYYYMMDDHHMMSS`, a single
 * `assignee`, free `metadata`. What the format has no field for lives in
 * `metadata`: `parent_ticket` (the service's own convention), `type`,
 * `blocked_by` (the ids of the tickets it is blocked by), `comments`,
 * `github`, `additional_assignees`. A `metadata.dependencies` key is free
 * metadata: the service's own documentation puts library names there.
 *
 * Words: the service's statuses are open, in_progress, resolved and closed,
 * its priorities low, medium, high and critical. So `blocked` is written
 * `open`, `review` and `in_progress`, `done` `resolved`, `reopened` `open`,
 * and `cancelled` `closed` (which reads back as done). Times are Python's
 * naive `isoformat()` in UTC; `updated_at` moves whenever ticket-sync changes
 * the ticket.
 */
import { z } from 'zod';
import { TicketId, type Ticket } from '../model.js';
import { compact, compactTimestamp, objectFileFormat, PYTHON_JSON_STYLE, takenIds } from './object-file.js';
import { NativeComment } from './native.js';
import { commentArray, freeObject, githubLink, list, noFormatFields, plain, singleAssignee, StoredGitHubLink, text } from './record.js';
import { inStyle, PYTHON_ISO, timestamp } from './timestamps.js';
import { CANONICAL_PRIORITY_WORDS, priority, resolvedStatusWords, PriorityWord, status, StatusWord, ticketType, TypeWord } from './words.js';

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

/** What TicketData writes for each canonical status: only the service's own four words. */
const STATUS = resolvedStatusWords('closed');

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
  timeStyle: PYTHON_ISO,
  mapping: {
    id: plain(['id']),
    type: ticketType(['metadata', 'type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: singleAssignee(['assignee'], ['metadata', 'additional_assignees']),
    labels: list(['labels']),
    parent: plain(['metadata', 'parent_ticket']),
    dependencies: list(['metadata', 'blocked_by']),
    comments: commentArray(['metadata', 'comments']),
    created_at: timestamp(['created_at'], PYTHON_ISO, { nullWhenAbsent: true }),
    updated_at: timestamp(['updated_at'], PYTHON_ISO, { nullWhenAbsent: true }),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: noFormatFields('TicketData'),
    github: githubLink(['metadata', 'github']),
  },
  toRecord: (t: Ticket, ctx) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    status: STATUS[t.status],
    priority: t.priority,
    assignee: t.assignees[0] ?? null,
    labels: t.labels,
    created_at: inStyle(t.created_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
    updated_at: inStyle(t.updated_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
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
  folder: '',
});

