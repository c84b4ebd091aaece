/** Temporary ticket locations and byte-level comparisons for tests. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixed clock for stores and formats under test. */
export const FIXED_NOW = new Date('2026-11-23T09:30:15.123Z');

const made: string[] = [];
afterEach(() => {
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A fresh folder holding `files` (path → content), removed after the test. */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'ticket-sync-test-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A copy of `test/fixtures/<name>` in a fresh folder, removed after the test. */
export function fixtureCopy(name: string): string {
  const root = tempDir();
  cpSync(join(FIXTURES, name), root, { recursive: true });
  return root;
}

export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function readBytes(root: string, path: string): Buffer {
  return readFileSync(join(root, path));
}

/**
 * Where two texts differ: the length of their common prefix and suffix, and
 * the differing middles. Used to show an edit touched only one value.
 */
export function difference(before: string, after: string): { start: number; before: string; after: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end++;
  }
  return { start, before: before.slice(start, before.length - end), after: after.slice(start, after.length - end) };
}
