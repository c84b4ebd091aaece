/**
 * New tasks and subtasks, written as task-master's own `add-task` and
 * `add-subtask` write them (test/fixtures/tool-output/task-master holds what
 * they wrote): the tool's keys in its order, ids as numbers unless the list
 * already holds strings, a subtask without priority and with `parentTaskId`,
 * and for a new task the tag's `metadata.updated` moved to now.
 */
import type { Ticket } from '../model.js';
import { JsonDocument, serialize, type JsonEdit, type JsonStyle } from '../json-document.js';
import type { JsonPath } from '../problems.js';
import { compact } from './object-file.js';
import { getPath, type JsonObject } from './record.js';
import { containersOf, parseOrThrow, type Container } from './taskmaster-file.js';
import { asNumber, encodeDependency, FORMAT_FIELDS, PRIORITY, STATUS, tagPrefix, TASKS_FILE, type Place } from './taskmaster-record.js';
import { inStyle, JS_ISO } from './timestamps.js';
import type { FileOp, WriteContext } from './types.js';

/** task-master's `writeJSON`: `JSON.stringify(data, null, 2)`, no final newline. */
const TASK_MASTER_STYLE: JsonStyle = { bom: false, eol: '\n', indent: '  ', colon: ': ', ascii: false, finalNewline: false };

/** The raw record of a new task or subtask, in task-master's key order. */
function newRecord(ticket: Ticket, rawId: number | string, place: Place): JsonObject {
  FORMAT_FIELDS.check(ticket.format_fields);
  const metadata = compact({
    ...ticket.metadata,
    type: ticket.type === 'task' ? undefined : ticket.type,
    assignees: ticket.assignees.length > 0 ? ticket.assignees : undefined,
    labels: ticket.labels.length > 0 ? ticket.labels : undefined,
    comments: ticket.comments.length > 0 ? ticket.comments : undefined,
    github: ticket.github,
  });
  const dependencies = ticket.dependencies.map((id) => encodeDependency(id, place, new Map()));
  const { details, testStrategy } = ticket.format_fields as { details?: string | null; testStrategy?: string | null };
  const times = {
    createdAt: ticket.created_at === undefined ? undefined : inStyle(ticket.created_at, JS_ISO),
    updatedAt: ticket.updated_at === undefined ? undefined : inStyle(ticket.updated_at, JS_ISO),
  };
  const extra = Object.keys(metadata).length > 0 ? metadata : undefined;
  if (place.parent !== undefined) {
    // `add-subtask`: no testStrategy unless there is one, and no priority at all.
    return compact({
      id: rawId,
      title: ticket.title,
      description: ticket.description,
      details: details ?? '',
      testStrategy: testStrategy ?? undefined,
      status: STATUS[ticket.status],
      dependencies,
      parentTaskId: asNumber(place.parent) ?? place.parent,
      ...times,
      metadata: extra,
    });
  }
  return compact({
    id: rawId,
    title: ticket.title,
    description: ticket.description,
    details: details ?? '',
    testStrategy: testStrategy ?? '',
    status: STATUS[ticket.status],
    dependencies,
    priority: PRIORITY[ticket.priority],
    subtasks: [],
    ...times,
    metadata: extra,
  });
}

/** A new id in the form the list already writes its ids: a string when any of them is one. */
function rawIdLike(siblings: unknown[], n: number): number | string {
  return siblings.some((s) => typeof (s as JsonObject | null)?.id === 'string') ? String(n) : n;
}

/** What `add-task` does to the tag's metadata (`ensureTagMetadata`): created kept, updated moved, a description given where missing. */
function tagMetadataEdits(doc: JsonDocument, container: Container, now: string): JsonEdit[] {
  const path: JsonPath = [...container.path.slice(0, -1), 'metadata'];
  const metadata = getPath(doc.value, path);
  const description = `Tasks for ${container.tag ?? 'master'} context`;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return [{ path, value: { created: now, updated: now, description } }];
  }
  const has = (key: string) => Object.hasOwn(metadata, key);
  return [
    ...(has('created') ? [] : [{ path: [...path, 'created'], value: now }]),
    ...(has('description') ? [] : [{ path: [...path, 'description'], value: description }]),
    { path: [...path, 'updated'], value: now },
  ];
}

/** The file change that adds the ticket `id` (`7`, `7.2`, `tag:7`) to the tasks file. */
export function createOps(ticket: Ticket, ctx: WriteContext, id: { prefix: string; top: number; sub?: number }): FileOp[] {
  const now = JS_ISO.format(ctx.now);
  if (ctx.files.get(TASKS_FILE) === undefined) {
    if (id.sub !== undefined || id.prefix !== '') throw new Error(`task-master: no tasks file to hold ${ticket.id}`);
    const record = newRecord(ticket, id.top, { prefix: '' });
    const file = { master: { tasks: [record], metadata: { created: now, updated: now, description: 'Tasks for master context' } } };
    return [{ op: 'write', path: TASKS_FILE, text: serialize(file, TASK_MASTER_STYLE) }];
  }
  const doc = parseOrThrow(ctx, TASKS_FILE);
  let edits: JsonEdit[];
  if (id.sub !== undefined) {
    const parent = ctx.tickets.find((t) => t.ticket.id === `${id.prefix}${id.top}` && !t.recordPath.includes('subtasks'));
    if (parent === undefined) throw new Error(`task-master: no subtask ${ticket.id} without its task ${id.prefix}${id.top}`);
    const siblings = (getPath(doc.value, [...parent.recordPath, 'subtasks']) as unknown[] | undefined) ?? [];
    const record = newRecord(ticket, rawIdLike(siblings, id.sub), { prefix: id.prefix, parent: String(id.top) });
    // `add-subtask` leaves the tag's metadata as it is.
    edits = [{ path: [...parent.recordPath, 'subtasks', -1], value: record }];
  } else {
    const container = containersOf(doc).containers.find((c) => tagPrefix(c.tag) === id.prefix);
    if (container === undefined) throw new Error(`task-master: no tag for ${ticket.id} in the tasks file`);
    const tasks = getPath(doc.value, container.path) as unknown[];
    const record = newRecord(ticket, rawIdLike(tasks, id.top), { prefix: id.prefix });
    edits = [{ path: [...container.path, -1], value: record }, ...tagMetadataEdits(doc, container, now)];
  }
  return [{ op: 'write', path: TASKS_FILE, text: doc.apply(edits) }];
}
