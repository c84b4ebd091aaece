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
 * comments, github link) lives in the task's `metadata` object.
 *
 * Words are task-master's own: statuses pending, in-progress, done, review,
 * deferred, cancelled, blocked; priorities high, medium, low (`critical` is
 * written `high`), and none at all in a subtask. Times are task-master's
 * `createdAt`/`updatedAt` (JavaScript's `toISOString()`; ticket-sync kept them
 * in `metadata.created_at`/`updated_at` before, still read there); a task's
 * `updatedAt` moves to now whenever ticket-sync changes it, as task-master's
 * `set-status` moves it. New records: taskmaster-create.ts.
 */
import { type Ticket, type TicketDraft } from '../model.js';
import { JsonDocument } from '../json-document.js';
import { readRecord, stamped } from './object-file.js';
import { getPath, prefix as prefixEdits, type JsonObject } from './record.js';
import { createOps } from './taskmaster-create.js';
import { containersOf, parseOrThrow, placeOf, records } from './taskmaster-file.js';
import { asNumber, mappingFor, tagPrefix, TASKS_FILE } from './taskmaster-record.js';
import { JS_ISO } from './timestamps.js';
import type { FileOp, LoadResult, LoadedTicket, SourceFile, TicketFormat, WriteContext } from './types.js';
import { wordOfField, wordsOf } from './words.js';

export { TASKS_FILE } from './taskmaster-record.js';

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
        const mapping = mappingFor(record.place, String(rawId));
        const read = readRecord(doc, record.schema, mapping, record.raw, record.path);
        if (read.ticket === undefined) {
          result.problems.push(...read.problems);
          continue;
        }
        const { line, column } = doc.locate(record.path);
        const words = wordsOf(mapping, record.raw as JsonObject);
        result.tickets.push({ ticket: read.ticket, path: file.path, recordPath: record.path, line, column, files: [file.path], words });
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
    return createOps(ticket, ctx, { prefix, top: topNumber, sub: subNumber });
  },
  update(prev: LoadedTicket, next: Ticket, ctx: WriteContext): FileOp[] {
    const doc = parseOrThrow(ctx, prev.path);
    const raw = getPath(doc.value, prev.recordPath) as JsonObject;
    const mapping = mappingFor(placeOf(doc, prev.recordPath), String(raw.id));
    const edits = stamped(mapping, raw, prev.ticket, next, JS_ISO.format(ctx.now));
    if (edits.length === 0) return [];
    return [{ op: 'write', path: prev.path, text: doc.apply(prefixEdits(edits, prev.recordPath)) }];
  },
  remove(prev: LoadedTicket, ctx: WriteContext): FileOp[] {
    const doc = parseOrThrow(ctx, prev.path);
    return [{ op: 'write', path: prev.path, text: doc.apply([{ path: prev.recordPath, value: undefined }]) }];
  },
  wordOf(field, value, loaded) {
    const subtask = loaded?.recordPath.includes('subtasks') ?? false;
    return wordOfField(mappingFor(subtask ? { prefix: '', parent: '0' } : { prefix: '' }, '0'), field, value, loaded);
  },
};
