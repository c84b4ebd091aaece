/**
 * task-master's `tasks.json` (`.taskmaster/tasks/tasks.json` or
 * `tasks/tasks.json`): many tickets in one file, either tagged
 * (`{"<tag>": {"tasks": [...], "metadata": {...}}}`) or untagged
 * (`{"tasks": [...], "metadata": {...}}`).
 *
 * Ids: task `7` is ticket `7`, its subtask `2` is ticket `7.2`; tasks of a tag
 * other than `master` carry the tag: `feature-x:7`. Dependencies mix numbers
 * and strings: in a task, `3` is task 3 and `"21.4"` is subtask 4 of task 21;
 * in a subtask, a number is a sibling subtask (task-master's convention) and a
 * `"x.y"` string is any other. `details` and `testStrategy` are format
 * fields; what task-master has no field for (type, assignees, labels,
 * comments, github link, timestamps) lives in the task's `metadata` object.
 */
import { z } from 'zod';
import { type Ticket, type TicketDraft } from '../model.js';
import { DEFAULT_STYLE, JsonDocument, serialize, type JsonEdit } from '../json-document.js';
import type { JsonPath, Problem } from '../problems.js';
import { compact, readRecord } from './object-file.js';
import {
  CANONICAL_PRIORITY_WORDS,
  commentArray,
  encodeRecord,
  formatFields,
  freeObject,
  getPath,
  githubLink,
  list,
  plain,
  prefix as prefixEdits,
  priority,
  PriorityWord,
  status,
  StatusWord,
  StoredGitHubLink,
  text,
  ticketType,
  TypeWord,
  type FieldCodec,
  type JsonObject,
  type RecordMapping,
} from './record.js';
import { NativeComment } from './native.js';
import type { FileOp, LoadResult, LoadedTicket, SourceFile, TicketFormat, WriteContext } from './types.js';

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
const Subtask = z.looseObject({
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
const Task = Subtask.extend({ subtasks: z.array(z.unknown()).optional() });

/** task-master's own fields without a canonical home, with the types its readers accept. */
const FORMAT_FIELDS: Readonly<Record<string, z.ZodType>> = {
  details: Subtask.shape.details,
  testStrategy: Subtask.shape.testStrategy,
};

/** Refuse format fields task-master has no place for, or values it would not read back: never drop or break them silently. */
function checkFormatFields(fields: Ticket['format_fields']): void {
  for (const [key, value] of Object.entries(fields)) {
    const schema = Object.hasOwn(FORMAT_FIELDS, key) ? FORMAT_FIELDS[key] : undefined;
    if (schema === undefined) throw new Error(`task-master has no place for the format field ${JSON.stringify(key)}`);
    if (!schema.safeParse(value).success) throw new Error(`task-master: ${key} must be text or null`);
  }
}

const formatFieldsCodec: FieldCodec<'format_fields'> = {
  read: formatFields(Object.keys(FORMAT_FIELDS)).read,
  write: (next, raw, ticket) => {
    checkFormatFields(next);
    return formatFields(Object.keys(FORMAT_FIELDS)).write(next, raw, ticket);
  },
};

const STATUS = {
  open: 'pending',
  in_progress: 'in-progress',
  blocked: 'blocked',
  review: 'review',
  done: 'done',
  reopened: 'pending',
  cancelled: 'cancelled',
} as const;

/** Where a record sits: its tag's id prefix, and for a subtask its parent's raw id. */
interface Place {
  prefix: string;
  parent?: string;
}

function tagPrefix(tag: string | null): string {
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
function asNumber(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n > 0 && String(n) === digits ? n : undefined;
}

/** Canonical id → raw dependency, keeping the form already written for it. */
function encodeDependency(id: string, place: Place, written: ReadonlyMap<string, unknown>): unknown {
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

function mappingFor(place: Place, rawId: string): RecordMapping {
  return {
    id: fixed<'id'>(place.parent === undefined ? `${place.prefix}${rawId}` : `${place.prefix}${place.parent}.${rawId}`, 'id'),
    type: ticketType(['metadata', 'type']),
    title: text(['title']),
    description: text(['description']),
    status: status(['status'], STATUS),
    priority: priority(['priority'], CANONICAL_PRIORITY_WORDS),
    assignees: list(['metadata', 'assignees']),
    labels: list(['metadata', 'labels']),
    parent: fixed<'parent'>(place.parent === undefined ? undefined : `${place.prefix}${place.parent}`, 'parent'),
    dependencies: dependencies(place),
    comments: commentArray(['metadata', 'comments']),
    created_at: plain(['metadata', 'created_at']),
    updated_at: plain(['metadata', 'updated_at']),
    metadata: freeObject(['metadata'], CLAIMED),
    format_fields: formatFieldsCodec,
    github: githubLink(['metadata', 'github']),
  };
}

interface Container {
  tag: string | null;
  /** Path of the `tasks` array. */
  path: JsonPath;
}

function containersOf(doc: JsonDocument): { containers: Container[]; problems: Problem[] } {
  const root = doc.value;
  const shape = 'expected {"tasks": [...]} or {"<tag>": {"tasks": [...]}}';
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { containers: [], problems: [doc.problem([], `a tasks file is an object: ${shape}`)] };
  }
  const object = root as JsonObject;
  if ('tasks' in object) {
    if (!Array.isArray(object.tasks)) return { containers: [], problems: [doc.problem(['tasks'], '"tasks" must be an array')] };
    return { containers: [{ tag: null, path: ['tasks'] }], problems: [] };
  }
  const containers: Container[] = [];
  const problems: Problem[] = [];
  for (const [tag, value] of Object.entries(object)) {
    if (value === null || typeof value !== 'object' || !('tasks' in value)) continue;
    if (!Array.isArray((value as JsonObject).tasks)) problems.push(doc.problem([tag, 'tasks'], `"${tag}.tasks" must be an array`));
    else containers.push({ tag, path: [tag, 'tasks'] });
  }
  if (containers.length === 0 && problems.length === 0) problems.push(doc.problem([], `no tasks found: ${shape}`));
  return { containers, problems };
}

/** Every record of a tasks file, with where it sits. */
function* records(doc: JsonDocument, containers: Container[]) {
  for (const container of containers) {
    const prefix = tagPrefix(container.tag);
    const tasks = getPath(doc.value, container.path) as unknown[];
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i];
      const taskPath = [...container.path, i];
      yield { raw: task, path: taskPath, place: { prefix } as Place, schema: Task, container };
      const subtasks = task !== null && typeof task === 'object' ? (task as JsonObject).subtasks : undefined;
      const parentId = task !== null && typeof task === 'object' ? (task as JsonObject).id : undefined;
      if (!Array.isArray(subtasks) || (typeof parentId !== 'number' && typeof parentId !== 'string')) continue;
      for (let j = 0; j < subtasks.length; j++) {
        yield {
          raw: subtasks[j],
          path: [...taskPath, 'subtasks', j],
          place: { prefix, parent: String(parentId) } as Place,
          schema: Subtask,
          container,
        };
      }
    }
  }
}

/** The place of an existing record, from its path in the document. */
function placeOf(doc: JsonDocument, recordPath: JsonPath): Place {
  const tag = recordPath[0] === 'tasks' ? null : String(recordPath[0]);
  const isSubtask = recordPath[recordPath.length - 2] === 'subtasks';
  const parent = isSubtask ? String((getPath(doc.value, recordPath.slice(0, -2)) as JsonObject).id) : undefined;
  return { prefix: tagPrefix(tag), parent };
}

function parseOrThrow(ctx: WriteContext, path: string): JsonDocument {
  const text = ctx.files.get(path);
  if (text === undefined) throw new Error(`${path} is gone`);
  const parsed = JsonDocument.parse(path, text);
  if (!parsed.ok) throw new Error(`${path} is no longer valid JSON`);
  return parsed.doc;
}

/** The raw record of a new task or subtask, in task-master's key order. */
function newRecord(ticket: Ticket, rawId: number, place: Place): JsonObject {
  checkFormatFields(ticket.format_fields);
  const metadata = compact({
    ...ticket.metadata,
    type: ticket.type === 'task' ? undefined : ticket.type,
    assignees: ticket.assignees.length > 0 ? ticket.assignees : undefined,
    labels: ticket.labels.length > 0 ? ticket.labels : undefined,
    comments: ticket.comments.length > 0 ? ticket.comments : undefined,
    github: ticket.github,
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
  });
  const dependencies = ticket.dependencies.map((id) => encodeDependency(id, place, new Map()));
  const details = typeof ticket.format_fields.details === 'string' ? ticket.format_fields.details : '';
  const testStrategy = typeof ticket.format_fields.testStrategy === 'string' ? ticket.format_fields.testStrategy : '';
  const extra = Object.keys(metadata).length > 0 ? metadata : undefined;
  if (place.parent !== undefined) {
    // task-master's own subtask: its key order, and no priority (medium, when absent) unless another is set.
    return compact({
      id: rawId,
      title: ticket.title,
      description: ticket.description,
      dependencies,
      details,
      status: STATUS[ticket.status],
      testStrategy,
      priority: ticket.priority === 'medium' ? undefined : ticket.priority,
      metadata: extra,
    });
  }
  return compact({
    id: rawId,
    title: ticket.title,
    description: ticket.description,
    status: STATUS[ticket.status],
    dependencies,
    priority: ticket.priority,
    details,
    testStrategy,
    subtasks: [],
    metadata: extra,
  });
}

function nextNumber(ids: unknown[]): number {
  return ids.reduce<number>((max, id) => Math.max(max, Number(id) || 0), 0) + 1;
}

export const taskmaster: TicketFormat = {
  name: 'taskmaster',
  title: 'task-master tasks.json',
  owns: (path) => path === TASKS_FILE,
  load(files: readonly SourceFile[]): LoadResult {
    // The ids of invalid tasks are not remembered (invalidIds stays empty); their file is never rewritten.
    const result: LoadResult = { tickets: [], problems: [], invalidFiles: new Set(), invalidIds: new Map() };
    for (const file of files) {
      if (file.path !== TASKS_FILE) continue;
      const parsed = JsonDocument.parse(file.path, file.text);
      if (!parsed.ok) {
        result.problems.push(...parsed.problems);
        result.invalidFiles.add(file.path);
        continue;
      }
      const { doc } = parsed;
      const { containers, problems } = containersOf(doc);
      result.problems.push(...problems);
      for (const record of records(doc, containers)) {
        const rawId = (record.raw as JsonObject | null)?.id;
        const read = readRecord(doc, record.schema, mappingFor(record.place, String(rawId)), record.raw, record.path);
        if (read.ticket === undefined) {
          result.problems.push(...read.problems);
          continue;
        }
        const { line, column } = doc.locate(record.path);
        result.tickets.push({ ticket: read.ticket, path: file.path, recordPath: record.path, line, column, files: [file.path] });
      }
      if (result.problems.some((p) => p.path === file.path)) result.invalidFiles.add(file.path);
    }
    return result;
  },
  newId(draft: TicketDraft, ctx: WriteContext): string {
    if (draft.parent !== undefined) {
      const parent = ctx.tickets.find((t) => t.ticket.id === draft.parent);
      if (parent === undefined || parent.recordPath.includes('subtasks')) {
        throw new Error(`task-master: a subtask's parent must be a task of the file (${draft.parent} is not)`);
      }
      const raw = getPath(parseOrThrow(ctx, parent.path).value, parent.recordPath) as JsonObject;
      const subtasks = (raw.subtasks as JsonObject[] | undefined) ?? [];
      return `${parent.ticket.id}.${nextNumber(subtasks.map((s) => s.id))}`;
    }
    const text = ctx.files.get(TASKS_FILE);
    if (text === undefined) return '1';
    const doc = parseOrThrow(ctx, TASKS_FILE);
    const container = containersOf(doc).containers.find((c) => c.tag === null || c.tag === 'master') ?? containersOf(doc).containers[0];
    if (container === undefined) throw new Error('task-master: the tasks file has no tasks array');
    const tasks = getPath(doc.value, container.path) as JsonObject[];
    return `${tagPrefix(container.tag)}${nextNumber(tasks.map((t) => t.id))}`;
  },
  create(ticket: Ticket, ctx: WriteContext): FileOp[] {
    const match = /^(?:(.+):)?(\d+)(?:\.(\d+))?$/.exec(ticket.id);
    if (!match) throw new Error(`task-master ids look like 7, 7.2 or tag:7 (not ${ticket.id})`);
    const [, tag, top, sub] = match;
    const prefix = tag === undefined ? '' : `${tag}:`;
    const topNumber = asNumber(top!);
    const subNumber = sub === undefined ? undefined : asNumber(sub);
    if (topNumber === undefined || (sub !== undefined && subNumber === undefined)) {
      throw new Error(`task-master ids are whole numbers from 1, without leading zeros (not ${ticket.id})`);
    }
    // The parent is where the record sits: a subtask's is its task, a task has none.
    const holder = sub === undefined ? undefined : `${prefix}${top}`;
    if (ticket.parent !== holder) {
      throw new Error(
        holder === undefined
          ? `task-master: task ${ticket.id} cannot have a parent (${ticket.parent}); a subtask's id is <task>.<n>`
          : `task-master: subtask ${ticket.id} belongs to task ${holder}, not ${ticket.parent ?? 'none'}`,
      );
    }
    if (ctx.files.get(TASKS_FILE) === undefined) {
      if (sub !== undefined || tag !== undefined) throw new Error(`task-master: no tasks file to hold ${ticket.id}`);
      const record = newRecord(ticket, topNumber, { prefix });
      return [{ op: 'write', path: TASKS_FILE, text: serialize({ master: { tasks: [record], metadata: {} } }, DEFAULT_STYLE) }];
    }
    const doc = parseOrThrow(ctx, TASKS_FILE);
    let edit: JsonEdit;
    if (sub !== undefined) {
      const parent = ctx.tickets.find((t) => t.ticket.id === `${prefix}${top}` && !t.recordPath.includes('subtasks'));
      if (parent === undefined) throw new Error(`task-master: no task ${prefix}${top} to hold subtask ${ticket.id}`);
      const record = newRecord(ticket, subNumber!, { prefix, parent: top! });
      edit = { path: [...parent.recordPath, 'subtasks', -1], value: record };
    } else {
      const container = containersOf(doc).containers.find((c) => tagPrefix(c.tag) === prefix);
      if (container === undefined) throw new Error(`task-master: no tag for ${ticket.id} in the tasks file`);
      edit = { path: [...container.path, -1], value: newRecord(ticket, topNumber, { prefix }) };
    }
    return [{ op: 'write', path: TASKS_FILE, text: doc.apply([edit]) }];
  },
  update(prev: LoadedTicket, next: Ticket, ctx: WriteContext): FileOp[] {
    const doc = parseOrThrow(ctx, prev.path);
    const raw = getPath(doc.value, prev.recordPath) as JsonObject;
    const mapping = mappingFor(placeOf(doc, prev.recordPath), String(raw.id));
    const edits = encodeRecord(mapping, raw, prev.ticket, next);
    if (edits.length === 0) return [];
    return [{ op: 'write', path: prev.path, text: doc.apply(prefixEdits(edits, prev.recordPath)) }];
  },
  remove(prev: LoadedTicket, ctx: WriteContext): FileOp[] {
    const doc = parseOrThrow(ctx, prev.path);
    return [{ op: 'write', path: prev.path, text: doc.apply([{ path: prev.recordPath, value: undefined }]) }];
  },
};
