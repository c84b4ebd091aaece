import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW, readText, tempDir } from '../../test/support/files.js';
import { memoryFiles, type TicketFiles } from './files.js';
import { FORMATS } from './formats/index.js';
import type { SourceFile, TicketFormat } from './formats/types.js';
import { TicketStore } from './store.js';

function ticketFile(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, status: 'open', ...extra }, null, 2) + '\n';
}

const tsk = (n: number) => `TSK-${String(n).padStart(4, '0')}`;

/** Files that count how often each path is read. */
function counted(files: TicketFiles): { files: TicketFiles; reads: Map<string, number>; total: () => number } {
  const reads = new Map<string, number>();
  const wrapped: TicketFiles = {
    root: files.root,
    list: () => files.list(),
    read: (path) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return files.read(path);
    },
    assertInside: (path) => files.assertInside(path),
    write: (path, text) => files.write(path, text),
    remove: (path) => files.remove(path),
  };
  return { files: wrapped, reads, total: () => [...reads.values()].reduce((a, b) => a + b, 0) };
}

/** A format that records the files each `load` parses. */
function parsing(format: TicketFormat): { format: TicketFormat; parsed: string[][] } {
  const parsed: string[][] = [];
  return {
    parsed,
    format: {
      ...format,
      load(files: readonly SourceFile[]) {
        parsed.push(files.map((f) => f.path));
        return format.load(files);
      },
    },
  };
}

describe('a store writing many tickets', () => {
  it('reads each file once for its snapshot, then per update only the file that update writes', async () => {
    const initial = new Map<string, string>();
    for (let n = 1; n <= 1000; n++) initial.set(`${tsk(n)}.json`, ticketFile(tsk(n)));
    const { files, reads, total } = counted(memoryFiles(initial));
    const { format, parsed } = parsing(FORMATS.native);
    const store = new TicketStore(files, format, () => FIXED_NOW);

    expect((await store.snapshot()).tickets).toHaveLength(1000);
    expect(total()).toBe(1000);
    expect(parsed.flat()).toHaveLength(1000);

    for (let n = 1; n <= 1000; n++) await store.update(tsk(n), (t) => ({ ...t, status: 'done' }));
    // One read per update: the written file, checked for changes made by others since the snapshot.
    expect(total()).toBe(2000);
    expect([...reads.values()].every((count) => count === 2)).toBe(true);
    // And one file parsed per update: the one it wrote.
    expect(parsed.slice(1).map((paths) => paths.length)).toEqual(new Array(1000).fill(1));
    const snapshot = await store.snapshot();
    expect(total()).toBe(2000);
    expect(snapshot.tickets.every((t) => t.ticket.status === 'done')).toBe(true);
  });

  it('reads and parses nothing for an update that changes nothing', async () => {
    const { files, total } = counted(memoryFiles(new Map([['TSK-0001.json', ticketFile('TSK-0001')]])));
    const { format, parsed } = parsing(FORMATS.native);
    const store = new TicketStore(files, format, () => FIXED_NOW);
    await store.update('TSK-0001', (t) => t);
    expect([total(), parsed.length]).toEqual([1, 1]);
  });

  it('parses again for a task-master update only tasks.json, the one file that holds every task', async () => {
    const setup = new TicketStore(memoryFiles(new Map()), FORMATS.taskmaster, () => FIXED_NOW);
    for (let n = 0; n < 20; n++) await setup.create({ title: `Task ${n}` });
    const tasks = (await setup.files.read('tasks.json')).toString('utf8');
    const { files, total } = counted(memoryFiles(new Map([['tasks.json', tasks]])));
    const { format, parsed } = parsing(FORMATS.taskmaster);
    const store = new TicketStore(files, format, () => FIXED_NOW);
    const ids = (await store.list()).map((t) => t.id);
    for (const id of ids) await store.update(id, (t) => ({ ...t, status: 'done' }));
    expect(total()).toBe(1 + ids.length);
    expect(parsed).toEqual(new Array(1 + ids.length).fill(['tasks.json']));
    expect((await store.list()).map((t) => t.status)).toEqual(new Array(20).fill('done'));
  });

  it('parses again for an aitrackdown update the ticket file with its comment files, and no other ticket', async () => {
    const setup = new TicketStore(memoryFiles(new Map()), FORMATS.aitrackdown, () => FIXED_NOW);
    const comment = { id: 'c1', author: 'alice', body: 'First', created_at: '2026-01-01T00:00:00Z' };
    const [first, second] = [await setup.create({ title: 'One', comments: [comment] }), await setup.create({ title: 'Two' })];
    const initial = new Map<string, string>();
    for (const path of await setup.files.list()) initial.set(path, (await setup.files.read(path)).toString('utf8'));
    const { format, parsed } = parsing(FORMATS.aitrackdown);
    const store = new TicketStore(memoryFiles(initial), format, () => FIXED_NOW);
    await store.snapshot();
    const added = { id: 'c2', author: 'bob', body: 'Second', created_at: '2026-01-02T00:00:00Z' };
    await store.update(first.id, (t) => ({ ...t, comments: [...t.comments, added] }));
    const reparsed = parsed.at(-1)!;
    expect(reparsed).toContain(`tickets/${first.id}.json`);
    expect(reparsed.filter((p) => p.startsWith('comments/'))).toHaveLength(2);
    expect(reparsed).not.toContain(`tickets/${second.id}.json`);
    expect((await store.get(first.id))!.comments.map((c) => c.body)).toEqual(['First', 'Second']);
  });
});

