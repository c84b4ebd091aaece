import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, FIXED_NOW, fixtureCopy, readBytes, readText, tempDir } from '../../../test/support/files.js';
import { idProblem, type Comment, type Ticket } from '../model.js';
import { TicketStore } from '../store.js';
import { PRIORITIES, TICKET_TYPES, type Status } from '../vocabulary.js';
import { aitrackdown } from './aitrackdown.js';
import { applyCommentOps, stampOf, type CommentOp } from '../../../test/support/format-fixture.js';

const EPIC = 'epic-20250301090000123456';
const ISSUE = 'task-20250301091512654321';
const TASK = 'task-20250302101112000042';
const WAITING = 'task-20250303080910111213';
const CLOSED = 'task-20250304120000000001';
const ISSUE_FILE = `tickets/${ISSUE}.json`;
const ALICE_COMMENT = 'comments/comment-20250302140509532118-0001.json';
const CI_COMMENT = 'comments/comment-20250302160000000001-0002.json';
const BOB_COMMENT = 'comments/comment-20250305093000250000-0001.json';
const ATTACHMENT = `attachments/${ISSUE}/20250302150000000000-mockup.png.json`;

function open(root: string): TicketStore {
  return new TicketStore(root, aitrackdown, () => FIXED_NOW);
}

/** What Python's `json.dump(data, f, indent=2)` writes: two spaces, `\uXXXX` for all but printable ASCII, no final newline. */
function pythonDump(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Every file under a folder, by location-relative path. */
function allFiles(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path).split(sep).join('/'), readFileSync(path));
  }
  return files;
}

/** The paths whose bytes differ between two listings, with added and removed paths. */
function changedPaths(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => !(before.get(p)?.equals(after.get(p) ?? Buffer.alloc(0)) ?? false) || !after.has(p)).sort();
}

/** The file as mcp-ticketer would rewrite it after changing `change` in its parsed content. */
/** What the format stamps as the update time at `FIXED_NOW`: Python's naive `isoformat()`. */
const STAMP = '2026-11-23T09:30:15.123000';

/** `change`, with the update time moved to now first, as every write of a ticket file moves it (mcp-ticketer's `update()`). */
function stamped(change: (data: Record<string, unknown>) => void): (data: Record<string, unknown>) => void {
  return (data) => {
    data.updated_at = STAMP;
    change(data);
  };
}

function rewritten(text: string, change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  change(data);
  return pythonDump(data);
}

async function ticket(store: TicketStore, id: string): Promise<Ticket> {
  const found = await store.get(id);
  if (found === undefined) throw new Error(`no ticket ${id}`);
  return found;
}

