/**
 * TicketManager (Orchestr8): its files, active and archived, are read into
 * the canonical ticket and written back without losing a byte.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, FIXED_NOW, FIXTURES, fixtureCopy, readBytes, readText, tempDir } from '../../../test/support/files.js';
import { Ticket, type Comment, type TicketDraft } from '../model.js';
import { StoreError } from '../store.js';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../vocabulary.js';
import { ticketmanager } from './ticketmanager.js';
import type { LoadedTicket } from './types.js';
import { applyChange, applyOps, formatFixture, positionOf, replaced, type Change, asCreated, expectWritten } from '../../../test/support/format-fixture.js';

const FIXTURE = 'ticketmanager';
/** What the format stamps on a new ticket at `FIXED_NOW`: Python's `isoformat()`. */
const STAMP = '2026-11-23T09:30:15.123000';
/** The `context` keys the format keeps canonical fields in. */
const CLAIMED = ['priority', 'type', 'assignees', 'labels', 'parent', 'blocked_by', 'github'];

const { FIXTURE_FILES, storeAt, contextOf, bytesOf, changed, loadAll, describeUnchangedWrites } = formatFixture(FIXTURE, ticketmanager);

describe('reading TicketManager files', () => {
  it('reads every fixture file, active and archived, into one valid ticket, without a problem', async () => {
    const snapshot = await storeAt(fixtureCopy(FIXTURE)).snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.map((t) => t.path).sort()).toEqual(FIXTURE_FILES);
    expect(FIXTURE_FILES.filter((path) => path.startsWith('archive/'))).toHaveLength(2);
    for (const loaded of snapshot.tickets) expect(loaded.path.replace(/^archive\//, '')).toBe(`${loaded.ticket.id}.json`);
  });

  it('reads the ticket of the integration notes: notes as comments with derived ids, fiefdom, errors and warnings as format fields', async () => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get('a1b2c3d4')).toEqual({
      id: 'a1b2c3d4',
      type: 'task',
      title: 'Broken import in foo.py',
      description: 'The import statement is malformed',
      status: 'open',
      priority: 'medium',
      assignees: [],
      labels: [],
      dependencies: [],
      comments: [{ id: 'c-4e10036b33', author: 'System', body: 'Ticket created from health check', created_at: '10:35:00' }],
      created_at: '2026-02-16T10:30:00.000000',
      updated_at: '2026-02-16T10:35:00.120044',
      metadata: { related_files: ['foo.py', 'bar.py'] },
      format_fields: {
        fiefdom: 'IP/components',
        errors: ["ImportError: cannot import 'bar' from 'baz'"],
        warnings: ["Warning: unused import 'qux'"],
      },
    });
  });

  it('reads the canonical fields ticket-sync keeps in context, and the rest of context as metadata', async () => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get('c0ffee42')).toEqual({
      id: 'c0ffee42',
      type: 'bug',
      title: 'Mirror tickets to GitHub',
      description: 'Blocked on the app installation.',
      status: 'blocked',
      priority: 'critical',
      assignees: ['octocat', 'hubot'],
      labels: ['sync', 'github'],
      parent: 'a1b2c3d4',
      dependencies: ['3f9e1c07'],
      comments: [
        { id: 'n-1', author: 'octocat', body: 'Waiting on the org admin', created_at: '06:10:00', updated_at: '2026-02-23T06:12:00' },
        { id: 'c-001b51569a', author: 'System', body: 'Ticket created from health check', created_at: '06:30:00' },
      ],
      created_at: '2026-02-23T06:00:00.000000',
      updated_at: '2026-02-23T06:30:00.000000',
      metadata: { health_check: { last_run: '2026-02-23T06:00:00', findings: [], extra: { owner: null } } },
      format_fields: { fiefdom: 'IP/sync' },
      github: { issue: 42, url: 'https://github.com/acme/orchestr8/issues/42' },
    });
  });

  it('reads a dependencies key in context as free metadata, and only context.blocked_by as the dependencies', async () => {
    const root = fixtureCopy(FIXTURE);
    writeFileSync(join(root, 'c0ffee42.json'), replaced(readText(root, 'c0ffee42.json'), [['"health_check": {', '"dependencies": ["redis", "celery"],\n    "health_check": {']]));
    const ticket = await storeAt(root).get('c0ffee42');
    expect(ticket!.dependencies).toEqual(['3f9e1c07']);
    expect(ticket!.metadata.dependencies).toEqual(['redis', 'celery']);
  });

  it('reads the priority the Director puts in context, and keeps the rest of context as metadata', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('3f9e1c07');
    expect(ticket).toMatchObject({
      priority: 'high',
      metadata: { escalated_from: 'director' },
      format_fields: { fiefdom: 'general/general-7', errors: ['General general-7 stuck: no progress for 600s'] },
    });
    expect(ticket!.comments.map((c) => [c.id, c.author])).toEqual([
      ['c-b45438f317', 'Director'],
      ['c-abb96fc649', 'Doctor'],
    ]);
  });

  it('never shows the context keys that hold canonical fields as metadata', async () => {
    for (const ticket of await storeAt(fixtureCopy(FIXTURE)).list()) {
      expect(Object.keys(ticket.metadata).filter((key) => CLAIMED.includes(key)), ticket.id).toEqual([]);
    }
  });

  it('reads empty errors, warnings and fiefdom as absent format fields', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    expect((await store.get('b84f0a6e'))!.format_fields).toEqual({ fiefdom: 'IP/carl_core', errors: ["KeyError: 'fiefdom'"] });
    expect((await store.get('e05d7b12'))!.format_fields).toEqual({ fiefdom: 'IP/health', warnings: ['flap detected'] });
  });

  it.each<[string, string, Partial<Ticket>]>([
    ['0d4e8f2a', '"archived", in archive/', { status: 'done', priority: 'medium' }],
    ['5b7a9c3e', '"resolved", in archive/', { status: 'done', priority: 'medium' }],
    ['7c2d9e41', '"resolved" and "P1"', { status: 'done', priority: 'high' }],
    ['3f9e1c07', '"in_progress" and "high"', { status: 'in_progress', priority: 'high' }],
    ['e05d7b12', '"open" and "low" (a file with a byte-order mark)', { status: 'open', priority: 'low' }],
    ['b84f0a6e', '"open" and no priority (a CRLF file)', { status: 'open', priority: 'medium' }],
  ])('reads the status and priority of %s, %s, as their canonical meaning', async (id, _words, expected) => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get(id)).toMatchObject(expected);
  });

  it('gives two notes that say the same thing at the same time two ids, the same on every read', async () => {
    const root = fixtureCopy(FIXTURE);
    const first = (await storeAt(root).get('5b7a9c3e'))!.comments.map((c) => c.id);
    const again = (await storeAt(root).get('5b7a9c3e'))!.comments.map((c) => c.id);
    expect(first).toEqual(['c-32e1594d8a', 'c-32e1594d8a-2', 'c-a8a1589f41']);
    expect(again).toEqual(first);
  });

  it('reads escaped and raw unicode alike', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    expect(await store.get('7c2d9e41')).toMatchObject({
      title: 'Résumé panel crashes on naïve dates',
      comments: [{ body: 'Fixed: parse with fromisoformat ✔' }],
      metadata: { file_path: 'IP/plugins/resume_panel.py', line: null },
    });
    expect(await store.get('9a1f3c55')).toMatchObject({
      title: 'Übersetzungen für 日本語 fehlen',
      format_fields: { fiefdom: 'IP/übersetzung' },
      comments: [{ author: 'Zoë' }],
    });
  });
});

