/**
 * How a ticket appears on GitHub and reads back: every status both ways,
 * managed labels, the assignee map, the body and its managed section, GitHub's
 * limits, comments, applying a view to a ticket, and the round trip as a
 * property over arbitrary tickets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RemoteComment, RemoteIssue } from '../github/types.js';
import { completeDraft, Ticket, type TicketDraft } from '../tickets/model.js';
import { PRIORITIES, STATUSES, TICKET_TYPES } from '../tickets/vocabulary.js';
import {
  applyView,
  BODY_LIMIT,
  CUT_NOTE,
  issueView,
  MANAGED_END,
  MANAGED_START,
  MappingConfig,
  renderComment,
  renderIssue,
  ticketMarker,
  ticketView,
  TITLE_LIMIT,
  UNTITLED,
} from './mapping.js';
import { reconcile } from './merge.js';
import type { SyncComment, SyncView } from './types.js';
import { sameValue } from './view.js';

const ticket = (draft: Partial<TicketDraft> = {}, id = 'TSK-0001'): Ticket => completeDraft({ title: 'Add login rate limiting', ...draft }, id);
const shown = (t: Ticket, config?: MappingConfig) => renderIssue(t, ticketView(t, config), config);

/** The issue GitHub holds once ticket-sync wrote `write` to it, with `changes` made there since. */
function issueFrom(write: ReturnType<typeof renderIssue>, changes: Partial<RemoteIssue> = {}): RemoteIssue {
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
function remoteComment(id: number, body: string, changes: Partial<RemoteComment> = {}): RemoteComment {
  return { id, author: 'ticket-sync[bot]', body, created_at: '2026-11-24T08:00:00Z', updated_at: '2026-11-24T08:00:00Z', ...changes };
}

const comment = (id: string, body: string, changes: Partial<SyncComment> = {}): SyncComment => ({
  id,
  author: 'alice',
  body,
  created_at: '2026-11-23T09:30:00Z',
  ...changes,
});

describe('the mapping configuration', () => {
  it('fills every default from an empty object', () => {
    expect(MappingConfig.parse({})).toEqual({
      labels: { status: 'status: ', priority: 'priority: ', type: 'type: ' },
      assignees: {},
      showMetadata: [],
    });
  });

  it('keeps the defaults of the label prefixes it is not given', () => {
    expect(MappingConfig.parse({ labels: { status: 'state/' } }).labels).toEqual({ status: 'state/', priority: 'priority: ', type: 'type: ' });
  });

  it('refuses two names for one login, a blank prefix, prefixes that overlap and unknown keys', () => {
    for (const wrong of [
      { assignees: { alice: 'octocat', bob: 'Octocat' } },
      { labels: { type: '  ' } },
      { labels: { status: 'p', priority: 'prio: ' } },
      { labels: { type: 'status: ' } },
      { colours: {} },
    ]) {
      expect(MappingConfig.safeParse(wrong).success, JSON.stringify(wrong)).toBe(false);
    }
  });
});

describe('status on GitHub', () => {
  it.each([
    { status: 'open', state: 'open', reason: null, label: undefined },
    { status: 'in_progress', state: 'open', reason: null, label: 'status: in progress' },
    { status: 'blocked', state: 'open', reason: null, label: 'status: blocked' },
    { status: 'review', state: 'open', reason: null, label: 'status: review' },
    { status: 'reopened', state: 'open', reason: 'reopened', label: undefined },
    { status: 'done', state: 'closed', reason: 'completed', label: undefined },
    { status: 'cancelled', state: 'closed', reason: 'not_planned', label: undefined },
  ] as const)('shows $status on GitHub as state $state, reason $reason and status label $label, and reads it back', ({ status, state, reason, label }) => {
    const write = shown(ticket({ status }));
    expect(write).toMatchObject({ state, state_reason: reason });
    expect(write.labels.filter((l) => l.startsWith('status: '))).toEqual(label ? [label] : []);
    expect(issueView(issueFrom(write), []).view.status).toBe(status);
  });

  it('reads a closed issue as done, or as cancelled when it was not planned or a duplicate', () => {
    const read = (state_reason: RemoteIssue['state_reason']) =>
      issueView(issueFrom(shown(ticket()), { state: 'closed', state_reason, labels: ['status: blocked'] }), []).view.status;
    expect([read('completed'), read(null), read('reopened'), read('not_planned'), read('duplicate')]).toEqual(['done', 'done', 'done', 'cancelled', 'cancelled']);
  });

  it('takes the status label of an open issue over its reopened reason, in any spelling', () => {
    const issue = issueFrom(shown(ticket()), { state_reason: 'reopened', labels: ['Status: In-Progress'] });
    expect(issueView(issue, []).view.status).toBe('in_progress');
  });

  it('ignores a status label naming a closed status on an open issue', () => {
    const issue = issueFrom(shown(ticket()), { labels: ['status: done'] });
    expect(issueView(issue, []).view.status).toBe('open');
  });

  it('reads an issue GitHub still marks reopened as open while the known view is open', () => {
    // GitHub keeps `reopened` until the issue is closed again, and ignores a reason while the state stays.
    const t = ticket({ status: 'open' });
    const issue = issueFrom(shown(t), { state_reason: 'reopened' });
    expect(issueView(issue, [], undefined, ticketView(t)).view.status).toBe('open');
    expect(issueView(issue, []).view.status).toBe('reopened');
    const never = issueFrom(shown(ticket({ status: 'reopened' })), { state_reason: null });
    expect(issueView(never, [], undefined, [undefined, ticketView(ticket({ status: 'reopened' }))]).view.status).toBe('reopened');
  });

  it('reads a missing priority label as medium and a missing type label as task', () => {
    const issue = issueFrom(shown(ticket({ priority: 'critical', type: 'bug' })), { labels: ['security'] });
    expect(issueView(issue, []).view).toMatchObject({ priority: 'medium', type: 'task', labels: ['security'] });
  });

  it('reads priority and type labels in any word of the vocabulary', () => {
    const issue = issueFrom(shown(ticket()), { labels: ['Priority: P1', 'type:defect'] });
    expect(issueView(issue, []).view).toMatchObject({ priority: 'high', type: 'bug', labels: [] });
  });

  it('shows priority and type as labels', () => {
    expect(shown(ticket({ priority: 'critical', type: 'epic', labels: ['security'] })).labels).toEqual(['priority: critical', 'security', 'type: epic']);
  });
});

describe('labels', () => {
  const config = MappingConfig.parse({ labels: { status: 'state/', priority: 'P-', type: 'kind:' } });

  it('uses the configured prefixes both ways', () => {
    const t = ticket({ status: 'blocked', priority: 'low', type: 'bug', labels: ['status: blocked'] });
    const write = shown(t, config);
    expect(write.labels).toEqual(['P-low', 'kind:bug', 'state/blocked', 'status: blocked']);
    expect(issueView(issueFrom(write), [], config).view).toMatchObject({ status: 'blocked', priority: 'low', type: 'bug', labels: ['status: blocked'] });
  });

  it("drops managed-looking labels from a ticket's view, so they never reach GitHub as free labels", () => {
    const t = ticket({ labels: ['status: foo', 'Priority: urgent', ' type:bug ', 'security', ''] });
    expect(ticketView(t).labels).toEqual(['security']);
    expect(shown(t).labels).toEqual(['priority: medium', 'security', 'type: task']);
  });

  it('reads a managed-looking label with an unknown value on GitHub as neither a free label nor a value', () => {
    const issue = issueFrom(shown(ticket({ priority: 'high' })), { labels: ['status: foo', 'priority: someday', 'ux'] });
    expect(issueView(issue, []).view).toMatchObject({ status: 'open', priority: 'medium', labels: ['ux'] });
  });

  it('keeps a managed-looking label in the ticket file when the labels are written', () => {
    const t = ticket({ labels: ['status: foo', 'ux', 'security'] });
    expect(applyView(t, { labels: ['api', 'security'] }).labels).toEqual(['status: foo', 'security', 'api']);
  });
});

describe('assignees', () => {
  const config = MappingConfig.parse({ assignees: { 'Alice Smith': 'alice-gh', bob: 'Bobby' } });

  it('maps local names to logins and logins back to names, an unmapped name standing for itself', () => {
    const write = shown(ticket({ assignees: ['bob', 'Alice Smith', 'carol'] }), config);
    expect(write.assignees).toEqual(['Bobby', 'alice-gh', 'carol']);
    expect(issueView(issueFrom(write, { assignees: ['ALICE-GH', 'bobby', 'dave'] }), [], config).view.assignees).toEqual(['Alice Smith', 'bob', 'dave']);
  });

  it("reads the logins GitHub spells in its own case as the ticket's names when they are what it shows", () => {
    const t = ticket({ assignees: ['Carol'] });
    const issue = issueFrom(shown(t), { assignees: ['carol'] });
    expect(issueView(issue, [], undefined, ticketView(t)).view.assignees).toEqual(['Carol']);
  });

  it("shows at most ten assignees and reads that list back as the ticket's", () => {
    const names = Array.from({ length: 12 }, (_, i) => `dev${String(i).padStart(2, '0')}`);
    const t = ticket({ assignees: names });
    const write = shown(t);
    expect(write.assignees).toEqual(names.slice(0, 10));
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.assignees).toEqual(names);
    expect(issueView(issueFrom(write), []).view.assignees).toEqual(names.slice(0, 10));
  });
});

