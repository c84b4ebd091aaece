/** What the format tests share: a fixture folder read through a format's store, and text helpers. */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comment, Ticket } from '../../src/tickets/model.js';
import type { FileOp, LoadedTicket, TicketFormat, WriteContext } from '../../src/tickets/formats/types.js';
import { settleLossy } from '../../src/tickets/formats/lossy.js';
import { priorityOf, statusOf, typeOf } from '../../src/tickets/vocabulary.js';
import { TicketStore, type StoreSnapshot } from '../../src/tickets/store.js';
import { JS_ISO, PYTHON_ISO } from '../../src/tickets/formats/timestamps.js';
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

/** One change the property tests apply to a ticket. */
export type Change =
  | { set: 'title' | 'description' | 'created_at' | 'updated_at'; value: string | undefined }
  | { set: 'status'; value: Ticket['status'] }
  | { set: 'priority'; value: Ticket['priority'] }
  | { set: 'type'; value: Ticket['type'] }
  | { set: 'assignees' | 'labels' | 'dependencies'; value: string[] }
  | { set: 'parent'; value: string | undefined }
  | { set: 'github'; value: Ticket['github'] }
  | { set: 'format_fields'; value: Record<string, unknown> }
  | { metadata: string; value: unknown }
  | { comment: 'add'; value: Comment }
  | { comment: 'edit'; at: number; body: string; updated_at: string | undefined }
  | { comment: 'delete'; at: number }
  | { comment: 'reverse' };

/** A ticket with one change applied. */
export function applyChange(ticket: Ticket, c: Change): Ticket {
  const t = structuredClone(ticket);
  if ('set' in c) return { ...t, [c.set]: c.value };
  if ('metadata' in c) {
    const { [c.metadata]: _old, ...rest } = t.metadata;
    return { ...t, metadata: c.value === undefined ? rest : { ...t.metadata, [c.metadata]: c.value } };
  }
  const comments = t.comments;
  if (c.comment === 'add') {
    return comments.some((x) => x.id === c.value.id) ? t : { ...t, comments: [...comments, c.value] };
  }
  if (c.comment === 'reverse') return { ...t, comments: [...comments].reverse() };
  if (comments.length === 0) return t;
  const at = c.at % comments.length;
  if (c.comment === 'delete') return { ...t, comments: comments.filter((_, i) => i !== at) };
  const { updated_at: _u, ...edited } = comments[at]!;
  const next: Comment = c.updated_at === undefined ? { ...edited, body: c.body } : { ...edited, body: c.body, updated_at: c.updated_at };
  return { ...t, comments: comments.map((x, i) => (i === at ? next : x)) };
}

/** Carry out file operations on an in-memory map of files. */
export function applyOps(files: Map<string, string>, ops: FileOp[]): void {
  for (const op of ops) {
    if (op.op === 'write') files.set(op.path, op.text);
    else files.delete(op.path);
  }
}

/** One change people make to a ticket's comments, for the property tests. */
export type CommentOp = { add: Comment } | { edit: number; author?: string; body?: string; created_at?: string; updated_at?: string | null } | { remove: number };

/** Comments as people change them: new ones at the end, old ones edited in place or removed. */
export function applyCommentOps(comments: Comment[], ops: CommentOp[]): Comment[] {
  let result = [...comments];
  for (const op of ops) {
    if ('add' in op) {
      if (!result.some((c) => c.id === op.add.id)) result.push(op.add);
    } else if (result.length === 0) {
      continue;
    } else if ('remove' in op) {
      result.splice(op.remove % result.length, 1);
    } else {
      const index = op.edit % result.length;
      const { edit: _, updated_at, ...changes } = op;
      const edited: Comment = { ...result[index]!, ...changes };
      if (updated_at === null) delete edited.updated_at;
      else if (updated_at !== undefined) edited.updated_at = updated_at;
      result[index] = edited;
    }
  }
  return result;
}

