import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, FIXED_NOW, fixtureCopy, readBytes, readText, tempDir } from '../../../test/support/files.js';
import { idProblem, Ticket, ticketDefaults, type Comment, type TicketDraft } from '../model.js';
import { StoreError, TicketStore } from '../store.js';
import { PRIORITIES, TICKET_TYPES, type Status } from '../vocabulary.js';
import { taskmaster, TASKS_FILE } from './taskmaster.js';
import { applyCommentOps, expectWritten, type CommentOp } from '../../../test/support/format-fixture.js';
import { settleLossy } from './lossy.js';

type Json = Record<string, unknown>;
type Task = Json & { id: number | string; subtasks?: Task[] };

function open(root: string): TicketStore {
  return new TicketStore(root, taskmaster, () => FIXED_NOW);
}

/**
 * What task-master writes, `JSON.stringify(data, null, 2)`, in the file's own
 * byte-order mark, newline style and final newline (the untagged fixture was
 * saved by a Windows editor).
 */
function dumpLike(original: string, data: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const final = /\r?\n$/.test(original) ? eol : '';
  return bom + JSON.stringify(data, null, 2).replace(/\n/g, eol) + final;
}

function parse(text: string): Json {
  return JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
}

/** The tasks file as task-master would write it after `change` to its parsed content. */
function rewritten(text: string, change: (data: Json) => void): string {
  const data = parse(text);
  change(data);
  return dumpLike(text, data);
}

/** What the format stamps as a task's `updatedAt` at `FIXED_NOW`: JavaScript's `toISOString()`. */
const STAMP = '2026-11-23T09:30:15.123Z';

/** `change`, and then the record's `updatedAt` moved to now, as task-master's `set-status` moves it. */
function stamped(id: string, change: (data: Json) => void): (data: Json) => void {
  return (data) => {
    change(data);
    rawTask(data, id).updatedAt = STAMP;
  };
}

/** The raw record of a ticket id (`7`, `7.2`, `feature-x:3`) in parsed tasks-file content. */
function rawTask(data: Json, id: string): Task {
  const [, tag, top, sub] = /^(?:(.+):)?(\d+)(?:\.(\d+))?$/.exec(id)!;
  const tasks = (data.tasks ?? (data[tag ?? 'master'] as Json).tasks) as Task[];
  const task = tasks.find((t) => String(t.id) === top)!;
  return sub === undefined ? task : task.subtasks!.find((s) => String(s.id) === sub)!;
}

