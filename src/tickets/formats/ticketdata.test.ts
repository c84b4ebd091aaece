/**
 * TicketData (claude-pm's TicketingService): its files are read into the
 * canonical ticket and written back without losing a byte.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, FIXED_NOW, FIXTURES, fixtureCopy, readBytes, readText, tempDir } from '../../../test/support/files.js';
import { Ticket, type Comment, type TicketDraft } from '../model.js';
import { StoreError } from '../store.js';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../vocabulary.js';
import { ticketdata } from './ticketdata.js';
import type { LoadedTicket } from './types.js';
import { applyChange, applyOps, formatFixture, positionOf, replaced, type Change, asCreated, expectWritten } from '../../../test/support/format-fixture.js';

const FIXTURE = 'ticketdata';
/** What the format stamps on a new ticket at `FIXED_NOW`: Python's `isoformat()`. */
const STAMP = '2026-11-23T09:30:15.123000';
/** The `metadata` keys the format keeps canonical fields in. */
const CLAIMED = ['type', 'parent_ticket', 'blocked_by', 'comments', 'github', 'additional_assignees'];

const { FIXTURE_FILES, storeAt, contextOf, bytesOf, changed, loadAll, describeUnchangedWrites } = formatFixture(FIXTURE, ticketdata);

describe('reading TicketData files', () => {
  it('reads every fixture file into one valid ticket, without a problem', async () => {
    const snapshot = await storeAt(fixtureCopy(FIXTURE)).snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.map((t) => t.path).sort()).toEqual(FIXTURE_FILES);
    for (const loaded of snapshot.tickets) expect(`${loaded.ticket.id}.json`).toBe(loaded.path);
  });

  it('reads a closed bug with its comments out of metadata, and its own comment keys stay out of the ticket', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('CLAUDE-20250721120001');
    expect(ticket).toEqual({
      id: 'CLAUDE-20250721120001',
      type: 'bug',
      title: 'ImportError in unified_core_service',
      description: 'Users report ImportError when running claude-pm --version',
      status: 'done',
      priority: 'critical',
      assignees: ['engineer-agent'],
      labels: ['bug', 'production', 'import-error'],
      dependencies: [],
      comments: [
        {
          id: 'c1',
          author: 'research-agent',
          body: 'Root cause: Circular import between core.py and services.py',
          created_at: '2025-07-21T13:10:00.000000',
        },
        {
          id: 'c2',
          author: 'engineer-agent',
          body: 'Fix merged in #412',
          created_at: '2025-07-21T18:05:44.900001',
          updated_at: '2025-07-21T18:06:02.000000',
        },
      ],
      created_at: '2025-07-21T12:00:01.117820',
      updated_at: '2025-07-21T18:05:44.900001',
      metadata: {
        error_message: "ImportError: cannot import name 'unified_core_service'",
        affected_versions: ['1.3.9', '1.4.0'],
        user_reports: 5,
        root_cause: 'circular_import',
        resolution: 'Refactored imports to eliminate circular dependency',
      },
      format_fields: {},
    });
  });

  it('reads the single assignee and the additional ones as one list of assignees', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('CLAUDE-20250725170000');
    expect(ticket).toMatchObject({
      type: 'issue',
      status: 'done',
      assignees: ['engineer-agent', 'qa-agent', 'documentation-agent'],
      comments: [{ id: 'c-research' }, { id: 'c-design', body: 'Created architecture design document — see docs/ws.md' }],
    });
    expect(ticket!.metadata).toEqual({
      research_complete: true,
      design_complete: true,
      implementation_complete: true,
      testing_complete: true,
      documentation_complete: true,
      estimate: { hours: 24.5, confidence: null, tags: [] },
    });
  });

  it('never shows the metadata keys that hold canonical fields as metadata', async () => {
    const tickets = await storeAt(fixtureCopy(FIXTURE)).list();
    for (const ticket of tickets) {
      expect(Object.keys(ticket.metadata).filter((key) => CLAIMED.includes(key)), ticket.id).toEqual([]);
    }
  });

  it.each<[string, string, Partial<Ticket>]>([
    ['CLAUDE-20250722093002', '"In Progress" and "P1" (a CRLF file)', { status: 'in_progress', priority: 'high' }],
    ['CLAUDE-20250722093001', '"resolved" and "medium"', { status: 'done', priority: 'medium' }],
    ['CLAUDE-20250721120001', '"closed" and "critical"', { status: 'done', priority: 'critical' }],
    ['CLAUDE-20250721120000', '"in_progress" and "high"', { status: 'in_progress', priority: 'high' }],
    ['CLAUDE-20250723101500', '"open" and "low"', { status: 'open', priority: 'low' }],
  ])('reads the status and priority of %s, %s, as their canonical meaning', async (id, _words, expected) => {
    expect(await storeAt(fixtureCopy(FIXTURE)).get(id)).toMatchObject(expected);
  });

  it('reads metadata.parent_ticket as the parent and metadata.blocked_by as the dependencies', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('CLAUDE-20250722093002');
    expect(ticket).toMatchObject({ parent: 'CLAUDE-20250722093000', dependencies: ['CLAUDE-20250722093001'] });
    expect(ticket!.metadata).toEqual({ implementation_complete: false });
  });

  it('reads the library names of metadata.dependencies, as the service documents them, as free metadata and not as dependencies', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('CLAUDE-20250721120000');
    expect(ticket!.dependencies).toEqual([]);
    expect(ticket!.metadata).toEqual({
      estimated_hours: 8,
      sprint: '2025-Q1-Sprint3',
      dependencies: ['database-schema', 'jwt-library'],
      qa_test_plan: 'regression-suite-v2',
    });
  });

  it('reads escaped and raw unicode alike, a missing assignee as none, and a github link out of metadata', async () => {
    const store = storeAt(fixtureCopy(FIXTURE));
    expect(await store.get('CLAUDE-20250722093000')).toMatchObject({
      type: 'epic',
      description: 'Complete database migration with zero downtime — coordinated by the café team 🚀',
      assignees: [],
      github: { issue: 87, url: 'https://github.com/acme/platform/issues/87' },
    });
    expect(await store.get('CLAUDE-20250723101500')).toMatchObject({
      title: 'Übersetzung der Fehlermeldungen prüfen',
      labels: ['i18n', 'größe'],
      metadata: { locale: 'de-DE', reviewer: 'Zoë' },
    });
  });

  it('reads the nulls Python writes for None as absent values', async () => {
    const ticket = await storeAt(fixtureCopy(FIXTURE)).get('CLAUDE-20250724080000');
    expect(ticket).toEqual({
      id: 'CLAUDE-20250724080000',
      type: 'task',
      title: 'Stub ticket created while ai-trackdown was unavailable',
      description: '',
      status: 'open',
      priority: 'medium',
      assignees: [],
      labels: [],
      dependencies: [],
      comments: [],
      metadata: {},
      format_fields: {},
    });
  });
});

