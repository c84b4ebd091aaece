/** A view put back into a ticket: only what changed, in the ticket's own spelling, for any view and ticket. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ticket } from '../../tickets/model.js';
import type { SyncView } from '../types.js';
import { anyConfig, anyTicket, comment, ticket } from '../../../test/support/mapping.js';
import { applyView } from './apply-view.js';
import { ticketView } from './render-issue.js';

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

/** A ticket without its synced fields. */
function unsynced(t: Ticket) {
  const { title, description, status, priority, type, labels, assignees, comments, ...rest } = t;
  return rest;
}

describe('the round trip', () => {
  it('puts any view read from GitHub back into any ticket, and the ticket then shows that view', () => {
    fc.assert(
      fc.property(anyTicket(false), anyTicket(false), anyConfig, (t, other, c) => {
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
