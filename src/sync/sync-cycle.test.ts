/**
 * A whole sync cycle as a property: the mapping and the merge together,
 * against GitHub's own rules for a PATCH, over arbitrary tickets and edits
 * on both sides.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappingConfig } from '../config/mapping.js';
import type { RemoteComment, RemoteIssue } from '../github/types.js';
import { Ticket } from '../tickets/model.js';
import { STATUSES } from '../tickets/vocabulary.js';
import { anyConfig, anyTicket, issueFrom, remoteComment, ticket } from '../../test/support/mapping.js';
import { applyView } from './mapping/apply-view.js';
import { renderComment } from './mapping/comments.js';
import { issueView } from './mapping/read-issue.js';
import { renderIssue, ticketView } from './mapping/render-issue.js';
import { reconcile } from './merge.js';
import type { SyncComment, SyncView } from './types.js';
import { sameValue } from './view.js';

const CREATED = '2026-11-30T00:00:00Z';
const SYNCED = '2026-12-02T00:00:00Z';

/**
 * An issue after a PATCH, as GitHub does it: `state_reason` only counts when
 * the state changes, and reopening always says `reopened`. Changing only the
 * reason of a closed issue is a reopen and a close.
 */
function patched(issue: RemoteIssue, write: ReturnType<typeof renderIssue>, at: string): RemoteIssue {
  const next: RemoteIssue = { ...issue, title: write.title, body: write.body, labels: write.labels, assignees: write.assignees };
  if (write.state !== issue.state) next.state_reason = write.state === 'closed' ? (write.state_reason ?? 'completed') : 'reopened';
  else if (write.state === 'closed' && write.state_reason !== issue.state_reason) next.state_reason = write.state_reason ?? 'completed';
  next.state = write.state;
  return sameValue(next, issue) ? issue : { ...next, updated_at: at };
}

/** GitHub's comments once the shell made them `wanted`: removed, posted and edited by ticket-sync at `at`. */
function postedComments(issue: RemoteIssue, remote: readonly RemoteComment[], wanted: readonly SyncComment[], c: MappingConfig, at: string): RemoteComment[] {
  const known: SyncView = { ...ticketView(ticket(), c), comments: [...wanted] };
  const idOf = (rc: RemoteComment) => issueView(issue, [rc], c, known).view.comments[0]!;
  const next = remote.filter((rc) => wanted.some((w) => w.id === idOf(rc).id));
  let id = Math.max(0, ...remote.map((rc) => rc.id));
  for (const w of wanted) {
    const index = next.findIndex((rc) => idOf(rc).id === w.id);
    if (index < 0) next.push(remoteComment(++id, renderComment(w), { created_at: at, updated_at: at }));
    else if (!sameValue(idOf(next[index]!), w)) next[index] = { ...next[index]!, body: renderComment(w), updated_at: at };
  }
  return next;
}

interface World {
  ticket: Ticket;
  issue: RemoteIssue;
  comments: RemoteComment[];
  base: SyncView;
}

/** One sync as the shell runs it: read both sides (the local view and the base known), reconcile, write both. */
function sync(world: World, c: MappingConfig) {
  const local = ticketView(world.ticket, c);
  const remote = issueView(world.issue, world.comments, c, [local, world.base]).view;
  const result = reconcile(world.ticket.id, world.base, { view: local, writer: 'alice', at: world.ticket.updated_at ?? '' }, { view: remote, writer: 'octocat', at: world.issue.updated_at });
  const ticketAfter = applyView(world.ticket, result.local, c);
  const issue = patched(world.issue, renderIssue(ticketAfter, result.merged, c), SYNCED);
  const comments = result.github.comments ? postedComments(issue, world.comments, result.merged.comments, c, SYNCED) : world.comments;
  return { result, world: { ticket: ticketAfter, issue, comments, base: result.merged } };
}

/** A ticket just linked to its new issue: the issue created open, closed after when the ticket is. */
function linked(t: Ticket, c: MappingConfig): World {
  const view = ticketView(t, c);
  const write = renderIssue(t, view, c);
  const opened = issueFrom({ ...write, state: 'open', state_reason: null }, { created_at: CREATED, updated_at: CREATED });
  const issue = patched(opened, write, CREATED);
  const comments = view.comments.map((comment, i) => remoteComment(i + 1, renderComment(comment), { created_at: CREATED, updated_at: CREATED }));
  return { ticket: t, issue, comments, base: view };
}

interface LocalEdit {
  title?: string;
  preface?: string;
  status?: Ticket['status'];
  labels?: string[];
  /** The first comment's new body, or its deletion. */
  comment?: string;
  at: string;
}

interface GitHubEdit {
  title?: string;
  preface?: string;
  state?: [RemoteIssue['state'], RemoteIssue['state_reason']];
  labels?: string[];
  /** The first comment's new first words, or its deletion. */
  comment?: string;
  newComment?: string;
  at: string;
}

