/**
 * The three-way merge: each rule on its own, the times it compares, and the
 * properties every merge keeps (both sides agree after it, an in-sync pair is
 * left alone, every conflict's loser is logged, same inputs give the same
 * output, a one-sided change is never a conflict, swapping the sides mirrors
 * the result).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../tickets/vocabulary.js';
import { lastWriter, reconcile } from './merge.js';
import { compareInstants, instantOf } from './time.js';
import { SYNC_FIELDS, type LogDraft, type Reconciled, type Side, type SideName, type SyncComment, type SyncView } from './types.js';
import { compareComments, sameValue } from './view.js';

const EARLY = '2026-11-23T09:00:00Z';
const LATE = '2026-11-23T11:00:00Z';

const view = (changes: Partial<SyncView> = {}): SyncView => ({
  title: 'Add login rate limiting',
  description: 'Throttle failed logins.',
  status: 'open',
  priority: 'medium',
  type: 'task',
  labels: ['security'],
  assignees: ['alice'],
  comments: [],
  ...changes,
});
const local = (changes: Partial<SyncView> = {}, at = EARLY): Side => ({ view: view(changes), writer: 'alice', at });
const github = (changes: Partial<SyncView> = {}, at = EARLY): Side => ({ view: view(changes), writer: 'octocat', at });
const comment = (id: string, body: string, changes: Partial<SyncComment> = {}): SyncComment => ({
  id,
  author: 'alice',
  body,
  created_at: '2026-11-23T08:00:00Z',
  ...changes,
});

describe('a field changed on one side', () => {
  it('goes from the ticket to GitHub, logged without a conflict', () => {
    const result = reconcile('TSK-1', view(), local({ title: 'Rate limits' }, LATE), github());
    expect(result).toEqual({
      merged: view({ title: 'Rate limits' }),
      local: {},
      github: { title: 'Rate limits' },
      log: [{ ticket: 'TSK-1', field: 'title', side: 'github', writer: 'alice', at: LATE, before: 'Add login rate limiting', after: 'Rate limits' }],
      guessed: [],
    });
  });

  it('goes from GitHub to the ticket, even when the ticket was written later', () => {
    const result = reconcile('TSK-1', view(), local({}, LATE), github({ status: 'done' }));
    expect(result.local).toEqual({ status: 'done' });
    expect(result.github).toEqual({});
    expect(result.log).toEqual([{ ticket: 'TSK-1', field: 'status', side: 'local', writer: 'octocat', at: EARLY, before: 'open', after: 'done' }]);
  });
});

describe('a field changed on both sides, with the time each side changed that field', () => {
  const MIDDLE = '2026-11-23T10:00:00Z';
  /** GitHub's side as the App sees it after a comment at LATE: the updated_at moved, the title changed at EARLY. */
  const commentedAfterRename = (fields: Side['fields']): Side => ({ ...github({ title: 'Renamed on GitHub' }, LATE), approximate: true, ...(fields ? { fields } : {}) });

  it('goes to the ticket when the file changed the field after GitHub did, though a later comment moved the issue time', () => {
    const result = reconcile('TSK-1', view(), local({ title: 'Renamed in the file' }, MIDDLE), commentedAfterRename({ title: { writer: 'octocat', at: EARLY } }));
    expect(result.merged.title).toBe('Renamed in the file');
    expect(result.github).toEqual({ title: 'Renamed in the file' });
    expect(result.guessed).toEqual([]);
    expect(result.log).toEqual([
      {
        ticket: 'TSK-1', field: 'title', side: 'github', writer: 'alice', at: MIDDLE, before: 'Renamed on GitHub', after: 'Renamed in the file',
        conflict: { side: 'github', writer: 'octocat', at: EARLY, value: 'Renamed on GitHub' },
      },
    ]);
  });

  it('is decided by the issue time where the field time is unknown, listed as guessed and logged as approximate', () => {
    const result = reconcile('TSK-1', view(), local({ title: 'Renamed in the file' }, MIDDLE), commentedAfterRename(undefined));
    expect(result.merged.title).toBe('Renamed on GitHub');
    expect(result.guessed).toEqual(['title']);
    expect(result.log).toEqual([
      {
        ticket: 'TSK-1', field: 'title', side: 'local', writer: 'octocat', at: LATE, approximate: true, before: 'Renamed in the file', after: 'Renamed on GitHub',
        conflict: { side: 'local', writer: 'alice', at: MIDDLE, value: 'Renamed in the file' },
      },
    ]);
  });

  it('marks the losing time approximate when the approximate side lost', () => {
    const result = reconcile('TSK-1', view(), local({ title: 'Renamed in the file' }, '2026-11-23T12:00:00Z'), commentedAfterRename(undefined));
    expect(result.merged.title).toBe('Renamed in the file');
    expect(result.guessed).toEqual(['title']);
    expect(result.log[0]?.conflict).toEqual({ side: 'github', writer: 'octocat', at: LATE, approximate: true, value: 'Renamed on GitHub' });
  });

  it('names the field’s own writer, not the side’s', () => {
    const result = reconcile('TSK-1', view(), local(), { ...github({ priority: 'high' }, LATE), fields: { priority: { writer: 'hubot', at: MIDDLE } } });
    expect(result.log).toEqual([{ ticket: 'TSK-1', field: 'priority', side: 'local', writer: 'hubot', at: MIDDLE, before: 'medium', after: 'high' }]);
  });
});