/** 1-based line and column where `fragment` starts in `text` (which must hold it once). */
function whereIs(text: string, fragment: string): { line: number; column: number } {
  const body = text.replace(/^\uFEFF/, '');
  const at = body.indexOf(fragment);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(body.indexOf(fragment, at + 1)).toBe(-1);
  const before = body.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

async function ticket(store: TicketStore, id: string): Promise<Ticket> {
  const found = await store.get(id);
  if (found === undefined) throw new Error(`no ticket ${id}`);
  return found;
}

/** A copy of a fixture whose tasks file is `edit` of the original text. */
function brokenCopy(name: string, edit: (text: string) => string): { root: string; text: string } {
  const root = fixtureCopy(name);
  const text = edit(readText(root, TASKS_FILE));
  writeFileSync(join(root, TASKS_FILE), text);
  return { root, text };
}

const TAGGED_IDS = ['1', '2', '2.1', '2.2', '3', '3.1', '3.2', '5', '7', '7.1', '7.2', 'feature-x:1', 'feature-x:2', 'feature-x:3', 'feature-x:3.1'];
const UNTAGGED_IDS = ['1', '2', '2.1', '2.2', '3'];

describe('reading task-master tasks files', () => {
  it.each([
    ['taskmaster-tagged', TAGGED_IDS],
    ['taskmaster-untagged', UNTAGGED_IDS],
  ])('reads every task and subtask of %s, in file order', async (name, ids) => {
    const snapshot = await open(fixtureCopy(name)).snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(ids);
  });

  it('reads a subtask as a child of its task, a number among its dependencies as a sibling and a string as any subtask', async () => {
    const subtask = await ticket(open(fixtureCopy('taskmaster-tagged')), '7.2');
    expect(subtask).toEqual({
      id: '7.2',
      type: 'task',
      title: 'Payment step',
      description: 'Card form and redirect for 3-D Secure.',
      status: 'open',
      priority: 'medium',
      assignees: [],
      labels: [],
      parent: '7',
      dependencies: ['7.1', '3.2'],
      comments: [],
      metadata: {},
      format_fields: {
        details: 'Needs the order API to persist before payment.',
        testStrategy: 'Sandbox cards: success, decline, 3DS challenge.',
      },
    });
  });

  it('reads the dependencies of a task, numbers as tasks and strings as subtasks', async () => {
    const store = open(fixtureCopy('taskmaster-tagged'));
    expect((await ticket(store, '7')).dependencies).toEqual(['3', '2.2']);
    expect((await ticket(store, '3.2')).dependencies).toEqual(['3.1', '2.2']);
    expect((await ticket(store, '2')).dependencies).toEqual(['1']);
  });

  it('gives the tasks of a tag other than master ids carrying the tag, dependencies and parents included', async () => {
    const store = open(fixtureCopy('taskmaster-tagged'));
    const task = await ticket(store, 'feature-x:3');
    expect(task).toMatchObject({ title: 'Reorder from order history', dependencies: ['feature-x:1'], status: 'open' });
    expect(task.parent).toBeUndefined();
    expect((await ticket(store, 'feature-x:3.1')).parent).toBe('feature-x:3');
  });

  it.each<[string, Status]>([
    ['1', 'done'],
    ['2', 'in_progress'],
    ['3', 'review'],
    ['5', 'open'],
    ['7', 'blocked'],
    ['feature-x:1', 'blocked'],
    ['feature-x:2', 'cancelled'],
  ])('reads the status word of task %s as %s', async (id, status) => {
    expect((await ticket(open(fixtureCopy('taskmaster-tagged')), id)).status).toBe(status);
  });

  it('reads unicode as written and keeps the unknown fields of a task out of the ticket', async () => {
    const store = open(fixtureCopy('taskmaster-tagged'));
    const five = await ticket(store, '5');
    expect(five.title).toBe('Internationalise the web client — Übersetzungen, 日本語');
    expect(five.description).toBe('Strings for de, fr and ja; “smart quotes” and emoji 🎉 must survive.');
    const two = await ticket(store, '2');
    expect(two.metadata).toEqual({});
    expect(two.format_fields).toEqual({
      details: 'PostgreSQL 16; money as integer cents.\nAll timestamps are timestamptz.',
      testStrategy: 'Migration up/down on an empty database.',
    });
  });

  it('reads an untagged file with a byte-order mark and CRLF lines without either in the values', async () => {
    const store = open(fixtureCopy('taskmaster-untagged'));
    const sign = await ticket(store, '2');
    expect(sign.title).toBe('Sign the installer');
    expect(sign.format_fields.details).toBe('signtool sign /fd SHA256 /tr http://timestamp.example.com');
    expect((await ticket(store, '3')).dependencies).toEqual(['2', '2.2']);
    expect((await ticket(store, '2.2')).dependencies).toEqual(['2.1']);
  });

  it('reads what ticket-sync keeps in a task’s metadata into the canonical fields', async () => {
    const { root } = brokenCopy('taskmaster-tagged', (text) =>
      rewritten(text, (d) => {
        rawTask(d, '1').metadata = {
          type: 'epic',
          assignees: ['alice'],
          labels: ['infra'],
          comments: [{ id: 'c1', author: 'bob', body: 'Done on CI.', created_at: '2025-06-10T10:00:00Z' }],
          github: { issue: 12 },
          created_at: '2025-06-01T00:00:00Z',
          sprint: 4,
        };
      }),
    );
    expect(await ticket(open(root), '1')).toMatchObject({
      type: 'epic',
      assignees: ['alice'],
      labels: ['infra'],
      comments: [{ id: 'c1', author: 'bob', body: 'Done on CI.', created_at: '2025-06-10T10:00:00Z' }],
      github: { issue: 12 },
      created_at: '2025-06-01T00:00:00Z',
      metadata: { sprint: 4 },
    });
  });
});

describe('rewriting task-master tickets unchanged', () => {
  it.each(['taskmaster-tagged', 'taskmaster-untagged'])('leaves every byte of %s as it was', async (name) => {
    const root = fixtureCopy(name);
    const before = readBytes(root, TASKS_FILE);
    const store = open(root);
    for (const t of await store.list()) await store.update(t.id, t);
    expect(readBytes(root, TASKS_FILE).equals(before)).toBe(true);
  });

  it.each(['taskmaster-tagged', 'taskmaster-untagged'])('plans no file operation for an unchanged ticket of %s', async (name) => {
    const snapshot = await open(fixtureCopy(name)).snapshot();
    const ctx = { files: snapshot.files, tickets: snapshot.tickets, now: FIXED_NOW };
    for (const loaded of snapshot.tickets) expect(taskmaster.update(loaded, loaded.ticket, ctx)).toEqual([]);
  });
});

describe('changing one field of a task-master ticket', () => {
  it('changes only the bytes of that value', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    await open(root).update('7.2', (t) => ({ ...t, title: 'Payment step (3DS)' }));
    const after = readText(root, TASKS_FILE);
    // Besides the title, only the subtask's new `updatedAt` is added, after its last key.
    const unstamped = after.replace(new RegExp(`,\\s*"updatedAt": "${STAMP}"`), '');
    expect(difference(before, unstamped)).toEqual({ start: before.indexOf('Payment step') + 'Payment step'.length, before: '', after: ' (3DS)' });
    expect(after).toBe(rewritten(before, stamped('7.2', (d) => (rawTask(d, '7.2').title = 'Payment step (3DS)'))));
  });

  it('changes only the bytes of that value in a file with a byte-order mark and CRLF lines', async () => {
    const root = fixtureCopy('taskmaster-untagged');
    const before = readText(root, TASKS_FILE);
    await open(root).update('2.2', (t) => ({ ...t, status: 'in_progress' }));
    const after = readText(root, TASKS_FILE);
    const at = before.indexOf('"pending"', before.indexOf('Store the key in the HSM'));
    const unstamped = after.replace(new RegExp(`,\\s*"updatedAt": "${STAMP}"`), '');
    expect(difference(before, unstamped)).toEqual({ start: at + 1, before: 'pending', after: 'in-progress' });
    expect(after).toBe(rewritten(before, stamped('2.2', (d) => (rawTask(d, '2.2').status = 'in-progress'))));
  });

  type Case = [string, string, string, (t: Ticket) => Ticket, (d: Json) => void];
  it.each<Case>([
    ['taskmaster-tagged', 'the title of a subtask', '7.2', (t) => ({ ...t, title: 'Zahlung – Schritt 2' }), (d) => (rawTask(d, '7.2').title = 'Zahlung – Schritt 2')],
    ['taskmaster-tagged', 'a status that became in progress', '5', (t) => ({ ...t, status: 'in_progress' }), (d) => (rawTask(d, '5').status = 'in-progress')],
    ['taskmaster-tagged', 'a status that became done', '2', (t) => ({ ...t, status: 'done' }), (d) => (rawTask(d, '2').status = 'done')],
    ['taskmaster-tagged', 'a status that became blocked', '3', (t) => ({ ...t, status: 'blocked' }), (d) => (rawTask(d, '3').status = 'blocked')],
    ['taskmaster-tagged', 'a status that became open again', '1', (t) => ({ ...t, status: 'open' }), (d) => (rawTask(d, '1').status = 'pending')],
    ['taskmaster-tagged', 'the priority', 'feature-x:3', (t) => ({ ...t, priority: 'high' }), (d) => (rawTask(d, 'feature-x:3').priority = 'high')],
    ['taskmaster-tagged', 'a critical priority as high, the most task-master has', '2', (t) => ({ ...t, priority: 'critical' }), (d) => (rawTask(d, '2').priority = 'high')],
    ['taskmaster-tagged', 'an empty description', 'feature-x:3.1', (t) => ({ ...t, description: 'Alle Positionen' }), (d) => (rawTask(d, 'feature-x:3.1').description = 'Alle Positionen')],
    [
      'taskmaster-tagged',
      'the details',
      '1',
      (t) => ({ ...t, format_fields: { ...t.format_fields, details: 'pnpm 10.\nThree packages.' } }),
      (d) => (rawTask(d, '1').details = 'pnpm 10.\nThree packages.'),
    ],
    [
      'taskmaster-tagged',
      'the labels, in a new metadata object',
      '5',
      (t) => ({ ...t, labels: ['i18n', 'web'] }),
      (d) => (rawTask(d, '5').metadata = { labels: ['i18n', 'web'] }),
    ],
    ['taskmaster-tagged', 'the type', '7', (t) => ({ ...t, type: 'epic' }), (d) => (rawTask(d, '7').metadata = { type: 'epic' })],
    [
      'taskmaster-tagged',
      'a comment',
      '3',
      (t) => ({ ...t, comments: [{ id: 'c1', author: 'dora', body: 'LGTM', created_at: '2025-06-13T08:00:00Z' }] }),
      (d) => (rawTask(d, '3').metadata = { comments: [{ id: 'c1', author: 'dora', body: 'LGTM', created_at: '2025-06-13T08:00:00Z' }] }),
    ],
    [
      'taskmaster-tagged',
      'a dependency added to a subtask, keeping the sibling a number and the subtask a string',
      '7.2',
      (t) => ({ ...t, dependencies: [...t.dependencies, '2.1', '5'] }),
      (d) => (rawTask(d, '7.2').dependencies = [1, '3.2', '2.1', '5']),
    ],
    [
      'taskmaster-tagged',
      'a dependency removed from a task, keeping the written form of the rest',
      '7',
      (t) => ({ ...t, dependencies: ['2.2'] }),
      (d) => (rawTask(d, '7').dependencies = ['2.2']),
    ],
    [
      'taskmaster-tagged',
      'the first dependency of a task in another tag',
      'feature-x:2',
      (t) => ({ ...t, dependencies: ['feature-x:1'] }),
      (d) => (rawTask(d, 'feature-x:2').dependencies = [1]),
    ],
    ['taskmaster-untagged', 'the title of a task', '1', (t) => ({ ...t, title: 'Installer le build agent' }), (d) => (rawTask(d, '1').title = 'Installer le build agent')],
    ['taskmaster-untagged', 'the status of a subtask', '2.2', (t) => ({ ...t, status: 'done' }), (d) => (rawTask(d, '2.2').status = 'done')],
    [
      'taskmaster-untagged',
      'reordered dependencies',
      '3',
      (t) => ({ ...t, dependencies: ['2.2', '2', '1'] }),
      (d) => (rawTask(d, '3').dependencies = ['2.2', 2, 1]),
    ],
    [
      'taskmaster-untagged',
      'the test strategy of a subtask',
      '2.1',
      (t) => ({ ...t, format_fields: { ...t.format_fields, testStrategy: 'Zertifikat liegt vor.' } }),
      (d) => (rawTask(d, '2.1').testStrategy = 'Zertifikat liegt vor.'),
    ],
    [
      'taskmaster-untagged',
      'assignees, in a new metadata object',
      '2',
      (t) => ({ ...t, assignees: ['ops'] }),
      (d) => (rawTask(d, '2').metadata = { assignees: ['ops'] }),
    ],
  ])('in %s, writes %s as task-master would, and nothing else', async (name, _, id, change, expected) => {
    const root = fixtureCopy(name);
    const before = readText(root, TASKS_FILE);
    const store = open(root);
    const others = (await store.list()).filter((t) => t.id !== id);
    const next = await store.update(id, change);
    expect(readText(root, TASKS_FILE)).toBe(rewritten(before, stamped(id, expected)));
    const read = (await store.snapshot()).tickets.find((t) => t.ticket.id === id)!;
    expect({ ...read.ticket, ...settleLossy(read.ticket, next, read, taskmaster) }).toEqual({ ...next, updated_at: STAMP });
    expect((await store.list()).filter((t) => t.id !== id)).toEqual(others);
  });

  it.each([
    ['2', 'in-progress'],
    ['3', 'review'],
    ['5', 'pending'],
    ['feature-x:1', 'deferred'],
    ['feature-x:2', 'cancelled'],
  ])('keeps the status word of task %s (%s) when only its title changes', async (id, word) => {
    const root = fixtureCopy('taskmaster-tagged');
    await open(root).update(id, (t) => ({ ...t, title: `${t.title}!` }));
    expect(rawTask(parse(readText(root, TASKS_FILE)), id).status).toBe(word);
  });

  it('refuses to change the parent of a subtask, and leaves the file alone', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readBytes(root, TASKS_FILE);
    await expect(open(root).update('7.2', (t) => ({ ...t, parent: '3' }))).rejects.toThrow(/parent/);
    expect(readBytes(root, TASKS_FILE).equals(before)).toBe(true);
  });

  it('refuses a dependency on a task of another tag', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    await expect(open(root).update('feature-x:3', (t) => ({ ...t, dependencies: ['7'] }))).rejects.toThrow(/across tags/);
  });

  it.each([
    ['0', '5', '0'],
    ['07', '5', '07'],
    ['7.01', '7.2', '7.01'],
    ['7.0', '7.2', '7.0'],
  ])('writes the dependency %s of %s as a string, since a number would not read back the same', async (dep, id, written) => {
    const root = fixtureCopy('taskmaster-tagged');
    const store = open(root);
    await store.update(id, (t) => ({ ...t, dependencies: [dep] }));
    expect(rawTask(parse(readText(root, TASKS_FILE)), id).dependencies).toEqual([written]);
    expect((await store.snapshot()).problems).toEqual([]);
    expect((await ticket(store, id)).dependencies).toEqual([dep]);
  });
});