describe('reading aitrackdown files as mcp-ticketer writes them', () => {
  it('reads every ticket file, and neither comment nor attachment files as tickets', async () => {
    const snapshot = await open(fixtureCopy('aitrackdown')).snapshot();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.tickets.map((t) => t.ticket.id).sort()).toEqual([EPIC, ISSUE, TASK, WAITING, CLOSED]);
    expect([...snapshot.files.keys()]).not.toContain(ATTACHMENT);
  });

  it('reads the epic with its escaped unicode, tags as labels, hyphenated status and user metadata', async () => {
    const epic = await ticket(open(fixtureCopy('aitrackdown')), EPIC);
    expect(epic).toEqual({
      id: EPIC,
      type: 'epic',
      title: 'Checkout überarbeiten 🛒',
      description: 'Der Checkout soll in **drei** Schritten statt fünf gehen.\n\n- Adresse\n- Zahlung\n- Bestätigung',
      status: 'in_progress',
      priority: 'high',
      assignees: [],
      labels: ['checkout', 'q2-2025'],
      dependencies: [],
      comments: [],
      created_at: '2025-03-01T09:00:00.123456',
      updated_at: '2025-03-04T17:45:02.998877',
      metadata: { ai_ticket_id: EPIC, source: 'aitrackdown', owner_team: 'payments' },
      format_fields: {},
    });
  });

  it('reads an issue under an epic, with the comments of its comment files in order and a null author as empty', async () => {
    const issue = await ticket(open(fixtureCopy('aitrackdown')), ISSUE);
    expect(issue.parent).toBe(EPIC);
    expect(issue.status).toBe('review');
    expect(issue.assignees).toEqual(['alice']);
    expect(issue.labels).toEqual(['frontend', 'validation']);
    expect(issue.description).toBe('Felder: IBAN, BIC, Karteninhaber.\nFehler "inline" anzeigen – nicht als Alert.');
    expect(issue.metadata).toEqual({
      component: 'checkout-form',
      story_points: 5,
      links: { design: 'https://example.com/figma/checkout?node=12:7' },
    });
    expect(issue.comments).toEqual([
      {
        id: 'comment-20250302140509532118-0001',
        author: 'alice',
        body: 'Validierung für die PLZ fehlt noch – siehe Design.',
        created_at: '2025-03-02 14:05:09.532118',
      },
      { id: 'comment-20250302160000000001-0002', author: '', body: 'Build grün ✅', created_at: '2025-03-02 16:00:00.000001' },
    ]);
  });

  it('orders comments by their time, whatever the order of their file names', async () => {
    const root = fixtureCopy('aitrackdown');
    const early = JSON.parse(readText(root, CI_COMMENT)) as Record<string, unknown>;
    early.created_at = '2025-03-01 08:00:00';
    writeFileSync(join(root, CI_COMMENT), pythonDump(early));
    const issue = await ticket(open(root), ISSUE);
    expect(issue.comments.map((c) => c.id)).toEqual(['comment-20250302160000000001-0002', 'comment-20250302140509532118-0001']);
  });

  it('orders comment times by their characters, not by the collation of the machine’s locale', async () => {
    const root = fixtureCopy('aitrackdown');
    const times: [string, string][] = [
      [ALICE_COMMENT, '2025-03-02T10:00:00-01:00'],
      [CI_COMMENT, '2025-03-02T10:00:00+01:00'],
    ];
    for (const [path, time] of times) {
      const data = JSON.parse(readText(root, path)) as Record<string, unknown>;
      data.created_at = time;
      writeFileSync(join(root, path), pythonDump(data));
    }
    const issue = await ticket(open(root), ISSUE);
    expect(issue.comments.map((c) => c.created_at)).toEqual(['2025-03-02T10:00:00+01:00', '2025-03-02T10:00:00-01:00']);
  });

  it('reads a task under an issue, with its estimated hours as format fields and its own comment', async () => {
    const task = await ticket(open(fixtureCopy('aitrackdown')), TASK);
    expect(task.parent).toBe(ISSUE);
    expect(task.status).toBe('review');
    expect(task.format_fields).toEqual({ estimated_hours: 2.5, actual_hours: null });
    expect(task.comments.map((c) => [c.author, c.body])).toEqual([['bob', 'Getestet mit DE-, AT- und CH-IBANs.\n\nAlles ok.']]);
  });

  it('reads nulls as empty, waiting as blocked, and the dependencies kept in metadata.blocked_by', async () => {
    const waiting = await ticket(open(fixtureCopy('aitrackdown')), WAITING);
    expect(waiting).toMatchObject({ description: '', assignees: [], status: 'blocked', priority: 'critical', dependencies: [TASK] });
    expect(waiting.parent).toBeUndefined();
    expect(waiting.metadata).toEqual({ waiting_on: 'Bank (Ansprechpartnerin: Frau Müller)' });
  });

  it('reads a dependencies key in metadata as free metadata, and only metadata.blocked_by as the dependencies', async () => {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${WAITING}.json`;
    writeFileSync(join(root, path), rewritten(readText(root, path), (d) => ((d.metadata as Record<string, unknown>).dependencies = ['psd2-sandbox'])));
    const waiting = await ticket(open(root), WAITING);
    expect(waiting.dependencies).toEqual([TASK]);
    expect(waiting.metadata.dependencies).toEqual(['psd2-sandbox']);
  });

  it('reads closed as done', async () => {
    expect((await ticket(open(fixtureCopy('aitrackdown')), CLOSED)).status).toBe('done');
  });
});

describe('rewriting aitrackdown tickets unchanged', () => {
  it('leaves every byte of every file as it was', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    const store = open(root);
    for (const t of await store.list()) await store.update(t.id, t);
    expect(changedPaths(before, allFiles(root))).toEqual([]);
  });

  it('plans no file operation for an unchanged ticket', async () => {
    const snapshot = await open(fixtureCopy('aitrackdown')).snapshot();
    const ctx = { files: snapshot.files, tickets: snapshot.tickets, now: FIXED_NOW };
    for (const loaded of snapshot.tickets) expect(aitrackdown.update(loaded, loaded.ticket, ctx)).toEqual([]);
  });
});

describe('changing one field of an aitrackdown ticket', () => {
  it('changes only the bytes of that field, escaping non-ASCII as Python does', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = readText(root, ISSUE_FILE);
    await open(root).update(ISSUE, (t) => ({ ...t, title: 'Zahlungsformular prüfen' }));
    const after = readText(root, ISSUE_FILE);
    // Besides the title, only the update time moved.
    expect(difference(before, after.replace(STAMP, '2025-03-03T11:02:40.000120'))).toEqual({
      start: before.indexOf('validieren'),
      before: 'validier',
      after: 'pr\\u00fcf',
    });
    expect(after).toBe(rewritten(before, stamped((d) => (d.title = 'Zahlungsformular prüfen'))));
  });

  it('keeps the status word of the file while its meaning holds', async () => {
    const root = fixtureCopy('aitrackdown');
    const store = open(root);
    await store.update(TASK, (t) => ({ ...t, priority: 'low' }));
    await store.update(EPIC, (t) => ({ ...t, title: 'Checkout neu' }));
    await store.update(WAITING, (t) => ({ ...t, labels: [] }));
    await store.update(CLOSED, (t) => ({ ...t, assignees: [] }));
    const status = (id: string) => (JSON.parse(readText(root, `tickets/${id}.json`)) as { status: string }).status;
    expect([status(TASK), status(EPIC), status(WAITING), status(CLOSED)]).toEqual(['tested', 'in-progress', 'waiting', 'closed']);
  });

  it.each<[string, Status, string]>([
    [TASK, 'in_progress', 'in_progress'],
    [EPIC, 'review', 'ready'],
    [WAITING, 'done', 'done'],
    [CLOSED, 'open', 'open'],
    [ISSUE, 'blocked', 'blocked'],
  ])('writes mcp-ticketer’s own word when the status of %s really changes to %s', async (id, next, word) => {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${id}.json`;
    const before = readText(root, path);
    await open(root).update(id, (t) => ({ ...t, status: next }));
    expect(readText(root, path)).toBe(rewritten(before, stamped((d) => (d.status = word))));
  });

  it.each<[string, string, (t: Ticket) => Ticket, (d: Record<string, unknown>) => void]>([
    [
      'the description',
      ISSUE,
      (t) => ({ ...t, description: 'Nur IBAN.' }),
      (d) => (d.description = 'Nur IBAN.'),
    ],
    ['a null description', WAITING, (t) => ({ ...t, description: 'Antrag läuft' }), (d) => (d.description = 'Antrag läuft')],
    ['the assignee', ISSUE, (t) => ({ ...t, assignees: ['bob'] }), (d) => (d.assignee = 'bob')],
    ['a null assignee', WAITING, (t) => ({ ...t, assignees: ['dora'] }), (d) => (d.assignee = 'dora')],
    [
      'a second assignee',
      ISSUE,
      (t) => ({ ...t, assignees: ['alice', 'bob'] }),
      (d) => ((d.metadata as Record<string, unknown>).additional_assignees = ['bob']),
    ],
    ['the tags', TASK, (t) => ({ ...t, labels: ['i18n'] }), (d) => (d.tags = ['i18n'])],
    ['the priority', EPIC, (t) => ({ ...t, priority: 'critical' }), (d) => (d.priority = 'critical')],
    ['the parent epic', ISSUE, (t) => ({ ...t, parent: 'epic-20250401000000000000' }), (d) => (d.parent_epic = 'epic-20250401000000000000')],
    ['a removed parent', TASK, (t) => ({ ...t, parent: undefined }), (d) => (d.parent_issue = null)],
    ['a new parent', WAITING, (t) => ({ ...t, parent: ISSUE }), (d) => (d.parent_issue = ISSUE)],
    [
      'a user metadata key',
      ISSUE,
      (t) => ({ ...t, metadata: { ...t.metadata, story_points: 8 } }),
      (d) => ((d.metadata as Record<string, unknown>).story_points = 8),
    ],
    [
      'the dependencies',
      WAITING,
      (t) => ({ ...t, dependencies: [TASK, CLOSED] }),
      (d) => ((d.metadata as Record<string, unknown>).blocked_by = [TASK, CLOSED]),
    ],
    [
      'a new github link',
      TASK,
      (t) => ({ ...t, github: { issue: 42, url: 'https://github.com/o/r/issues/42' } }),
      (d) => ((d.metadata as Record<string, unknown>).github = { issue: 42, url: 'https://github.com/o/r/issues/42' }),
    ],
    [
      'the estimated hours',
      TASK,
      (t) => ({ ...t, format_fields: { ...t.format_fields, estimated_hours: 3 } }),
      (d) => (d.estimated_hours = 3),
    ],
    ['the update time', CLOSED, (t) => ({ ...t, updated_at: '2025-03-06T08:00:00' }), (d) => (d.updated_at = '2025-03-06T08:00:00')],
    ['a removed update time', CLOSED, (t) => ({ ...t, updated_at: undefined }), (d) => (d.updated_at = null)],
  ])('writes %s as mcp-ticketer would, and nothing else', async (_, id, change, expected) => {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${id}.json`;
    const before = allFiles(root);
    const text = readText(root, path);
    const store = open(root);
    const next = await store.update(id, change);
    expect(readText(root, path)).toBe(rewritten(text, stamped(expected)));
    expect(changedPaths(before, allFiles(root))).toEqual([path]);
    const read = await store.get(id);
    expect(read).toEqual({ ...next, updated_at: read!.updated_at });
  });
});

describe('aitrackdown format fields', () => {
  it.each<[string, Ticket['format_fields'], RegExp]>([
    ['a field it has no place for', { story: 'x' }, /no place for the format field "story"/],
    ['hours that are not a number', { estimated_hours: '3h' }, /estimated_hours must be a number/],
  ])('refuses %s, on update and on create, and leaves the files alone', async (_, formatFields, message) => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    const store = open(root);
    await expect(store.update(TASK, (t) => ({ ...t, format_fields: { ...t.format_fields, ...formatFields } }))).rejects.toThrow(message);
    await expect(store.create({ title: 'x', format_fields: formatFields })).rejects.toThrow(message);
    expect(changedPaths(before, allFiles(root))).toEqual([]);
  });

  it('removes hours that are gone, and writes null hours as null', async () => {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${TASK}.json`;
    const text = readText(root, path);
    await open(root).update(TASK, (t) => ({ ...t, format_fields: { estimated_hours: null } }));
    expect(readText(root, path)).toBe(
      rewritten(
        text,
        stamped((d) => {
          d.estimated_hours = null;
          delete d.actual_hours;
        }),
      ),
    );
  });
});

