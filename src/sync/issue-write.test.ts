import { describe, expect, it } from 'vitest';
import type { RemoteIssue } from '../github/types.js';
import { issueChanges, needsReopenFirst, type DesiredIssue } from './issue-write.js';

/** What an issue shows of a ticket, whether ticket-sync wants it or GitHub holds it. */
const SHOWN: DesiredIssue = {
  title: 'Ship it',
  body: 'About it.\n\n<!-- ticket-sync:id=TSK-0001 -->',
  state: 'open',
  state_reason: null,
  labels: ['priority: medium', 'type: task'],
  assignees: [],
};

const issue = (extra: Partial<RemoteIssue> = {}): RemoteIssue => ({
  ...SHOWN,
  number: 1,
  id: 1001,
  url: 'https://github.com/acme/app/issues/1',
  author: 'octocat',
  created_at: '2026-11-20T00:00:00Z',
  updated_at: '2026-11-20T00:00:00Z',
  comments: 0,
  ...extra,
});

const desired = (extra: Partial<DesiredIssue> = {}): DesiredIssue => ({ ...SHOWN, ...extra });

describe('the write that makes an issue show what it should', () => {
  it('is empty when the issue shows everything already', () => {
    expect(issueChanges(desired(), issue())).toEqual({});
  });

  it('removes a status label the issue kept after it was closed, though the state already matches', () => {
    const closed = issue({ state: 'closed', state_reason: 'completed', labels: ['priority: medium', 'status: in progress', 'type: task'] });
    expect(issueChanges(desired({ state: 'closed', state_reason: 'completed' }), closed)).toEqual({ labels: ['priority: medium', 'type: task'] });
  });

  it('puts back a managed label a person removed', () => {
    expect(issueChanges(desired(), issue({ labels: ['type: task'] }))).toEqual({ labels: ['priority: medium', 'type: task'] });
  });

  it('compares label names and logins without regard to case, as GitHub does', () => {
    expect(issueChanges(desired({ assignees: ['Octocat'] }), issue({ labels: ['Priority: Medium', 'TYPE: task'], assignees: ['octocat'] }))).toEqual({});
  });

  it('reads the web editor’s CRLF and trailing white space in a body as the same text', () => {
    expect(issueChanges(desired(), issue({ body: 'About it.\r\n\r\n<!-- ticket-sync:id=TSK-0001 -->\r\n' }))).toEqual({});
  });

  it('changes the state with its reason', () => {
    expect(issueChanges(desired({ state: 'closed', state_reason: 'not_planned' }), issue())).toEqual({ state: 'closed', state_reason: 'not_planned' });
  });

  it('takes an issue closed as duplicate for cancelled, and one closed with no reason for done', () => {
    expect(issueChanges(desired({ state: 'closed', state_reason: 'not_planned' }), issue({ state: 'closed', state_reason: 'duplicate' }))).toEqual({});
    expect(issueChanges(desired({ state: 'closed', state_reason: 'completed' }), issue({ state: 'closed', state_reason: null }))).toEqual({});
  });

  it('changes a closed issue’s reason by closing it again, after opening it first', () => {
    const closed = issue({ state: 'closed', state_reason: 'completed' });
    const write = issueChanges(desired({ state: 'closed', state_reason: 'not_planned' }), closed);
    expect(write).toEqual({ state: 'closed', state_reason: 'not_planned' });
    expect(needsReopenFirst(write, closed)).toBe(true);
    expect(needsReopenFirst(issueChanges(desired({ state: 'open', state_reason: 'reopened' }), closed), closed)).toBe(false);
  });

  it('ignores an open issue’s reason, which GitHub keeps until the next close', () => {
    expect(issueChanges(desired(), issue({ state_reason: 'reopened' }))).toEqual({});
  });
});