describe('task-master format fields', () => {
  it.each<[string, Ticket['format_fields'], RegExp]>([
    ['a field it has no place for', { complexity: 9 }, /no place for the format field "complexity"/],
    ['details that are not text', { details: 5 }, /details must be text/],
  ])('refuses %s, on update and on create, and leaves the file alone', async (_, formatFields, message) => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readBytes(root, TASKS_FILE);
    const store = open(root);
    await expect(store.update('1', (t) => ({ ...t, format_fields: { ...t.format_fields, ...formatFields } }))).rejects.toThrow(message);
    await expect(store.create({ title: 'x', format_fields: formatFields })).rejects.toThrow(message);
    expect(readBytes(root, TASKS_FILE).equals(before)).toBe(true);
  });

  it('removes a test strategy that is gone, and writes null details as null', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    await open(root).update('2.2', (t) => ({ ...t, format_fields: { details: null } }));
    expect(readText(root, TASKS_FILE)).toBe(
      rewritten(
        before,
        stamped('2.2', (d) => {
          rawTask(d, '2.2').details = null;
          delete rawTask(d, '2.2').testStrategy;
        }),
      ),
    );
  });
});

describe('creating task-master tickets', () => {
  it('gives a new task the highest id of the master tag plus one, written as task-master writes tasks', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    const store = open(root);
    const created = await store.create({ title: 'Order confirmation e-mail', dependencies: ['7', '3.2'] });
    expect(created.id).toBe('8');
    expect(readText(root, TASKS_FILE)).toBe(
      rewritten(before, (d) => {
        ((d.master as Json).tasks as Task[]).push({
          id: 8,
          title: 'Order confirmation e-mail',
          description: '',
          details: '',
          testStrategy: '',
          status: 'pending',
          dependencies: [7, '3.2'],
          priority: 'medium',
          subtasks: [],
        });
        // add-task moves the tag's update time.
        ((d.master as Json).metadata as Json).updated = STAMP;
      }),
    );
    expect(await store.get('8')).toEqual({ ...created, format_fields: { details: '', testStrategy: '' } });
  });

  it('gives a new subtask the highest id under its task plus one, with a sibling dependency as a number', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    const store = open(root);
    const created = await store.create({
      title: 'Confirmation page',
      parent: '7',
      dependencies: ['7.2', '3.1'],
      format_fields: { details: 'Show the order number.', testStrategy: '' },
    });
    expect(created.id).toBe('7.3');
    expect(readText(root, TASKS_FILE)).toBe(
      rewritten(before, (d) =>
        rawTask(d, '7').subtasks!.push({
          id: 3,
          title: 'Confirmation page',
          description: '',
          details: 'Show the order number.',
          testStrategy: '',
          status: 'pending',
          dependencies: [2, '3.1'],
          parentTaskId: 7,
        }),
      ),
    );
    expect(await store.get('7.3')).toEqual(created);
  });

  it('gives the first subtask of a task without subtasks the id 1', async () => {
    const store = open(fixtureCopy('taskmaster-tagged'));
    expect((await store.create({ title: 'Catalogue', parent: '5' })).id).toBe('5.1');
  });

  it('puts a new task of another tag into that tag, and numbers its subtasks there', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const store = open(root);
    const task = await store.create({ id: 'feature-x:4', title: 'Reorder e-mail', dependencies: ['feature-x:3'] });
    const subtask = await store.create({ title: 'Template', parent: 'feature-x:3' });
    expect(subtask.id).toBe('feature-x:3.2');
    const data = parse(readText(root, TASKS_FILE));
    expect(rawTask(data, 'feature-x:4')).toMatchObject({ id: 4, dependencies: [3] });
    expect(rawTask(data, 'feature-x:3.2')).toMatchObject({ id: 2, title: 'Template' });
    expect(await store.get(task.id)).toEqual({ ...task, format_fields: { details: '', testStrategy: '' } });
  });

  it('appends a new task to an untagged file with CRLF lines, keeping its byte-order mark', async () => {
    const root = fixtureCopy('taskmaster-untagged');
    const before = readText(root, TASKS_FILE);
    const created = await open(root).create({ title: 'Smoke-test the installer', priority: 'high', status: 'in_progress' });
    expect(created.id).toBe('4');
    expect(readText(root, TASKS_FILE)).toBe(
      rewritten(before, (d) => {
        (d.tasks as Task[]).push({
          id: 4,
          title: 'Smoke-test the installer',
          description: '',
          details: '',
          testStrategy: '',
          status: 'in-progress',
          dependencies: [],
          priority: 'high',
          subtasks: [],
        });
        (d.metadata as Json).updated = STAMP;
      }),
    );
  });

  it('starts a tasks file with a master tag when there is none', async () => {
    const root = tempDir();
    const created = await open(root).create({ title: 'First task' });
    expect(created.id).toBe('1');
    // As add-task writes it: its keys in its order, the tag's times, no final newline.
    expect(readText(root, TASKS_FILE)).toBe(
      JSON.stringify(
        {
          master: {
            tasks: [{ id: 1, title: 'First task', description: '', details: '', testStrategy: '', status: 'pending', dependencies: [], priority: 'medium', subtasks: [] }],
            metadata: { created: STAMP, updated: STAMP, description: 'Tasks for master context' },
          },
        },
        null,
        2,
      ),
    );
  });

  it('reads back a created ticket with every field as it was given', async () => {
    const store = open(fixtureCopy('taskmaster-tagged'));
    const given: Ticket = {
      id: '9',
      type: 'bug',
      title: 'Totals are off by one cent',
      description: 'Rounding.',
      status: 'review',
      priority: 'critical',
      assignees: ['alice', 'bob'],
      labels: ['money'],
      dependencies: ['2', '3.2'],
      comments: [{ id: 'c1', author: 'carol', body: 'Seen in prod.', created_at: '2025-06-14T09:00:00Z', updated_at: '2025-06-14T10:00:00Z' }],
      created_at: '2025-06-14T08:00:00Z',
      updated_at: '2025-06-14T10:00:00Z',
      metadata: { severity: 'S2' },
      format_fields: { details: 'Use banker’s rounding.', testStrategy: 'Property test over carts.' },
      github: { issue: 99, url: 'https://github.com/o/r/issues/99' },
    };
    await store.create(given);
    // Critical is written high, task-master's highest; the times are task-master's own, in its style.
    const read = (await store.snapshot()).tickets.find((t) => t.ticket.id === '9')!;
    expect(read.ticket).toEqual({ ...given, priority: 'high', created_at: '2025-06-14T08:00:00.000Z', updated_at: '2025-06-14T10:00:00.000Z' });
    expect({ ...read.ticket, ...settleLossy(read.ticket, given, read, taskmaster) }).toMatchObject({ priority: 'critical' });
  });

  it.each<[string, TicketDraft]>([
    ['a task with a parent', { id: '9', title: 'x', parent: '7' }],
    ['a subtask whose parent is not its task', { id: '7.3', title: 'x', parent: '3' }],
    ['a subtask without a parent', { id: '7.3', title: 'x' }],
    ['a task numbered 0', { id: '0', title: 'x' }],
    ['a task numbered with a leading zero', { id: '09', title: 'x' }],
    ['an id that is not a number', { id: 'abc', title: 'x' }],
    ['a task of a tag the file does not have', { id: 'feature-y:1', title: 'x' }],
  ])('refuses to create %s, and leaves the file alone', async (_, draft) => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readBytes(root, TASKS_FILE);
    await expect(open(root).create(draft)).rejects.toThrow(/task-master/);
    expect(readBytes(root, TASKS_FILE).equals(before)).toBe(true);
  });

  it('refuses a subtask under a subtask', async () => {
    await expect(open(fixtureCopy('taskmaster-tagged')).create({ title: 'x', parent: '7.2' })).rejects.toThrow(/parent must be a task/);
  });
});