describe('a field changed on both sides', () => {
  it('goes to GitHub when GitHub wrote last, logging the ticket value as the loser', () => {
    const result = reconcile('TSK-1', view(), local({ priority: 'high' }), github({ priority: 'low' }, LATE));
    expect(result.merged.priority).toBe('low');
    expect(result.local).toEqual({ priority: 'low' });
    expect(result.github).toEqual({});
    expect(result.log).toEqual([
      {
        ticket: 'TSK-1',
        field: 'priority',
        side: 'local',
        writer: 'octocat',
        at: LATE,
        before: 'high',
        after: 'low',
        conflict: { side: 'local', writer: 'alice', at: EARLY, value: 'high' },
      },
    ]);
  });

  it('goes to the ticket when the ticket wrote last, logging the GitHub value as the loser', () => {
    const result = reconcile('TSK-1', view(), local({ priority: 'high' }, LATE), github({ priority: 'low' }));
    expect(result.merged.priority).toBe('high');
    expect(result.github).toEqual({ priority: 'high' });
    expect(result.log).toEqual([
      expect.objectContaining({ side: 'github', writer: 'alice', at: LATE, conflict: { side: 'github', writer: 'octocat', at: EARLY, value: 'low' } }),
    ]);
  });

  it('goes to the ticket on a tie, the ticket file being the source of record, whichever side holds which value', () => {
    for (const [mine, theirs] of [
      ['high', 'low'],
      ['low', 'high'],
    ] as const) {
      const result = reconcile('TSK-1', view(), local({ priority: mine }, LATE), github({ priority: theirs }, LATE));
      expect(result.merged.priority).toBe(mine);
      expect(result.log[0]?.conflict?.side).toBe('github');
    }
  });

  it('is no write at all when both sides made the same change', () => {
    expect(reconcile('TSK-1', view(), local({ type: 'bug' }), github({ type: 'bug' }, LATE))).toEqual({ merged: view({ type: 'bug' }), local: {}, github: {}, log: [], guessed: [] });
  });
});

describe('times', () => {
  it('compares a UTC time and the same instant with an offset as a tie, which the ticket wins', () => {
    expect(compareInstants('2026-11-23T09:30:00Z', '2026-11-23T10:30:00+01:00')).toBe(0);
    const result = reconcile('TSK-1', view(), local({ title: 'Mine' }, '2026-11-23T10:30:00+01:00'), github({ title: 'Theirs' }, '2026-11-23T09:30:00Z'));
    expect(result.merged.title).toBe('Mine');
  });

  it("reads Python's naive microsecond time as UTC, to the microsecond", () => {
    expect(compareInstants('2026-11-23T09:30:00.123456', '2026-11-23T09:30:00.123456Z')).toBe(0);
    expect(compareInstants('2026-11-23T09:30:00.123456', '2026-11-23T10:30:00.123+01:00')).toBeGreaterThan(0);
    expect(compareInstants('2026-11-23T09:30:00.123456', '2026-11-23T09:30:00.1234561Z')).toBeLessThan(0);
    const result = reconcile('TSK-1', view(), local({ title: 'Mine' }, '2026-11-23T09:30:00.123456'), github({ title: 'Theirs' }, '2026-11-23T09:30:00.123Z'));
    expect(result.merged.title).toBe('Mine');
  });

  it('orders times of every precision and zone by the instant they name', () => {
    const times = ['2026-11-23T09:30:00.000001Z', '2026-11-23', '2026-11-23T10:30+01:00', '2026-11-23 09:29:59,9', '2026-11-23T04:00:01-05:30', '2026-11-23T09:30:00.5'];
    expect([...times].sort(compareInstants)).toEqual(['2026-11-23', '2026-11-23 09:29:59,9', '2026-11-23T10:30+01:00', '2026-11-23T09:30:00.000001Z', '2026-11-23T09:30:00.5', '2026-11-23T04:00:01-05:30']);
  });

  it('reads what is not an ISO 8601 time as older than any time, and two of them as a tie', () => {
    for (const wrong of ['', 'yesterday', '2026-02-30T00:00:00Z', '2026-11-23T25:00:00Z', '2026-11-23T09:30:00+01:60']) expect(instantOf(wrong), wrong).toBeUndefined();
    expect(compareInstants('0050-01-01T00:00:00Z', '1950-01-01T00:00:00Z')).toBeLessThan(0);
    expect(lastWriter('', '1970-01-01T00:00:00Z')).toBe('github');
    expect(lastWriter('1970-01-01T00:00:00Z', 'soon')).toBe('local');
    expect(lastWriter('soon', 'later')).toBe('local');
  });
});

