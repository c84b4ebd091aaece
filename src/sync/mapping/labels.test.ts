/** Status, priority and type on GitHub, both ways, and the managed and free labels. */
import { describe, expect, it } from 'vitest';
import { MappingConfig } from '../../config/mapping.js';
import type { RemoteIssue } from '../../github/types.js';
import { issueFrom, shown, ticket } from '../../../test/support/mapping.js';
import { applyView } from './apply-view.js';
import { issueView } from './read-issue.js';
import { ticketView } from './render-issue.js';

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