describe('the issue body', () => {
  it('is the description and then the marker when there is nothing to manage', () => {
    const write = shown(ticket({ description: 'Throttle failed logins.\r\n\r\n' }));
    expect(write.body).toBe('Throttle failed logins.\n\n<!-- ticket-sync:id=TSK-0001 -->');
    expect(issueView(issueFrom(write), [])).toEqual({ ticket: 'TSK-0001', view: ticketView(ticket({ description: 'Throttle failed logins.' })) });
  });

  it('is the marker alone for a ticket without description', () => {
    expect(shown(ticket()).body).toBe(ticketMarker('TSK-0001'));
  });

  it('shows format fields and chosen metadata in a managed section between the description and the marker', () => {
    const config = MappingConfig.parse({ showMetadata: ['sprint', 'missing'] });
    const t = ticket({
      description: 'Throttle failed logins.',
      format_fields: { fiefdom: 'src/auth', errors: ['timeout', 'two\nlines'], warnings: [], details: 'Step one.\nStep two.', context: { a: '```' } },
      metadata: { sprint: 12, hidden: 'no' },
    });
    const body = shown(t, config).body;
    expect(body).toBe(
      [
        'Throttle failed logins.',
        '',
        MANAGED_START,
        '---',
        '_Generated by ticket-sync from the ticket file. Edit the ticket, not this section: changes here are overwritten._',
        '',
        '**fiefdom:** src/auth',
        '',
        '**errors:**',
        '- timeout',
        '- two',
        '  lines',
        '',
        '**details:**',
        '',
        'Step one.',
        'Step two.',
        '',
        '**context:**',
        '',
        '````json',
        '{',
        '  "a": "```"',
        '}',
        '````',
        '',
        '**metadata.sprint:** 12',
        MANAGED_END,
        '',
        ticketMarker('TSK-0001'),
      ].join('\n'),
    );
    expect(issueView(issueFrom(shown(t, config)), [], config).view.description).toBe('Throttle failed logins.');
  });

  it('leaves the managed section out when its fields are all empty', () => {
    expect(shown(ticket({ format_fields: { errors: [], context: {}, fiefdom: ' ', note: null } })).body).toBe(ticketMarker('TSK-0001'));
  });

  it('finds the marker anywhere in a body, and only a marker that holds a possible id', () => {
    for (const body of ['<!-- ticket-sync:id=TSK-9 -->\nText', 'Text <!-- ticket-sync:id=TSK-9 --> more', 'Text\n\n<!-- ticket-sync:id=TSK-9 -->']) {
      expect(issueView(issueFrom(shown(ticket()), { body }), []).ticket, body).toBe('TSK-9');
    }
    const read = issueView(issueFrom(shown(ticket()), { body: 'Text <!-- ticket-sync:id=TSK-9 --> <!-- ticket-sync:id=../x -->' }), []);
    expect(read).toMatchObject({ ticket: 'TSK-9', view: { description: 'Text  <!-- ticket-sync:id=../x -->' } });
    expect(issueView(issueFrom(shown(ticket()), { body: 'Just a person.' }), []).ticket).toBeUndefined();
  });

  it("keeps a person's text written around the managed section as their description", () => {
    const t = ticket({ description: 'Throttle.', format_fields: { fiefdom: 'auth' } });
    const body = shown(t).body;
    const edited = ('Intro.\n\n' + body.replace(MANAGED_END, `${MANAGED_END}\n\nAfter the section.`) + '\nAfter the marker.').replace('**fiefdom:** auth', '**fiefdom:** edited');
    expect(issueView(issueFrom(shown(t), { body: edited }), []).view.description).toBe('Intro.\n\nThrottle.\n\nAfter the section.\n\nAfter the marker.');
  });

  it('reads a CRLF body from GitHub as the same description', () => {
    const t = ticket({ description: 'Line one.\n\nLine two.', format_fields: { fiefdom: 'auth' } });
    const write = shown(t);
    expect(issueView(issueFrom(write, { body: write.body.replace(/\n/g, '\r\n') }), []).view.description).toBe('Line one.\n\nLine two.');
  });

  it('reads a missing end of the managed section as the end of the body', () => {
    const body = `People's text.\n\n${MANAGED_START}\n---\nhalf a section`;
    expect(issueView(issueFrom(shown(ticket()), { body }), []).view.description).toBe("People's text.");
  });

  it('escapes ticket-sync markers in a description so that they read back as written', () => {
    const description = `Docs: ${ticketMarker('OTHER')} and ${MANAGED_START} and <!-- ticket-sync:escaped:x -->`;
    const t = ticket({ description });
    const write = shown(t);
    expect(write.body).not.toContain(ticketMarker('OTHER'));
    expect(issueView(issueFrom(write), [])).toMatchObject({ ticket: 'TSK-0001', view: { description } });
  });

  it('defuses markers inside format fields, so the section ends where ticket-sync ended it', () => {
    const t = ticket({ description: 'Mine.', format_fields: { details: `x ${MANAGED_END} y ${ticketMarker('OTHER')}` } });
    expect(issueView(issueFrom(shown(t)), [])).toMatchObject({ ticket: 'TSK-0001', view: { description: 'Mine.' } });
  });
});

