import { describe, expect, it } from 'vitest';
import { syncView } from '../../../test/support/mapping.js';
import type { SyncView } from '../../sync/types.js';
import type { SyncReport, TicketReport } from '../report.js';
import { commitMessage } from './commit-message.js';

const view = syncView;

const line = (ticket: string, local: string[], extra: Partial<TicketReport> = {}): TicketReport => ({ ticket, issue: 12, outcome: 'pulled', local, github: [], conflicts: [], ...extra });
const report = (...tickets: TicketReport[]): SyncReport => ({ tickets, problems: [] });

describe('the commit message of a run', () => {
  it('shows the new value of a scalar field, as in `status → done`', () => {
    const views: Record<string, SyncView> = { 'TSK-0003': view({ status: 'done' }) };
    expect(commitMessage(report(line('TSK-0003', ['status'])), '#12 closed by @octocat', (id) => views[id])).toBe('ticket-sync: TSK-0003 status → done (#12 closed by @octocat)');
  });

  it('names a pull request\'s move as old → new, with its own cause when it is all the commit writes', () => {
    const moved = line('TSK-0012', ['status'], { transition: { from: 'in_progress', to: 'review', cause: 'PR #34 checks passed on 3f2a1b2' } });
    expect(commitMessage(report(moved), 'PR #34 pushed to by @ada', () => view({ status: 'review' }))).toBe('ticket-sync: TSK-0012 status in_progress → review (PR #34 checks passed on 3f2a1b2)');
    // With another change in the same commit, the run's reason stands.
    expect(commitMessage(report(moved, line('TSK-0013', ['title'])), 'PR #34 pushed to by @ada', () => view({ title: 'X' }))).toBe('ticket-sync: TSK-0012 status in_progress → review; TSK-0013 title → "X" (PR #34 pushed to by @ada)');
  });

  it('shows priority, type and a short title by value, and names the other fields', () => {
    const views: Record<string, SyncView> = { 'TSK-0001': view({ priority: 'critical', type: 'bug', title: 'Crash on login', labels: ['ui'] }) };
    expect(commitMessage(report(line('TSK-0001', ['title', 'priority', 'type', 'labels', 'assignees', 'comments', 'description'])), '#12 edited by @hubot', (id) => views[id])).toBe(
      'ticket-sync: TSK-0001 title → "Crash on login", priority → critical, type → bug, labels, assignees, comments, description (#12 edited by @hubot)',
    );
  });

  it('cuts a long title with … and keeps it on one line', () => {
    const views: Record<string, SyncView> = { 'TSK-0001': view({ title: 'A title that goes on\nand on, well past what a commit message line should hold' }) };
    const message = commitMessage(report(line('TSK-0001', ['title'])), '#12 edited by @hubot', (id) => views[id]);
    expect(message).toBe('ticket-sync: TSK-0001 title → "A title that goes on and on, well past…" (#12 edited by @hubot)');
    expect(message).not.toContain('\n');
  });

  it('names imports and links, and counts the tickets past the fifth', () => {
    const tickets = [
      line('TSK-0001', [], { outcome: 'in-sync' }),
      line('TSK-0002', ['github'], { outcome: 'created', issue: 14 }),
      line('ISS-0001', ['ticket'], { outcome: 'imported', issue: 13 }),
      ...['TSK-0003', 'TSK-0004', 'TSK-0005', 'TSK-0006', 'TSK-0007'].map((id) => line(id, ['status'])),
    ];
    expect(commitMessage(report(...tickets), 'push 1a2b3c4 by @octocat', () => view({ status: 'review' }))).toBe(
      'ticket-sync: TSK-0002 linked to #14; ISS-0001 imported from #13; TSK-0003 status → review; TSK-0004 status → review; 3 more tickets (push 1a2b3c4 by @octocat)',
    );
  });

  it('names the fields when the new values are not at hand', () => {
    expect(commitMessage(report(line('TSK-0003', ['status', 'labels'])), '#12 closed by @octocat')).toBe('ticket-sync: TSK-0003 status, labels (#12 closed by @octocat)');
    expect(commitMessage(report(), '#12 closed by @octocat')).toBe('ticket-sync: tickets (#12 closed by @octocat)');
  });
});
