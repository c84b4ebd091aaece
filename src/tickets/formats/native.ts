/**
 * ticket-sync's own format: one ticket per file, `tickets/**\/<ID>.json`, in
 * the canonical shape. New ids take a prefix by type and a counter. Times are
 * JavaScript's `toISOString()`; `updated_at` moves to the write's `now`
 * whenever ticket-sync changes the ticket. Every canonical word is its own word.
 */
import { z } from 'zod';
import { TicketId, type Ticket } from '../model.js';
import type { TicketType } from '../vocabulary.js';
import { DEFAULT_STYLE } from '../json-document.js';
import { compact, objectFileFormat, takenIds } from './object-file.js';
import { commentArray, freeObject, githubLink, plain, StoredGitHubLink, list, text } from './record.js';
import { JS_ISO } from './timestamps.js';
import {
  CANONICAL_PRIORITY_WORDS,
  CANONICAL_STATUS_WORDS,
  priority,
  PriorityWord,
  status,
  StatusWord,
  ticketType,
  TypeWord,
} from './words.js';

export const ID_PREFIX: Readonly<Record<TicketType, string>> = { epic: 'EP', issue: 'ISS', task: 'TSK', bug: 'BUG' };

export const NativeComment = z.looseObject({
  id: TicketId,
  author: z.string(),
  body: z.string(),
  created_at: z.string(),
  updated_at: z.string().optional(),
});

const NativeSchema = z.looseObject({
  id: TicketId,
  type: TypeWord.optional(),
  title: z.string(),
  description: z.string().nullable().optional(),
  status: StatusWord.optional(),
  priority: PriorityWord.optional(),
  assignees: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  parent: TicketId.nullable().optional(),
  dependencies: z.array(TicketId).optional(),
  comments: z.array(NativeComment).optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  format_fields: z.record(z.string(), z.unknown()).optional(),
  github: StoredGitHubLink.optional(),
});

/** The next `PREFIX-0001`-style id for a type. */
export function nextPrefixedId(type: TicketType, taken: ReadonlySet<string>): string {
  const prefix = ID_PREFIX[type];
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  let max = 0;
  for (const id of taken) {
    const match = pattern.exec(id);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return `${prefix}-${String(max + 1).padStart(4, '0')}`;
}

export const native = objectFileFormat({
  name: 'native',
  title: 'ticket-sync JSON',
  owns: (path) => path.endsWith('.json'),
  schema: NativeSchema,
  asciiByDefault: false,
  newFileStyle: DEFAULT_STYLE,
  timeStyle: JS_ISO,
  mapping: {
    id: plain(['id']),
    type: ticketType(['type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], CANONICAL_STATUS_WORDS),
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: list(['assignees']),
    labels: list(['labels']),
    parent: plain(['parent']),
    dependencies: list(['dependencies']),
    comments: commentArray(['comments']),
    created_at: plain(['created_at']),
    updated_at: plain(['updated_at']),
    metadata: freeObject(['metadata']),
    format_fields: freeObject(['format_fields']),
    github: githubLink(['github']),
  },
  toRecord: (t: Ticket, ctx) =>
    compact({
      id: t.id,
      type: t.type,
      title: t.title,
      description: t.description,
      status: t.status,
      priority: t.priority,
      assignees: t.assignees,
      labels: t.labels,
      parent: t.parent,
      dependencies: t.dependencies,
      comments: t.comments,
      created_at: t.created_at ?? ctx.now.toISOString(),
      updated_at: t.updated_at ?? ctx.now.toISOString(),
      metadata: t.metadata,
      format_fields: Object.keys(t.format_fields).length > 0 ? t.format_fields : undefined,
      github: t.github,
    }),
  newId: (draft, ctx) => nextPrefixedId(draft.type ?? 'task', takenIds(ctx)),
  folder: '',
});