describe('files changed by someone else', () => {
  it('are not seen by a snapshot until the store is refreshed', async () => {
    const root = tempDir({ 'TSK-0001.json': ticketFile('TSK-0001') });
    const store = new TicketStore(root, FORMATS.native, () => FIXED_NOW);
    expect((await store.list()).map((t) => t.id)).toEqual(['TSK-0001']);
    writeFileSync(join(root, 'TSK-0002.json'), ticketFile('TSK-0002'));
    expect((await store.list()).map((t) => t.id)).toEqual(['TSK-0001']);
    store.refresh();
    expect((await store.list()).map((t) => t.id)).toEqual(['TSK-0001', 'TSK-0002']);
  });

  it('are kept by an update: the ticket is changed from what its file holds now', async () => {
    const root = tempDir({ 'TSK-0001.json': ticketFile('TSK-0001') });
    const store = new TicketStore(root, FORMATS.native, () => FIXED_NOW);
    await store.snapshot();
    writeFileSync(join(root, 'TSK-0001.json'), ticketFile('TSK-0001', { title: 'Renamed by hand' }));
    const updated = await store.update('TSK-0001', (t) => ({ ...t, status: 'done' }));
    expect(updated).toMatchObject({ title: 'Renamed by hand', status: 'done' });
    expect(JSON.parse(readText(root, 'TSK-0001.json'))).toMatchObject({ title: 'Renamed by hand', status: 'done' });
  });

  it('are never overwritten by a new ticket: it takes the next free id instead', async () => {
    const root = tempDir({ 'TSK-0001.json': ticketFile('TSK-0001') });
    const store = new TicketStore(root, FORMATS.native, () => FIXED_NOW);
    await store.snapshot();
    writeFileSync(join(root, 'TSK-0002.json'), ticketFile('TSK-0002', { title: 'Made by hand' }));
    expect((await store.create({ title: 'Made by the store' })).id).toBe('TSK-0003');
    expect(JSON.parse(readText(root, 'TSK-0002.json'))).toMatchObject({ title: 'Made by hand' });
    expect((await store.list()).map((t) => t.title)).toEqual(['Ticket TSK-0001', 'Made by hand', 'Made by the store']);
  });

  it('that break a ticket stop its update, and the broken file is left as it is', async () => {
    const root = tempDir({ 'TSK-0001.json': ticketFile('TSK-0001') });
    const store = new TicketStore(root, FORMATS.native, () => FIXED_NOW);
    await store.snapshot();
    writeFileSync(join(root, 'TSK-0001.json'), '{"id": "TSK-0001", "title": 42}');
    await expect(store.update('TSK-0001', (t) => ({ ...t, status: 'done' }))).rejects.toMatchObject({ code: 'invalid-file' });
    expect(readText(root, 'TSK-0001.json')).toBe('{"id": "TSK-0001", "title": 42}');
    expect((await store.snapshot()).problems.map((p) => [p.path, p.code])).toEqual([['TSK-0001.json', 'schema']]);
  });
});