describe("GitHub's limits", () => {
  it("cuts a long title on GitHub with a note, and reads it back as the ticket's title", () => {
    const title = 'Rate limiting '.repeat(30).trim();
    const t = ticket({ title });
    const write = shown(t);
    expect(write.title).toHaveLength(TITLE_LIMIT);
    expect(write.title.endsWith(CUT_NOTE)).toBe(true);
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.title).toBe(title);
    expect(title.startsWith(issueView(issueFrom(write), []).view.title)).toBe(true);
  });

  it('never splits a surrogate pair when it cuts', () => {
    // The cut falls right after the first half of an emoji: it goes back one.
    const room = TITLE_LIMIT - CUT_NOTE.length;
    const lead = 'a'.repeat(room % 2 === 0 ? 1 : 2);
    const write = shown(ticket({ title: lead + '😀'.repeat(200) }));
    expect(write.title).toBe(lead + '😀'.repeat((room - 1 - lead.length) / 2) + CUT_NOTE);
  });

  it('shows a stand-in title for an untitled ticket, GitHub refusing a blank one', () => {
    const t = ticket({ title: '  ' });
    const write = shown(t);
    expect(write.title).toBe(UNTITLED);
    expect(issueView(issueFrom(write), [], undefined, ticketView(t)).view.title).toBe('');
  });

  it("cuts a long description with a note, keeps the marker last, and reads the ticket's description back", () => {
    const description = 'Lorem ipsum dolor sit amet. '.repeat(3000).trim();
    const t = ticket({ description, format_fields: { fiefdom: 'auth' } });
    const write = shown(t);
    expect(write.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(write.body.endsWith(`${CUT_NOTE}\n\n${ticketMarker('TSK-0001')}`)).toBe(true);
    expect(write.body).not.toContain(MANAGED_START);
    expect(issueView(issueFrom(write), [], undefined, [undefined, ticketView(t)])).toEqual({ ticket: 'TSK-0001', view: ticketView(t) });
  });

  it('reads an edit of a cut description as the text a person left, without the note', () => {
    const t = ticket({ description: 'x'.repeat(BODY_LIMIT) });
    const write = shown(t);
    const edited = write.body.replace(/^x+/, 'Shorter now.');
    expect(issueView(issueFrom(write, { body: edited }), [], undefined, ticketView(t)).view.description).toBe('Shorter now.');
  });

  it('names the managed entries that do not fit with the note, and shows the ones that do', () => {
    const t = ticket({ description: 'y'.repeat(BODY_LIMIT - 400), format_fields: { details: 'z'.repeat(500), fiefdom: 'auth' } });
    const write = shown(t);
    expect(write.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(write.body).toContain(`**details:** ${CUT_NOTE}\n\n**fiefdom:** auth\n${MANAGED_END}`);
    expect(issueView(issueFrom(write), []).view.description).toBe('y'.repeat(BODY_LIMIT - 400));
  });
});

describe('comments', () => {
  it('posts a local comment naming its author, with a hidden marker, and reads it back', () => {
    const c = comment('c1', 'Started.\r\n');
    const body = renderComment(c);
    expect(body).toBe('**alice** wrote:\n\nStarted.\n\n<!-- ticket-sync:comment=c1 author=alice -->');
    expect(issueView(issueFrom(shown(ticket())), [remoteComment(7, body)]).view.comments).toEqual([
      { id: 'c1', author: 'alice', body: 'Started.', created_at: '2026-11-24T08:00:00Z' },
    ]);
  });

  it('reads a comment of ticket-sync as the known comment, timestamps and all, while GitHub shows it unchanged', () => {
    const c = comment('c1', 'Started.', { updated_at: '2026-11-23T09:31:00.123456' });
    const local = { ...ticketView(ticket()), comments: [c] };
    expect(issueView(issueFrom(shown(ticket())), [remoteComment(7, renderComment(c))], undefined, local).view.comments).toEqual([c]);
  });

  it('reads a comment of ticket-sync edited on GitHub with the edit and its time, keeping the local creation time', () => {
    const c = comment('c1', 'Started.');
    const local = { ...ticketView(ticket()), comments: [c] };
    const edited = remoteComment(7, renderComment(c).replace('Started.', 'Started, then paused.'), { updated_at: '2026-11-25T12:00:00Z' });
    expect(issueView(issueFrom(shown(ticket())), [edited], undefined, local).view.comments).toEqual([
      { ...c, body: 'Started, then paused.', updated_at: '2026-11-25T12:00:00Z' },
    ]);
  });

  it('reads a comment without a marker as gh-<id> by its login', () => {
    const person = remoteComment(42, 'Looks good\r\n', { author: 'octocat', created_at: '2026-11-23T11:00:00Z', updated_at: '2026-11-23T12:00:00Z' });
    expect(issueView(issueFrom(shown(ticket())), [person]).view.comments).toEqual([
      { id: 'gh-42', author: 'octocat', body: 'Looks good', created_at: '2026-11-23T11:00:00Z', updated_at: '2026-11-23T12:00:00Z' },
    ]);
  });

  it('lets the earliest of two comments carrying one marker keep its id', () => {
    const body = renderComment(comment('c1', 'Copied.'));
    const read = issueView(issueFrom(shown(ticket())), [remoteComment(9, body, { created_at: '2026-11-24T09:00:00Z' }), remoteComment(8, body)]).view;
    expect(read.comments.map((c) => c.id)).toEqual(['c1', 'gh-9']);
  });

  it('carries ids and authors of any spelling in its marker', () => {
    const odd = comment('c 1 author=x', 'Body', { author: 'Zoë -->%20 <b>\n*' });
    const body = renderComment(odd);
    expect(body.split('\n')[0]).toBe('**Zoë --\\>%20 \\<b\\> \\*** wrote:');
    expect(issueView(issueFrom(shown(ticket())), [remoteComment(7, body)]).view.comments).toEqual([{ ...odd, created_at: '2026-11-24T08:00:00Z' }]);
  });

  it('cuts a long comment with the note and reads the local body back', () => {
    const c = comment('c1', 'word '.repeat(20_000).trim());
    const body = renderComment(c);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body).toContain(CUT_NOTE);
    const local = { ...ticketView(ticket()), comments: [c] };
    expect(issueView(issueFrom(shown(ticket())), [remoteComment(7, body)], undefined, local).view.comments).toEqual([c]);
  });
});

