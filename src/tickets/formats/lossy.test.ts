import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW } from '../../../test/support/files.js';
import { applyOps } from '../../../test/support/format-fixture.js';
import { completeDraft, type Ticket } from '../model.js';
import { priorityOf, statusOf, typeOf } from '../vocabulary.js';
import { FORMATS } from './index.js';
import { holds, settleLossy, VALUES, type VocabularyView } from './lossy.js';
import type { LoadedTicket, TicketFormat, VocabularyField, WriteContext } from './types.js';

/** An in-memory location of one format. */
function location(format: TicketFormat) {
  const files = new Map<string, string>();
  const load = () => format.load([...files].map(([path, text]) => ({ path, text })));
  const ctx = (): WriteContext => ({ files, tickets: load().tickets, now: FIXED_NOW });
  const find = (id: string): LoadedTicket => load().tickets.find((t) => t.ticket.id === id)!;
  const create = (fields: Partial<Ticket>): LoadedTicket => {
    const draft = { title: 'A ticket', ...fields };
    const ticket = completeDraft(draft, format.newId(draft, ctx()));
    applyOps(files, format.create(ticket, ctx()));
    return find(ticket.id);
  };
  const update = (loaded: LoadedTicket, change: Partial<Ticket>): LoadedTicket => {
    applyOps(files, format.update(loaded, { ...loaded.ticket, ...change }, ctx()));
    return find(loaded.ticket.id);
  };
  /** Rewrite the file's word for `field` as a person would, in the record's own place. */
  const edit = (loaded: LoadedTicket, from: string, to: string): LoadedTicket => {
    files.set(loaded.path, files.get(loaded.path)!.replace(`"${from}"`, `"${to}"`));
    return find(loaded.ticket.id);
  };
  return { create, update, edit, find };
}

const view = (t: Ticket): VocabularyView => ({ status: t.status, priority: t.priority, type: t.type });

describe('settling a format’s words against the last synced values', () => {
  it('keeps a cancelled aitrackdown ticket cancelled while its file still says "closed", the word cancelled is written as', () => {
    const at = location(FORMATS.aitrackdown);
    const written = at.update(at.create({}), { status: 'cancelled' });
    expect([written.ticket.status, written.words?.status]).toEqual(['done', 'closed']);
    const base = { ...view(written.ticket), status: 'cancelled' as const };
    expect(settleLossy(view(written.ticket), base, written, FORMATS.aitrackdown).status).toBe('cancelled');
  });

  it('takes the file’s meaning once a person changes the word, even to another word of the same value', () => {
    const at = location(FORMATS.aitrackdown);
    const written = at.update(at.create({}), { status: 'cancelled' });
    const base = { ...view(written.ticket), status: 'cancelled' as const };
    const edited = at.edit(written, 'closed', 'done');
    expect(settleLossy(view(edited.ticket), base, edited, FORMATS.aitrackdown).status).toBe('done');
  });

  it('keeps a critical task-master task critical while the file says "high", and not once it says "low"', () => {
    const at = location(FORMATS.taskmaster);
    const written = at.update(at.create({}), { priority: 'critical' });
    expect(written.words?.priority).toBe('high');
    const base = { ...view(written.ticket), priority: 'critical' as const };
    expect(settleLossy(view(written.ticket), base, written, FORMATS.taskmaster).priority).toBe('critical');
    const edited = at.edit(written, 'high', 'low');
    expect(settleLossy(view(edited.ticket), base, edited, FORMATS.taskmaster).priority).toBe('low');
  });

  it('keeps any priority for a task-master subtask, which holds none, and says so', () => {
    const at = location(FORMATS.taskmaster);
    at.create({});
    const subtask = at.update(at.create({ parent: '1' }), { priority: 'low' });
    expect(subtask.words?.priority).toBeNull();
    expect(holds(FORMATS.taskmaster, subtask, 'priority')).toBe(false);
    expect(holds(FORMATS.taskmaster, subtask, 'status')).toBe(true);
    expect(holds(FORMATS.taskmaster, at.find('1'), 'priority')).toBe(true);
    for (const priority of VALUES.priority) {
      expect(settleLossy(view(subtask.ticket), { ...view(subtask.ticket), priority }, subtask, FORMATS.taskmaster).priority).toBe(priority);
    }
  });

  it('changes nothing without a base', () => {
    const at = location(FORMATS.aitrackdown);
    const written = at.update(at.create({}), { status: 'cancelled' });
    expect(settleLossy(view(written.ticket), undefined, written, FORMATS.aitrackdown)).toEqual(view(written.ticket));
  });

  it('reports the word a file already holds as the word for its own value, as writing keeps it', () => {
    const at = location(FORMATS.ticketdata);
    const written = at.edit(at.create({}), 'open', 'In Progress');
    expect(FORMATS.ticketdata.wordOf('status', 'in_progress', written)).toBe('In Progress');
    expect(FORMATS.ticketdata.wordOf('status', 'done', written)).toBe('resolved');
    expect(FORMATS.ticketdata.wordOf('status', 'cancelled', written)).toBe('closed');
  });
});

/** Every format, and for task-master its subtasks too. */
const PLACES: { format: TicketFormat; subtask: boolean }[] = [
  ...Object.values(FORMATS).map((format) => ({ format, subtask: false })),
  { format: FORMATS.taskmaster, subtask: true },
];

/** A vocabulary field and two of its values: the one a ticket starts with, the one written. */
const writes = fc
  .constantFrom<VocabularyField>('status', 'priority', 'type')
  .chain((field) => fc.tuple(fc.constant(field), fc.constantFrom(...(VALUES[field] as string[])), fc.constantFrom(...(VALUES[field] as string[]))));

describe('settling, for every format and every value', () => {
  it('gives back any value written into a ticket and read back, settled against that value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLACES), writes, ({ format, subtask }, [field, from, to]) => {
        const at = location(format);
        const parent = subtask ? { parent: at.create({}).ticket.id } : {};
        const start = at.create({ ...parent, [field]: from });
        const written = at.update(start, { [field]: to });
        const base = { ...view(written.ticket), [field]: to } as VocabularyView;
        expect(settleLossy(view(written.ticket), base, written, format)[field]).toBe(to);
      }),
      { numRuns: 300 },
    );
  });

  it('covers every value a format writes as a word that reads back as another', () => {
    const meaning = { status: statusOf, priority: priorityOf, type: typeOf };
    const lossy = (format: TicketFormat, field: VocabularyField) =>
      (VALUES[field] as string[]).filter((v) => meaning[field](format.wordOf(field, v as never) ?? '') !== v);
    expect(lossy(FORMATS.aitrackdown, 'status')).toEqual(['reopened', 'cancelled']);
    expect(lossy(FORMATS.ticketdata, 'status')).toEqual(['blocked', 'review', 'reopened', 'cancelled']);
    expect(lossy(FORMATS.ticketmanager, 'status')).toEqual(['blocked', 'review', 'reopened', 'cancelled']);
    expect(lossy(FORMATS.taskmaster, 'status')).toEqual(['reopened']);
    expect(lossy(FORMATS.taskmaster, 'priority')).toEqual(['critical']);
    for (const format of Object.values(FORMATS)) expect(lossy(format, 'type'), format.name).toEqual([]);
    expect(lossy(FORMATS.native, 'status')).toEqual([]);
  });
});
