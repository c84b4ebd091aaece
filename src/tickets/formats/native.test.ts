/**
 * ticket-sync's own format: its files are read into the canonical ticket and
 * written back without losing a byte, whoever wrote them.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, FIXED_NOW, FIXTURES, fixtureCopy, readBytes, readText, tempDir } from '../../../test/support/files.js';
import { Ticket, type Comment, type TicketDraft } from '../model.js';
import { StoreError } from '../store.js';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../vocabulary.js';
import { native } from './native.js';
import type { LoadedTicket } from './types.js';
import { applyChange, applyOps, formatFixture, positionOf, replaced, type Change, asCreated, expectWritten } from '../../../test/support/format-fixture.js';

const FIXTURE = 'native';
/** What the format stamps on a new ticket at `FIXED_NOW`. */
const STAMP = '2026-11-23T09:30:15.123Z';

const { FIXTURE_FILES, storeAt, contextOf, bytesOf, changed, loadAll, describeUnchangedWrites } = formatFixture(FIXTURE, native);

describe('reading ticket-sync files', () => {
  it('reads every fixture file into one valid ticket, without a problem', async () => {
    const snapshot = await storeAt(fixtureCopy(FIXTURE)).snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.map((t) => t.path).sort()).toEqual(FIXTURE_FILES);
    for (const loaded of snapshot.tickets) expect(`${loaded.ticket.id}.json`).toBe(loaded.path);
  });

  it('reads an epic with raw unicode, nested metadata and a github link, and leaves its unknown field out', async () => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get('EP-0001')).toEqual({
      id: 'EP-0001',
      type: 'epic',
      title: 'Überarbeitung der Anmeldung — café login ☕',
      description: 'Everything the new sign-in needs.\n\n- SSO\n- passkeys 🔑',
      status: 'in_progress',
      priority: 'high',
      assignees: ['octocat'],
      labels: ['auth', 'roadmap-2026'],
      dependencies: [],
      comments: [],
      created_at: '2026-01-05T09:00:00.000Z',
      updated_at: '2026-03-01T12:30:00.000Z',
      metadata: { milestone: 'Q1', estimate: { points: 40, confidence: null } },
      format_fields: {},
      github: { issue: 12, url: 'https://github.com/acme/app/issues/12' },
    });
  });

  it('reads comments with only their canonical keys, whatever else a comment holds', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('ISS-0002');
    expect(ticket!.comments).toEqual([
      { id: 'c-1', author: 'octocat', body: 'Spike done, see the branch `passkeys`.', created_at: '2026-02-01T10:00:00.000Z' },
      {
        id: 'c-2',
        author: 'hubot',
        body: 'Looks good 👍 — one nit about the naïve timeout.',
        created_at: '2026-02-02T08:15:00.000Z',
        updated_at: '2026-02-02T08:20:00.000Z',
      },
    ]);
    expect(ticket).toMatchObject({ type: 'issue', status: 'review', parent: 'EP-0001', dependencies: ['TSK-0003'] });
  });

  it.each<[string, string, Partial<Ticket>]>([
    ['TSK-0012', 'a hand-written "In Progress" and "P1", and no type', { type: 'task', status: 'in_progress', priority: 'high' }],
    ['ISS-0010', '"story", "todo" and "normal"', { type: 'issue', status: 'open', priority: 'medium' }],
    ['TSK-0003', '"blocked" (a CRLF file)', { status: 'blocked', priority: 'medium' }],
    ['TSK-0007', '"done" (a file with a byte-order mark)', { status: 'done', priority: 'low' }],
    ['BUG-0004', '"reopened" and "critical"', { type: 'bug', status: 'reopened', priority: 'critical' }],
    ['BUG-0009', '"cancelled" and "low"', { status: 'cancelled', priority: 'low' }],
  ])('reads the words of %s, %s, as their canonical meaning', async (id, _words, expected) => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get(id)).toMatchObject(expected);
  });

  it('reads null as absent, keeps format fields, and reads a missing field as its default', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const bug = await store.get('BUG-0004');
    expect(bug).toMatchObject({
      description: '',
      metadata: { browsers: ['firefox', 'safari'], seen_in: {} },
      format_fields: { severity: 'S1' },
      comments: [{ id: 'c-1', author: 'qa-bot', body: 'Reproduced on staging.', created_at: '' }],
    });
    expect(bug).not.toHaveProperty('parent');
    expect(await store.get('TSK-0012')).toEqual({
      id: 'TSK-0012',
      type: 'task',
      title: 'Rotate the signing key',
      description: '',
      status: 'in_progress',
      priority: 'high',
      assignees: [],
      labels: ['security', 'ops'],
      dependencies: [],
      comments: [],
      metadata: {},
      format_fields: {},
    });
  });
});