describe('the parent of an aitrackdown ticket with both parent_issue and parent_epic', () => {
  function withBothParents(): { root: string; path: string; text: string } {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${TASK}.json`;
    const text = rewritten(readText(root, path), (d) => (d.parent_epic = EPIC));
    writeFileSync(join(root, path), text);
    return { root, path, text };
  }

  it('is the issue', async () => {
    const { root } = withBothParents();
    expect((await ticket(open(root), TASK)).parent).toBe(ISSUE);
  });

  it('is gone from both keys once removed, so the epic does not show through', async () => {
    const { root, path, text } = withBothParents();
    const store = open(root);
    await store.update(TASK, (t) => ({ ...t, parent: undefined }));
    expect(readText(root, path)).toBe(
      rewritten(
        text,
        stamped((d) => {
          d.parent_issue = null;
          d.parent_epic = null;
        }),
      ),
    );
    expect((await ticket(store, TASK)).parent).toBeUndefined();
  });
});

describe('aitrackdown comments, one file each', () => {
  it('adds a comment as one new file shaped like mcp-ticketer’s, touching nothing else', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    const store = open(root);
    const added: Comment = { id: 'comment-20261123093015123000-0001', author: 'dora', body: 'Läuft in Staging.', created_at: '2026-11-23 09:30:15.123000' };
    await store.update(TASK, (t) => ({ ...t, comments: [...t.comments, added] }));
    const path = `comments/${added.id}.json`;
    expect(changedPaths(before, allFiles(root))).toEqual([path]);
    expect(readText(root, path)).toBe(
      pythonDump({ id: added.id, ticket_id: TASK, author: 'dora', content: 'Läuft in Staging.', created_at: added.created_at, metadata: {} }),
    );
    expect((await ticket(store, TASK)).comments).toEqual([
      expect.objectContaining({ id: 'comment-20250305093000250000-0001' }),
      added,
    ]);
  });

  it('edits a comment by changing only the bytes of its content in its own file', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    const text = readText(root, ALICE_COMMENT);
    const store = open(root);
    await store.update(ISSUE, (t) => ({
      ...t,
      comments: t.comments.map((c) => (c.author === 'alice' ? { ...c, body: 'PLZ ist erledigt.' } : c)),
    }));
    expect(changedPaths(before, allFiles(root))).toEqual([ALICE_COMMENT]);
    expect(readText(root, ALICE_COMMENT)).toBe(rewritten(text, (d) => (d.content = 'PLZ ist erledigt.')));
  });

  it('keeps a null author null when only the text of the comment changes, and records an edit time in its metadata', async () => {
    const root = fixtureCopy('aitrackdown');
    const text = readText(root, CI_COMMENT);
    const store = open(root);
    await store.update(ISSUE, (t) => ({
      ...t,
      comments: t.comments.map((c) => (c.author === '' ? { ...c, body: 'Build rot', updated_at: '2025-03-02 17:00:00' } : c)),
    }));
    expect(readText(root, CI_COMMENT)).toBe(
      rewritten(text, (d) => {
        d.content = 'Build rot';
        (d.metadata as Record<string, unknown>).updated_at = '2025-03-02 17:00:00';
      }),
    );
  });

  it('leaves the file of an unchanged comment alone, even one without a time, when its ticket changes', async () => {
    const root = fixtureCopy('aitrackdown');
    writeFileSync(join(root, BOB_COMMENT), rewritten(readText(root, BOB_COMMENT), (d) => delete d.created_at));
    const before = allFiles(root);
    await open(root).update(TASK, (t) => ({ ...t, title: 'Fehlermeldungen' }));
    expect(changedPaths(before, allFiles(root))).toEqual([`tickets/${TASK}.json`]);
  });

  it('deletes exactly the file of a deleted comment', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    const store = open(root);
    await store.update(ISSUE, (t) => ({ ...t, comments: t.comments.filter((c) => c.author !== 'alice') }));
    expect(changedPaths(before, allFiles(root))).toEqual([ALICE_COMMENT]);
    expect(allFiles(root).has(ALICE_COMMENT)).toBe(false);
    expect((await ticket(store, ISSUE)).comments.map((c) => c.body)).toEqual(['Build grün ✅']);
  });

  it('never overwrites another ticket’s comment file when a new comment has the same id', async () => {
    const root = fixtureCopy('aitrackdown');
    const bobs = readBytes(root, BOB_COMMENT);
    const store = open(root);
    const clash: Comment = { id: 'comment-20250305093000250000-0001', author: 'eve', body: 'Gleiche Id', created_at: '2025-03-06 10:00:00' };
    await store.update(WAITING, (t) => ({ ...t, comments: [clash] }));
    expect(readBytes(root, BOB_COMMENT).equals(bobs)).toBe(true);
    expect((await ticket(store, WAITING)).comments).toEqual([clash]);
    expect((await ticket(store, TASK)).comments.map((c) => c.author)).toEqual(['bob']);
  });
});

describe('creating aitrackdown tickets', () => {
  it('gives a new ticket a time-based id and a file exactly like mcp-ticketer’s', async () => {
    const root = fixtureCopy('aitrackdown');
    const store = open(root);
    const created = await store.create({ title: 'Quittung per E-Mail', labels: ['mail'], assignees: ['dora'], parent: ISSUE });
    expect(created.id).toBe('task-20261123093015123000');
    expect(readText(root, `tickets/${created.id}.json`)).toBe(
      pythonDump({
        id: created.id,
        title: 'Quittung per E-Mail',
        description: '',
        status: 'open',
        priority: 'medium',
        tags: ['mail'],
        parent_issue: ISSUE,
        parent_epic: null,
        assignee: 'dora',
        created_at: '2026-11-23T09:30:15.123000',
        updated_at: '2026-11-23T09:30:15.123000',
        metadata: {},
        type: 'task',
      }),
    );
    expect(await store.get(created.id)).toEqual({ ...created, created_at: '2026-11-23T09:30:15.123000', updated_at: '2026-11-23T09:30:15.123000' });
  });

  it('gives an epic an epic id and child_issues instead of parent and assignee', async () => {
    const root = fixtureCopy('aitrackdown');
    const created = await open(root).create({ title: 'Retouren', type: 'epic', created_at: '2026-01-01T00:00:00', updated_at: '2026-01-02T00:00:00' });
    expect(created.id).toBe('epic-20261123093015123000');
    expect(readText(root, `tickets/${created.id}.json`)).toBe(
      pythonDump({
        id: created.id,
        title: 'Retouren',
        description: '',
        status: 'open',
        priority: 'medium',
        tags: [],
        child_issues: [],
        created_at: '2026-01-01T00:00:00',
        updated_at: '2026-01-02T00:00:00',
        metadata: {},
        type: 'epic',
      }),
    );
  });

  it('gives a second ticket created in the same instant the next microsecond', async () => {
    const store = open(fixtureCopy('aitrackdown'));
    const first = await store.create({ title: 'eins' });
    const second = await store.create({ title: 'zwei' });
    expect([first.id, second.id]).toEqual(['task-20261123093015123000', 'task-20261123093015123001']);
  });

  it('reads back a created ticket with comments, dependencies, link and hours as it was given', async () => {
    const store = open(tempDir());
    const given = {
      id: 'task-20260101000000000001',
      type: 'bug' as const,
      title: 'Doppelte Buchung',
      description: 'Zweimal abgebucht.',
      status: 'blocked' as const,
      priority: 'critical' as const,
      assignees: ['alice', 'bob'],
      labels: ['payments'],
      parent: EPIC,
      dependencies: [ISSUE],
      comments: [{ id: 'c-1', author: 'carol', body: 'Reproduziert.', created_at: '2026-01-01 10:00:00', updated_at: '2026-01-01 11:00:00' }],
      created_at: '2026-01-01T00:00:00',
      updated_at: '2026-01-01T00:00:00',
      metadata: { severity: 'S1' },
      format_fields: { estimated_hours: 1.5 },
      github: { issue: 7 },
    };
    await store.create(given);
    expect(await store.get(given.id)).toEqual(given);
  });

  it('keeps the assignee and parent of an epic that has them', async () => {
    const store = open(tempDir());
    const given = { id: 'epic-1', type: 'epic' as const, title: 'E', assignees: ['alice'], parent: 'epic-0', created_at: 'c', updated_at: 'u' };
    const created = await store.create(given);
    expect(await store.get('epic-1')).toEqual(created);
  });
});

describe('deleting aitrackdown tickets', () => {
  it('deletes the ticket file and its comment files, and nothing else', async () => {
    const root = fixtureCopy('aitrackdown');
    const before = allFiles(root);
    await open(root).delete(ISSUE);
    expect(changedPaths(before, allFiles(root))).toEqual([ALICE_COMMENT, CI_COMMENT, ISSUE_FILE].sort());
    expect(allFiles(root).has(ATTACHMENT)).toBe(true);
  });
});

describe('bad aitrackdown input', () => {
  it('reports a comment file that is not JSON, and still loads its ticket with the other comments', async () => {
    const root = fixtureCopy('aitrackdown');
    writeFileSync(join(root, ALICE_COMMENT), '{\n  "id": "comment-20250302140509532118-0001",\n  "ticket_id": ');
    const store = open(root);
    const snapshot = await store.snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ path: ALICE_COMMENT, code: 'invalid-json', line: 3 })]);
    const issue = snapshot.tickets.find((t) => t.ticket.id === ISSUE)!.ticket;
    expect(issue.comments.map((c) => c.id)).toEqual(['comment-20250302160000000001-0002']);
    await store.update(ISSUE, (t) => ({ ...t, title: 'Trotzdem änderbar' }));
    expect((await ticket(store, ISSUE)).title).toBe('Trotzdem änderbar');
  });

  it('reports a comment whose content is not text at that value', async () => {
    const root = fixtureCopy('aitrackdown');
    writeFileSync(join(root, BOB_COMMENT), readText(root, BOB_COMMENT).replace(/"content": "[^"]*"/, '"content": 42'));
    const snapshot = await open(root).snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ path: BOB_COMMENT, pointer: '/content', line: 5, column: 3 })]);
    expect(snapshot.tickets.find((t) => t.ticket.id === TASK)?.ticket.comments).toEqual([]);
  });

  it('reports a ticket with an unknown status word, loads the others, and never rewrites it', async () => {
    const root = fixtureCopy('aitrackdown');
    const path = `tickets/${CLOSED}.json`;
    writeFileSync(join(root, path), readText(root, path).replace('"closed"', '"frobnicated"'));
    const bytes = readBytes(root, path);
    const store = open(root);
    const snapshot = await store.snapshot();
    expect(snapshot.problems).toEqual([expect.objectContaining({ path, pointer: '/status', line: 5 })]);
    expect(snapshot.problems[0]!.message).toMatch(/unknown status/);
    expect(snapshot.tickets.map((t) => t.ticket.id).sort()).toEqual([EPIC, ISSUE, TASK, WAITING]);
    await expect(store.update(CLOSED, (t) => ({ ...t, title: 'ändern' }))).rejects.toMatchObject({
      name: 'StoreError',
      code: 'invalid-file',
      message: `${path} has problems (see \`ticket-sync validate\`); it is never rewritten`,
    });
    await expect(store.delete(CLOSED)).rejects.toMatchObject({ name: 'StoreError', code: 'invalid-file' });
    await expect(store.create({ id: CLOSED, title: 'überschreiben' })).rejects.toMatchObject({ name: 'StoreError', code: 'exists' });
    expect(readBytes(root, path).equals(bytes)).toBe(true);
  });

  it('refuses to update a ticket whose comment file went bad after loading', async () => {
    const root = fixtureCopy('aitrackdown');
    const store = open(root);
    const snapshot = await store.snapshot();
    const loaded = snapshot.tickets.find((t) => t.ticket.id === ISSUE)!;
    rmSync(join(root, ALICE_COMMENT));
    const files = new Map(snapshot.files);
    files.set(ALICE_COMMENT, '{');
    const next = { ...loaded.ticket, comments: loaded.ticket.comments.map((c) => ({ ...c, body: 'neu' })) };
    expect(() => aitrackdown.update(loaded, next, { files, tickets: snapshot.tickets, now: FIXED_NOW })).toThrow(/no longer readable/);
  });

  it('never writes over a comment file with problems when a new comment would take its name', async () => {
    const root = fixtureCopy('aitrackdown');
    writeFileSync(join(root, ALICE_COMMENT), readText(root, ALICE_COMMENT).replace('"ticket_id"', '"ticket"'));
    const bytes = readBytes(root, ALICE_COMMENT);
    const store = open(root);
    expect((await store.snapshot()).invalidFiles).toContain(ALICE_COMMENT);
    const clash: Comment = { id: 'comment-20250302140509532118-0001', author: 'x', body: 'y', created_at: 'z' };
    await store.update(WAITING, (t) => ({ ...t, comments: [clash] }));
    expect(readBytes(root, ALICE_COMMENT).equals(bytes)).toBe(true);
    expect((await ticket(store, WAITING)).comments).toEqual([clash]);
  });

  it.each([
    ['breaks the schema', (text: string) => text.replace('"content": "Build gr\\u00fcn \\u2705"', '"content": null')],
    ['is not JSON', (text: string) => text.slice(0, text.length - 40)],
  ])('refuses to write a ticket one of whose comment files %s, so the unread comment is never taken for deleted', async (_, damage) => {
    const root = fixtureCopy('aitrackdown');
    writeFileSync(join(root, CI_COMMENT), damage(readText(root, CI_COMMENT)));
    const store = open(root);
    const snapshot = await store.snapshot();
    const loaded = snapshot.tickets.find((t) => t.ticket.id === ISSUE)!;
    expect(loaded.files).toContain(CI_COMMENT);
    expect(snapshot.problems.map((p) => p.path)).toEqual([CI_COMMENT]);
    const before = allFiles(root);
    const failure = await store.update(ISSUE, { ...loaded.ticket, title: 'Changed' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'invalid-file', message: expect.stringContaining(CI_COMMENT) });
    expect(changedPaths(before, allFiles(root))).toEqual([]);
    // The ticket's readable comment is still read, and every other ticket stays writable.
    expect(loaded.ticket.comments.map((c) => c.author)).toEqual(['alice']);
    await store.update(TASK, (t) => ({ ...t, title: 'Still writable' }));
  });
});

