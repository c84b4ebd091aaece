/** File names from ids: a safe id is its own name; any other is made safe, and keeps apart from every other id's name. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeFilePath, NAME_LIMIT, safeFileName, takenPaths } from './safe-name.js';

const HASHED = /~[0-9a-f]{8}$/;

describe('safeFileName', () => {
  it('names a file after an id that is already safe as the id itself', () => {
    for (const id of ['TSK-0001', 'CLAUDE-20250721120000', 'a1b2c3d4', 'task-20250301091512654321', 'gh-42', 'c1', '7.2', 'Zoë', 'a.', 'CONSOLE', 'com10']) {
      expect(safeFileName(id)).toBe(id);
    }
  });

  it('never names a file with a leading dot, a separator, a character Windows refuses or a control character', () => {
    for (const id of ['.env', '..', 'a/b', 'a\\b', 'a?b', 'a*b', 'a:b', 'a<b>', 'a|b', 'a"b', 'a\u0007b', 'a\u2028b', 'a\ud800b', '']) {
      const name = safeFileName(id);
      expect(name, id).toMatch(HASHED);
      expect(name, id).not.toMatch(/^\.|[/\\?*:<>|"\p{Cc}\u2028\ud800]/u);
    }
  });

  it('never names a file after a device, in any case, with or without an extension', () => {
    for (const id of ['CON', 'con', 'Prn', 'AUX', 'nul.txt', 'COM1', 'com9.json', 'LPT1', 'lpt9 .x', 'COM¹']) {
      expect(safeFileName(id), id).toMatch(/^_/);
    }
  });

  it('cuts a long id to a bounded name, keeping ids that share a start apart', () => {
    const a = safeFileName('x'.repeat(150) + 'a');
    const b = safeFileName('x'.repeat(150) + 'b');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(NAME_LIMIT);
    const wide = safeFileName('😀'.repeat(70));
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(200);
    expect(wide.replace(HASHED, '')).toBe('😀'.repeat(45));
  });

  it('gives different ids different names, and every name stays within its limits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), (a, b) => {
        const name = safeFileName(a);
        expect(name.length).toBeLessThanOrEqual(NAME_LIMIT);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
        expect(name).not.toMatch(/^\.|^$/);
        if (a !== b) expect(safeFileName(b)).not.toBe(name);
      }),
    );
  });
});

describe('freeFilePath', () => {
  it('takes the next free path when a file of that name exists in any case', () => {
    const taken = takenPaths(['comments/C1.json']);
    expect(freeFilePath('comments/', 'c1', taken)).toBe('comments/c1-2.json');
    expect(freeFilePath('comments/', 'c1', taken)).toBe('comments/c1-3.json');
    expect(freeFilePath('', '.env', taken)).toMatch(/^_env~[0-9a-f]{8}\.json$/);
  });
});
