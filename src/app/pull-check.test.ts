/** What a linked pull request's check run says: the linked tickets, what merging does, the failing checks. */
import { describe, expect, it } from 'vitest';
import { planPull } from '../sync/pull-requests/plan.js';
import type { PullFacts } from '../sync/pull-requests/phase.js';
import { pullCheckOutput } from './pull-check.js';

const facts: PullFacts = { state: 'open', merged: false, draft: false, intoDoneBranch: true, changesRequested: false, ci: 'failure' };
const moves = { draft: 'in_progress', ready: 'review', changesRequested: 'in_progress', ciFailed: 'in_progress', ciPassed: 'review', merged: 'done', reverted: 'reopened' } as const;

describe('a pull request\'s check run', () => {
  it('lists each linked ticket with its issue and what merging will do, the skipped ones, and the failed checks', () => {
    const plan = planPull({
      number: 34,
      head: '3f2a1b2c'.padEnd(40, '0'),
      facts,
      links: { closing: ['TSK-0012'], referencing: ['TSK-0007'], skipped: ['TSK-0009'] },
      record: undefined,
      others: [],
      statuses: new Map([['TSK-0012', 'open'], ['TSK-0007', 'open'], ['TSK-0009', 'open']] as const),
      moves,
      at: '2026-12-02T10:00:00Z',
      cause: 'check suite 991 failed on 3f2a1b2',
    });
    const read = { pull: { head: { sha: '3f2a1b2c'.padEnd(40, '0') } }, ci: { failed: ['build', 'lint'] } } as never;
    const output = pullCheckOutput({ plan, work: { read, at: '2026-12-02T10:00:00Z', reason: 'x' }, issues: new Map([['TSK-0012', 12], ['TSK-0007', 7]]) });
    expect(output.title).toBe('TSK-0012 → done on merge');
    expect(output.summary.split('\n')).toEqual([
      '### Linked tickets',
      '- **TSK-0012** (#12) → done on merge',
      '- TSK-0007 (#7) referenced only: merging leaves its status',
      '- TSK-0009 skipped',
      '',
      '### Failing checks',
      'Linked tickets moved back to work: `build`, `lint` failed on 3f2a1b2.',
    ]);
  });
});
