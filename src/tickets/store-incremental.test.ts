import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW } from '../../test/support/files.js';
import { memoryFiles, type TicketFiles } from './files.js';
import { FORMATS } from './formats/index.js';
import { FORMAT_NAMES, type FormatName } from './formats/types.js';
import type { Comment } from './model.js';
import { StoreError, TicketStore } from './store.js';

type Command =
  | { op: 'title'; pick: number; title: string }
  | { op: 'status'; pick: number; status: 'open' | 'in_progress' | 'done' }
  | { op: 'comment'; pick: number; body: string }
  | { op: 'uncomment'; pick: number }
  | { op: 'delete'; pick: number }
  | { op: 'create'; title: string; id?: string }
  /** Someone else rewrites the ticket's file (a new title, or broken JSON), then the store changes that ticket. */
  | { op: 'meanwhile'; pick: number; broken: boolean };

const ORPHAN = 'orphan-1';

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('title' as const), pick: fc.nat(), title: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom('open' as const, 'in_progress' as const, 'done' as const) }),
  fc.record({ op: fc.constant('comment' as const), pick: fc.nat(), body: fc.string({ maxLength: 8 }) }),
  fc.record({ op: fc.constant('uncomment' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('meanwhile' as const), pick: fc.nat(), broken: fc.boolean() }),
  fc.record({ op: fc.constant('create' as const), title: fc.string({ minLength: 1, maxLength: 8 }), id: fc.option(fc.constant(ORPHAN), { nil: undefined }) }),
);

async function contents(files: TicketFiles): Promise<Map<string, Buffer>> {
  return new Map(await Promise.all((await files.list()).map(async (path) => [path, await files.read(path)] as const)));
}

/**
 * A location with tickets and, where the format allows, what makes
 * bookkeeping hard: two files claiming one id, a file with problems that
 * names an id, and an aitrackdown comment whose ticket is not there (yet).
 */
async function location(name: FormatName): Promise<Map<string, Buffer>> {
  const files = memoryFiles(new Map());
  const store = new TicketStore(files, FORMATS[name], () => FIXED_NOW);
  const comment = (id: string): Comment => ({ id, author: 'alice', body: `Body ${id}`, created_at: '2026-01-01T00:00:00Z' });
  for (const n of [1, 2, 3]) await store.create({ title: `Ticket ${n}`, comments: name === 'aitrackdown' && n < 3 ? [comment(`c${n}`)] : [] });
  if (name === 'aitrackdown') {
    await store.create({ id: ORPHAN, title: 'Orphan', comments: [comment('c9')] });
    await files.remove(`tickets/${ORPHAN}.json`);
    store.refresh();
  }
  const all = await contents(files);
  const [first] = (await store.snapshot()).tickets;
  const copy = first!.path.replace(/([^/]+)\.json$/, 'zz-copy-$1.json');
  const broken = first!.path.replace(/([^/]+)\.json$/, 'zz-broken.json');
  if (FORMATS[name].owns(copy)) all.set(copy, all.get(first!.path)!);
  if (FORMATS[name].owns(broken)) all.set(broken, Buffer.from('{"id": "broken-1", "title": 42}'));
  return all;
}

async function run(store: TicketStore, c: Command): Promise<void> {
  const tickets = (await store.snapshot()).tickets;
  const target = tickets.length === 0 || c.op === 'create' ? undefined : tickets[c.pick % tickets.length]!.ticket;
  try {
    if (c.op === 'create') await store.create({ title: c.title, ...(c.id ? { id: c.id } : {}) });
    else if (target === undefined) return;
    else if (c.op === 'delete') await store.delete(target.id);
    else if (c.op === 'title') await store.update(target.id, (t) => ({ ...t, title: c.title }));
    else if (c.op === 'status') await store.update(target.id, (t) => ({ ...t, status: c.status }));
    else if (c.op === 'meanwhile') {
      const loaded = tickets.find((t) => t.ticket.id === target.id)!;
      const text = (await store.files.read(loaded.path)).toString('utf8');
      await store.files.write(loaded.path, c.broken ? text.slice(0, -3) : text.replace(/"title": "/, '"title": "Retitled '));
      // A change whatever the file holds now: an update that writes nothing reads nothing either.
      await store.update(target.id, (t) => ({ ...t, status: t.status === 'done' ? 'open' : 'done' }));
    } else if (c.op === 'uncomment') await store.update(target.id, (t) => ({ ...t, comments: [] }));
    else {
      const added: Comment = { id: `n${Date.now()}${Math.random().toString(36).slice(2, 6)}`, author: 'bob', body: c.body, created_at: '2026-02-01T00:00:00Z' };
      await store.update(target.id, (t) => ({ ...t, comments: [...t.comments, added] }));
    }
  } catch (error) {
    if (error instanceof StoreError && c.op === 'meanwhile' && c.broken) return;
    // A refusal (an id taken, a format that cannot hold a change) is part of the story; it must change nothing.
    if (!(error instanceof StoreError)) throw error;
  }
}

describe('a store that keeps what it read', () => {
  it.each(FORMAT_NAMES)('holds after any series of its own %s writes exactly what a new store reads from the files', async (name) => {
    const initial = await location(name);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 8 }), async (commands) => {
        const files = memoryFiles(new Map(initial));
        const store = new TicketStore(files, FORMATS[name], () => FIXED_NOW);
        for (const c of commands) {
          await run(store, c);
          const fresh = await new TicketStore(memoryFiles(await contents(files)), FORMATS[name], () => FIXED_NOW).snapshot();
          expect(await store.snapshot()).toEqual(fresh);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('starts from files that exercise duplicates, problems and stray comments', async () => {
    const snapshots = await Promise.all(
      (['native', 'aitrackdown'] as const).map(async (name) => new TicketStore(memoryFiles(await location(name)), FORMATS[name]).snapshot()),
    );
    for (const snapshot of snapshots) {
      expect(snapshot.duplicateIds.size).toBe(1);
      expect(snapshot.invalidIds.get('broken-1')).toMatch(/zz-broken\.json$/);
    }
    expect([...snapshots[1]!.files.keys()].filter((p) => p.startsWith('comments/'))).toHaveLength(3);
  });
});
