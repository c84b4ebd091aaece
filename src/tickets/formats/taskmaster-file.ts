/**
 * Where the records of a tasks file are: its task lists (one per tag, or the
 * untagged one), and the place of each task and subtask in them.
 */
import { JsonDocument } from '../json-document.js';
import type { JsonPath, Problem } from '../problems.js';
import { getPath, type JsonObject } from './record.js';
import { Subtask, Task, tagPrefix, type Place } from './taskmaster-record.js';
import type { WriteContext } from './types.js';

export interface Container {
  tag: string | null;
  /** Path of the `tasks` array. */
  path: JsonPath;
}

export function containersOf(doc: JsonDocument): { containers: Container[]; problems: Problem[] } {
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
export function* records(doc: JsonDocument, containers: Container[]) {
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
export function placeOf(doc: JsonDocument, recordPath: JsonPath): Place {
  const tag = recordPath[0] === 'tasks' ? null : String(recordPath[0]);
  const isSubtask = recordPath[recordPath.length - 2] === 'subtasks';
  const parent = isSubtask ? String((getPath(doc.value, recordPath.slice(0, -2)) as JsonObject).id) : undefined;
  return { prefix: tagPrefix(tag), parent };
}

export function parseOrThrow(ctx: WriteContext, path: string): JsonDocument {
  const text = ctx.files.get(path);
  if (text === undefined) throw new Error(`${path} is gone`);
  const parsed = JsonDocument.parse(path, text);
  if (!parsed.ok) throw new Error(`${path} is no longer valid JSON`);
  return parsed.doc;
}
