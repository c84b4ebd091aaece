import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/tickets/formats/index.js';
import { PRIORITY_WORDS, STATUS_WORDS, STATUSES, TYPE_WORDS } from '../src/tickets/vocabulary.js';
import { FIXED_NOW, tempDir } from './support/files.js';
import { TicketStore } from '../src/tickets/store.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The rows of the README table whose header starts with `header`: first cell → the rest. */
function table(header: string): Map<string, string[]> {
  const start = readme.indexOf(`| ${header}`);
  expect(start, `README has a table headed "${header}"`).toBeGreaterThanOrEqual(0);
  const rows = readme.slice(start).split('\n').slice(2);
  const result = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    result.set(cells[0]!.replace(/`/g, ''), cells.slice(1));
  }
  return result;
}

const words = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('README', () => {
  it('lists exactly the status words the code knows, under the status they mean', () => {
    const rows = table('canonical | words read as it');
    expect([...rows.keys()]).toEqual([...STATUSES]);
    for (const [status, [cell]] of rows) {
      const expected = Object.entries(STATUS_WORDS).filter(([, v]) => v.status === status).map(([w]) => w);
      expect(words(cell!)).toEqual(expected);
    }
  });

  it('lists exactly the priority and type words the code knows', () => {
    for (const [header, vocabulary] of [
      ['canonical priority', PRIORITY_WORDS],
      ['canonical type', TYPE_WORDS],
    ] as const) {
      for (const [value, [cell]] of table(header)) {
        const expected = Object.entries(vocabulary).filter(([, v]) => v === value).map(([w]) => w);
        expect(words(cell!)).toEqual(expected);
      }
    }
  });

  it('shows the word each format really writes for each status', async () => {
    const rows = table('canonical | native | TicketData');
    const columns = ['native', 'ticketdata', 'ticketmanager', 'aitrackdown', 'taskmaster'] as const;
    for (const status of STATUSES) {
      for (const [index, name] of columns.entries()) {
        const root = tempDir();
        const store = new TicketStore(root, FORMATS[name], () => FIXED_NOW);
        // Create with a different status, then change it: the word written is the format's own.
        const created = await store.create({ title: 'x', status: status === 'open' ? 'done' : 'open' });
        await store.update(created.id, (t) => ({ ...t, status }));
        const files = (await store.snapshot()).files;
        const text = [...files.values()].join('\n');
        const written = /"status": "([^"]+)"/.exec(text)![1];
        expect(`${name} ${status} → ${written}`).toBe(`${name} ${status} → ${words(rows.get(status)![index]!)[0]}`);
      }
    }
  });

  it('names the test command that CI runs', () => {
    const ci = readFileSync(join(import.meta.dirname, '..', '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm test\b/m);
  });
});
