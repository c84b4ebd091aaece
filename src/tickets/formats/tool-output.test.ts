/** New tickets are written byte for byte as the formats' own tools write them (test/fixtures/tool-output). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readText, tempDir } from '../../../test/support/files.js';
import { TicketStore } from '../store.js';
import { aitrackdown } from './aitrackdown.js';
import { taskmaster, TASKS_FILE } from './taskmaster.js';

const toolOutput = (path: string) => readFileSync(join(FIXTURES, 'tool-output', path), 'utf8');

/** A task-master location holding `text` as its tasks file, its clock at each of `times` in turn. */
function taskmasterAt(text: string, ...times: string[]) {
  const root = tempDir({ [TASKS_FILE]: text });
  const clock = times.map((t) => new Date(t));
  return { root, store: new TicketStore(root, taskmaster, () => clock.shift() ?? new Date(times.at(-1)!)) };
}

describe('tickets ticket-sync imports into task-master', () => {
  it('are written as add-task writes them: its keys, number ids, and the tag’s update time moved', async () => {
    const { root, store } = taskmasterAt(toolOutput('task-master/1-add-task.json'), '2026-12-02T13:08:40.000Z', '2026-12-02T13:08:53.037Z');
    expect((await store.create({ title: 'Write the API', description: 'REST endpoints', dependencies: ['1'] })).id).toBe('2');
    expect((await store.create({ title: 'Crit', description: 'c' })).id).toBe('3');
    expect(readText(root, TASKS_FILE)).toBe(toolOutput('task-master/2-add-task-twice.json'));
  });

  it('write a critical priority as high, where the add-task CLI would drop it to medium', async () => {
    const { root, store } = taskmasterAt(toolOutput('task-master/1-add-task.json'), '2026-12-02T13:08:53.037Z');
    await store.create({ title: 'Crit', description: 'c', priority: 'critical' });
    expect(JSON.parse(readText(root, TASKS_FILE)).master.tasks[1].priority).toBe('high');
  });

  it('are written as add-subtask writes a subtask: no priority, its parent’s number, the tag left alone', async () => {
    const { root, store } = taskmasterAt(toolOutput('task-master/2-add-task-twice.json'), '2026-12-02T14:00:00.000Z');
    expect((await store.create({ title: 'Create tables', description: 'DDL', parent: '1', priority: 'high' })).id).toBe('1.1');
    expect(readText(root, TASKS_FILE)).toBe(toolOutput('task-master/3-add-subtask.json'));
  });

  it('take a string id in a list whose ids set-status rewrote as strings, and give the tag add-task’s metadata keys', async () => {
    const before = toolOutput('task-master/4-set-status.json');
    const { root, store } = taskmasterAt(before, '2026-12-02T13:09:22.669Z');
    await store.create({ title: 'Fourth', description: 'd4' });
    const tag = JSON.parse(readText(root, TASKS_FILE)).master;
    expect(tag.tasks.map((t: { id: unknown }) => t.id)).toEqual(['1', '2', '3', '4']);
    expect(Object.entries(tag.metadata).slice(-3)).toEqual([
      ['created', '2026-12-02T13:09:22.669Z'],
      ['description', 'Tasks for master context'],
      ['updated', '2026-12-02T13:09:22.669Z'],
    ]);
  });
});

describe('tickets ticket-sync imports into aitrackdown', () => {
  it('are written as mcp-ticketer writes a new task, times in Python’s naive isoformat', async () => {
    const root = tempDir();
    const store = new TicketStore(root, aitrackdown, () => new Date('2026-11-23T09:30:15.123Z'));
    const created = await store.create({ title: 'Zahlungsformular prüfen', description: 'IBAN und BIC' });
    expect(readText(root, `tickets/${created.id}.json`)).toBe(toolOutput('aitrackdown/task.json'));
  });

  it('keep an issue’s GitHub times in the same style, which Python 3.10’s fromisoformat reads', async () => {
    const root = tempDir();
    const store = new TicketStore(root, aitrackdown, () => new Date('2026-11-23T09:30:15.123Z'));
    const created = await store.create({ title: 'x', type: 'bug', created_at: '2026-11-23T09:41:07Z', updated_at: '2026-11-23T10:41:07.5+01:00' });
    const file = JSON.parse(readText(root, `tickets/${created.id}.json`));
    expect([file.created_at, file.updated_at, file.type, file.metadata.type]).toEqual(['2026-11-23T09:41:07', '2026-11-23T09:41:07.500000', 'task', 'bug']);
    expect(created.type).toBe('bug');
  });
});
