/** Comments on GitHub, both ways: posted with a marker, read back by it, or as `gh-<id>`. */
import { describe, expect, it } from 'vitest';
import { comment, issueFrom, remoteComment, shown, ticket } from '../../../test/support/mapping.js';
import { renderComment } from './comments.js';
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