// ---------------------------------------------------------------------------
// Property tests

/** Text of any kind, lone surrogates and control characters included. */
const anyText = fc.string({ unit: 'binary', maxLength: 24 });
const safeId = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/).filter((id) => idProblem(id) === undefined);
const jsonValue = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const CLAIMED = ['github', 'blocked_by', 'additional_assignees', '__proto__'];
const metadata = fc
  .dictionary(anyText.filter((k) => !CLAIMED.includes(k)), jsonValue, { maxKeys: 3 })
  .map((m) => Object.fromEntries(Object.entries(m)));
const hours = fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)));
/** Statuses aitrackdown has a word for (`reopened` reads back as open, `cancelled` as closed = done). */
const REPRESENTABLE: Status[] = ['open', 'in_progress', 'blocked', 'review', 'done'];

const comment = fc.record(
  { id: safeId, author: anyText, body: anyText, created_at: anyText, updated_at: anyText },
  { requiredKeys: ['id', 'author', 'body', 'created_at'] },
);

/** The order aitrackdown reads comments in: by time, then by file name. */
function inReadingOrder(comments: Comment[]): Comment[] {
  const key = (c: Comment) => [c.created_at, `comments/${c.id}.json`] as const;
  return [...comments].sort((a, b) => {
    const [ta, pa] = key(a);
    const [tb, pb] = key(b);
    return ta < tb ? -1 : ta > tb ? 1 : pa < pb ? -1 : pa > pb ? 1 : 0;
  });
}

