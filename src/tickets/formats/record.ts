/**
 * Mapping between one JSON record (an object in a format's own shape) and the
 * canonical ticket, field by field. A format is a table of field codecs; the
 * encoder emits edits only for canonical fields whose value changed, so every
 * other byte of the file stays as it was.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { Ticket, ticketDefaults, type Comment, type GitHubLink } from '../model.js';
import type { JsonEdit } from '../json-document.js';
import type { JsonPath } from '../problems.js';

export type JsonObject = Record<string, unknown>;

export function getPath(raw: unknown, path: JsonPath): unknown {
  let value = raw;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    // Own keys only: a key named `toString` or `constructor` is absent unless the file has it.
    value = Object.hasOwn(value, segment) ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return value;
}

/** Reads one canonical field from a record and writes it back as edits (paths relative to the record). */
export interface FieldCodec<K extends keyof Ticket> {
  read(raw: JsonObject): Ticket[K] | undefined;
  write(next: Ticket[K], raw: JsonObject, ticket: Ticket): JsonEdit[];
  /** For a vocabulary field (status, priority, type): the word itself (see words.ts). */
  word?: WordCodec<K>;
}

/** The raw word of a vocabulary field, as a record holds it and as writing a value leaves it. */
export interface WordCodec<K extends keyof Ticket> {
  /** The word the record holds; null when it holds none. */
  read(raw: JsonObject): string | null;
  /** The word writing `value` leaves in a record now holding `current`; null when the record cannot hold one. */
  next(value: Ticket[K], current: string | null): string | null;
}

export type RecordMapping = { [K in keyof Ticket]-?: FieldCodec<K> };

export interface PlainOptions {
  /** Write `null` rather than removing the key when the value goes away (formats whose writers keep every key). */
  nullWhenAbsent?: boolean;
  /** Treat `null` and the empty string as absent when reading. */
}

/** A value stored as it is at one path. */
export function plain<K extends keyof Ticket>(path: JsonPath, options: PlainOptions = {}): FieldCodec<K> {
  return {
    read: (raw) => {
      const value = getPath(raw, path);
      return (value === null ? undefined : value) as Ticket[K] | undefined;
    },
    write: (next, raw) => {
      const absent = next === undefined;
      if (absent) {
        const present = getPath(raw, path) !== undefined;
        if (!present) return [];
        return [{ path, value: options.nullWhenAbsent ? null : undefined }];
      }
      return [{ path, value: next }];
    },
  };
}

/** A string that may be stored as null; canonical empty string. */
export function text<K extends 'description' | 'title'>(path: JsonPath): FieldCodec<K> {
  return {
    read: (raw) => {
      const value = getPath(raw, path);
      return (typeof value === 'string' ? value : '') as Ticket[K];
    },
    write: (next) => [{ path, value: next }],
  };
}

/**
 * A single `assignee` field: the first canonical assignee goes there, any
 * further ones into `overflow` (so nobody is dropped).
 */
export function singleAssignee(path: JsonPath, overflow: JsonPath): FieldCodec<'assignees'> {
  return {
    read: (raw) => {
      const first = getPath(raw, path);
      const more = getPath(raw, overflow);
      return [...(typeof first === 'string' && first !== '' ? [first] : []), ...(Array.isArray(more) ? (more as string[]) : [])];
    },
    write: (next, raw) => {
      const edits: JsonEdit[] = [];
      const first = next[0] ?? null;
      if (getPath(raw, path) !== first && !(first === null && getPath(raw, path) === undefined)) {
        edits.push({ path, value: first });
      }
      const rest = next.slice(1);
      const currentRest = getPath(raw, overflow);
      if (!isDeepStrictEqual(currentRest ?? [], rest)) {
        edits.push({ path: overflow, value: rest.length > 0 ? rest : undefined });
      }
      return edits;
    },
  };
}

/** For formats without fields of their own: always empty, and refusing to store any. */
export function noFormatFields(format: string): FieldCodec<'format_fields'> {
  return {
    read: () => ({}),
    write: (next) => {
      if (Object.keys(next).length > 0) {
        throw new Error(`the ${format} format has no place for ${Object.keys(next).join(', ')}`);
      }
      return [];
    },
  };
}

/** A field kept outside the record (aitrackdown's comment files): the format's wrapper reads and writes it. */
export function external<K extends 'comments'>(): FieldCodec<K> {
  return { read: () => undefined, write: () => [] };
}

/**
 * A format's own fields without a canonical home, each with the type its tool
 * reads. A field the format has no place for, or a value its tool would not
 * read back, is refused: never dropped or broken silently.
 */
