/**
 * The shape of task-master's records and their mapping to the canonical
 * ticket, field by field (see taskmaster.ts for the file).
 */
import { z } from 'zod';
import type { Ticket } from '../model.js';
import { NativeComment } from './native.js';
import {
  checkedFormatFields,
  commentArray,
  freeObject,
  githubLink,
  list,
  StoredGitHubLink,
  text,
  type FieldCodec,
  type JsonObject,
  type RecordMapping,
} from './record.js';
import { JS_ISO, timestamp } from './timestamps.js';
import { notHeld, priority, PriorityWord, status, StatusWord, ticketType, TypeWord } from './words.js';

export const TASKS_FILE = 'tasks.json';
const CLAIMED = ['type', 'assignees', 'labels', 'comments', 'github', 'created_at', 'updated_at'];

const RawId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'a task id is a positive whole number')]);
const Dependency = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?$/, 'a dependency is a task id (7) or a subtask id ("7.2")'),
]);
const TaskMetadata = z.looseObject({
  type: TypeWord.optional(),
  assignees: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  comments: z.array(NativeComment).optional(),
  github: StoredGitHubLink.optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export const Subtask = z.looseObject({
  id: RawId,
  title: z.string(),
  description: z.string().nullable().optional(),
  status: StatusWord.optional(),
  priority: PriorityWord.optional(),
  dependencies: z.array(Dependency).optional(),
  details: z.string().nullable().optional(),
  testStrategy: z.string().nullable().optional(),
  metadata: TaskMetadata.optional(),
});
export const Task = Subtask.extend({ subtasks: z.array(z.unknown()).optional() });

/** task-master's own fields without a canonical home, with the types its readers accept. */
export const FORMAT_FIELDS = checkedFormatFields(
  'task-master',
  { details: Subtask.shape.details, testStrategy: Subtask.shape.testStrategy },
  'text or null',
);

/** task-master's statuses: pending, in-progress, done, review, deferred, cancelled, blocked. */
export const STATUS = {
  open: 'pending',
  in_progress: 'in-progress',
  blocked: 'blocked',
  review: 'review',
  done: 'done',
  reopened: 'pending',
  cancelled: 'cancelled',
} as const;

/** task-master's priorities are high, medium and low (`TASK_PRIORITY_OPTIONS`): `critical` is written `high`. */
export const PRIORITY = { low: 'low', medium: 'medium', high: 'high', critical: 'high' } as const;

/** Where a record sits: its tag's id prefix, and for a subtask its parent's raw id. */
export interface Place {
  prefix: string;
  parent?: string;
}

export function tagPrefix(tag: string | null): string {
  return tag === null || tag === 'master' ? '' : `${tag}:`;
}

/** Raw dependency → canonical id. */
function decodeDependency(dep: number | string, place: Place): string {
  if (place.parent !== undefined && typeof dep === 'number') return `${place.prefix}${place.parent}.${dep}`;
  return `${place.prefix}${dep}`;
}

/**
 * The number a task id is written as, or undefined when a number would not
 * read back as the same id (`0`, `07`, beyond 2^53): those stay strings.
 */
export function asNumber(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n > 0 && String(n) === digits ? n : undefined;
}

/** Canonical id → raw dependency, keeping the form already written for it. */
export function encodeDependency(id: string, place: Place, written: ReadonlyMap<string, unknown>): unknown {
  if (written.has(id)) return written.get(id);
  if (!id.startsWith(place.prefix)) throw new Error(`task-master cannot depend on ${id} across tags`);
  const rest = id.slice(place.prefix.length);
  if (!/^\d+(\.\d+)?$/.test(rest)) throw new Error(`task-master cannot store the dependency ${id}`);
  if (place.parent !== undefined) {
    // In a subtask a number is a sibling; anything else is written as the "x.y" string.
    const sibling = rest.startsWith(`${place.parent}.`) ? asNumber(rest.slice(place.parent.length + 1)) : undefined;
    return sibling ?? rest;
  }
  return asNumber(rest) ?? rest;
}

function dependencies(place: Place): FieldCodec<'dependencies'> {
  const read = (raw: JsonObject) => ((raw.dependencies as (number | string)[] | undefined) ?? []).map((d) => decodeDependency(d, place));
  return {
    read,
    write: (next, raw) => {
      const current = (raw.dependencies as unknown[] | undefined) ?? [];
      const written = new Map(read(raw).map((id, i) => [id, current[i]]));
      if (next.length === 0 && raw.dependencies === undefined) return [];
      return [{ path: ['dependencies'], value: next.map((id) => encodeDependency(id, place, written)) }];
    },
  };
}

function fixed<K extends 'id' | 'parent'>(value: Ticket[K], what: string): FieldCodec<K> {
  return {
    read: () => value,
    write: () => {
      throw new Error(`task-master: the ${what} of a task cannot change`);
    },
  };
}

export function mappingFor(place: Place, rawId: string): RecordMapping {
  return {
    id: fixed<'id'>(place.parent === undefined ? `${place.prefix}${rawId}` : `${place.prefix}${place.parent}.${rawId}`, 'id'),
    type: ticketType(['metadata', 'type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    // A subtask has no priority in task-master: none is read or written.
    priority: place.parent === undefined ? priority(['priority'], PRIORITY) : notHeld<'priority'>(),
    assignees: list(['metadata', 'assignees']),
    labels: list(['metadata', 'labels']),
    parent: fixed<'parent'>(place.parent === undefined ? undefined : `${place.prefix}${place.parent}`, 'parent'),
    dependencies: dependencies(place),
    comments: commentArray(['metadata', 'comments']),
    created_at: timestamp(['createdAt'], JS_ISO, { fallback: ['metadata', 'created_at'] }),
    updated_at: timestamp(['updatedAt'], JS_ISO, { fallback: ['metadata', 'updated_at'] }),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: FORMAT_FIELDS.codec,
    github: githubLink(['metadata', 'github']),
  };
}