const fields = fc.record(
  {
    type: fc.constantFrom(...TICKET_TYPES),
    title: anyText,
    description: anyText,
    status: fc.constantFrom(...REPRESENTABLE),
    priority: fc.constantFrom(...PRIORITIES),
    assignees: fc.oneof(
      fc.constant([] as string[]),
      fc.tuple(anyText.filter((a) => a !== ''), fc.array(anyText, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]),
    ),
    labels: fc.array(anyText, { maxLength: 3 }),
    parent: safeId,
    dependencies: fc.array(safeId, { maxLength: 3 }),
    created_at: anyText,
    updated_at: anyText,
    metadata,
    format_fields: fc.record({ estimated_hours: hours, actual_hours: hours }, { requiredKeys: [] }),
    github: fc.record({ issue: fc.integer({ min: 1 }), url: anyText }, { requiredKeys: ['issue'] }),
  },
  { requiredKeys: ['type', 'title', 'description', 'status', 'priority', 'assignees', 'labels', 'dependencies', 'created_at', 'updated_at', 'metadata', 'format_fields'] },
);

const commentOp: fc.Arbitrary<CommentOp> = fc.oneof(
  comment.map((c) => ({ add: { ...c, id: `n-${c.id}` } })),
  fc.record(
    { edit: fc.nat(), author: anyText, body: anyText, created_at: anyText, updated_at: fc.option(anyText, { nil: null }) },
    { requiredKeys: ['edit'] },
  ),
  fc.record({ remove: fc.nat() }),
);


