/** What a pull request asks of its tickets: a move when its status changes, the last merge deciding, a restore when a link goes. */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../tickets/vocabulary.js';
import type { PhaseStatuses, PullFacts } from './phase.js';
import { planPull, type FollowedPull, type PlanInput } from './plan.js';

const MOVES: PhaseStatuses = { draft: 'in_progress', ready: 'review', changesRequested: 'in_progress', ciFailed: 'in_progress', ciPassed: 'review', merged: 'done', reverted: 'reopened' };
const ready: PullFacts = { state: 'open', merged: false, draft: false, intoDoneBranch: true, changesRequested: false, ci: 'none' };
const merged: PullFacts = { ...ready, state: 'closed', merged: true };
const closed: PullFacts = { ...ready, state: 'closed' };

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  number: 7,
  head: 'a'.repeat(40),
  facts: ready,
  links: { closing: ['T-1'], referencing: [], skipped: [] },
  record: undefined,
  others: [],
  statuses: new Map<string, Status>([['T-1', 'open'], ['T-2', 'open']]),
  moves: MOVES,
  at: '2026-12-02T10:00:00Z',
  cause: 'PR #7 opened by @ada',
  ...over,
});

describe('a pull request\'s plan', () => {
  it('moves a ticket it links for the first time, remembering the status from before', () => {
    const plan = planPull(input());
    expect(plan.transitions.get('T-1')).toEqual({ to: 'review', at: '2026-12-02T10:00:00Z', cause: 'PR #7 opened by @ada' });
    expect(plan.record.links['T-1']).toEqual({ kind: 'closing', before: 'open', wanted: 'review' });
    expect(plan.tickets).toEqual(['T-1']);
  });

  it('asks nothing new when the status it stands for has not changed', () => {
    const first = planPull(input());
    const again = planPull(input({ record: first.record, statuses: new Map([['T-1', 'open']]) }));
    expect(again.transitions.size).toBe(0);
  });

  it('leaves done to the last merge while another open pull request closes the ticket', () => {
    const other: FollowedPull = { number: 8, state: 'open', merged: false, head: 'b'.repeat(40), links: { 'T-1': { kind: 'closing', before: 'open', wanted: 'review' } } };
    const first = planPull(input());
    const plan = planPull(input({ facts: merged, record: first.record, others: [other] }));
    expect(plan.transitions.size).toBe(0);
    expect(plan.record.closed).toEqual(['T-1']);
  });

  it('sets done on merge when the other pull request only references the ticket', () => {
    const other: FollowedPull = { number: 8, state: 'open', merged: false, head: 'b'.repeat(40), links: { 'T-1': { kind: 'referencing', before: 'open' } } };
    const plan = planPull(input({ facts: merged, record: planPull(input()).record, others: [other] }));
    expect(plan.transitions.get('T-1')?.to).toBe('done');
  });

  it('restores the status from before the link when closed, unless another open pull request links it', () => {
    const first = planPull(input({ statuses: new Map([['T-1', 'in_progress']]) }));
    expect(planPull(input({ facts: closed, record: first.record })).transitions.get('T-1')?.to).toBe('in_progress');
    const other: FollowedPull = { number: 9, state: 'open', merged: false, head: 'c'.repeat(40), links: { 'T-1': { kind: 'referencing', before: 'open' } } };
    expect(planPull(input({ facts: closed, record: first.record, others: [other] })).transitions.size).toBe(0);
  });

  it('restores a ticket that lost its link in an edit, and forgets the link', () => {
    const first = planPull(input());
    const plan = planPull(input({ record: first.record, links: { closing: ['T-2'], referencing: [], skipped: [] } }));
    expect(plan.transitions.get('T-1')?.to).toBe('open');
    expect(plan.transitions.get('T-2')?.to).toBe('review');
    expect(Object.keys(plan.record.links)).toEqual(['T-2']);
    expect(plan.tickets.sort()).toEqual(['T-1', 'T-2']);
  });

  it('reopens, as a revert, what the reverted pull request closed', () => {
    const reverted: FollowedPull = { number: 5, state: 'closed', merged: true, head: 'd'.repeat(40), links: {}, closed: ['T-2'] };
    const plan = planPull(input({ facts: merged, links: { closing: [], referencing: [], skipped: [] }, others: [reverted], reverts: 5, statuses: new Map([['T-2', 'done']]) }));
    expect(plan.transitions.get('T-2')).toEqual(expect.objectContaining({ to: 'reopened', revert: true }));
  });

  it('ignores links to tickets that are gone', () => {
    const plan = planPull(input({ links: { closing: ['T-9'], referencing: [], skipped: [] } }));
    expect(plan.transitions.size).toBe(0);
    expect(plan.tickets).toEqual([]);
  });
});