describeUnchangedWrites('TicketManager');

describe('changing one field of a TicketManager ticket', () => {
  const cases: [string, string, (t: Ticket) => Ticket, [string, string][]][] = [
    [
      'a new title on an archived ticket changes only the title, and the status stays "archived"',
      'archive/0d4e8f2a.json',
      (t) => ({ ...t, title: 'Unused import in bar.py, removed' }),
      [['"title": "Unused import in bar.py"', '"title": "Unused import in bar.py, removed"']],
    ],
    [
      'an open ticket that is done is written "resolved", the word TicketManager uses',
      'a1b2c3d4.json',
      (t) => ({ ...t, status: 'done' }),
      [['"status": "open"', '"status": "resolved"']],
    ],
    [
      'an archived ticket taken up again is written "in_progress"',
      'archive/0d4e8f2a.json',
      (t) => ({ ...t, status: 'in_progress' }),
      [['"status": "archived"', '"status": "in_progress"']],
    ],
    [
      'a new title in a file written with escapes is escaped, and "P1" stays',
      '7c2d9e41.json',
      (t) => ({ ...t, title: 'Résumé panel crashes on naïve dates — fixed' }),
      [
        [
          '"title": "R\\u00e9sum\\u00e9 panel crashes on na\\u00efve dates"',
          '"title": "R\\u00e9sum\\u00e9 panel crashes on na\\u00efve dates \\u2014 fixed"',
        ],
      ],
    ],
    [
      'a note added to a CRLF file is written as a note, with CRLF and escapes',
      'b84f0a6e.json',
      (t) => ({ ...t, comments: [{ id: 'n-2', author: 'Doctor', body: 'Looking at it — now', created_at: '07:05:00' }] }),
      [
        [
          '"notes": []',
          '"notes": [\r\n    {\r\n      "time": "07:05:00",\r\n      "author": "Doctor",\r\n      "text": "Looking at it \\u2014 now",\r\n      "id": "n-2"\r\n    }\r\n  ]',
        ],
      ],
    ],
    [
      'a note without an id that is edited gets its id written, so the id stays with it',
      'a1b2c3d4.json',
      (t) => ({ ...t, comments: [{ ...t.comments[0]!, body: 'Ticket created by the health check' }] }),
      [['"text": "Ticket created from health check"', '"text": "Ticket created by the health check",\n      "id": "c-4e10036b33"']],
    ],
    [
      "a note edited keeps the note's own keys",
      'c0ffee42.json',
      (t) => ({ ...t, comments: [t.comments[0]!, { ...t.comments[1]!, body: 'Created by the health check' }] }),
      [
        [
          '"text": "Ticket created from health check",\n      "channel": "health"',
          '"text": "Created by the health check",\n      "channel": "health",\n      "id": "c-001b51569a"',
        ],
      ],
    ],
    [
      'a note that loses its edit time loses only that key',
      'c0ffee42.json',
      (t) => {
        const { updated_at: _dropped, ...unedited } = t.comments[0]!;
        return { ...t, comments: [unedited, t.comments[1]!] };
      },
      [['"id": "n-1",\n      "updated_at": "2026-02-23T06:12:00"', '"id": "n-1"']],
    ],
    [
      'the first of two like notes deleted: the second keeps its id, written into it',
      'archive/5b7a9c3e.json',
      (t) => ({ ...t, comments: t.comments.slice(1) }),
      [
        [
          '"notes": [\n    {\n      "time": "15:00:00",\n      "author": "System",\n      "text": "Health check passed"\n    },\n    {\n      "time": "15:00:00",\n      "author": "System",\n      "text": "Health check passed"\n    },',
          '"notes": [\n    {\n      "time": "15:00:00",\n      "author": "System",\n      "text": "Health check passed",\n      "id": "c-32e1594d8a-2"\n    },',
        ],
      ],
    ],
    [
      'the second of two like notes deleted: nothing else changes',
      'archive/5b7a9c3e.json',
      (t) => ({ ...t, comments: [t.comments[0]!, t.comments[2]!] }),
      [['    {\n      "time": "15:00:00",\n      "author": "System",\n      "text": "Health check passed"\n    },\n    {\n      "time": "15:30:00"', '    {\n      "time": "15:30:00"']],
    ],
    [
      'a priority in context changed changes only that word',
      '3f9e1c07.json',
      (t) => ({ ...t, priority: 'critical' }),
      [['"priority": "high"', '"priority": "critical"']],
    ],
    [
      'a priority set where context has none is added at the end of context',
      'a1b2c3d4.json',
      (t) => ({ ...t, priority: 'high' }),
      [['"bar.py"\n    ]\n  },', '"bar.py"\n    ],\n    "priority": "high"\n  },']],
    ],
    [
      'a label on a CRLF ticket with an empty context fills it with CRLF',
      'b84f0a6e.json',
      (t) => ({ ...t, labels: ['carl'] }),
      [['"context": {},', '"context": {\r\n    "labels": [\r\n      "carl"\r\n    ]\r\n  },']],
    ],
    [
      'errors cleared leave an empty list, as the tool writes it',
      'a1b2c3d4.json',
      (t) => {
        const { errors: _cleared, ...rest } = t.format_fields;
        return { ...t, format_fields: rest };
      },
      [['"errors": [\n    "ImportError: cannot import \'bar\' from \'baz\'"\n  ]', '"errors": []']],
    ],
    [
      'format fields taken away leave the fiefdom empty rather than removing its key',
      'c0ffee42.json',
      (t) => ({ ...t, format_fields: {} }),
      [['"fiefdom": "IP/sync"', '"fiefdom": ""']],
    ],
    [
      'a fiefdom changed in a file with a byte-order mark is written with escapes',
      'e05d7b12.json',
      (t) => ({ ...t, format_fields: { ...t.format_fields, fiefdom: 'IP/santé' } }),
      [['"fiefdom": "IP/health"', '"fiefdom": "IP/sant\\u00e9"']],
    ],
    [
      'a metadata key added in a file written with ensure_ascii=False stays raw UTF-8',
      '9a1f3c55.json',
      (t) => ({ ...t, metadata: { ...t.metadata, reviewer: 'Zoë' } }),
      [['"locale": "ja-JP"\n  }', '"locale": "ja-JP",\n    "reviewer": "Zoë"\n  }']],
    ],
    [
      'a github link set goes into context after its last key',
      '3f9e1c07.json',
      (t) => ({ ...t, github: { issue: 7, url: 'https://github.com/acme/orchestr8/issues/7' } }),
      [
        [
          '"priority": "high"\n  }',
          '"priority": "high",\n    "github": {\n      "issue": 7,\n      "url": "https://github.com/acme/orchestr8/issues/7"\n    }\n  }',
        ],
      ],
    ],
    [
      'a dependency added is written into context.blocked_by',
      'c0ffee42.json',
      (t) => ({ ...t, dependencies: [...t.dependencies, 'e05d7b12'] }),
      [['"blocked_by": [\n      "3f9e1c07"\n    ]', '"blocked_by": [\n      "3f9e1c07",\n      "e05d7b12"\n    ]']],
    ],
    [
      'a parent cleared removes context.parent and keeps the unknown fields',
      'c0ffee42.json',
      (t) => ({ ...t, parent: undefined }),
      [['    "parent": "a1b2c3d4",\n', '']],
    ],
  ];

  it.each(cases)('%s', async (_name, file, change, pairs) => {
    const { before, after, given, readBack } = await changed(file, change);
    // The same differing bytes means the same file: everything else is as it was.
    expect(difference(before, after)).toEqual(difference(before, replaced(before, pairs)));
    expect(readBack).toEqual(given);
  });

  it('keeps CRLF line ends in a file written on Windows, in the bytes it adds too', async () => {
    const { before, after } = await changed('b84f0a6e.json', (t) => ({
      ...t,
      assignees: ['doctor'],
      format_fields: { ...t.format_fields, warnings: ['slow'] },
    }));
    expect(difference(before, after).after).toContain('\r\n');
    expect(after.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps the byte-order mark of a file that has one', async () => {
    const { bytes, readBack } = await changed('e05d7b12.json', (t) => ({ ...t, status: 'in_progress' }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readBack!.status).toBe('in_progress');
  });
});

describe('creating TicketManager tickets', () => {
  it('names a new ticket with eight hex digits, as uuid4()[:8], never one in use', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push((await store.create({ title: `Ticket ${n}` })).id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set([...ids, ...FIXTURE_FILES.map((p) => p.replace(/^archive\//, '').replace('.json', ''))]).size).toBe(ids.length + FIXTURE_FILES.length);
  });

  it('writes a new file in the active folder exactly as json.dump(indent=2) writes the dataclass', async () => {
    const root = tempDir();
    const created = await storeAt(root).create({
      title: 'Broken import in café.py',
      priority: 'high',
      format_fields: { fiefdom: 'IP/components', errors: ['ImportError: x'] },
    });
    expect(readText(root, `${created.id}.json`)).toBe(
      `{\n  "id": "${created.id}",\n  "fiefdom": "IP/components",\n  "status": "open",\n  "title": "Broken import in caf\\u00e9.py",\n  "description": "",\n  "errors": [\n    "ImportError: x"\n  ],\n  "warnings": [],\n  "context": {\n    "priority": "high"\n  },\n  "created_at": "2026-11-23T09:30:15.123000",\n  "updated_at": "2026-11-23T09:30:15.123000",\n  "notes": []\n}`,
    );
  });

  it('returns a created ticket as the draft, completed with defaults and stamped with the creation time, and reads it back the same', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    const created = await store.create({ title: 'Fresh' });
    expect(created).toEqual({
      id: created.id,
      type: 'task',
      title: 'Fresh',
      description: '',
      status: 'open',
      priority: 'medium',
      assignees: [],
      labels: [],
      dependencies: [],
      comments: [],
      created_at: STAMP,
      updated_at: STAMP,
      metadata: {},
      format_fields: {},
    });
    expect(await store.get(created.id)).toEqual(created);
  });

  it('reads a created ticket with every field set back as the same ticket, and writes "resolved" for done', async () => {
    const root = fixtureCopy(FIXTURE);
    const store = storeAt(root);
    const draft: TicketDraft = {
      title: 'Everything',
      type: 'epic',
      description: 'All fields',
      status: 'done',
      priority: 'low',
      assignees: ['octocat'],
      labels: ['x'],
      parent: 'a1b2c3d4',
      dependencies: ['3f9e1c07'],
      comments: [{ id: 'c-9', author: 'octocat', body: 'Hi — there', created_at: '09:00:00', updated_at: '2026-11-23T09:01:00' }],
      created_at: '2026-11-20T10:00:00.000000',
      updated_at: '2026-11-21T10:00:00.000000',
      metadata: { related_files: ['a.py'] },
      format_fields: { fiefdom: 'IP/x', errors: ['e'], warnings: ['w'] },
      github: { issue: 5, url: 'https://github.com/acme/orchestr8/issues/5' },
    };
    const created = await store.create(draft);
    expect(created).toEqual({ id: created.id, ...draft });
    expect(await store.get(created.id)).toEqual(created);
    const raw = JSON.parse(readText(root, `${created.id}.json`)) as Record<string, unknown>;
    expect(raw.status).toBe('resolved');
    expect(raw.notes).toEqual([{ time: '09:00:00', author: 'octocat', text: 'Hi — there', id: 'c-9', updated_at: '2026-11-23T09:01:00' }]);
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
const metadata = fc.dictionary(key.filter((k) => !CLAIMED.includes(k)), json, { maxKeys: 4 });
/** The format fields TicketManager holds; an empty one is the same as none. */
const formatFields = fc.record(
  {
    fiefdom: fc.string({ minLength: 1, maxLength: 12 }),
    errors: fc.array(text, { minLength: 1, maxLength: 2 }),
    warnings: fc.array(text, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** Any canonical ticket TicketManager can hold. */
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
      metadata,
      format_fields: formatFields,
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
  fc.record({ set: fc.constant('format_fields' as const), value: formatFields }),
  fc.record({ metadata: key.filter((k) => !CLAIMED.includes(k)), value: fc.option(json, { nil: undefined }) }),
  fc.record({ comment: fc.constant('add' as const), value: comment }),
  fc.record({ comment: fc.constant('edit' as const), at: fc.nat(), body: text, updated_at: fc.option(text, { nil: undefined }) }),
  fc.record({ comment: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ comment: fc.constant('reverse' as const) }),
);

const FIXTURE_TEXTS = new Map(FIXTURE_FILES.map((path) => [path, readFileSync(join(FIXTURES, FIXTURE, path), 'utf8')]));

describe('TicketManager properties', () => {
  it('reads back any ticket it can represent exactly as it was created', () => {
    fc.assert(
      fc.property(representable, (ticket) => {
        const files = new Map<string, string>();
        applyOps(files, ticketmanager.create(ticket, { files: new Map(), tickets: [], now: FIXED_NOW }));
        const loaded = loadAll(files);
        expect(loaded.problems).toEqual([]);
        expect(loaded.tickets.map((t) => t.ticket)).toEqual([
          asCreated(ticketmanager, ticket, STAMP),
        ]);
        // json.dump's style: nothing but ASCII, every key of the dataclass, no final newline.
        const written = [...files.values()][0]!;
        expect(written).toMatch(/^[\x00-\x7f]*\}$/);
        expect(Object.keys(JSON.parse(written) as object)).toEqual([
          'id', 'fiefdom', 'status', 'title', 'description', 'errors', 'warnings', 'context', 'created_at', 'updated_at', 'notes',
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
          const ops = ticketmanager.update(current, next, { files, tickets: loaded.tickets, now: FIXED_NOW });
          applyOps(files, ops);
          const prev = current.ticket;
          const reloaded = loadAll(files);
          expect(reloaded.problems).toEqual([]);
          current = reloaded.tickets.find((t) => t.path === path)!;
          expectWritten(ticketmanager, prev, next, current, ops.some((op) => op.path === path));
        }
        const end = files.get(path)!;
        expect(end.startsWith('\uFEFF')).toBe(start.startsWith('\uFEFF'));
        if (start.includes('\r\n')) expect(end.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        else expect(end).not.toContain('\r');
        if (/^[\ufeff\x00-\x7f]*$/.test(start)) expect(end).toMatch(/^[\ufeff\x00-\x7f]*$/);
        // The keys the tool needs to load the file are all still there.
        const raw = JSON.parse(end.replace(/^\uFEFF/, '')) as Record<string, unknown>;
        for (const key of ['fiefdom', 'errors', 'warnings', 'context', 'notes']) expect(raw).toHaveProperty(key);
        for (const [other, textOf] of FIXTURE_TEXTS) if (other !== path) expect(files.get(other)).toBe(textOf);
      }),
      { numRuns: 150 },
    );
  });
});

describe('TicketManager files with problems', () => {
  it.each([
    ['a title that is a number', 'a1b2c3d4.json', '"title": "Broken import in foo.py"', '"title": 42', '/title', '"title": 42'],
    ['errors that are a string', 'a1b2c3d4.json', '"errors": [\n    "ImportError: cannot import \'bar\' from \'baz\'"\n  ]', '"errors": "boom"', '/errors', '"errors": "boom"'],
    ['a status word nobody knows', 'a1b2c3d4.json', '"status": "open"', '"status": "frobnicated"', '/status', '"status": "frobnicated"'],
    ['a parent in context that is a number', 'c0ffee42.json', '"parent": "a1b2c3d4"', '"parent": 7', '/context/parent', '"parent": 7'],
    ['a priority in context nobody knows', '3f9e1c07.json', '"priority": "high"', '"priority": "whenever"', '/context/priority', '"priority": "whenever"'],
    ['a note without its text, in a CRLF file', 'b84f0a6e.json', '"notes": []', '"notes": [{"time": "07:00:00", "author": "System"}]', '/notes/0/text', '{"time": "07:00:00"'],
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

  it('names the missing field of a note that lacks one', async () => {
    const root = fixtureCopy(FIXTURE);
    writeFileSync(join(root, 'b84f0a6e.json'), replaced(readText(root, 'b84f0a6e.json'), [['"notes": []', '"notes": [{"time": "07:00:00", "author": "System"}]']]));
    const [problem] = (await storeAt(root).snapshot()).problems;
    expect(problem!.message).toBe('"notes.0.text": missing required field "text"');
  });

  it('never rewrites a file with a problem: its ticket cannot be updated or created over, and its bytes stay', async () => {
    const root = fixtureCopy(FIXTURE);
    const broken = replaced(readText(root, 'a1b2c3d4.json'), [['"status": "open"', '"status": "frobnicated"']]);
    writeFileSync(join(root, 'a1b2c3d4.json'), broken);
    const store = storeAt(root);
    const update = await store.update('a1b2c3d4', (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect(update).toBeInstanceOf(StoreError);
    expect(update).toMatchObject({ code: 'invalid-file', message: 'a1b2c3d4.json has problems (see `ticket-sync validate`); it is never rewritten' });
    await expect(store.create({ id: 'a1b2c3d4', title: 'replacement' })).rejects.toMatchObject({ name: 'StoreError', code: 'exists' });
    expect(readText(root, 'a1b2c3d4.json')).toBe(broken);
  });

  it('leaves both files alone when a ticket was copied into archive/ instead of moved', async () => {
    const root = fixtureCopy(FIXTURE);
    copyFileSync(join(root, 'a1b2c3d4.json'), join(root, 'archive', 'a1b2c3d4.json'));
    const store = storeAt(root);
    const before = readBytes(root, 'a1b2c3d4.json');
    const snapshot = await store.snapshot();
    expect(snapshot.problems.map((p) => [p.path, p.code])).toEqual([
      ['a1b2c3d4.json', 'duplicate-id'],
      ['archive/a1b2c3d4.json', 'duplicate-id'],
    ]);
    const update = await store.update('a1b2c3d4', (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect((update as StoreError).code).toBe('invalid-file');
    expect(readBytes(root, 'a1b2c3d4.json').equals(before)).toBe(true);
    expect(readBytes(root, 'archive/a1b2c3d4.json').equals(before)).toBe(true);
  });
});