export function checkedFormatFields(format: string, fields: Readonly<Record<string, z.ZodType>>, expected: string) {
  const keys = Object.keys(fields);
  const check = (values: Ticket['format_fields']): void => {
    for (const [key, value] of Object.entries(values)) {
      const schema = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (schema === undefined) throw new Error(`${format} has no place for the format field ${JSON.stringify(key)}`);
      if (!schema.safeParse(value).success) throw new Error(`${format}: ${key} must be ${expected}`);
    }
  };
  const codec: FieldCodec<'format_fields'> = {
    read: formatFields(keys).read,
    write: (next, raw, ticket) => {
      check(next);
      return formatFields(keys).write(next, raw, ticket);
    },
  };
  return { check, codec };
}

/** Several canonical-less format fields, each stored under its own key; canonical `format_fields` by name. */
export function formatFields(keys: readonly string[], base: JsonPath = []): FieldCodec<'format_fields'> {
  return {
    read: (raw) => {
      const fields: JsonObject = {};
      for (const key of keys) {
        const value = getPath(raw, [...base, key]);
        if (value !== undefined) fields[key] = value;
      }
      return fields;
    },
    write: (next, raw) => keyedEdits(keys, base, next, raw),
  };
}

function keyedEdits(keys: readonly string[], base: JsonPath, next: JsonObject, raw: JsonObject): JsonEdit[] {
  const edits: JsonEdit[] = [];
  for (const key of keys) {
    const current = getPath(raw, [...base, key]);
    const wanted = Object.hasOwn(next, key) ? next[key] : undefined;
    if (!isDeepStrictEqual(current, wanted)) edits.push({ path: [...base, key], value: wanted });
  }
  return edits;
}

/**
 * A free object at `path` (a format's `metadata` or `context`), less the keys
 * other codecs claim inside it. Written key by key.
 */
export function freeObject<K extends 'metadata' | 'format_fields' = 'metadata'>(
  path: JsonPath,
  claimed: readonly string[] = [],
): FieldCodec<K> {
  const own = (raw: JsonObject): JsonObject => {
    const value = getPath(raw, path);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter(([key]) => !claimed.includes(key)));
  };
  return {
    read: own,
    write: (next: JsonObject, raw) => {
      const current = own(raw);
      const keys = [...new Set([...Object.keys(current), ...Object.keys(next)])].filter((k) => !claimed.includes(k));
      return keyedEdits(keys, path, next, raw);
    },
  };
}

/**
 * A GitHub link as a format stores it: `issue` and an optional `url`, and
 * whatever keys of its own a tool added (`node_id`, …), which never make the
 * file invalid.
 */
export const StoredGitHubLink = z.looseObject({
  issue: z.number().int().positive(),
  url: z.string().optional(),
});

const GITHUB_LINK_KEYS = ['issue', 'url'] as const;

/**
 * The linked issue at `path`: only `issue` and `url` are read into the ticket,
 * and only those of them that changed are written; the link's other keys stay.
 * A link that goes away takes the whole object with it.
 */
export function githubLink(path: JsonPath): FieldCodec<'github'> {
  const stored = (raw: JsonObject): JsonObject | undefined => {
    const value = getPath(raw, path);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  };
  return {
    read: (raw) => {
      const link = stored(raw);
      if (link === undefined) return undefined;
      return compactLink({ issue: link.issue as number, url: link.url as string | undefined });
    },
    write: (next, raw) => {
      if (next === undefined) return getPath(raw, path) === undefined ? [] : [{ path, value: undefined }];
      if (stored(raw) === undefined) return [{ path, value: compactLink(next) }];
      return keyedEdits(GITHUB_LINK_KEYS, path, next, raw);
    },
  };
}

function compactLink({ issue, url }: GitHubLink): GitHubLink {
  return url === undefined ? { issue } : { issue, url };
}

/** Strings at `path` (labels, assignees, ticket ids); absent and empty are the same. */
export function list<K extends 'labels' | 'assignees' | 'dependencies'>(path: JsonPath): FieldCodec<K> {
  return {
    read: (raw) => ((getPath(raw, path) as string[] | undefined) ?? []) as Ticket[K],
    write: (next, raw) => {
      if ((next as string[]).length === 0 && getPath(raw, path) === undefined) return [];
      return [{ path, value: next }];
    },
  };
}

export interface CommentShape {
  /** The raw comment → canonical (`index` is its place in the array, for derived ids). */
  fromRaw(raw: JsonObject): Omit<Comment, 'id'> & { id?: string };
  /** Canonical → raw keys to write (unknown raw keys are kept). */
  toRaw(comment: Comment): JsonObject;
}

/** The canonical comment shape, stored as is (our own format and the free objects of the others). */
export const CANONICAL_COMMENT: CommentShape = {
  // Only the canonical keys: a stored comment may carry keys of its own (kept in the file, not in the ticket).
  fromRaw: ({ id, author, body, created_at, updated_at }) =>
    (updated_at === undefined ? { id, author, body, created_at } : { id, author, body, created_at, updated_at }) as Comment,
  toRaw: (comment) => ({ ...comment }),
};

