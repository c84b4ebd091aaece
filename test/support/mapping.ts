/**
 * Fixtures and fast-check arbitraries shared by the tests of the ticket ↔
 * issue mapping (src/sync/mapping/) and the whole sync cycle
 * (src/sync/sync-cycle.test.ts).
 */
import fc from 'fast-check';
import { MappingConfig } from '../../src/config/mapping.js';
import type { RemoteComment, RemoteIssue } from '../../src/github/types.js';
import { BODY_LIMIT, CUT_NOTE, TITLE_LIMIT } from '../../src/sync/mapping/limits.js';
import { MANAGED_END, MANAGED_START } from '../../src/sync/mapping/managed-section.js';
import { ticketMarker } from '../../src/sync/mapping/markers.js';
import { renderIssue, ticketView } from '../../src/sync/mapping/render-issue.js';
import type { SyncComment, SyncView } from '../../src/sync/types.js';
import { completeDraft, type Ticket, type TicketDraft } from '../../src/tickets/model.js';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../../src/tickets/vocabulary.js';

/** A synced view of an open medium task titled "Add login rate limiting", with nothing else, and `changes`. */
export const syncView = (changes: Partial<SyncView> = {}): SyncView => ({
  title: 'Add login rate limiting',
  description: '',
  status: 'open',
  priority: 'medium',
  type: 'task',
  labels: [],
  assignees: [],
  comments: [],
  ...changes,
});

/** A ticket titled "Add login rate limiting", with `draft`'s fields. */
export const ticket = (draft: Partial<TicketDraft> = {}, id = 'TSK-0001'): Ticket => completeDraft({ title: 'Add login rate limiting', ...draft }, id);
/** The issue ticket-sync writes for `t`. */
export const shown = (t: Ticket, config?: MappingConfig) => renderIssue(t, ticketView(t, config), config);

/** The issue GitHub holds once ticket-sync wrote `write` to it, with `changes` made there since. */
export function issueFrom(write: ReturnType<typeof renderIssue>, changes: Partial<RemoteIssue> = {}): RemoteIssue {
  return {
    number: 12,
    id: 1012,
    url: 'https://github.com/acme/app/issues/12',
    author: 'ticket-sync[bot]',
    created_at: '2026-11-23T10:00:00Z',
    updated_at: '2026-11-23T10:00:00Z',
    comments: 0,
    ...write,
    ...changes,
  };
}

/** A comment as GitHub holds it: posted by ticket-sync (with `renderComment`) or written there by a person. */
export function remoteComment(id: number, body: string, changes: Partial<RemoteComment> = {}): RemoteComment {
  return { id, author: 'ticket-sync[bot]', body, created_at: '2026-11-24T08:00:00Z', updated_at: '2026-11-24T08:00:00Z', ...changes };
}

/** A local comment by alice. */
export const comment = (id: string, body: string, changes: Partial<SyncComment> = {}): SyncComment => ({
  id,
  author: 'alice',
  body,
  created_at: '2026-11-23T09:30:00Z',
  ...changes,
});

/** Texts of every kind: unicode, CRLF, ticket-sync's own markers and note, and (when `long`) beyond GitHub's limits. */
function text(long: boolean): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('\r\n', '  \n', '**', MANAGED_START, MANAGED_END, ticketMarker('X'), '<!-- ticket-sync:escaped:', '😀'),
  );
  const short = fc.array(piece, { maxLength: 4 }).map((p) => p.join(''));
  if (!long) return short;
  const beyond = fc
    .record({ unit: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }), length: fc.integer({ min: TITLE_LIMIT - 10, max: BODY_LIMIT + 500 }), tail: short })
    .map(({ unit, length, tail }) => unit.repeat(Math.ceil(length / unit.length)) + tail + (length % 7 === 0 ? CUT_NOTE : ''));
  return fc.oneof({ arbitrary: short, weight: 4 }, { arbitrary: beyond, weight: 1 });
}

const NAMES = ['alice', 'bob', 'Carol', 'Zoë Ünïcode', 'dev 1', 'dev2', 'dev3', 'dev4', 'dev5', 'dev6', 'dev7', 'dev8'];
/** Mapping configurations: default or other label prefixes, an assignee map, shown metadata or none. */
export const anyConfig: fc.Arbitrary<MappingConfig> = fc
  .record({
    labels: fc.constantFrom({}, { status: 'state/', priority: 'P-', type: 'kind: ' }),
    assignees: fc.subarray(NAMES).map((names) => Object.fromEntries(names.map((n, i) => [n, `login-${i}`]))),
    showMetadata: fc.constantFrom([], ['sprint']),
  })
  .map((c) => MappingConfig.parse(c));
const label = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('status: foo', 'Priority: high', 'type:bug', 'state/x', 'P-low', ' spaced ', 'bug'));
const time = fc.constantFrom('2026-11-23T09:30:00Z', '2026-11-23T10:30:00+01:00', '2026-11-23T09:30:00.123456', '', 'yesterday');
const commentId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}[A-Za-z0-9]$/), fc.constantFrom('c1', 'gh-5', 'c author=x', 'a%20b'));

/** Tickets of every kind; with `long`, texts beyond GitHub's limits too. */
export function anyTicket(long: boolean): fc.Arbitrary<Ticket> {
  const comment = fc.record(
    { id: commentId, author: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('alice', 'x -->', '')), body: text(long), created_at: time, updated_at: time },
    { requiredKeys: ['id', 'author', 'body', 'created_at'] },
  );
  return fc
    .record({
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]$/),
      type: fc.constantFrom(...TICKET_TYPES),
      title: text(long),
      description: text(long),
      status: fc.constantFrom(...STATUSES),
      priority: fc.constantFrom(...PRIORITIES),
      assignees: fc.subarray(NAMES, { maxLength: long ? NAMES.length : 10 }),
      labels: fc.array(label, { maxLength: 5 }),
      comments: fc.uniqueArray(comment, { selector: (c) => c.id, maxLength: 3 }),
      metadata: fc.dictionary(fc.constantFrom('sprint', 'other'), fc.jsonValue({ maxDepth: 2 })),
      format_fields: fc.dictionary(fc.constantFrom('fiefdom', 'details', 'errors'), fc.oneof(text(long), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }))),
    })
    .map((t) => completeDraft(t, t.id));
}