describeUnchangedWrites('ticket-sync');

describe('changing one field of a ticket-sync ticket', () => {
  const cases: [string, string, (t: Ticket) => Ticket, [string, string][]][] = [
    [
      'a new title on a hand-written ticket keeps its own words "In Progress" and "P1"',
      'TSK-0012.json',
      (t) => ({ ...t, title: 'Rotate the signing key now' }),
      [['"title": "Rotate the signing key"', '"title": "Rotate the signing key now"']],
    ],
    [
      'a status of another meaning replaces "In Progress" with the canonical word',
      'TSK-0012.json',
      (t) => ({ ...t, status: 'review' }),
      [['"status": "In Progress"', '"status": "review"']],
    ],
    [
      'assignees added to a file indented by four spaces come last, indented by four spaces',
      'TSK-0012.json',
      (t) => ({ ...t, assignees: ['zoë'] }),
      [['"notes_for_later": "ask Zoë about the HSM"\n}', '"notes_for_later": "ask Zoë about the HSM",\n    "assignees": [\n        "zoë"\n    ]\n}']],
    ],
    [
      'a label added to a file written on one line stays on one line',
      'ISS-0010.json',
      (t) => ({ ...t, labels: ['ux', 'web'] }),
      [['"labels":["ux"]', '"labels":["ux","web"]']],
    ],
    [
      'a metadata key added to a file written on one line stays on one line',
      'ISS-0010.json',
      (t) => ({ ...t, metadata: { ...t.metadata, sprint: 7 } }),
      [['"metadata":{"source":"import"}', '"metadata":{"source":"import","sprint":7}']],
    ],
    [
      'a "todo" ticket started is written "in_progress"',
      'ISS-0010.json',
      (t) => ({ ...t, status: 'in_progress' }),
      [['"status":"todo"', '"status":"in_progress"']],
    ],
    [
      'a first label in a CRLF file is written with CRLF',
      'TSK-0003.json',
      (t) => ({ ...t, labels: ['db'] }),
      [['"labels": [],\r\n', '"labels": [\r\n    "db"\r\n  ],\r\n']],
    ],
    [
      'a title in a file with a byte-order mark is written as raw UTF-8',
      'TSK-0007.json',
      (t) => ({ ...t, title: 'Ship the 🚀 release notes' }),
      [['"title": "Ship the 🎉 release notes"', '"title": "Ship the 🚀 release notes"']],
    ],
    [
      "a comment edited changes only its body, and keeps the comment's reactions",
      'ISS-0002.json',
      (t) => ({ ...t, comments: [t.comments[0]!, { ...t.comments[1]!, body: 'Looks good 👍' }] }),
      [['"body": "Looks good 👍 — one nit about the naïve timeout."', '"body": "Looks good 👍"']],
    ],
    [
      'a comment that loses its edit time loses only that key',
      'ISS-0002.json',
      (t) => {
        const { updated_at: _dropped, ...unedited } = t.comments[1]!;
        return { ...t, comments: [t.comments[0]!, unedited] };
      },
      [['"created_at": "2026-02-02T08:15:00.000Z",\n      "updated_at": "2026-02-02T08:20:00.000Z",', '"created_at": "2026-02-02T08:15:00.000Z",']],
    ],
    [
      'a comment deleted takes only that comment away',
      'ISS-0002.json',
      (t) => ({ ...t, comments: t.comments.slice(1) }),
      [
        [
          '    {\n      "id": "c-1",\n      "author": "octocat",\n      "body": "Spike done, see the branch `passkeys`.",\n      "created_at": "2026-02-01T10:00:00.000Z"\n    },\n',
          '',
        ],
      ],
    ],
    [
      'a comment added to an empty list is written in the indentation of the file',
      'EP-0001.json',
      (t) => ({ ...t, comments: [{ id: 'c-1', author: 'zoë', body: 'Kick-off 🎉', created_at: '2026-03-02T09:00:00.000Z' }] }),
      [
        [
          '"comments": [],',
          '"comments": [\n    {\n      "id": "c-1",\n      "author": "zoë",\n      "body": "Kick-off 🎉",\n      "created_at": "2026-03-02T09:00:00.000Z"\n    }\n  ],',
        ],
      ],
    ],
    [
      'a nested metadata value changed changes only that value',
      'EP-0001.json',
      (t) => ({ ...t, metadata: { ...t.metadata, estimate: { points: 45, confidence: null } } }),
      [['"points": 40', '"points": 45']],
    ],
    [
      'a github link given its address changes only the link, and the unknown field after it stays',
      'BUG-0009.json',
      (t) => ({ ...t, github: { issue: 31, url: 'https://github.com/acme/app/issues/31' } }),
      [['"issue": 31\n  }', '"issue": 31,\n    "url": "https://github.com/acme/app/issues/31"\n  }']],
    ],
    [
      'a github link removed takes only its key away, and the unknown field stays',
      'EP-0001.json',
      (t) => ({ ...t, github: undefined }),
      [['  "github": {\n    "issue": 12,\n    "url": "https://github.com/acme/app/issues/12"\n  },\n', '']],
    ],
    [
      'a parent set where the file says null replaces the null',
      'BUG-0004.json',
      (t) => ({ ...t, parent: 'EP-0001' }),
      [['"parent": null', '"parent": "EP-0001"']],
    ],
    [
      'a format field changed changes only that field',
      'BUG-0004.json',
      (t) => ({ ...t, format_fields: { severity: 'S2' } }),
      [['"severity": "S1"', '"severity": "S2"']],
    ],
    [
      'a cancelled ticket reopened is written "reopened"',
      'BUG-0009.json',
      (t) => ({ ...t, status: 'reopened' }),
      [['"status": "cancelled"', '"status": "reopened"']],
    ],
  ];

  it.each(cases)('%s', async (_name, file, change, pairs) => {
    const { before, after, given, readBack } = await changed(file, change);
    // The same differing bytes means the same file: everything else is as it was.
    expect(difference(before, after)).toEqual(difference(before, replaced(before, pairs)));
    expect(readBack).toEqual(given);
  });

  it('keeps CRLF line ends in a file written on Windows, in the bytes it adds too', async () => {
    const { before, after } = await changed('TSK-0003.json', (t) => ({
      ...t,
      comments: [{ id: 'c-1', author: 'hubot', body: 'DBA said yes', created_at: '2026-01-09T09:00:00.000Z' }],
      metadata: { ...t.metadata, approved: true },
    }));
    expect(difference(before, after).after).toContain('\r\n');
    expect(after.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps the byte-order mark of a file that has one', async () => {
    const { bytes, readBack } = await changed('TSK-0007.json', (t) => ({ ...t, labels: ['docs', 'release'] }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readBack!.labels).toEqual(['docs', 'release']);
  });

  it('writes and removes metadata keys named like the built-ins of every JavaScript object like any other key', async () => {
    const root = fixtureCopy(FIXTURE);
    const store = storeAt(root);
    const original = readText(root, 'TSK-0007.json');
    await store.update('TSK-0007', (t) => ({ ...t, metadata: { toString: 1, constructor: 'c' } }));
    expect((await store.get('TSK-0007'))!.metadata).toEqual({ toString: 1, constructor: 'c' });
    await store.update('TSK-0007', (t) => ({ ...t, metadata: {} }));
    expect((await store.get('TSK-0007'))!.metadata).toEqual({});
    // Only the update time, moved to now by the first write, tells the file from the original.
    expect(readText(root, 'TSK-0007.json')).toBe(replaced(original, [['"2026-01-20T09:00:00.000Z"', `"${STAMP}"`]]));
  });

  it('keeps a file without a final newline without one', async () => {
    const { after } = await changed('TSK-0012.json', (t) => ({ ...t, labels: [] }));
    expect(after.endsWith('}')).toBe(true);
    expect(after).toContain('"labels": []');
  });
});

describe('a stored GitHub link with keys of its own', () => {
  const FILE = 'EP-0001.json';
  const LINK = '"github": {\n    "issue": 12,\n    "url": "https://github.com/acme/app/issues/12"\n  },';
  const WITH_NODE_ID = '"github": {\n    "issue": 12,\n    "node_id": "I_kwDOAbc123",\n    "url": "https://github.com/acme/app/issues/12"\n  },';
  /** The update time of the epic, and the one every change writes in its place. */
  const STAMPED: [string, string] = ['"2026-03-01T12:30:00.000Z"', `"${STAMP}"`];

  /** A fixture copy whose epic's link carries GitHub's `node_id`. */
  function withNodeId() {
    const root = fixtureCopy(FIXTURE);
    const text = replaced(readText(root, FILE), [[LINK, WITH_NODE_ID]]);
    writeFileSync(join(root, FILE), text);
    return { root, text, store: storeAt(root) };
  }

  it('loads, and only its issue and address are read into the ticket', async () => {
    const snapshot = await withNodeId().store.snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.find((t) => t.path === FILE)!.ticket.github).toEqual({ issue: 12, url: 'https://github.com/acme/app/issues/12' });
  });

  it('rewrites only the number when the issue changes, and keeps node_id', async () => {
    const { root, text, store } = withNodeId();
    await store.update('EP-0001', (t) => ({ ...t, github: { issue: 13, url: t.github!.url } }));
    expect(readText(root, FILE)).toBe(replaced(text, [['"issue": 12', '"issue": 13'], STAMPED]));
    expect((await store.get('EP-0001'))!.github).toEqual({ issue: 13, url: 'https://github.com/acme/app/issues/12' });
  });

  it('removes only the address when the link loses it, and keeps node_id', async () => {
    const { root, text, store } = withNodeId();
    await store.update('EP-0001', (t) => ({ ...t, github: { issue: 12 } }));
    expect(readText(root, FILE)).toBe(replaced(text, [['"I_kwDOAbc123",\n    "url": "https://github.com/acme/app/issues/12"', '"I_kwDOAbc123"'], STAMPED]));
  });

  it('removes the whole object, node_id and all, when the link goes away', async () => {
    const { root, text, store } = withNodeId();
    await store.update('EP-0001', (t) => ({ ...t, github: undefined }));
    expect(readText(root, FILE)).toBe(replaced(text, [[`  ${WITH_NODE_ID}\n`, ''], STAMPED]));
    expect((await store.get('EP-0001'))!.github).toBeUndefined();
  });

});

describe('creating ticket-sync tickets', () => {
  it('numbers new tickets by type, continuing after the highest number in use', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const ids = [];
    for (const type of ['task', 'epic', 'bug', 'issue', 'task'] as const) ids.push((await store.create({ title: type, type })).id);
    expect(ids).toEqual(['TSK-0013', 'EP-0002', 'BUG-0010', 'ISS-0011', 'TSK-0014']);
  });

  it('starts each counter at 0001 in an empty location', async () => {
    const store = storeAt(tempDir());
    const ids = [];
    for (const type of ['task', 'epic', 'bug', 'issue'] as const) ids.push((await store.create({ title: type, type })).id);
    expect(ids).toEqual(['TSK-0001', 'EP-0001', 'BUG-0001', 'ISS-0001']);
  });

  it('writes a new file with two spaces, raw UTF-8 and a final newline', async () => {
    const root = tempDir();
    await storeAt(root).create({ title: 'Café ☕', type: 'bug', labels: ['ui'], assignees: ['octocat'] });
    expect(readText(root, 'BUG-0001.json')).toBe(
      '{\n  "id": "BUG-0001",\n  "type": "bug",\n  "title": "Café ☕",\n  "description": "",\n  "status": "open",\n  "priority": "medium",\n  "assignees": [\n    "octocat"\n  ],\n  "labels": [\n    "ui"\n  ],\n  "dependencies": [],\n  "comments": [],\n  "created_at": "2026-11-23T09:30:15.123Z",\n  "updated_at": "2026-11-23T09:30:15.123Z",\n  "metadata": {}\n}\n',
    );
  });

  it('returns a created ticket as the draft, completed with defaults and stamped with the creation time, and reads it back the same', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const created = await store.create({ title: 'Fresh', labels: ['a'] });
    expect(created).toEqual({
      id: created.id,
      type: 'task',
      title: 'Fresh',
      description: '',
      status: 'open',
      priority: 'medium',
      assignees: [],
      labels: ['a'],
      dependencies: [],
      comments: [],
      created_at: STAMP,
      updated_at: STAMP,
      metadata: {},
      format_fields: {},
    });
    expect(await store.get(created.id)).toEqual(created);
  });

  it('reads a created ticket with every field set back as the same ticket', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const draft: TicketDraft = {
      title: 'Everything',
      type: 'issue',
      description: 'All fields',
      status: 'review',
      priority: 'critical',
      assignees: ['octocat', 'hubot'],
      labels: ['x'],
      parent: 'EP-0001',
      dependencies: ['TSK-0003'],
      comments: [{ id: 'c-1', author: 'octocat', body: 'Hi', created_at: '2026-11-23T09:00:00Z', updated_at: '2026-11-23T09:01:00Z' }],
      created_at: '2026-11-20T10:00:00Z',
      updated_at: '2026-11-21T10:00:00Z',
      metadata: { sprint: 'S1', nested: { a: [1, null] } },
      format_fields: { details: 'from task-master' },
      github: { issue: 5, url: 'https://github.com/acme/app/issues/5' },
    };
    const created = await store.create(draft);
    expect(created).toEqual({ id: created.id, ...draft });
    expect(created.id).toBe('ISS-0011');
    expect(await store.get(created.id)).toEqual(created);
  });
});

