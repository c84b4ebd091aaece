import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/files.js';
import { localFiles, memoryFiles } from './files.js';
import { StoreError } from './store-error.js';

async function refusal(run: () => Promise<unknown>): Promise<StoreError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

const ESCAPING = ['../outside.json', 'a/../../outside.json', '/etc/passwd', '..', '.', ''];

describe('files in memory', () => {
  it('list every file below the root in sorted order, skipping hidden segments', async () => {
    const files = memoryFiles(
      new Map<string, Buffer | string>([
        ['b.json', '{}'],
        ['a/z.json', '{}'],
        ['a/.hidden/x.json', '{}'],
        ['.tmp.json', '{}'],
        ['A.json', '{}'],
        ['a.json', '{}'],
        ['notes.txt', 'text'],
      ]),
    );
    expect(await files.list()).toEqual(['A.json', 'a.json', 'a/z.json', 'b.json', 'notes.txt']);
  });

  it('read back the bytes they were given, from a buffer or a string', async () => {
    const latin1 = Buffer.from([0x7b, 0xe9, 0x7d]);
    const files = memoryFiles(new Map<string, Buffer | string>([['latin1.json', latin1], ['text.json', '«ü» 🎫']]));
    expect((await files.read('latin1.json')).equals(latin1)).toBe(true);
    expect((await files.read('text.json')).equals(Buffer.from('«ü» 🎫', 'utf8'))).toBe(true);
    await expect(files.read('missing.json')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('show what is written and removed in list and read', async () => {
    const files = memoryFiles(new Map([['old.json', 'old']]));
    await files.write('new/ticket.json', 'new');
    await files.remove('old.json');
    expect(await files.list()).toEqual(['new/ticket.json']);
    expect((await files.read('new/ticket.json')).toString('utf8')).toBe('new');
  });

  it.each(ESCAPING)('refuse to write or remove %j, naming their root, and record nothing', async (path) => {
    const files = memoryFiles(new Map([['a.json', 'a']]), 'tickets');
    for (const error of [await refusal(() => files.write(path, 'x')), await refusal(() => files.remove(path))]) {
      expect([error.code, error.message]).toEqual(['unsafe-path', `refusing to write ${path}: it is outside tickets`]);
    }
    expect(() => files.assertInside(path)).toThrow(StoreError);
    expect(files.changes()).toEqual([]);
    expect(await files.list()).toEqual(['a.json']);
  });

  it('refuse initial files that escape the root', () => {
    expect(() => memoryFiles(new Map([['../outside.json', '{}']]))).toThrow(StoreError);
  });

  it('keep paths in their normal form, as a file system would', async () => {
    const files = memoryFiles(new Map());
    await files.write('./a/../b.json', 'b');
    expect(await files.list()).toEqual(['b.json']);
    expect(files.changes()).toEqual([{ path: 'b.json', text: 'b' }]);
  });

  it('record each changed path once, in the order of its last change, with that change winning', async () => {
    const files = memoryFiles(new Map([['a.json', 'a0'], ['c.json', 'c0'], ['d.json', 'd0']]));
    await files.write('a.json', 'a1');
    await files.write('b.json', 'b1');
    await files.remove('c.json');
    await files.write('a.json', 'a2');
    await files.remove('b.json');
    expect(files.changes()).toEqual([
      { path: 'c.json', text: null },
      { path: 'a.json', text: 'a2' },
      { path: 'b.json', text: null },
    ]);
  });
});

describe('files on disk', () => {
  it.each(ESCAPING)('refuse to write or remove %j even when asked directly', async (path) => {
    const parent = tempDir();
    const root = join(parent, 'tickets');
    mkdirSync(root);
    const files = localFiles(root);
    for (const error of [await refusal(() => files.write(path, 'x')), await refusal(() => files.remove(path))]) {
      expect([error.code, error.message]).toEqual(['unsafe-path', `refusing to write ${path}: it is outside ${root}`]);
    }
    expect(readdirSync(parent)).toEqual(['tickets']);
  });

  it('list nothing for a folder that does not exist', async () => {
    expect(await localFiles(join(tempDir(), 'missing')).list()).toEqual([]);
  });
});
