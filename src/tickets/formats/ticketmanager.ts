/**
 * TicketManager (Orchestr8): one ticket per file in `.orchestr8/tickets/`,
 * archived ones in `archive/`. `fiefdom`, `errors` and `warnings` are format
 * fields; `notes` ({time, author, text}) are the comments; `context` is the
 * free object, and holds what the format has no field for: `priority` (where
 * TicketManager's own callers put it), `type`, `assignees`, `labels`,
 * `parent`, `blocked_by` (the ids of the tickets it is blocked by), `github`.
 * A `context.dependencies` key is free metadata.
 *
 * Words: TicketManager's statuses are open, in_progress, resolved and archived
 * (`archived` only by moving the file to `archive/`). So `blocked` is written
 * `open`, `review` `in_progress`, `done` and `cancelled` `resolved`, and
 * `reopened` `open`. Times are Python's naive `isoformat()`; `updated_at`
 * moves whenever ticket-sync changes the ticket, notes included (as `add_note`
 * does).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { TicketId, type Comment, type Ticket } from '../model.js';
import type { JsonEdit } from '../json-document.js';
import type { JsonPath } from '../problems.js';
import { compact, objectFileFormat, PYTHON_JSON_STYLE, takenIds } from './object-file.js';
import {
  commentArray,
  freeObject,
  getPath,
  githubLink,
  list,
  plain,
  StoredGitHubLink,
  text,
  readComments,
  type CommentShape,
  type FieldCodec,
  type JsonObject,
} from './record.js';
import { inStyle, PYTHON_ISO, timestamp } from './timestamps.js';
import { CANONICAL_PRIORITY_WORDS, priority, resolvedStatusWords, PriorityWord, status, StatusWord, ticketType, TypeWord } from './words.js';

/** What TicketManager writes for each canonical status: only its own words. */
const STATUS = resolvedStatusWords('resolved');

const CLAIMED = ['priority', 'type', 'assignees', 'labels', 'parent', 'blocked_by', 'github'];
/** The format's own fields, with the value its writer gives them when there is nothing to say. */
const FORMAT_FIELDS: Readonly<Record<string, unknown>> = { fiefdom: '', errors: [], warnings: [] };

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
      blocked_by: z.array(TicketId).optional(),
      github: StoredGitHubLink.optional(),
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

/**
 * `fiefdom`, `errors` and `warnings`. The tool writes all three in every file,
 * so an empty one (`""`, `[]`) reads as absent, and an absent one is written
 * as empty: the keys never go away, since the tool cannot load a file without them.
 */
function ownFields(): FieldCodec<'format_fields'> {
  const given = (key: string, value: unknown) => value !== undefined && !isDeepStrictEqual(value, FORMAT_FIELDS[key]);
  return {
    read: (raw) => Object.fromEntries(Object.keys(FORMAT_FIELDS).filter((k) => given(k, raw[k])).map((k) => [k, raw[k]])),
    write: (next, raw) =>
      Object.keys(FORMAT_FIELDS).flatMap((key): JsonEdit[] => {
        const wanted = given(key, next[key]) ? next[key] : undefined;
        const stored = given(key, raw[key]) ? raw[key] : undefined;
        if (isDeepStrictEqual(wanted, stored)) return [];
        return [{ path: [key], value: wanted ?? FORMAT_FIELDS[key] }];
      }),
  };
}

/**
 * The notes. A note stored without an id gets one derived from what it says;
 * two notes that say the same thing get `c-…` and `c-…-2`. When removing a
 * note would shift such a numbered id onto its twin, the twin's id is written
 * into it, so every id stays with its note.
 */
function notes(path: JsonPath): FieldCodec<'comments'> {
  const array = commentArray(path, NOTE);
  return {
    read: array.read,
    write: (next, raw, ticket) => {
      const edits = array.write(next, raw, ticket);
      const rawList = getPath(raw, path);
      // A list written anew (reordered) stores every id already.
      if (!Array.isArray(rawList) || edits.some((e) => e.path.length === path.length)) return edits;
      const removed = new Set(
        edits.filter((e) => e.path.length === path.length + 1 && e.value === undefined).map((e) => e.path[path.length]),
      );
      if (removed.size === 0) return edits;
      // The notes that stay, as read back: an edited note has its id written in by the edit.
      const before = readComments(rawList, NOTE);
      const staying = rawList
        .map((note, index) => ({ note: note as JsonObject, index }))
        .filter(({ index }) => !removed.has(index));
      const after = readComments(
        staying.map(({ note, index }) => (isDeepStrictEqual(nextById(next, before[index]!.id), before[index]) ? note : { ...note, id: before[index]!.id })),
        NOTE,
      );
      const pins: JsonEdit[] = staying
        .filter(({ index }, i) => after[i]!.id !== before[index]!.id)
        .map(({ index }) => ({ path: [...path, index, 'id'], value: before[index]!.id }));
      // Pins go first: they use the places the notes have before any is removed.
      return [...pins, ...edits];
    },
  };
}

function nextById(next: readonly Comment[], id: string): Comment | undefined {
  return next.find((c) => c.id === id);
}

export const ticketmanager = objectFileFormat({
  name: 'ticketmanager',
  title: 'TicketManager (Orchestr8)',
  owns: (path) => /^(archive\/)?[^/]+\.json$/.test(path),
  schema: TicketManagerSchema,
  asciiByDefault: true,
  newFileStyle: PYTHON_JSON_STYLE,
  timeStyle: PYTHON_ISO,
  mapping: {
    id: plain(['id']),
    type: ticketType(['context', 'type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    priority: priority(['context', 'priority'], CANONICAL_PRIORITY_WORDS),
    assignees: list(['context', 'assignees']),
    labels: list(['context', 'labels']),
    parent: plain(['context', 'parent']),
    dependencies: list(['context', 'blocked_by']),
    comments: notes(['notes']),
    created_at: timestamp(['created_at'], PYTHON_ISO),
    updated_at: timestamp(['updated_at'], PYTHON_ISO),
    metadata: freeObject(['context'], CLAIMED),
    format_fields: ownFields(),
    github: githubLink(['context', 'github']),
  },
  toRecord: (t: Ticket, ctx) => ({
    id: t.id,
    fiefdom: typeof t.format_fields.fiefdom === 'string' ? t.format_fields.fiefdom : '',
    status: STATUS[t.status],
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
      blocked_by: t.dependencies.length > 0 ? t.dependencies : undefined,
      github: t.github,
    }),
    created_at: inStyle(t.created_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
    updated_at: inStyle(t.updated_at ?? PYTHON_ISO.format(ctx.now), PYTHON_ISO),
    notes: t.comments.map((c) => NOTE.toRaw(c)),
  }),
  newId: (_draft, ctx) => {
    const taken = takenIds(ctx);
    for (;;) {
      const id = randomUUID().slice(0, 8);
      if (!taken.has(id)) return id;
    }
  },
  folder: '',
});