// ---------------------------------------------------------------------------
// Properties

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }));
const ticketId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/);
/** Keys, now and then named like what every JavaScript object inherits. */
const key = fc.oneof(text, fc.constantFrom('toString', 'constructor', 'valueOf', 'hasOwnProperty'));
/** JSON values as a file can hold them (no -0). */
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const comment: fc.Arbitrary<Comment> = fc.record(
  { id: ticketId, author: text, body: text, created_at: text, updated_at: text },
  { requiredKeys: ['id', 'author', 'body', 'created_at'] },
);
const github = fc.record({ issue: fc.integer({ min: 1, max: 1_000_000 }), url: fc.webUrl() }, { requiredKeys: ['issue'] });
const freeObject = fc.dictionary(key, json, { maxKeys: 4 });

/** Any canonical ticket: our own format holds them all. */
const representable: fc.Arbitrary<Ticket> = fc
  .record(
    {
      id: ticketId,
      type: fc.constantFrom(...TICKET_TYPES),
      title: text,
      description: text,
      status: fc.constantFrom(...STATUSES),
      priority: fc.constantFrom(...PRIORITIES),
      assignees: fc.array(text, { maxLength: 3 }),
      labels: fc.array(text, { maxLength: 3 }),
      parent: ticketId,
      dependencies: fc.array(ticketId, { maxLength: 3 }),
      comments: fc.uniqueArray(comment, { selector: (c) => c.id, maxLength: 3 }),
      created_at: text,
      updated_at: text,
      metadata: freeObject,
      format_fields: freeObject,
      github,
    },
    { requiredKeys: ['id', 'type', 'title', 'description', 'status', 'priority', 'assignees', 'labels', 'dependencies', 'comments', 'metadata', 'format_fields'] },
  )
  .map((t) => Ticket.parse(t));

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ set: fc.constant('title' as const), value: text }),
  fc.record({ set: fc.constant('description' as const), value: text }),
  fc.record({ set: fc.constantFrom('created_at' as const, 'updated_at' as const), value: fc.option(text, { nil: undefined }) }),
  fc.record({ set: fc.constant('status' as const), value: fc.constantFrom(...STATUSES) }),
  fc.record({ set: fc.constant('priority' as const), value: fc.constantFrom(...PRIORITIES) }),
  fc.record({ set: fc.constant('type' as const), value: fc.constantFrom(...TICKET_TYPES) }),
  fc.record({ set: fc.constantFrom('assignees' as const, 'labels' as const), value: fc.array(text, { maxLength: 3 }) }),
  fc.record({ set: fc.constant('dependencies' as const), value: fc.array(ticketId, { maxLength: 3 }) }),
  fc.record({ set: fc.constant('parent' as const), value: fc.option(ticketId, { nil: undefined }) }),
  fc.record({ set: fc.constant('github' as const), value: fc.option(github, { nil: undefined }) }),
  fc.record({ set: fc.constant('format_fields' as const), value: freeObject }),
  fc.record({ metadata: key, value: fc.option(json, { nil: undefined }) }),
  fc.record({ comment: fc.constant('add' as const), value: comment }),
  fc.record({ comment: fc.constant('edit' as const), at: fc.nat(), body: text, updated_at: fc.option(text, { nil: undefined }) }),
  fc.record({ comment: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ comment: fc.constant('reverse' as const) }),
);

