import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/files.js';
import { detectLocations, formatByShape, locationOf, shapeOf, workingCopyRoot } from './locations.js';

const ticketData = JSON.stringify({ id: 'CLAUDE-20250721120000', title: 'T', description: '', status: 'open', assignee: 'qa-agent' });
const native = JSON.stringify({ id: 'TSK-0001', type: 'task', title: 'T', assignees: [] });

describe('finding ticket locations in a working copy', () => {
  it('finds each known location with its format, in a fixed order', async () => {
    const root = tempDir({
      '.taskmaster/tasks/tasks.json': '{"master": {"tasks": []}}',
      'tasks/tasks.json': '{"tasks": []}',
      '.aitrackdown/tickets/task-1.json': '{}',
      '.orchestr8/tickets/archive/a.json': '{}',
      '.claude-pm/tickets/CLAUDE-1.json': ticketData,
      'tickets/TSK-0001.json': native,
    });
    expect((await detectLocations(root)).map((l) => [l.dir, l.format, l.how])).toEqual([
      ['.taskmaster/tasks', 'taskmaster', 'location'],
      ['tasks', 'taskmaster', 'location'],
      ['.aitrackdown', 'aitrackdown', 'location'],
      ['.orchestr8/tickets', 'ticketmanager', 'location'],
      ['.claude-pm/tickets', 'ticketdata', 'location'],
      ['tickets', 'native', 'shape'],
    ]);
  });

  it('tells TicketData from our own format in tickets/ by the shape of the files', async () => {
    const root = tempDir({ 'tickets/a.json': ticketData, 'tickets/b.json': ticketData, 'tickets/c.json': native });
    expect(await detectLocations(root)).toEqual([expect.objectContaining({ dir: 'tickets', format: 'ticketdata', how: 'shape' })]);
  });

  it('takes an empty tickets/ folder, or one of unreadable files, as our own format', async () => {
    expect(await formatByShape(tempDir({ 'x.txt': '' }))).toBe('native');
    expect(await formatByShape(tempDir({ 'a.json': '{broken' }))).toBe('native');
  });

  it('ignores a tasks/ folder without tasks.json and an .aitrackdown folder without tickets/', async () => {
    const root = tempDir({ 'tasks/task_001.txt': '', '.aitrackdown/config.json': '{}' });
    expect(await detectLocations(root)).toEqual([]);
  });
});

describe('the location of a named folder', () => {
  it('means the .aitrackdown folder when given its tickets/ subfolder', async () => {
    const root = tempDir({ '.aitrackdown/tickets/task-1.json': '{}' });
    expect(await locationOf(join(root, '.aitrackdown', 'tickets'), root)).toMatchObject({ dir: '.aitrackdown', format: 'aitrackdown' });
  });

  it('knows task-master by its tasks.json wherever the folder is', async () => {
    const root = tempDir({ 'plans/tasks.json': '{"tasks": []}' });
    expect(await locationOf(join(root, 'plans'), root)).toMatchObject({ dir: 'plans', format: 'taskmaster', how: 'shape' });
  });

  it('uses the format it is given without looking', async () => {
    const root = tempDir({ 'x/a.json': native });
    expect(await locationOf(join(root, 'x'), root, 'ticketmanager')).toMatchObject({ format: 'ticketmanager', how: 'given' });
  });
});

describe('the shape of one file', () => {
  it.each([
    [{ tasks: [] }, 'taskmaster'],
    [{ master: { tasks: [] } }, 'taskmaster'],
    [{ id: 'a1', fiefdom: 'IP', notes: [] }, 'ticketmanager'],
    [{ id: 'task-1', tags: [], parent_epic: null }, 'aitrackdown'],
    [{ id: 'CLAUDE-1', title: 'x' }, 'ticketdata'],
    [{ id: 'BUG-0003', title: 'x' }, 'native'],
    [{ title: 'who knows' }, undefined],
    [[1, 2], undefined],
    [null, undefined],
  ])('reads %j as %s', (value, format) => {
    expect(shapeOf(value)).toBe(format);
  });
});

describe('the working copy root', () => {
  it('is the nearest folder above that holds .git', () => {
    const root = tempDir({ 'a/b/c/file': '' });
    mkdirSync(join(root, '.git'));
    expect(workingCopyRoot(join(root, 'a', 'b', 'c'))).toBe(root);
  });

  it('is the folder itself outside a git working copy', () => {
    const root = tempDir({ 'a/file': '' });
    expect(workingCopyRoot(join(root, 'a'))).toBe(join(root, 'a'));
  });
});