/** The update time a format writes for `FIXED_NOW`, in the style of its tool. */
export function stampOf(format: TicketFormat): string {
  return (format.name === 'native' || format.name === 'taskmaster' ? JS_ISO : PYTHON_ISO).format(FIXED_NOW);
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

  /**
   * Change one ticket of a fixture copy through the store; the other files must keep their bytes.
   * A change that leaves the update time alone moves it to the stamp of `FIXED_NOW` in the
   * format's style, as the format's tool does; that is checked here, and then undone through the
   * format (into `after`, `bytes` and `readBack`), so a test sees only the change it made.
   * `stampedAfter` is the file as written.
   */
  async function changed(file: string, change: (ticket: Ticket) => Ticket) {
    const root = fixtureCopy(fixture);
    const store = storeAt(root);
    const others = bytesOf(root);
    const before = readText(root, file);
    const loaded = (await store.snapshot()).tickets.find((t) => t.path === file)!;
    const id = loaded.ticket.id;
    const given = await store.update(id, change);
    for (const [path, bytes] of bytesOf(root)) {
      if (path !== file) expect(bytes.equals(others.get(path)!), `${path} changed`).toBe(true);
    }
    const stampedAfter = readText(root, file);
    let readBack = await storeAt(root).get(id);
    let after = stampedAfter;
    if (given.updated_at === loaded.ticket.updated_at && stampedAfter !== before) {
      expect(readBack?.updated_at, 'the update time moves to now').toBe(stampOf(format));
      const snapshot = await storeAt(root).snapshot();
      const now = snapshot.tickets.find((t) => t.ticket.id === id)!;
      const files = new Map(snapshot.files);
      applyOps(files, format.update(now, { ...now.ticket, updated_at: given.updated_at }, contextOf(snapshot)));
      after = files.get(file)!;
      readBack = readBack === undefined ? undefined : { ...readBack, updated_at: given.updated_at };
      if (readBack?.updated_at === undefined) delete readBack?.updated_at;
    }
    return { before, after, stampedAfter, given, readBack, bytes: Buffer.from(after, 'utf8') };
  }

  /** Load in-memory files through the format. */
  const loadAll = (files: ReadonlyMap<string, string>) => format.load([...files].map(([path, text]) => ({ path, text })));

  /** The tests every format passes the same way: its fixtures written back unchanged keep every byte. */
  function describeUnchangedWrites(title: string): void {
    describe(`writing unchanged ${title} tickets`, () => {
      it('leaves every fixture file byte for byte as it was when each ticket is written back unchanged', async () => {
        const root = fixtureCopy(fixture);
        const store = storeAt(root);
        const before = bytesOf(root);
        const tickets = await store.list();
        expect(tickets).toHaveLength(FIXTURE_FILES.length);
        for (const ticket of tickets) await store.update(ticket.id, structuredClone(ticket));
        for (const [path, bytes] of bytesOf(root)) expect(bytes.equals(before.get(path)!), path).toBe(true);
      });

      it('asks for no file change at all when a ticket is given back as it was read', async () => {
        const snapshot = await storeAt(fixtureCopy(fixture)).snapshot();
        for (const loaded of snapshot.tickets) {
          expect(format.update(loaded, structuredClone(loaded.ticket), contextOf(snapshot)), loaded.path).toEqual([]);
        }
      });
    });
  }

  return { FIXTURE_FILES, storeAt, contextOf, bytesOf, changed, loadAll, describeUnchangedWrites };
}

/**
 * The ticket a format reads back after writing `next` over `prev`, as the engine sees it: each
 * vocabulary word settled against `next` (a word a format cannot tell apart from another reads
 * back as the value written), and the update time `next` asks for, or the stamp of `FIXED_NOW`
 * when the record was written and `next` left the time alone.
 */
export function expectWritten(format: TicketFormat, prev: Ticket, next: Ticket, read: LoadedTicket, wrote: boolean): void {
  const settled = { ...read.ticket, ...settleLossy(read.ticket, next, read, format) };
  const stamped = wrote && prev.updated_at === next.updated_at;
  expect(settled).toEqual(stamped ? { ...next, updated_at: stampOf(format) } : next);
}

/** A new ticket as its format reads it back: each word as the format's reader takes the word it wrote. */
export function asCreated(format: TicketFormat, ticket: Ticket, stamp: string): Ticket {
  const word = (field: 'status' | 'priority' | 'type') => format.wordOf(field, ticket[field] as never) ?? '';
  return {
    ...ticket,
    status: statusOf(word('status')) ?? ticket.status,
    priority: priorityOf(word('priority')) ?? ticket.priority,
    type: typeOf(word('type')) ?? ticket.type,
    created_at: ticket.created_at ?? stamp,
    updated_at: ticket.updated_at ?? stamp,
  };
}
