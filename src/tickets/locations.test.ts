import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/files.js';
import { detectLocations, formatByShape, guessFormat, locateTickets, locationOf, SHAPE_SAMPLE, shapeOf, workingCopyRoot, type ReadSome } from './locations.js';

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

/** A reader of files held in memory that records what it was asked for. */
function reader(files: Record<string, string>): { readSome: ReadSome; asked: string[][] } {
  const asked: string[][] = [];
  const readSome: ReadSome = async (paths) => {
    asked.push(paths);
    return new Map(paths.map((p) => [p, files[p] === undefined ? null : Buffer.from(files[p]!)]));
  };
  return { readSome, asked };
}

describe('guessing a format from some files', () => {
  it('lets the first sample of JSON files vote, in code-unit order, and reads no more than the sample', async () => {
    const files: Record<string, string> = { 'notes.txt': 'x' };
    for (let n = 0; n < SHAPE_SAMPLE; n++) files[`a${String(n).padStart(3, '0')}.json`] = ticketData;
    for (let n = 0; n < 30; n++) files[`b${n}.json`] = native;
    const { readSome, asked } = reader(files);
    expect(await guessFormat(Object.keys(files).reverse(), readSome)).toBe('ticketdata');
    expect(asked).toEqual([Object.keys(files).filter((p) => p.startsWith('a')).sort()]);
  });

  it('gives a tie to the format voted for first, and skips files it cannot read or parse', async () => {
    const { readSome } = reader({ 'a.json': native, 'b.json': ticketData, 'c.json': '{broken', 'e.json': ticketData });
    expect(await guessFormat(['a.json', 'b.json', 'c.json', 'd.json'], readSome)).toBe('native');
    expect(await guessFormat(['a.json', 'b.json', 'c.json', 'd.json', 'e.json'], readSome)).toBe('ticketdata');
  });

  it('takes no files, or none of a known shape, as our own format without reading', async () => {
    const { readSome, asked } = reader({ 'x.json': '{"title": "who knows"}' });
    expect(await guessFormat(['x.txt'], readSome)).toBe('native');
    expect(asked).toEqual([]);
    expect(await guessFormat(['x.json'], readSome)).toBe('native');
  });
});

describe('locating the tickets of a repository from its paths', () => {
  const none = { tickets: {} };

  it('finds the first known location present, in the fixed order', async () => {
    const { readSome, asked } = reader({});
    const paths = ['.claude-pm/tickets/CLAUDE-1.json', '.aitrackdown/tickets/task-1.json', 'tickets/TSK-0001.json'];
    expect(await locateTickets(paths, none, readSome)).toEqual({ dir: '.aitrackdown', format: 'aitrackdown' });
    expect(await locateTickets(['tasks/tasks.json', 'tickets/a.json'], none, readSome)).toEqual({ dir: 'tasks', format: 'taskmaster' });
    expect(asked).toEqual([]);
  });

  it('skips a location without the file or folder it must hold', async () => {
    const { readSome } = reader({});
    expect(await locateTickets(['tasks/task_001.txt', '.aitrackdown/config.json'], none, readSome)).toBeUndefined();
  });

  it('tells the format of tickets/ by the shape of its files, leaving hidden ones and other folders out', async () => {
    const files = { 'tickets/a.json': ticketData, 'tickets/.old/b.json': native, 'tickets/.old/c.json': native, 'other/d.json': native };
    const { readSome, asked } = reader(files);
    expect(await locateTickets(Object.keys(files), none, readSome)).toEqual({ dir: 'tickets', format: 'ticketdata' });
    expect(asked).toEqual([['tickets/a.json']]);
  });

  it('takes the configured folder and format, reading nothing when the format is given or known', async () => {
    const { readSome, asked } = reader({ 'plans/a.json': ticketData });
    expect(await locateTickets([], { tickets: { path: 'plans/', format: 'native' } }, readSome)).toEqual({ dir: 'plans', format: 'native' });
    expect(await locateTickets([], { tickets: { path: '.claude-pm/tickets' } }, readSome)).toEqual({ dir: '.claude-pm/tickets', format: 'ticketdata' });
    expect(asked).toEqual([]);
    expect(await locateTickets(['plans/a.json'], { tickets: { path: 'plans' } }, readSome)).toEqual({ dir: 'plans', format: 'ticketdata' });
    expect(await locateTickets(['tickets/a.json'], { tickets: { format: 'ticketmanager' } }, readSome)).toEqual({ dir: 'tickets', format: 'ticketmanager' });
  });

  it('decides as the folder on disk does, for the same files', async () => {
    const files = { 'tickets/a.json': native, 'tickets/b.json': ticketData, 'tickets/c.json': native, 'tickets/x/d.json': ticketData, 'tickets/x/e.json': ticketData };
    const { readSome } = reader(files);
    const onDisk = await formatByShape(join(tempDir(files), 'tickets'));
    expect(onDisk).toBe('ticketdata');
    expect(await locateTickets(Object.keys(files), none, readSome)).toEqual({ dir: 'tickets', format: onDisk });
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