describe('applying a view to a ticket', () => {
  const t = ticket({
    description: 'Line one.\r\nLine two.',
    labels: ['ux', 'api'],
    assignees: ['bob', 'alice'],
    comments: [
      { id: 'c2', author: 'bob', body: 'Second.\r\n', created_at: '2026-11-23T10:00:00Z' },
      { id: 'c1', author: 'alice', body: 'First.', created_at: '2026-11-23T09:00:00Z' },
    ],
  });

  it('changes only the fields in the patch, and keeps the ticket as it is for values it already shows', () => {
    const view = ticketView(t);
    expect(applyView(t, { ...view })).toEqual(t);
    expect(applyView(t, { title: 'New', status: 'done' })).toEqual({ ...t, title: 'New', status: 'done' });
  });

  it('keeps the order of labels and assignees, dropping removed ones and adding new ones last', () => {
    const next = applyView(t, { labels: ['api', 'security', 'ux'], assignees: ['alice', 'carol'] });
    expect(next.labels).toEqual(['ux', 'api', 'security']);
    expect(next.assignees).toEqual(['alice', 'carol']);
  });

  it('adds comments born on GitHub with their gh ids, and keeps unchanged comments as they were written', () => {
    const view = ticketView(t);
    const fromGitHub = { id: 'gh-42', author: 'octocat', body: 'Hi', created_at: '2026-11-23T11:00:00Z' };
    const next = applyView(t, { comments: [view.comments[0]!, { ...view.comments[1]!, body: 'Second, edited.' }, fromGitHub] });
    expect(next.comments).toEqual([{ ...t.comments[0], body: 'Second, edited.' }, t.comments[1], fromGitHub]);
    expect(Ticket.safeParse(next).success).toBe(true);
  });

  it('refuses a patch that would make the ticket invalid', () => {
    expect(() => applyView(t, { comments: [comment('../escape', 'x')] })).toThrow();
  });
});

