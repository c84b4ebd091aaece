/** What the format tests share: a fixture folder read through a format's store, and text helpers. */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { expect } from 'vitest';
import type { Ticket } from '../../src/tickets/model.js';
import type { TicketFormat, WriteContext } from '../../src/tickets/formats/types.js';
import { TicketStore, type StoreSnapshot } from '../../src/tickets/store.js';
import { FIXED_NOW, FIXTURES, fixtureCopy, readBytes, readText } from './files.js';

/** Line and column (1-based) where `snippet` starts in `text`, the byte-order mark left out. */
export function positionOf(text: string, snippet: string): { line: number; column: number } {
  const body = text.replace(/^\uFEFF/, '');
  const offset = body.indexOf(snippet);
  if (offset < 0 || body.includes(snippet, offset + 1)) throw new Error(`${snippet} is not in the text exactly once`);
  const lines = body.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** `text` with each `[old, new]` pair replaced; every `old` must be there exactly once. */
export function replaced(text: string, pairs: readonly (readonly [string, string])[]): string {
  let result = text;
  for (const [old, next] of pairs) {
    const at = result.indexOf(old);
    if (at < 0 || result.includes(old, at + 1)) throw new Error(`${JSON.stringify(old)} is not in the file exactly once`);
    result = result.slice(0, at) + next + result.slice(at + old.length);
  }
  return result;
}

/** The fixture folder `fixture` (under test/fixtures) read and changed through `format`. */
export function formatFixture(fixture: string, format: TicketFormat) {
  const FIXTURE_FILES = (readdirSync(join(FIXTURES, fixture), { recursive: true }) as string[])
    .map((path) => path.split(sep).join('/'))
    .filter((path) => path.endsWith('.json'))
    .sort();
  const storeAt = (root: string) => new TicketStore(root, format, () => FIXED_NOW);
  const contextOf = (snapshot: StoreSnapshot): WriteContext => ({ files: snapshot.files, tickets: snapshot.tickets, now: FIXED_NOW });
  const bytesOf = (root: string) => new Map(FIXTURE_FILES.map((path) => [path, readBytes(root, path)]));

  /** Change one ticket of a fixture copy through the store; the other files must keep their bytes. */
  async function changed(file: string, change: (ticket: Ticket) => Ticket) {
    const root = fixtureCopy(fixture);
    const store = storeAt(root);
    const others = bytesOf(root);
    const before = readText(root, file);
    const id = (await store.snapshot()).tickets.find((t) => t.path === file)!.ticket.id;
    const given = await store.update(id, change);
    for (const [path, bytes] of bytesOf(root)) {
      if (path !== file) expect(bytes.equals(others.get(path)!), `${path} changed`).toBe(true);
    }
    return { before, after: readText(root, file), given, readBack: await store.get(id), bytes: readBytes(root, file) };
  }

  return { FIXTURE_FILES, storeAt, contextOf, bytesOf, changed };
}