const FIXTURE_TEXTS = new Map(FIXTURE_FILES.map((path) => [path, readFileSync(join(FIXTURES, FIXTURE, path), 'utf8')]));

describe('ticket-sync format properties', () => {
  it('reads back any canonical ticket exactly as it was created', () => {
    fc.assert(
      fc.property(representable, (ticket) => {
        const files = new Map<string, string>();
        applyOps(files, native.create(ticket, { files: new Map(), tickets: [], now: FIXED_NOW }));
        const loaded = loadAll(files);
        expect(loaded.problems).toEqual([]);
        expect(loaded.tickets.map((t) => t.ticket)).toEqual([
          asCreated(native, ticket, STAMP),
        ]);
      }),
    );
  });

  it('reads back the last ticket given after any sequence of field changes, and keeps the style of the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURE_FILES), fc.array(change, { minLength: 1, maxLength: 8 }), (path, changes) => {
        const files = new Map(FIXTURE_TEXTS);
        const start = files.get(path)!;
        let current: LoadedTicket = loadAll(files).tickets.find((t) => t.path === path)!;
        for (const c of changes) {
          const next = Ticket.parse(applyChange(current.ticket, c));
          const loaded = loadAll(files);
          const ops = native.update(current, next, { files, tickets: loaded.tickets, now: FIXED_NOW });
          applyOps(files, ops);
          const prev = current.ticket;
          const reloaded = loadAll(files);
          expect(reloaded.problems).toEqual([]);
          current = reloaded.tickets.find((t) => t.path === path)!;
          expectWritten(native, prev, next, current, ops.some((op) => op.path === path));
        }
        const end = files.get(path)!;
        expect(end.startsWith('\uFEFF')).toBe(start.startsWith('\uFEFF'));
        expect(end.endsWith('\n')).toBe(start.endsWith('\n'));
        if (start.includes('\r\n')) expect(end.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        else expect(end).not.toContain('\r');
        if (!start.trim().includes('\n')) expect(end.trim()).not.toContain('\n');
        for (const [other, textOf] of FIXTURE_TEXTS) if (other !== path) expect(files.get(other)).toBe(textOf);
      }),
      { numRuns: 150 },
    );
  });
});