const localEdit: fc.Arbitrary<LocalEdit> = fc.record(
  {
    title: fc.string({ maxLength: 6 }),
    preface: fc.string({ minLength: 1, maxLength: 6 }),
    status: fc.constantFrom(...STATUSES),
    labels: fc.subarray(['bug', 'ux', 'status: blocked']),
    comment: fc.oneof(fc.constant('delete'), fc.string({ minLength: 1, maxLength: 6 })),
    at: fc.constantFrom('2026-12-01T08:00:00Z', '2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00.000001'),
  },
  { requiredKeys: ['at'] },
);
const githubEdit: fc.Arbitrary<GitHubEdit> = fc.record(
  {
    title: fc.string({ minLength: 1, maxLength: 6 }),
    preface: fc.string({ minLength: 1, maxLength: 6 }),
    state: fc.constantFrom<[RemoteIssue['state'], RemoteIssue['state_reason']]>(['closed', 'completed'], ['closed', 'not_planned'], ['open', 'reopened']),
    labels: fc.subarray(['bug', 'docs', 'Status: Review', 'priority: p0', 'type: epic']),
    comment: fc.oneof(fc.constant('delete'), fc.string({ minLength: 1, maxLength: 6 })),
    newComment: fc.string({ minLength: 1, maxLength: 6 }),
    at: fc.constantFrom('2026-12-01T08:00:00Z', '2026-12-01T09:00:00.000002Z'),
  },
  { requiredKeys: ['at'] },
);

function editedLocally(t: Ticket, edit: LocalEdit): Ticket {
  const [first, ...rest] = t.comments;
  const comments =
    edit.comment === undefined || first === undefined ? t.comments : edit.comment === 'delete' ? rest : [{ ...first, body: edit.comment, updated_at: edit.at }, ...rest];
  return Ticket.parse({
    ...t,
    title: edit.title ?? t.title,
    description: (edit.preface ?? '') + t.description,
    status: edit.status ?? t.status,
    labels: edit.labels ?? t.labels,
    comments,
    updated_at: edit.at,
  });
}

function editedOnGitHub(world: World, edit: GitHubEdit): World {
  const issue: RemoteIssue = { ...world.issue, updated_at: edit.at };
  if (edit.title !== undefined) issue.title = edit.title;
  if (edit.preface !== undefined) issue.body = `${edit.preface}\n\n${issue.body}`;
  if (edit.labels) issue.labels = edit.labels;
  if (edit.state && edit.state[0] !== issue.state) [issue.state, issue.state_reason] = edit.state;
  const [first, ...rest] = world.comments;
  const reworded = (rc: RemoteComment) => ({ ...rc, body: rc.body.replace(' wrote:\n\n', ` wrote:\n\n${edit.comment}`), updated_at: edit.at });
  let comments = edit.comment === undefined || first === undefined ? world.comments : edit.comment === 'delete' ? rest : [reworded(first), ...rest];
  if (edit.newComment) comments = [...comments, remoteComment(900, edit.newComment, { author: 'octocat', created_at: edit.at, updated_at: edit.at })];
  return { ...world, issue, comments };
}

describe('a whole sync cycle', () => {
  it('starts in sync: a ticket just linked to its issue reads alike on both sides', () => {
    fc.assert(
      fc.property(anyTicket(true), anyConfig, (t, c) => {
        const { result } = sync(linked(t, c), c);
        expect(result.log).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('converges: after one sync of edits on both sides, both read as the merged view and a second sync writes nothing', () => {
    fc.assert(
      fc.property(anyTicket(true), anyConfig, localEdit, githubEdit, (t, c, mine, theirs) => {
        const start = linked(t, c);
        const edited = editedOnGitHub({ ...start, ticket: editedLocally(t, mine) }, theirs);
        const once = sync(edited, c).world;
        expect(ticketView(once.ticket, c)).toEqual(once.base);
        expect(issueView(once.issue, once.comments, c, [ticketView(once.ticket, c), once.base]).view).toEqual(once.base);
        const twice = sync(once, c);
        expect(twice.result.log).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps what the ticket alone changed, cut texts included, though GitHub wrote later to other fields', () => {
    const later = fc.record({ newComment: fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: undefined }), at: fc.constant('2026-12-01T23:00:00Z') });
    fc.assert(
      fc.property(anyTicket(true), anyConfig, localEdit, later, (t, c, mine, theirs) => {
        const start = linked(t, c);
        const ticketEdited = editedLocally(t, mine);
        const once = sync(editedOnGitHub({ ...start, ticket: ticketEdited }, theirs), c).world;
        const { title, description, status } = ticketView(ticketEdited, c);
        expect(once.base).toMatchObject({ title, description, status });
        expect(ticketView(once.ticket, c)).toMatchObject({ title, description, status });
      }),
      { numRuns: 200 },
    );
  });
});
