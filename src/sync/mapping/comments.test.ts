/** Comments on GitHub, both ways: posted with a marker, read back by it, or as `gh-<id>`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comment, issueFrom, remoteComment, shown, ticket } from '../../../test/support/mapping.js';
import { commentsView, renderComment } from './comments.js';
import { commentMarker } from './markers.js';
import { normalizeText } from '../view.js';
import { BODY_LIMIT, CUT_NOTE } from './limits.js';
import { issueView } from './read-issue.js';
import { ticketView } from './render-issue.js';

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

describe('comment authors', () => {
  const SELF = 'ticket-sync[bot]';
  const marked = (id: string, author: string) => `Quoting:\n\n${commentMarker(id, author)}`;

  it("reads a stranger's comment carrying a local comment's marker as the stranger's own comment, its text as written", () => {
    const forged = remoteComment(42, marked('c1', 'the-ceo'), { author: 'mallory' });
    expect(commentsView([forged], [], SELF)).toEqual([
      { id: 'gh-42', author: 'mallory', body: marked('c1', 'the-ceo'), created_at: '2026-11-24T08:00:00Z' },
    ]);
  });

  it("does not let an old comment edited to carry a local comment's marker take that comment over", () => {
    const c = comment('c1', 'Started.');
    const local = { ...ticketView(ticket()), comments: [c] };
    const old = remoteComment(5, renderComment({ ...c, body: 'Rewritten.' }), { author: 'mallory', created_at: '2026-11-23T08:00:00Z', updated_at: '2026-11-25T08:00:00Z' });
    const own = remoteComment(7, renderComment(c));
    const read = commentsView([old, own], [local], SELF);
    expect(read.find((r) => r.id === 'c1')).toEqual(c);
    expect(read.find((r) => r.id === 'gh-5')).toMatchObject({ author: 'mallory', body: normalizeText(old.body) });
  });

  it("takes a marker on a comment by ticket-sync's own login, whatever its case", () => {
    const c = comment('c1', 'Started.');
    expect(commentsView([remoteComment(7, renderComment(c), { author: 'Ticket-Sync[BOT]' })], [], SELF)).toEqual([{ ...c, created_at: '2026-11-24T08:00:00Z' }]);
  });

  it('reads a marker on any comment as before when the caller names no login of its own', () => {
    const c = comment('c1', 'Started.');
    expect(commentsView([remoteComment(7, renderComment(c), { author: 'someone' })], [])).toEqual([{ ...c, created_at: '2026-11-24T08:00:00Z' }]);
  });

  it('reads a local comment quoting a comment marker back as written, and a copy of it never by the quoted marker', () => {
    const c = comment('c1', `See ${commentMarker('c9', 'the-ceo')} above.`);
    const body = renderComment(c);
    const read = commentsView([remoteComment(7, body), remoteComment(8, body, { created_at: '2026-11-24T09:00:00Z' })], [], SELF);
    expect(read.map((r) => [r.id, r.author, r.body])).toEqual([
      ['c1', 'alice', c.body],
      ['gh-8', SELF, normalizeText(body)],
    ]);
  });

  it('gives a comment born on GitHub its own id even when an earlier comment of ticket-sync names that id', () => {
    const own = remoteComment(3, renderComment(comment('gh-9', 'Copied.')), { created_at: '2026-11-23T08:00:00Z' });
    const person = remoteComment(9, 'Mine.', { author: 'octocat' });
    const read = commentsView([own, person], [], SELF);
    expect(read.find((r) => r.id === 'gh-9')).toMatchObject({ author: 'octocat', body: 'Mine.' });
    expect(new Set(read.map((r) => r.id)).size).toBe(2);
  });

  it('never reads a marker on a comment not by its own login as a local id or a name that is not the login', () => {
    const login = fc.constantFrom(SELF, 'TICKET-SYNC[bot]', 'mallory', 'octocat', 'alice', '');
    const body = fc
      .array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('c1', 'gh-1', 'the-ceo').chain((id) => fc.constantFrom(commentMarker(id, 'the-ceo'), renderComment(comment(id, 'x'))))), { maxLength: 3 })
      .map((parts) => parts.join('\n'));
    const remote = fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 1, max: 20 }), author: login, body, created_at: fc.constantFrom('2026-11-23T08:00:00Z', '2026-11-24T08:00:00Z'), updated_at: fc.constant('2026-11-24T08:00:00Z') }),
      { selector: (c) => c.id, maxLength: 6 },
    );
    fc.assert(
      fc.property(remote, (comments) => {
        const known = [{ ...ticketView(ticket()), comments: [comment('c1', 'x'), comment('gh-1', 'x', { author: 'the-ceo' })] }];
        const read = commentsView(comments, known, SELF);
        for (const c of comments.filter((c) => c.author.toLowerCase() !== SELF.toLowerCase())) {
          expect(read.filter((r) => r.id === `gh-${c.id}`)).toEqual([expect.objectContaining({ author: c.author, body: normalizeText(c.body) })]);
        }
        const own = comments.filter((c) => c.author.toLowerCase() === SELF.toLowerCase()).length;
        expect(read.filter((r) => !comments.some((c) => r.id === `gh-${c.id}` && c.author.toLowerCase() !== SELF.toLowerCase())).length).toBeLessThanOrEqual(own);
      }),
    );
  });
});