describe('aitrackdown, for any representable ticket', () => {
  it('reads back a created ticket as it was given', async () => {
    await fc.assert(
      fc.asyncProperty(
        fields,
        fc.uniqueArray(comment, { selector: (c) => c.id, maxLength: 3 }),
        async (body, comments) => {
          const store = open(tempDir());
          const given: Ticket = { id: 'task-20260101000000000001', ...body, comments: inReadingOrder(comments) };
          await store.create(given);
          const snapshot = await store.snapshot();
          expect(snapshot.problems).toEqual([]);
          expect(snapshot.tickets.map((t) => t.ticket)).toEqual([given]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads back the last of any sequence of updates, and leaves the other tickets alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(EPIC, ISSUE, TASK, WAITING, CLOSED),
        fc.array(fc.tuple(fields, fc.array(commentOp, { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
        async (id, steps) => {
          const root = fixtureCopy('aitrackdown');
          const store = open(root);
          const others = new Map([...allFiles(root)].filter(([path]) => !path.includes(id) && !path.startsWith('comments/')));
          let current = await ticket(store, id);
          for (const [body, ops] of steps) {
            const next: Ticket = { id, ...body, comments: inReadingOrder(applyCommentOps(current.comments, ops)) };
            await store.update(id, next);
            const read = (await store.get(id))!;
            // A change that leaves the update time as it was gets the tool's own stamp of now, as mcp-ticketer stamps it.
            if (read.updated_at !== next.updated_at) {
              expect(next.updated_at).toBe(current.updated_at);
              expect(read.updated_at).toBe(stampOf(aitrackdown));
            }
            expect({ ...read, updated_at: next.updated_at }).toEqual(next);
            current = read;
          }
          const after = allFiles(root);
          for (const [path, bytes] of others) expect(after.get(path)?.equals(bytes)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