describeUnchangedWrites('TicketData');

describe('changing one field of a TicketData ticket', () => {
  const cases: [string, string, (t: Ticket) => Ticket, [string, string][]][] = [
    [
      'a new title on a closed ticket changes only the title, and the status stays "closed"',
      'CLAUDE-20250721120001.json',
      (t) => ({ ...t, title: 'Circular import breaks claude-pm --version' }),
      [['"title": "ImportError in unified_core_service"', '"title": "Circular import breaks claude-pm --version"']],
    ],
    [
      'a resolved ticket set back to in progress is written "in_progress"',
      'CLAUDE-20250722093001.json',
      (t) => ({ ...t, status: 'in_progress' }),
      [['"status": "resolved"', '"status": "in_progress"']],
    ],
    [
      'a ticket "In Progress" that is done is written "resolved", the word TicketData uses',
      'CLAUDE-20250722093002.json',
      (t) => ({ ...t, status: 'done' }),
      [['"status": "In Progress"', '"status": "resolved"']],
    ],
    [
      'a new title on a resolved ticket keeps "resolved" and the fields TicketData does not know',
      'CLAUDE-20250725170000.json',
      (t) => ({ ...t, title: 'Real-time collaboration' }),
      [['"title": "Add real-time collaboration features"', '"title": "Real-time collaboration"']],
    ],
    [
      'a priority of another meaning replaces "P1" with the word TicketData uses',
      'CLAUDE-20250722093002.json',
      (t) => ({ ...t, priority: 'critical' }),
      [['"priority": "P1"', '"priority": "critical"']],
    ],
    [
      'a label removed rewrites only the labels',
      'CLAUDE-20250721120000.json',
      (t) => ({ ...t, labels: ['feature', 'backend'] }),
      [['"labels": [\n    "feature",\n    "security",\n    "backend"\n  ]', '"labels": [\n    "feature",\n    "backend"\n  ]']],
    ],
    [
      'a first label in a file with a byte-order mark fills the empty array in the indentation of the file',
      'CLAUDE-20250724080000.json',
      (t) => ({ ...t, labels: ['urgent'] }),
      [['"labels": []', '"labels": [\n    "urgent"\n  ]']],
    ],
    [
      'another assignee replaces the single assignee',
      'CLAUDE-20250721120000.json',
      (t) => ({ ...t, assignees: ['qa-agent'] }),
      [['"assignee": "engineer-agent"', '"assignee": "qa-agent"']],
    ],
    [
      'two assignees on an unassigned ticket fill the assignee and add the second to metadata',
      'CLAUDE-20250722093000.json',
      (t) => ({ ...t, assignees: ['research-agent', 'ops-agent'] }),
      [
        ['"assignee": null', '"assignee": "research-agent"'],
        ['"end": null\n      }\n    }\n  }', '"end": null\n      }\n    },\n    "additional_assignees": [\n      "ops-agent"\n    ]\n  }'],
      ],
    ],
    [
      'dropping the additional assignees removes only their key',
      'CLAUDE-20250725170000.json',
      (t) => ({ ...t, assignees: ['engineer-agent'] }),
      [['    "additional_assignees": [\n      "qa-agent",\n      "documentation-agent"\n    ],\n', '']],
    ],
    [
      'a comment added goes after the last one, its unicode escaped as json.dump does',
      'CLAUDE-20250721120001.json',
      (t) => ({
        ...t,
        comments: [...t.comments, { id: 'c3', author: 'qa-agent', body: 'Verified on 1.4.1 ✔', created_at: '2025-07-22T08:00:00' }],
      }),
      [
        [
          '"source": "cli"\n      }\n    ]',
          '"source": "cli"\n      },\n      {\n        "id": "c3",\n        "author": "qa-agent",\n        "body": "Verified on 1.4.1 \\u2714",\n        "created_at": "2025-07-22T08:00:00"\n      }\n    ]',
        ],
      ],
    ],
    [
      "a comment edited changes only its body, and keeps the comment's own keys",
      'CLAUDE-20250721120001.json',
      (t) => ({ ...t, comments: [t.comments[0]!, { ...t.comments[1]!, body: 'Fix merged in #413' }] }),
      [['"body": "Fix merged in #412"', '"body": "Fix merged in #413"']],
    ],
    [
      'a comment deleted takes only that comment away',
      'CLAUDE-20250721120001.json',
      (t) => ({ ...t, comments: t.comments.slice(1) }),
      [
        [
          '      {\n        "id": "c1",\n        "author": "research-agent",\n        "body": "Root cause: Circular import between core.py and services.py",\n        "created_at": "2025-07-21T13:10:00.000000"\n      },\n',
          '',
        ],
      ],
    ],
    [
      'a metadata value changed changes only that value',
      'CLAUDE-20250721120001.json',
      (t) => ({ ...t, metadata: { ...t.metadata, user_reports: 6 } }),
      [['"user_reports": 5', '"user_reports": 6']],
    ],
    [
      'a metadata value in a file written with ensure_ascii=False stays raw UTF-8',
      'CLAUDE-20250723101500.json',
      (t) => ({ ...t, metadata: { ...t.metadata, reviewer: 'José' } }),
      [['"reviewer": "Zoë"', '"reviewer": "José"']],
    ],
    [
      'a title in a file written with escapes is written with escapes, surrogate pairs included',
      'CLAUDE-20250722093000.json',
      (t) => ({ ...t, title: 'Migrate to MongoDB — café 🚀' }),
      [['"title": "Migrate database from PostgreSQL to MongoDB"', '"title": "Migrate to MongoDB \\u2014 caf\\u00e9 \\ud83d\\ude80"']],
    ],
    [
      'a github link set goes into metadata after its last key',
      'CLAUDE-20250722093001.json',
      (t) => ({ ...t, github: { issue: 101, url: 'https://github.com/acme/platform/issues/101' } }),
      [
        [
          '"research_complete": true\n  }',
          '"research_complete": true,\n    "github": {\n      "issue": 101,\n      "url": "https://github.com/acme/platform/issues/101"\n    }\n  }',
        ],
      ],
    ],
    [
      'a dependency set on a ticket whose metadata.dependencies names libraries goes into metadata.blocked_by, and the libraries stay',
      'CLAUDE-20250721120000.json',
      (t) => ({ ...t, dependencies: ['CLAUDE-20250722093001'] }),
      [['"qa_test_plan": "regression-suite-v2"\n  }', '"qa_test_plan": "regression-suite-v2",\n    "blocked_by": [\n      "CLAUDE-20250722093001"\n    ]\n  }']],
    ],
    [
      'a dependency removed in a CRLF file takes only its id out of metadata.blocked_by',
      'CLAUDE-20250722093002.json',
      (t) => ({ ...t, dependencies: [] }),
      [['"blocked_by": [\r\n      "CLAUDE-20250722093001"\r\n    ]', '"blocked_by": []']],
    ],
    [
      'a parent cleared removes metadata.parent_ticket',
      'CLAUDE-20250722093001.json',
      (t) => ({ ...t, parent: undefined }),
      [['"parent_ticket": "CLAUDE-20250722093000",\n    ', '']],
    ],
  ];

  it.each(cases)('%s', async (_name, file, change, pairs) => {
    const { before, after, given, readBack } = await changed(file, change);
    // The same differing bytes means the same file: everything else is as it was.
    expect(difference(before, after)).toEqual(difference(before, replaced(before, pairs)));
    expect(readBack).toEqual(given);
  });

  it('keeps CRLF line ends in a file written on Windows, in the bytes it adds too', async () => {
    const { before, after } = await changed('CLAUDE-20250722093002.json', (t) => ({
      ...t,
      labels: [...t.labels, 'windows'],
      comments: [{ id: 'c-win', author: 'ops-agent', body: 'Seen on Windows', created_at: '2025-07-25T10:00:00' }],
    }));
    const added = difference(before, after).after;
    expect(added).toContain('\r\n');
    expect(after.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps the byte-order mark of a file that has one', async () => {
    const { bytes, readBack } = await changed('CLAUDE-20250724080000.json', (t) => ({ ...t, title: 'Stub ticket, filled in' }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readBack!.title).toBe('Stub ticket, filled in');
  });

  it('writes null, as Python writes None, when the assignee or a time goes away', async () => {
    const { before, after } = await changed('CLAUDE-20250721120000.json', (t) => ({ ...t, assignees: [], created_at: undefined }));
    expect(after).toBe(
      replaced(before, [
        ['"assignee": "engineer-agent"', '"assignee": null'],
        ['"created_at": "2025-07-21T12:00:00.482113"', '"created_at": null'],
      ]),
    );
  });
});

describe('creating TicketData tickets', () => {
  it('names a new ticket CLAUDE- and the time of its creation, to the second', async () => {
    const created = await storeAt(fixtureCopy(FIXTURE)).create({ title: 'Fresh' });
    expect(created.id).toBe('CLAUDE-20261123093015');
  });

  it('moves the time in the id on by a second while the id is taken', async () => {
    const root = tempDir();
    const store = storeAt(root);
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push((await store.create({ title: `Ticket ${n}` })).id);
    expect(ids).toEqual(['CLAUDE-20261123093015', 'CLAUDE-20261123093016', 'CLAUDE-20261123093017']);
  });

  it('writes a new file exactly as json.dump(indent=2) writes it: escapes, two spaces, no final newline', async () => {
    const root = tempDir();
    await storeAt(root).create({
      title: 'Café migration',
      description: 'Move the café database',
      priority: 'high',
      assignees: ['engineer-agent'],
      labels: ['db'],
    });
    expect(readText(root, 'CLAUDE-20261123093015.json')).toBe(
      '{\n  "id": "CLAUDE-20261123093015",\n  "title": "Caf\\u00e9 migration",\n  "description": "Move the caf\\u00e9 database",\n  "status": "open",\n  "priority": "high",\n  "assignee": "engineer-agent",\n  "labels": [\n    "db"\n  ],\n  "created_at": "2026-11-23T09:30:15.123000",\n  "updated_at": "2026-11-23T09:30:15.123000",\n  "metadata": {}\n}',
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

  it('reads a created ticket with every field set back as the same ticket, and writes "resolved" for done', async () => {
    const root = fixtureCopy(FIXTURE);
    const store = storeAt(root);
    const draft: TicketDraft = {
      title: 'Everything',
      type: 'bug',
      description: 'All fields',
      status: 'done',
      priority: 'critical',
      assignees: ['engineer-agent', 'qa-agent'],
      labels: ['x'],
      parent: 'CLAUDE-20250722093000',
      dependencies: ['CLAUDE-20250722093001'],
      comments: [{ id: 'c1', author: 'octocat', body: 'Hi', created_at: '2026-11-23T09:00:00Z' }],
      created_at: '2026-11-20T10:00:00',
      updated_at: '2026-11-21T10:00:00',
      metadata: { sprint: 'S1' },
      format_fields: {},
      github: { issue: 5, url: 'https://github.com/acme/platform/issues/5' },
    };
    const created = await store.create(draft);
    expect(created).toEqual({ id: created.id, ...draft });
    expect(await store.get(created.id)).toEqual(created);
    const raw = JSON.parse(readText(root, `${created.id}.json`)) as Record<string, unknown>;
    expect(raw.status).toBe('resolved');
    expect(raw.assignee).toBe('engineer-agent');
    expect(raw.metadata).toMatchObject({ parent_ticket: 'CLAUDE-20250722093000', additional_assignees: ['qa-agent'] });
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
/** A first assignee is never empty: TicketData reads `"assignee": ""` as nobody. */
const assignees = fc.array(text, { maxLength: 3 }).chain((rest) => fc.string({ minLength: 1, maxLength: 10 }).map((first) => (rest.length > 0 ? [first, ...rest] : [])));
const metadata = fc.dictionary(key.filter((k) => !CLAIMED.includes(k)), json, { maxKeys: 4 });

/** Any canonical ticket TicketData can hold. */
const representable: fc.Arbitrary<Ticket> = fc
  .record(
    {
      id: ticketId,
      type: fc.constantFrom(...TICKET_TYPES),
      title: text,
      description: text,
      status: fc.constantFrom(...STATUSES),
      priority: fc.constantFrom(...PRIORITIES),
      assignees,
      labels: fc.array(text, { maxLength: 3 }),
      parent: ticketId,
      dependencies: fc.array(ticketId, { maxLength: 3 }),
      comments: fc.uniqueArray(comment, { selector: (c) => c.id, maxLength: 3 }),
      created_at: text,
      updated_at: text,
      metadata,
      format_fields: fc.constant({}),
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
  fc.record({ set: fc.constant('assignees' as const), value: assignees }),
  fc.record({ set: fc.constant('labels' as const), value: fc.array(text, { maxLength: 3 }) }),
  fc.record({ set: fc.constant('dependencies' as const), value: fc.array(ticketId, { maxLength: 3 }) }),
  fc.record({ set: fc.constant('parent' as const), value: fc.option(ticketId, { nil: undefined }) }),
  fc.record({ set: fc.constant('github' as const), value: fc.option(github, { nil: undefined }) }),
  fc.record({ metadata: key.filter((k) => !CLAIMED.includes(k)), value: fc.option(json, { nil: undefined }) }),
  fc.record({ comment: fc.constant('add' as const), value: comment }),
  fc.record({ comment: fc.constant('edit' as const), at: fc.nat(), body: text, updated_at: fc.option(text, { nil: undefined }) }),
  fc.record({ comment: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ comment: fc.constant('reverse' as const) }),
);

const FIXTURE_TEXTS = new Map(FIXTURE_FILES.map((path) => [path, readFileSync(join(FIXTURES, FIXTURE, path), 'utf8')]));

describe('TicketData properties', () => {
  it('reads back any ticket it can represent exactly as it was created', () => {
    fc.assert(
      fc.property(representable, (ticket) => {
        const ops = ticketdata.create(ticket, { files: new Map(), tickets: [], now: FIXED_NOW });
        const files = new Map<string, string>();
        applyOps(files, ops);
        const loaded = loadAll(files);
        expect(loaded.problems).toEqual([]);
        expect(loaded.tickets.map((t) => t.ticket)).toEqual([
          asCreated(ticketdata, ticket, STAMP),
        ]);
        // json.dump's style: nothing but ASCII, no final newline.
        expect([...files.values()][0]).toMatch(/^[\x00-\x7f]*\}$/);
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
          const ops = ticketdata.update(current, next, { files, tickets: loaded.tickets, now: FIXED_NOW });
          applyOps(files, ops);
          const prev = current.ticket;
          const reloaded = loadAll(files);
          expect(reloaded.problems).toEqual([]);
          current = reloaded.tickets.find((t) => t.path === path)!;
          expectWritten(ticketdata, prev, next, current, ops.some((op) => op.path === path));
        }
        const end = files.get(path)!;
        expect(end.startsWith('\uFEFF')).toBe(start.startsWith('\uFEFF'));
        if (start.includes('\r\n')) expect(end.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        else expect(end).not.toContain('\r');
        // A file json.dump wrote with escapes gets escapes; one written raw stays raw.
        if (/^[\ufeff\x00-\x7f]*$/.test(start)) expect(end).toMatch(/^[\ufeff\x00-\x7f]*$/);
        for (const [other, textOf] of FIXTURE_TEXTS) if (other !== path) expect(files.get(other)).toBe(textOf);
      }),
      { numRuns: 150 },
    );
  });
});

describe('TicketData files with problems', () => {
  const FILE = 'CLAUDE-20250722093001.json';
  const ID = 'CLAUDE-20250722093001';

  it.each([
    ['a title that is a number', '"title": "[research] Analyze data models and migration strategies"', '"title": 42', '/title', '"title": 42'],
    ['labels that are a string', '"labels": [\n    "subtask",\n    "research"\n  ]', '"labels": "subtask"', '/labels', '"labels": "subtask"'],
    ['a status word nobody knows', '"status": "resolved"', '"status": "frobnicated"', '/status', '"status": "frobnicated"'],
    ['a parent ticket that is a number', '"parent_ticket": "CLAUDE-20250722093000"', '"parent_ticket": 17', '/metadata/parent_ticket', '"parent_ticket": 17'],
    ['an assignee that is a list', '"assignee": "research-agent"', '"assignee": [\n    "research-agent"\n  ]', '/assignee', '"assignee": ['],
    ['a second label that is a number', '"research"\n  ]', '7\n  ]', '/labels/1', '7\n  ]'],
  ])('reports %s as a schema problem at the offending value, and loads the other tickets', async (_name, old, bad, pointer, at) => {
    const root = fixtureCopy(FIXTURE);
    const broken = replaced(readText(root, FILE), [[old, bad]]);
    writeFileSync(join(root, FILE), broken);
    const store = storeAt(root);
    const snapshot = await store.snapshot();
    expect(snapshot.problems).toHaveLength(1);
    expect(snapshot.problems[0]).toMatchObject({ path: FILE, code: 'schema', pointer, ...positionOf(broken, at) });
    expect(snapshot.problems[0]!.message).toContain(`"${pointer.slice(1).replaceAll('/', '.')}"`);
    expect(snapshot.tickets.map((t) => t.path).sort()).toEqual(FIXTURE_FILES.filter((f) => f !== FILE));
    expect([...snapshot.invalidFiles]).toEqual([FILE]);
  });

  it('never rewrites a file with a problem: its ticket cannot be updated or created over, and its bytes stay', async () => {
    const root = fixtureCopy(FIXTURE);
    const broken = replaced(readText(root, FILE), [['"status": "resolved"', '"status": "frobnicated"']]);
    writeFileSync(join(root, FILE), broken);
    const store = storeAt(root);
    const update = await store.update(ID, (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect(update).toBeInstanceOf(StoreError);
    expect(update).toMatchObject({ code: 'invalid-file', message: `${FILE} has problems (see \`ticket-sync validate\`); it is never rewritten` });
    await expect(store.create({ id: ID, title: 'replacement' })).rejects.toMatchObject({ name: 'StoreError', code: 'exists' });
    expect(readText(root, FILE)).toBe(broken);
  });

  it('leaves both files alone when a copy of a ticket claims the same id', async () => {
    const root = fixtureCopy(FIXTURE);
    copyFileSync(join(root, FILE), join(root, 'CLAUDE-20250722093001 (copy).json'));
    const store = storeAt(root);
    const before = readBytes(root, FILE);
    const snapshot = await store.snapshot();
    expect(snapshot.problems.map((p) => [p.path, p.code])).toEqual([
      ['CLAUDE-20250722093001 (copy).json', 'duplicate-id'],
      [FILE, 'duplicate-id'],
    ]);
    const update = await store.update(ID, (t) => ({ ...t, title: 'x' })).catch((e: unknown) => e);
    expect((update as StoreError).code).toBe('invalid-file');
    expect(readBytes(root, FILE).equals(before)).toBe(true);
    expect(readBytes(root, 'CLAUDE-20250722093001 (copy).json').equals(before)).toBe(true);
  });
});