/** A stable id for a comment stored without one: a hash of what it says, who said it and when. */
export function derivedCommentId(c: Omit<Comment, 'id'>, taken: ReadonlySet<string>): string {
  const base = 'c-' + createHash('sha256').update(`${c.created_at}\0${c.author}\0${c.body}`).digest('hex').slice(0, 10);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function readComments(list: unknown, shape: CommentShape): Comment[] {
  if (!Array.isArray(list)) return [];
  const taken = new Set<string>();
  return list.map((raw: JsonObject) => {
    const comment = shape.fromRaw(raw);
    const id = comment.id ?? derivedCommentId(comment, taken);
    taken.add(id);
    return { ...comment, id } as Comment;
  });
}

/** An array of comments at `path`; edits touch only the comments that changed. */
export function commentArray(path: JsonPath, shape: CommentShape = CANONICAL_COMMENT): FieldCodec<'comments'> {
  return {
    read: (raw) => readComments(getPath(raw, path), shape),
    write: (next, raw) => {
      const rawList = getPath(raw, path);
      if (!Array.isArray(rawList)) {
        return next.length === 0 ? [] : [{ path, value: next.map((c) => shape.toRaw(c)) }];
      }
      const prev = readComments(rawList, shape);
      const nextById = new Map(next.map((c) => [c.id, c]));
      const prevIds = new Set(prev.map((c) => c.id));
      const kept = prev.filter((c) => nextById.has(c.id));
      if (!next.every((c, i) => (i < kept.length ? c.id === kept[i]!.id : !prevIds.has(c.id)))) {
        // Reordered, or a new comment placed before an old one: the list is written anew, unknown keys kept.
        const merged = next.map((c) => {
          const index = prev.findIndex((p) => p.id === c.id);
          if (index < 0) return shape.toRaw(c);
          const wanted = shape.toRaw(c);
          const gone = Object.keys(shape.toRaw(prev[index]!)).filter((key) => !(key in wanted));
          const rawComment = Object.entries(rawList[index] as JsonObject).filter(([key]) => !gone.includes(key));
          return { ...Object.fromEntries(rawComment), ...wanted };
        });
        return [{ path, value: merged }];
      }
      const edits: JsonEdit[] = [];
      prev.forEach((old, index) => {
        const updated = nextById.get(old.id);
        if (updated === undefined || isDeepStrictEqual(old, updated)) return;
        const rawComment = rawList[index] as JsonObject;
        const wanted = shape.toRaw(updated);
        for (const [key, value] of Object.entries(wanted)) {
          if (!isDeepStrictEqual(rawComment[key], value)) edits.push({ path: [...path, index, key], value });
        }
        // A key the comment no longer has (its `updated_at`, say) goes away.
        for (const key of Object.keys(shape.toRaw(old))) {
          if (!(key in wanted) && key in rawComment) edits.push({ path: [...path, index, key], value: undefined });
        }
      });
      for (let index = prev.length - 1; index >= 0; index--) {
        if (!nextById.has(prev[index]!.id)) edits.push({ path: [...path, index], value: undefined });
      }
      for (const comment of next) {
        if (!prevIds.has(comment.id)) edits.push({ path: [...path, -1], value: shape.toRaw(comment) });
      }
      return edits;
    },
  };
}


/** The canonical ticket of a record (not yet validated). */
export function decodeRecord(mapping: RecordMapping, raw: JsonObject): Record<string, unknown> {
  const ticket: Record<string, unknown> = ticketDefaults();
  for (const key of Object.keys(mapping) as (keyof Ticket)[]) {
    const value = mapping[key].read(raw);
    if (value !== undefined) ticket[key] = value;
  }
  return ticket;
}

/** The edits (relative to the record) that turn `prev` into `next`. */
export function encodeRecord(mapping: RecordMapping, raw: JsonObject, prev: Ticket, next: Ticket): JsonEdit[] {
  if (prev.id !== next.id) throw new Error(`a ticket's id cannot change (${prev.id} → ${next.id})`);
  const edits: JsonEdit[] = [];
  for (const key of Object.keys(Ticket.shape) as (keyof Ticket)[]) {
    if (isDeepStrictEqual(prev[key], next[key])) continue;
    const codec = mapping[key] as FieldCodec<typeof key>;
    edits.push(...codec.write(next[key] as never, raw, next));
  }
  return edits;
}

/** The record of a new ticket: encode against an empty record, collecting the values. */
export function prefix(edits: JsonEdit[], base: JsonPath): JsonEdit[] {
  return edits.map((edit) => ({ path: [...base, ...edit.path], value: edit.value }));
}
