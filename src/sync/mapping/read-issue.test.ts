/**
 * An issue read back as a ticket's view: line ends, and the round trip as a
 * property (any ticket rendered, then read, is its view again).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappingConfig } from '../../config/mapping.js';
import type { Ticket } from '../../tickets/model.js';
import { anyConfig, anyTicket, issueFrom, remoteComment, shown, ticket } from '../../../test/support/mapping.js';
import { renderComment } from './comments.js';
import { BODY_LIMIT, TITLE_LIMIT } from './limits.js';
import { ticketMarker } from './markers.js';
import { issueView } from './read-issue.js';
import { renderIssue, ticketView } from './render-issue.js';

describe('the issue body', () => {
  it('reads a CRLF body from GitHub as the same description', () => {
    const t = ticket({ description: 'Line one.\n\nLine two.', format_fields: { fiefdom: 'auth' } });
    const write = shown(t);
    expect(issueView(issueFrom(write, { body: write.body.replace(/\n/g, '\r\n') }), []).view.description).toBe('Line one.\n\nLine two.');
  });
});

describe('several managed labels of one kind', () => {
  it('read as the one a person just added beside the one ticket-sync put there', () => {
    const t = ticket({ status: 'in_progress', priority: 'low', type: 'task' });
    const view = ticketView(t);
    const write = shown(t);
    const labels = [...write.labels, 'status: review', 'priority: high', 'type: bug'];
    expect(issueView(issueFrom(write, { labels }), [], undefined, [view]).view).toMatchObject({ status: 'review', priority: 'high', type: 'bug' });
  });

  it('read as the first in label order when no known view tells them apart', () => {
    const write = shown(ticket({ status: 'in_progress' }));
    expect(issueView(issueFrom(write, { labels: ['status: review', 'status: blocked'] }), []).view.status).toBe('blocked');
  });
});

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

describe('the round trip', () => {
  it('reads an issue rendered from any ticket back as exactly its view, within GitHub limits', () => {
    fc.assert(
      fc.property(anyTicket(true), anyConfig, (t, c) => {
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
      fc.property(readable, anyConfig, (t, c) => {
        const { view, issue, comments } = onGitHub(t, c, true);
        expect(issueView(issue, comments, c).view).toEqual(view);
      }),
      { numRuns: 200 },
    );
  });
});
