/**
 * A file ticket-sync writes is one it reads back: whatever a ticket's or a
 * comment's id (they may come from GitHub), the file named after it is
 * listed, read and mapped back to the same ticket and comment, on disk and
 * in memory alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW, tempDir } from '../../test/support/files.js';
import { localFiles, memoryFiles, type TicketFiles } from './files.js';
import { NAME_LIMIT } from './safe-name.js';
import { FORMATS } from './formats/index.js';
import type { FormatName } from './formats/types.js';
import { idProblem, type Comment } from './model.js';
import { StoreError, TicketStore } from './store.js';

const FILE_FORMATS = ['native', 'ticketdata', 'ticketmanager', 'aitrackdown'] as const satisfies readonly FormatName[];
const onDisk = (): TicketFiles => localFiles(tempDir());
const inMemory = (): TicketFiles => memoryFiles(new Map());
const PLACES = [
  ['on disk', onDisk],
  ['in memory', inMemory],
] as const;

const note = (id: string): Comment => ({ id, author: 'octocat', body: `Comment ${id}`, created_at: '2026-11-23T09:30:00Z' });

/** The tickets and comments a fresh store over the same files reads: id → comment ids. */
async function readBack(files: TicketFiles, format: FormatName): Promise<Map<string, string[]>> {
  const snapshot = await new TicketStore(files, FORMATS[format], () => FIXED_NOW).snapshot();
  expect(snapshot.problems).toEqual([]);
  return new Map(snapshot.tickets.map((t) => [t.ticket.id, t.ticket.comments.map((c) => c.id).sort()]));
}

describe('files named after ids', () => {
  for (const [place, files] of PLACES) {
    it(`reads back an aitrackdown comment whose id starts with a dot, ${place}`, async () => {
      const location = files();
      const store = new TicketStore(location, FORMATS.aitrackdown, () => FIXED_NOW);
      await store.create({ id: 'task-1', title: 'One' });
      await store.update('task-1', (t) => ({ ...t, comments: [note('.hidden'), note('..x'), note('gh-7')] }));
      expect(await readBack(location, 'aitrackdown')).toEqual(new Map([['task-1', ['..x', '.hidden', 'gh-7']]]));
    });

    for (const format of FILE_FORMATS) {
      it(`reads back a ticket of ${format} whose id starts with a dot or names a device, ${place}`, async () => {
        const location = files();
        const store = new TicketStore(location, FORMATS[format], () => FIXED_NOW);
        for (const id of ['.env', 'CON', 'nul.txt', 'a:b?', 'x'.repeat(200)]) await store.create({ id, title: id });
        expect([...(await readBack(location, format)).keys()].sort()).toEqual(['.env', 'CON', 'a:b?', 'nul.txt', 'x'.repeat(200)]);
      });
    }
  }
});

/** Ids of every kind: any unicode, dots, separators, device names, lengths beyond a name's limit, names that differ in case only. */
const anyId = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.array(fc.constantFrom('.', '..', '/', '\\', 'CON', 'nul', 'Com1', 'lpt9', 'a', 'A', ':', '?', '*', '"', '|', '<', '😀', 'é', '-', ' ', '\u0007', '~'), { maxLength: 6 }).map((p) => p.join('')),
  fc.constantFrom('.env', 'TSK-1', 'tsk-1', 'x'.repeat(150), '😀'.repeat(60), 'é'.repeat(150), 'gh-5'),
);

/** Whether a file name is one every common file system stores as it is and a store lists. */
function portable(path: string): boolean {
  return path.split('/').every((segment) => {
    const name = segment.replace(/\.json$/, '');
    return (
      !segment.startsWith('.') &&
      !/[\\?*:<>|"\p{Cc}\u2028\u2029]/u.test(segment) &&
      !/^(con|prn|aux|nul|com\d|lpt\d)( *\.|$)/i.test(segment) &&
      name.length <= NAME_LIMIT + 3 &&
      Buffer.byteLength(segment) < 255
    );
  });
}

describe('files named after any id', () => {
  for (const [place, files] of PLACES) {
    for (const format of FILE_FORMATS) {
      it(`writes every ticket of ${format} and its comments, whatever their ids, to portable files it reads back, ${place}`, async () => {
        const comments = format === 'aitrackdown' ? fc.uniqueArray(anyId.filter((id) => idProblem(id) === undefined), { maxLength: 3 }) : fc.constant<string[]>([]);
        const tickets = fc.uniqueArray(fc.record({ id: anyId, comments }), { selector: (t) => t.id, maxLength: 4 });
        await fc.assert(
          fc.asyncProperty(tickets, async (drafts) => {
            const location = files();
            const store = new TicketStore(location, FORMATS[format], () => FIXED_NOW);
            const expected = new Map<string, string[]>();
            for (const draft of drafts) {
              const created = store.create({ id: draft.id, title: 'T', comments: draft.comments.map(note) });
              if (idProblem(draft.id) === undefined) {
                await created;
                expected.set(draft.id, [...draft.comments].sort());
              } else await expect(created).rejects.toMatchObject({ code: 'unsafe-id' } satisfies Partial<StoreError>);
            }
            expect(await readBack(location, format)).toEqual(expected);
            const written = await location.list();
            expect(written.filter((path) => !portable(path))).toEqual([]);
            expect(new Set(written.map((path) => path.toLowerCase())).size).toBe(written.length);
          }),
          { numRuns: place === 'on disk' ? 20 : 60 },
        );
      });
    }
  }
});