describe('labels and assignees', () => {
  it('apply the adds and removes of both sides, element by element', () => {
    const result = reconcile('TSK-1', view({ labels: ['a', 'b', 'c'] }), local({ labels: ['a', 'b', 'd'] }), github({ labels: ['b', 'c', 'e'] }, LATE));
    expect(result.merged.labels).toEqual(['b', 'd', 'e']);
    expect(result.local).toEqual({ labels: ['b', 'd', 'e'] });
    expect(result.github).toEqual({ labels: ['b', 'd', 'e'] });
    expect(result.log).toEqual([
      { ticket: 'TSK-1', field: 'labels', side: 'local', writer: 'octocat', at: LATE, before: ['a', 'b', 'd'], after: ['b', 'd', 'e'] },
      { ticket: 'TSK-1', field: 'labels', side: 'github', writer: 'alice', at: EARLY, before: ['b', 'c', 'e'], after: ['b', 'd', 'e'] },
    ]);
  });

  it('write only the side that lacks the other side’s change', () => {
    const result = reconcile('TSK-1', view({ assignees: ['alice'] }), local({ assignees: ['alice'] }), github({ assignees: ['alice', 'bob'] }));
    expect(result).toMatchObject({ merged: { assignees: ['alice', 'bob'] }, local: { assignees: ['alice', 'bob'] }, github: {} });
    expect(result.log).toHaveLength(1);
  });
});