describe('ticket-sync files with problems', () => {
  it.each([
    ['a title that is a number', 'ISS-0002.json', '"title": "Sign in with passkeys"', '"title": 42', '/title', '"title": 42'],
    ['labels that are a string', 'ISS-0002.json', '"labels": [\n    "auth",\n    "webauthn"\n  ]', '"labels": "auth"', '/labels', '"labels": "auth"'],
    ['a status word nobody knows', 'ISS-0002.json', '"status": "review"', '"status": "sideways"', '/status', '"status": "sideways"'],
    ['a parent that is a number', 'ISS-0002.json', '"parent": "EP-0001"', '"parent": 1', '/parent', '"parent": 1'],
    ['a comment body that is a number', 'ISS-0002.json', '"body": "Looks good 👍 — one nit about the naïve timeout."', '"body": 7', '/comments/1/body', '"body": 7'],
    ['a dependency that would escape the folder, in a CRLF file', 'TSK-0003.json', '"dependencies": [],', '"dependencies": ["../x"],', '/dependencies/0', '"../x"'],
  ])('reports %s as a schema problem at the offending value, and loads the other tickets', async (_name, file, old, bad, pointer, at) => {
    const root = fixtureCopy(FIXTURE);
    const broken = replaced(readText(root, file), [[old, bad]]);
    writeFileSync(join(root, file), broken);
    const snapshot = await storeAt(root).snapshot();
    expect(snapshot.problems).toHaveLength(1);
    expect(snapshot.problems[0]).toMatchObject({ path: file, code: 'schema', pointer, ...positionOf(broken, at) });
    expect(snapshot.tickets.map((t) => t.path).sort()).toEqual(FIXTURE_FILES.filter((f) => f !== file));
    expect([...snapshot.invalidFiles]).toEqual([file]);
  });

  it('never rewrites a file with a problem: its ticket cannot be updated or created over, and its bytes stay', async () => {
    const root = fixtureCopy(FIXTURE);
    const broken = replaced(readText(root, 'ISS-0002.json'), [['"status": "review"', '"status": "sideways"']]);
    writeFileSync(join(root, 'ISS-0002.json'), broken);
    const store = storeAt(root);
    const update = await store.update('ISS-0002', (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect(update).toBeInstanceOf(StoreError);
    expect(update).toMatchObject({ code: 'invalid-file', message: 'ISS-0002.json has problems (see `ticket-sync validate`); it is never rewritten' });
    await expect(store.create({ id: 'ISS-0002', title: 'replacement' })).rejects.toMatchObject({ name: 'StoreError', code: 'exists' });
    expect(readText(root, 'ISS-0002.json')).toBe(broken);
  });

  it('leaves both files alone when a ticket in a subfolder claims an id already in use', async () => {
    const root = fixtureCopy(FIXTURE);
    mkdirSync(join(root, 'old'));
    copyFileSync(join(root, 'TSK-0003.json'), join(root, 'old', 'TSK-0003.json'));
    const store = storeAt(root);
    const before = readBytes(root, 'TSK-0003.json');
    const snapshot = await store.snapshot();
    expect(snapshot.problems.map((p) => [p.path, p.code])).toEqual([
      ['TSK-0003.json', 'duplicate-id'],
      ['old/TSK-0003.json', 'duplicate-id'],
    ]);
    const update = await store.update('TSK-0003', (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect((update as StoreError).code).toBe('invalid-file');
    expect(readBytes(root, 'TSK-0003.json').equals(before)).toBe(true);
    expect(readBytes(root, 'old/TSK-0003.json').equals(before)).toBe(true);
  });
});