describe('deleting task-master tickets', () => {
  it('removes only the element of that task, its subtasks with it', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    const store = open(root);
    await store.delete('3');
    const after = readText(root, TASKS_FILE);
    expect(after).toBe(rewritten(before, (d) => ((d.master as Json).tasks as Task[]).splice(2, 1)));
    expect(difference(before, after).after).toBe('');
    expect((await store.list()).map((t) => t.id)).toEqual(TAGGED_IDS.filter((id) => id !== '3' && !id.startsWith('3.')));
  });

  it('removes only the element of a subtask', async () => {
    const root = fixtureCopy('taskmaster-tagged');
    const before = readText(root, TASKS_FILE);
    await open(root).delete('7.1');
    expect(readText(root, TASKS_FILE)).toBe(rewritten(before, (d) => rawTask(d, '7').subtasks!.splice(0, 1)));
  });

  it('removes the last task of a tag in an untagged file with CRLF lines, leaving the rest as written', async () => {
    const root = fixtureCopy('taskmaster-untagged');
    const before = readText(root, TASKS_FILE);
    await open(root).delete('3');
    expect(readText(root, TASKS_FILE)).toBe(rewritten(before, (d) => (d.tasks as Task[]).pop()));
  });
});

describe('bad task-master input', () => {
  async function expectNeverRewritten(root: string, id: string): Promise<void> {
    const before = readBytes(root, TASKS_FILE);
    const store = open(root);
    const failure = await store.update(id, (t) => ({ ...t, title: 'changed' })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('invalid-file');
    expect(readBytes(root, TASKS_FILE).equals(before)).toBe(true);
  }

  it('reports a title that is a number at that value, loads the other tasks, and never rewrites the file', async () => {
    const { root, text } = brokenCopy('taskmaster-tagged', (t) => t.replace('"title": "Order API"', '"title": 42'));
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ path: TASKS_FILE, pointer: '/master/tasks/2/title', ...whereIs(text, '"title": 42'), code: 'schema' }),
    ]);
    expect(snapshot.problems[0]!.message).toMatch(/expected string/);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(TAGGED_IDS.filter((id) => id !== '3'));
    expect(snapshot.invalidFiles).toContain(TASKS_FILE);
    await expectNeverRewritten(root, '1');
  });

  it('reports a dependency that is neither a task nor a subtask id at that value', async () => {
    const { root, text } = brokenCopy('taskmaster-tagged', (t) =>
      t.replace('"3.2"\n            ],\n            "details": "Needs', '"x.y"\n            ],\n            "details": "Needs'),
    );
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ pointer: '/master/tasks/4/subtasks/1/dependencies/1', ...whereIs(text, '"x.y"') }),
    ]);
    expect(snapshot.problems[0]!.message).toMatch(/dependency is a task id/);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(TAGGED_IDS.filter((id) => id !== '7.2'));
    await expectNeverRewritten(root, '7');
  });

  it('reports a status word that is not one at that value, naming the known words', async () => {
    const { root, text } = brokenCopy('taskmaster-tagged', (t) => t.replace('"status": "deferred"', '"status": "half-done"'));
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ pointer: '/feature-x/tasks/0/status', ...whereIs(text, '"status": "half-done"') })]);
    expect(snapshot.problems[0]!.message).toMatch(/unknown status.*\bin_progress\b/);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(TAGGED_IDS.filter((id) => id !== 'feature-x:1'));
    await expectNeverRewritten(root, 'feature-x:3');
  });

  it('locates a problem by line and column in a file with a byte-order mark and CRLF lines', async () => {
    const { root, text } = brokenCopy('taskmaster-untagged', (t) => t.replace('"priority": "high"', '"priority": ["high"]'));
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ pointer: '/tasks/1/priority', ...whereIs(text, '"priority": ["high"]') })]);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(UNTAGGED_IDS.filter((id) => id !== '2'));
    await expectNeverRewritten(root, '1');
  });

  it.each([
    ['an array', '[]', /a tasks file is an object/],
    ['an object without tasks', '{\n  "version": 1,\n  "project": {\n    "name": "shop"\n  }\n}', /no tasks found: expected \{"tasks": \[\.\.\.\]\} or \{"<tag>": \{"tasks": \[\.\.\.\]\}\}/],
    ['tasks that are not an array', '{\n  "tasks": {\n    "1": {}\n  }\n}', /"tasks" must be an array/],
    ['a tag whose tasks are not an array', '{\n  "master": {\n    "tasks": "none"\n  }\n}', /"master\.tasks" must be an array/],
    ['not JSON', '{\n  "master": {\n    "tasks": [\n', /invalid JSON/],
  ])('reports a tasks file that is %s as such', async (_, text, message) => {
    const root = tempDir({ [TASKS_FILE]: text });
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toHaveLength(1);
    expect(snapshot.problems[0]).toMatchObject({ path: TASKS_FILE, message: expect.stringMatching(message) });
    expect(snapshot.tickets).toEqual([]);
    expect(snapshot.invalidFiles).toContain(TASKS_FILE);
    const failure = await open(root).create({ title: 'x' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(readText(root, TASKS_FILE)).toBe(text);
  });

  it('loads the tasks of a good tag when another tag is broken', async () => {
    const { root } = brokenCopy('taskmaster-tagged', (t) =>
      rewritten(t, (d) => {
        (d['feature-x'] as Json).tasks = 'lost';
      }),
    );
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ pointer: '/feature-x/tasks', message: expect.stringMatching(/must be an array/) })]);
    expect(snapshot.tickets.map((t) => t.ticket.id)).toEqual(TAGGED_IDS.filter((id) => !id.startsWith('feature-x:')));
  });

  it('reports duplicate task ids in one tag as duplicates, at both places, and touches neither', async () => {
    const { root, text } = brokenCopy('taskmaster-tagged', (t) => t.replace('"id": 5,', '"id": 3,'));
    const snapshot = await open(root).snapshot();
    const duplicates = snapshot.problems.filter((p) => p.code === 'duplicate-id');
    // Each claim is located at the `{` of its task, the line above its `"id"`.
    expect(duplicates.map((p) => p.line)).toEqual([whereIs(text, '"title": "Order API"').line - 2, whereIs(text, '"title": "Internationalise').line - 2]);
    for (const p of duplicates) expect(p.message).toMatch(/duplicate id "3"/);
    expect(snapshot.problems).toEqual(duplicates);
    expect(snapshot.duplicateIds).toEqual(new Set(['3']));
    expect(snapshot.tickets.map((t) => t.ticket.id)).toContain('feature-x:3');
    const failure = await open(root).update('3', (t) => t).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as StoreError).code).toBe('invalid-file');
    await expectNeverRewritten(root, '1');
  });

  it('tells tasks of the same number in different tags apart', async () => {
    const snapshot = await open(fixtureCopy('taskmaster-tagged')).snapshot();
    expect(snapshot.duplicateIds.size).toBe(0);
    expect(snapshot.tickets.filter((t) => /^(feature-x:)?3$/.test(t.ticket.id)).map((t) => t.ticket.title)).toEqual([
      'Order API',
      'Reorder from order history',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Property tests

const anyText = fc.string({ unit: 'binary', maxLength: 24 });
const safeId = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/).filter((id) => idProblem(id) === undefined);
const jsonValue = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const CLAIMED = ['type', 'assignees', 'labels', 'comments', 'github', 'created_at', 'updated_at', '__proto__'];
const metadata = fc
  .dictionary(anyText.filter((k) => !CLAIMED.includes(k)), jsonValue, { maxKeys: 3 })
  .map((m) => Object.fromEntries(Object.entries(m)));
/** Statuses task-master has a word for (`reopened` is written `pending`, which reads back as open). */
const REPRESENTABLE: Status[] = ['open', 'in_progress', 'blocked', 'review', 'done', 'cancelled'];
/** Ids of tasks and subtasks, odd spellings (`0`, `07`, `7.01`) included. */
const taskNumber = fc.stringMatching(/^\d{1,3}(\.\d{1,2})?$/);
const comment = fc.record(
  { id: safeId, author: anyText, body: anyText, created_at: anyText, updated_at: anyText },
  { requiredKeys: ['id', 'author', 'body', 'created_at'] },
);

/** Everything of a ticket but its id, parent and comments, with dependencies in `prefix`'s tag. */
function fieldsIn(prefix: string, formatFields: fc.Arbitrary<Json>) {
  return fc.record(
    {
      type: fc.constantFrom(...TICKET_TYPES),
      title: anyText,
      description: anyText,
      status: fc.constantFrom(...REPRESENTABLE),
      priority: fc.constantFrom(...PRIORITIES),
      assignees: fc.array(anyText, { maxLength: 3 }),
      labels: fc.array(anyText, { maxLength: 3 }),
      dependencies: fc.array(taskNumber.map((n) => prefix + n), { maxLength: 3 }),
      created_at: anyText,
      updated_at: anyText,
      metadata,
      format_fields: formatFields,
      github: fc.record({ issue: fc.integer({ min: 1 }), url: anyText }, { requiredKeys: ['issue'] }),
    },
    { requiredKeys: ['type', 'title', 'description', 'status', 'priority', 'assignees', 'labels', 'dependencies', 'metadata', 'format_fields'] },
  );
}

/** task-master writes both for every new task, so a created ticket has both. */
const newFormatFields = fc.record({ details: anyText, testStrategy: anyText });
/** An update may set, clear (null) or remove them. */
const someFormatFields = fc.record({ details: fc.option(anyText), testStrategy: fc.option(anyText) }, { requiredKeys: [] });

const commentOp: fc.Arbitrary<CommentOp> = fc.oneof(
  comment.map((c) => ({ add: { ...c, id: `n-${c.id}` } })),
  fc.record(
    { edit: fc.nat(), author: anyText, body: anyText, created_at: anyText, updated_at: fc.option(anyText, { nil: null }) },
    { requiredKeys: ['edit'] },
  ),
  fc.record({ remove: fc.nat() }),
);


/** Where a new ticket goes in the tagged fixture: the draft's placing and the tag prefix of its dependencies. */
const PLACES: { place: Pick<TicketDraft, 'id' | 'parent'>; prefix: string }[] = [
  { place: {}, prefix: '' },
  { place: { parent: '7' }, prefix: '' },
  { place: { parent: '5' }, prefix: '' },
  { place: { id: 'feature-x:4' }, prefix: 'feature-x:' },
  { place: { parent: 'feature-x:3' }, prefix: 'feature-x:' },
];

describe('task-master, for any representable ticket', () => {
  it('reads back a created task or subtask as it was given', async () => {
    const created = fc.constantFrom(...PLACES).chain(({ place, prefix }) =>
      fc.tuple(fc.constant(place), fieldsIn(prefix, newFormatFields), fc.uniqueArray(comment, { selector: (c) => c.id, maxLength: 3 })),
    );
    await fc.assert(
      fc.asyncProperty(created, async ([place, body, comments]) => {
        const root = fixtureCopy('taskmaster-tagged');
        const store = open(root);
        const others = await store.list();
        const ticketGiven = await store.create({ ...body, ...place, comments });
        const snapshot = await store.snapshot();
        expect(snapshot.problems).toEqual([]);
        const read = snapshot.tickets.find((t) => t.ticket.id === ticketGiven.id)!;
        const given = Ticket.parse({ ...ticketDefaults(), ...body, ...place, comments, id: ticketGiven.id });
        // A word task-master cannot hold (critical, a subtask's priority) reads back as given once settled against it.
        expectWritten(taskmaster, given, given, { ...read, ticket: { ...read.ticket, created_at: given.created_at, updated_at: given.updated_at } }, false);
        expect(snapshot.tickets.map((t) => t.ticket).filter((t) => t.id !== ticketGiven.id)).toEqual(others);
      }),
      { numRuns: 60 },
    );
  });

  it('reads back the last of any sequence of updates, and leaves the other tickets alone', async () => {
    const cases = [
      { name: 'taskmaster-tagged', id: '7', prefix: '' },
      { name: 'taskmaster-tagged', id: '7.2', prefix: '' },
      { name: 'taskmaster-tagged', id: 'feature-x:3', prefix: 'feature-x:' },
      { name: 'taskmaster-untagged', id: '2.2', prefix: '' },
    ];
    const run = fc.constantFrom(...cases).chain((c) =>
      fc.tuple(fc.constant(c), fc.array(fc.tuple(fieldsIn(c.prefix, someFormatFields), fc.array(commentOp, { maxLength: 3 })), { minLength: 1, maxLength: 4 })),
    );
    await fc.assert(
      fc.asyncProperty(run, async ([{ name, id }, steps]) => {
        const root = fixtureCopy(name);
        const store = open(root);
        const others = (await store.list()).filter((t) => t.id !== id);
        let current = await ticket(store, id);
        for (const [body, ops] of steps) {
          const next: Ticket = { id, parent: current.parent, ...body, comments: applyCommentOps(current.comments, ops) };
          const before = readText(root, TASKS_FILE);
          await store.update(id, next);
          const read = (await store.snapshot()).tickets.find((t) => t.ticket.id === id)!;
          expectWritten(taskmaster, current, next, read, readText(root, TASKS_FILE) !== before);
          current = read.ticket;
        }
        expect((await store.list()).filter((t) => t.id !== id)).toEqual(others);
        const text = readText(root, TASKS_FILE);
        if (name === 'taskmaster-untagged') {
          expect(text.startsWith('\uFEFF')).toBe(true);
          expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 40 },
    );
  });
});