describe('comments', () => {
  const c1 = comment('c1', 'Started.');
  const c2 = comment('c2', 'Paused.', { created_at: '2026-11-23T08:30:00Z' });

  it('are a union by id: a comment added on either side reaches the other, logged with before null', () => {
    const fromGitHub = comment('gh-7', 'Looks good', { author: 'octocat', created_at: '2026-11-23T08:15:00Z' });
    const result = reconcile('TSK-1', view(), local({ comments: [c1, c2] }), github({ comments: [fromGitHub] }));
    expect(result.merged.comments).toEqual([c1, fromGitHub, c2]);
    expect(result.local).toEqual({ comments: [c1, fromGitHub, c2] });
    expect(result.github).toEqual({ comments: [c1, fromGitHub, c2] });
    expect(result.log.map((l) => [l.field, l.side, l.before, l.after, l.conflict])).toEqual([
      ['comment:c1', 'github', null, c1, undefined],
      ['comment:c2', 'github', null, c2, undefined],
      ['comment:gh-7', 'local', null, fromGitHub, undefined],
    ]);
  });

  it('take an edit made on one side', () => {
    const edited = { ...c1, body: 'Started, then paused.', updated_at: '2026-11-23T08:05:00Z' };
    const result = reconcile('TSK-1', view({ comments: [c1, c2] }), local({ comments: [c1, c2] }, LATE), github({ comments: [edited, c2] }));
    expect(result).toMatchObject({ local: { comments: [edited, c2] }, github: {} });
    expect(result.log).toEqual([{ ticket: 'TSK-1', field: 'comment:c1', side: 'local', writer: 'octocat', at: '2026-11-23T08:05:00Z', before: c1, after: edited }]);
  });

  it("give a comment edited on both sides to the later edit by its updated_at, over the sides' times", () => {
    const mine = { ...c1, body: 'Mine.', updated_at: '2026-11-23T12:00:00Z' };
    const theirs = { ...c1, body: 'Theirs.', updated_at: '2026-11-23T10:00:00Z' };
    const result = reconcile('TSK-1', view({ comments: [c1] }), local({ comments: [mine] }, EARLY), github({ comments: [theirs] }, LATE));
    expect(result.merged.comments).toEqual([mine]);
    expect(result.log).toEqual([
      expect.objectContaining({ field: 'comment:c1', side: 'github', at: mine.updated_at, conflict: { side: 'github', writer: 'octocat', at: theirs.updated_at, value: theirs } }),
    ]);
  });

  it("give a comment edited on both sides without updated_at to the later side's time", () => {
    const mine = { ...c1, body: 'Mine.' };
    const theirs = { ...c1, body: 'Theirs.' };
    const result = reconcile('TSK-1', view({ comments: [c1] }), local({ comments: [mine] }, EARLY), github({ comments: [theirs] }, LATE));
    expect(result.merged.comments).toEqual([theirs]);
  });

  it('lose a comment deleted on one side and untouched on the other, logged with after null', () => {
    const result = reconcile('TSK-1', view({ comments: [c1, c2] }), local({ comments: [c2] }), github({ comments: [c1, c2] }, LATE));
    expect(result).toMatchObject({ merged: { comments: [c2] }, local: {}, github: { comments: [c2] } });
    expect(result.log).toEqual([{ ticket: 'TSK-1', field: 'comment:c1', side: 'github', writer: 'alice', at: EARLY, before: c1, after: null }]);
  });

  it('keep a comment deleted on one side and edited on the other, logging the deletion as the loser', () => {
    const edited = { ...c1, body: 'Still relevant.' };
    const result = reconcile('TSK-1', view({ comments: [c1] }), local({ comments: [edited] }, EARLY), github({ comments: [] }, LATE));
    expect(result).toMatchObject({ merged: { comments: [edited] }, local: {}, github: { comments: [edited] } });
    expect(result.log).toEqual([
      { ticket: 'TSK-1', field: 'comment:c1', side: 'github', writer: 'alice', at: EARLY, before: null, after: edited, conflict: { side: 'github', writer: 'octocat', at: LATE, value: null } },
    ]);
  });
});

describe('without a base', () => {
  it('keeps equal fields and gives differing ones to the last writer, each logged as a conflict', () => {
    const result = reconcile('TSK-1', undefined, local({ title: 'Mine', status: 'blocked' }, LATE), github({ title: 'Theirs', status: 'blocked' }));
    expect(result.merged).toEqual(view({ title: 'Mine', status: 'blocked' }));
    expect(result.github).toEqual({ title: 'Mine' });
    expect(result.log).toEqual([expect.objectContaining({ field: 'title', side: 'github', conflict: { side: 'github', writer: 'octocat', at: EARLY, value: 'Theirs' } })]);
  });

  it('takes the union of labels, assignees and comments, logging each difference as a conflict', () => {
    const c1 = comment('c1', 'Mine.');
    const result = reconcile('TSK-1', undefined, local({ labels: ['a', 'b'], comments: [c1] }), github({ labels: ['b', 'c'] }, LATE));
    expect(result.merged).toMatchObject({ labels: ['a', 'b', 'c'], comments: [c1] });
    expect(result.local).toEqual({ labels: ['a', 'b', 'c'] });
    expect(result.github).toEqual({ labels: ['a', 'b', 'c'], comments: [c1] });
    expect(result.log.map((l) => [l.field, l.side, l.conflict?.side, l.conflict?.value])).toEqual([
      ['labels', 'local', 'local', ['a', 'b']],
      ['labels', 'github', 'github', ['b', 'c']],
      ['comment:c1', 'github', 'github', null],
    ]);
  });

  it('writes nothing for two sides that already agree', () => {
    expect(reconcile('TSK-1', undefined, local({}, LATE), github())).toEqual({ merged: view(), local: {}, github: {}, log: [], guessed: [] });
  });
});

// ---------------------------------------------------------------------------
// Properties

/**
 * Times of one pool: local edits, GitHub edits and the base each draw from
 * their own, so values of different sides never tie unless a test wants it.
 * Every pool mixes precisions and zones.
 */