// ---------------------------------------------------------------------------
// Properties

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
const config: fc.Arbitrary<MappingConfig> = fc
  .record({
    labels: fc.constantFrom({}, { status: 'state/', priority: 'P-', type: 'kind: ' }),
    assignees: fc.subarray(NAMES).map((names) => Object.fromEntries(names.map((n, i) => [n, `login-${i}`]))),
    showMetadata: fc.constantFrom([], ['sprint']),
  })
  .map((c) => MappingConfig.parse(c));
const label = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('status: foo', 'Priority: high', 'type:bug', 'state/x', 'P-low', ' spaced ', 'bug'));
const time = fc.constantFrom('2026-11-23T09:30:00Z', '2026-11-23T10:30:00+01:00', '2026-11-23T09:30:00.123456', '', 'yesterday');
const commentId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}[A-Za-z0-9]$/), fc.constantFrom('c1', 'gh-5', 'c author=x', 'a%20b'));

function anyTicket(long: boolean): fc.Arbitrary<Ticket> {
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

/**
 * The issue and comments GitHub holds after ticket-sync wrote `t` there. The
 * comments carry GitHub's own times, or with `localTimes` the ticket's.
 */
function onGitHub(t: Ticket, c: MappingConfig, localTimes = false) {
  const view = ticketView(t, c);
  const write = renderIssue(t, view, c);
  const comments = view.comments.map((comment, i) =>
    remoteComment(i + 1, renderComment(comment), localTimes ? { created_at: comment.created_at, updated_at: comment.updated_at ?? comment.created_at } : {}),
  );
  return { view, write, issue: issueFrom(write), comments };
}

/** A ticket without its synced fields. */
function unsynced(t: Ticket) {
  const { title, description, status, priority, type, labels, assignees, comments, ...rest } = t;
  return rest;
}

describe('the round trip', () => {
  it('reads an issue rendered from any ticket back as exactly its view, within GitHub limits', () => {
    fc.assert(
      fc.property(anyTicket(true), config, (t, c) => {
        const { view, write, issue, comments } = onGitHub(t, c);
        expect(write.title.length).toBeLessThanOrEqual(TITLE_LIMIT);
        expect(write.body.length).toBeLessThanOrEqual(BODY_LIMIT);
        expect(write.body.endsWith(ticketMarker(t.id))).toBe(true);
        for (const posted of comments) expect(posted.body.length).toBeLessThanOrEqual(BODY_LIMIT);
        expect(issueView(issue, comments, c, view)).toEqual({ ticket: t.id, view });
      }),
      { numRuns: 150 },
    );
  });

  it('reads short texts back without any known view, from the issue alone', () => {
    const readable = anyTicket(false).map((t) => ({
      ...t,
      title: t.title.trim() === '' ? 'Untitled' : t.title,
      // GitHub times: an unedited comment's `updated_at` is its `created_at`.
      comments: t.comments.map((c) => (c.updated_at === c.created_at ? { ...c, updated_at: undefined } : c)),
    }));
    fc.assert(
      fc.property(readable, config, (t, c) => {
        const { view, issue, comments } = onGitHub(t, c, true);
        expect(issueView(issue, comments, c).view).toEqual(view);
      }),
      { numRuns: 200 },
    );
  });

  it('puts any view read from GitHub back into any ticket, and the ticket then shows that view', () => {
    fc.assert(
      fc.property(anyTicket(false), anyTicket(false), config, (t, other, c) => {
        const wanted: SyncView = ticketView(other, c);
        const next = applyView(t, wanted, c);
        expect(Ticket.safeParse(next).success).toBe(true);
        expect(ticketView(next, c)).toEqual(wanted);
        expect(unsynced(next)).toEqual(unsynced(t));
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------
// A whole sync cycle: mapping and merge together, against GitHub's own rules

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
      fc.property(anyTicket(true), config, (t, c) => {
        const { result } = sync(linked(t, c), c);
        expect(result.log).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('converges: after one sync of edits on both sides, both read as the merged view and a second sync writes nothing', () => {
    fc.assert(
      fc.property(anyTicket(true), config, localEdit, githubEdit, (t, c, mine, theirs) => {
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
      fc.property(anyTicket(true), config, localEdit, later, (t, c, mine, theirs) => {
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
