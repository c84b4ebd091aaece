import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW, readText, tempDir } from '../../test/support/files.js';
import { localFiles } from './files.js';
import { FORMATS } from './formats/index.js';
import { TicketStore } from './store.js';

const ticketFile = (title: string) => JSON.stringify({ id: 'TSK-0001', type: 'task', title, status: 'open' }, null, 2) + '\n';

describe('a write that crashes before it is complete', () => {
  it('leaves the old file whole, shows no reader a part of the new one, and leaves no temporary file to list', async () => {
    const old = ticketFile('Old');
    const root = tempDir({ 'TSK-0001.json': old });
    const seen: string[] = [];
    const listed: string[][] = [];
    let crashes = 0;
    // The new content is written and flushed; the process dies before it replaces the old file.
    const files = localFiles(root, {
      async rename(from) {
        crashes++;
        expect(readFileSync(from, 'utf8')).toContain('x'.repeat(1000));
        seen.push(readText(root, 'TSK-0001.json'));
        listed.push(await files.list());
        throw new Error('killed between write and rename');
      },
    });
    const store = new TicketStore(files, FORMATS.native, () => FIXED_NOW);
    await expect(store.update('TSK-0001', (t) => ({ ...t, description: 'x'.repeat(1_000_000) }))).rejects.toThrow('killed');

    expect(crashes).toBe(1);
    expect(seen).toEqual([old]);
    expect(listed).toEqual([['TSK-0001.json']]);
    expect(readText(root, 'TSK-0001.json')).toBe(old);
    expect(readdirSync(root)).toEqual(['TSK-0001.json']);
    const reread = await new TicketStore(localFiles(root), FORMATS.native).snapshot();
    expect([reread.problems, reread.tickets.map((t) => t.ticket.title)]).toEqual([[], ['Old']]);
    // The store did not take the write for done.
    expect((await store.get('TSK-0001'))!.description).toBe('');
  });

  it('leaves a new file absent, not empty', async () => {
    const root = tempDir();
    const files = localFiles(root, {
      rename: () => Promise.reject(new Error('killed between write and rename')),
    });
    await expect(new TicketStore(files, FORMATS.native, () => FIXED_NOW).create({ title: 'New' })).rejects.toThrow('killed');
    expect(readdirSync(root)).toEqual([]);
    expect(await files.list()).toEqual([]);
  });

  it('is visible whole once the rename is done', async () => {
    const root = tempDir({ 'TSK-0001.json': ticketFile('Old') });
    await new TicketStore(localFiles(root), FORMATS.native, () => FIXED_NOW).update('TSK-0001', (t) => ({ ...t, title: 'New' }));
    expect(JSON.parse(readFileSync(join(root, 'TSK-0001.json'), 'utf8'))).toMatchObject({ title: 'New' });
    expect(readdirSync(root)).toEqual(['TSK-0001.json']);
  });
});