const POOLS = {
  base: ['2026-11-22T09:00:00Z', '2026-11-22T10:00:00.5+01:00'],
  local: ['2026-11-23T09:30:00Z', '2026-11-23T10:31:00+01:00', '2026-11-23T09:32:00.123456', '2026-11-23T09:33:00.123Z'],
  github: ['2026-11-23T09:30:00.000001Z', '2026-11-23T10:31:00.5+01:00', '2026-11-23T09:32:00.1234561', '2026-11-23T04:03:00.124-05:30'],
} as const;
type Pool = keyof typeof POOLS;

const COMMENT_IDS = ['c1', 'c2', 'gh-3'];

function commentOf(pool: Pool): fc.Arbitrary<SyncComment> {
  return fc.record(
    {
      id: fc.constantFrom(...COMMENT_IDS),
      author: fc.constantFrom('alice', 'bob'),
      body: fc.constantFrom('a', 'b', 'c'),
      created_at: fc.constantFrom(...POOLS.base, ''),
      updated_at: fc.constantFrom(...POOLS[pool]),
    },
    { requiredKeys: ['id', 'author', 'body', 'created_at'] },
  );
}

function viewOf(pool: Pool): fc.Arbitrary<SyncView> {
  return fc.record({
    title: fc.constantFrom('a', 'b', 'c'),
    description: fc.constantFrom('', 'x', 'y\nz'),
    status: fc.constantFrom(...STATUSES),
    priority: fc.constantFrom(...PRIORITIES),
    type: fc.constantFrom(...TICKET_TYPES),
    labels: fc.subarray(['bug', 'security', 'ux']),
    assignees: fc.subarray(['alice', 'bob', 'carol']),
    comments: fc.uniqueArray(commentOf(pool), { selector: (c) => c.id, maxLength: 3 }).map((cs) => cs.sort(compareComments)),
  });
}

/** A side that kept each field (and each comment) of the base or changed it to its own. */
function sideOf(pool: 'local' | 'github', base: SyncView | undefined): fc.Arbitrary<Side> {
  return fc
    .record({
      own: viewOf(pool),
      fields: fc.array(fc.boolean(), { minLength: SYNC_FIELDS.length, maxLength: SYNC_FIELDS.length }),
      comments: fc.array(fc.boolean(), { minLength: COMMENT_IDS.length, maxLength: COMMENT_IDS.length }),
      writer: fc.constantFrom(`${pool}-writer`, `${pool}-bot`),
      at: fc.constantFrom(...POOLS[pool]),
    })
    .map(({ own, fields, comments, writer, at }) => {
      if (!base) return { view: own, writer, at };
      const mixed = Object.fromEntries(SYNC_FIELDS.map((f, i) => [f, fields[i] ? own[f] : base[f]])) as unknown as SyncView;
      mixed.comments = COMMENT_IDS.flatMap((id, i) => (comments[i] ? own : base).comments.filter((c) => c.id === id)).sort(compareComments);
      return { view: mixed, writer, at };
    });
}

const merges = fc
  .option(viewOf('base'), { nil: undefined })
  .chain((base) => fc.record({ base: fc.constant(base), local: sideOf('local', base), github: sideOf('github', base) }));

const withPatch = (side: Side, patch: Partial<SyncView>): SyncView => ({ ...side.view, ...patch });

/** `result` as the other side would have it: patches and log sides swapped, the log in one fixed order. */
function mirrored(result: Reconciled): Reconciled {
  const swap = (side: SideName): SideName => (side === 'local' ? 'github' : 'local');
  const log = result.log.map((l): LogDraft => ({ ...l, side: swap(l.side), ...(l.conflict ? { conflict: { ...l.conflict, side: swap(l.conflict.side) } } : {}) }));
  return { merged: result.merged, local: result.github, github: result.local, log: inOrder(log), guessed: result.guessed };
}

const inOrder = (log: LogDraft[]) => [...log].sort((a, b) => (a.field + a.side < b.field + b.side ? -1 : a.field + a.side > b.field + b.side ? 1 : 0));

/** The fields (and comments) both sides changed, each to its own value: where a conflict must be. */
function bothChanged(base: SyncView | undefined, local: SyncView, github: SyncView): { field: LogDraft['field']; values: Record<SideName, unknown> }[] {
  const differs = (a: unknown, b: unknown) => !sameValue(a, b);
  const fields = (['title', 'description', 'status', 'priority', 'type'] as const)
    .filter((f) => differs(local[f], github[f]) && (!base || (differs(local[f], base[f]) && differs(github[f], base[f]))))
    .map((f) => ({ field: f, values: { local: local[f], github: github[f] } }));
  const find = (v: SyncView | undefined, id: string) => v?.comments.find((c) => c.id === id) ?? null;
  const comments = COMMENT_IDS.map((id) => ({ id, b: find(base, id), l: find(local, id), g: find(github, id) }))
    .filter(({ b, l, g }) => differs(l, g) && (!base || (differs(l, b) && differs(g, b))))
    .map(({ id, l, g }) => ({ field: `comment:${id}` as const, values: { local: l, github: g } }));
  return [...fields, ...comments];
}

describe('every merge', () => {
  it('leaves both sides holding the merged view once their patches are applied', () => {
    fc.assert(
      fc.property(merges, ({ base, local, github }) => {
        const result = reconcile('T', base, local, github);
        expect(withPatch(local, result.local)).toEqual(result.merged);
        expect(withPatch(github, result.github)).toEqual(result.merged);
        for (const side of ['local', 'github'] as const) {
          const written = new Set(result.log.filter((l) => l.side === side).map((l) => (l.field.startsWith('comment:') ? 'comments' : l.field)));
          expect(new Set(Object.keys(result[side]))).toEqual(written);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('writes and logs nothing for a pair in sync, with or without a base', () => {
    fc.assert(
      fc.property(viewOf('base'), fc.boolean(), fc.constantFrom(...POOLS.local), fc.constantFrom(...POOLS.github), (v, known, at, theirAt) => {
        const result = reconcile('T', known ? v : undefined, { view: v, writer: 'a', at }, { view: structuredClone(v), writer: 'b', at: theirAt });
        expect(result).toEqual({ merged: v, local: {}, github: {}, log: [], guessed: [] });
      }),
    );
  });

  it("logs the loser of every conflict, on the side that lost, with the value it lost", () => {
    fc.assert(
      fc.property(merges, ({ base, local, github }) => {
        const result = reconcile('T', base, local, github);
        for (const { field, values } of bothChanged(base, local.view, github.view)) {
          const entry = result.log.find((l) => l.field === field && l.conflict);
          expect(entry, field).toBeDefined();
          const loser = entry!.conflict!.side;
          expect(entry!.side).toBe(loser);
          expect(entry!.conflict!.value).toEqual(values[loser]);
          expect(entry!.after).toEqual(values[loser === 'local' ? 'github' : 'local']);
        }
        for (const entry of result.log.filter((l) => l.conflict)) expect(entry.conflict!.value).toEqual(entry.before);
      }),
      { numRuns: 500 },
    );
  });

  it('gives deeply equal results for the same inputs', () => {
    fc.assert(
      fc.property(merges, ({ base, local, github }) => {
        expect(reconcile('T', base, local, github)).toEqual(reconcile('T', structuredClone(base), structuredClone(local), structuredClone(github)));
      }),
    );
  });

  it('never logs a conflict for a field changed on one side only, and takes that change', () => {
    fc.assert(
      fc.property(viewOf('base'), sideOf('local', undefined), fc.boolean(), (base, changed, onGitHub) => {
        const unchanged: Side = { view: base, writer: 'other', at: POOLS.github[0] };
        const [l, g] = onGitHub ? [unchanged, changed] : [changed, unchanged];
        const result = reconcile('T', base, l, g);
        expect(result.log.filter((e) => e.conflict)).toEqual([]);
        expect(result.merged).toEqual(changed.view);
        expect(result[onGitHub ? 'github' : 'local']).toEqual({});
      }),
      { numRuns: 300 },
    );
  });

  it('mirrors its result when the two sides swap places, ties aside', () => {
    fc.assert(
      fc.property(merges, ({ base, local, github }) => {
        const result = reconcile('T', base, local, github);
        const swapped = reconcile('T', base, github, local);
        expect({ ...swapped, log: inOrder(swapped.log) }).toEqual(mirrored(result));
      }),
      { numRuns: 500 },
    );
  });

  it('breaks a tie for the local side, so swapping the sides of a tie does not mirror it', () => {
    const result = reconcile('T', view(), local({ title: 'Mine' }, LATE), github({ title: 'Theirs' }, LATE));
    const swapped = reconcile('T', view(), github({ title: 'Theirs' }, LATE), local({ title: 'Mine' }, LATE));
    expect([result.merged.title, swapped.merged.title]).toEqual(['Mine', 'Theirs']);
  });
});
