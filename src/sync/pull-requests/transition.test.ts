/** Whether an automatic transition may move a ticket, and the merge result with it applied. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../tickets/vocabulary.js';
import { syncView } from '../../../test/support/mapping.js';
import { reconcile } from '../merge.js';
import type { SyncView } from '../types.js';
import { PULL_REQUEST_WRITER, transitionVerdict, withTransition, type Transition } from './transition.js';

const AT = '2026-12-02T10:00:00Z';
const BEFORE = '2026-12-02T09:00:00Z';
const AFTER = '2026-12-02T11:00:00Z';
const review: Transition = { to: 'review', at: AT, cause: 'PR #34 ready for review by @ada' };

const view = (changes: Partial<SyncView> = {}): SyncView => syncView({ title: 'Login', description: 'Rate limit it.', ...changes });

describe('whether a transition may move a ticket', () => {
  it('moves a ticket nobody touched since the pull request linked it', () => {
    expect(transitionVerdict('in_progress', { writer: PULL_REQUEST_WRITER, at: BEFORE }, review)).toEqual({ apply: true });
    expect(transitionVerdict('open', undefined, review)).toEqual({ apply: true });
  });

  it('leaves a status a person set after the triggering event', () => {
    const verdict = transitionVerdict('open', { writer: 'grace', at: AFTER }, review);
    expect(verdict).toEqual({ apply: false, why: expect.stringContaining('@grace set open after it') });
  });

  it('moves a status a person set before the triggering event', () => {
    expect(transitionVerdict('open', { writer: 'grace', at: BEFORE }, review)).toEqual({ apply: true });
  });

  it('never moves a ticket out of blocked or cancelled that a person set, however long ago', () => {
    for (const held of ['blocked', 'cancelled'] as const) {
      expect(transitionVerdict(held, { writer: 'grace', at: BEFORE }, review).apply).toBe(false);
      expect(transitionVerdict(held, undefined, review).apply).toBe(false);
    }
  });

  it('moves a ticket out of blocked that a transition set', () => {
    expect(transitionVerdict('blocked', { writer: PULL_REQUEST_WRITER, at: BEFORE }, review)).toEqual({ apply: true });
  });

  it('does not move a done ticket back, except by a revert', () => {
    expect(transitionVerdict('done', { writer: PULL_REQUEST_WRITER, at: BEFORE }, review).apply).toBe(false);
    expect(transitionVerdict('done', { writer: PULL_REQUEST_WRITER, at: BEFORE }, { ...review, to: 'reopened', revert: true })).toEqual({ apply: true });
  });

  it('lets a person\'s move (a board column) take a ticket out of blocked or done, unless someone wrote later', () => {
    const move: Transition = { ...review, writer: 'grace' };
    expect(transitionVerdict('blocked', { writer: 'ada', at: BEFORE }, move)).toEqual({ apply: true });
    expect(transitionVerdict('done', { writer: PULL_REQUEST_WRITER, at: BEFORE }, move)).toEqual({ apply: true });
    expect(transitionVerdict('done', { writer: 'ada', at: AFTER }, move).apply).toBe(false);
  });

  it('does nothing to a ticket already at the status', () => {
    expect(transitionVerdict('review', undefined, review)).toEqual({ apply: false, why: 'already review' });
  });

  it('never applies over a person\'s later write, whatever the statuses and times', () => {
    const status = fc.constantFrom(...STATUSES);
    const time = fc.integer({ min: 0, max: 10_000 }).map((s) => new Date(Date.UTC(2026, 11, 2) + s * 1000).toISOString());
    fc.assert(
      fc.property(status, status, time, time, fc.string({ minLength: 1 }), (current: Status, to: Status, personAt, eventAt, person) => {
        fc.pre(person !== PULL_REQUEST_WRITER && Date.parse(personAt) > Date.parse(eventAt));
        return !transitionVerdict(current, { writer: person, at: personAt }, { to, at: eventAt, cause: 'c', revert: true }).apply;
      }),
    );
  });
});

describe('a transition applied to a merge', () => {
  it('writes the status to both sides when neither shows it, logged as pull_request with its cause', () => {
    const sides = { local: view(), github: view() };
    const result = withTransition('TSK-1', reconcile('TSK-1', view(), { view: sides.local, writer: 'ticket-sync', at: BEFORE }, { view: sides.github, writer: 'octocat', at: BEFORE }), sides, review);
    expect(result.merged.status).toBe('review');
    expect(result.local).toEqual({ status: 'review' });
    expect(result.github).toEqual({ status: 'review' });
    expect(result.log).toEqual([
      expect.objectContaining({ field: 'status', side: 'local', writer: 'pull_request', at: AT, cause: review.cause, before: 'open', after: 'review' }),
      expect.objectContaining({ field: 'status', side: 'github', writer: 'pull_request', at: AT, cause: review.cause, before: 'open', after: 'review' }),
    ]);
  });

  it('writes only the side that lacks it', () => {
    const sides = { local: view(), github: view({ status: 'review' }) };
    const base = view();
    const merged = reconcile('TSK-1', base, { view: sides.local, writer: 'ticket-sync', at: BEFORE }, { view: sides.github, writer: 'ada', at: BEFORE });
    const result = withTransition('TSK-1', merged, sides, review);
    expect(result.local).toEqual({ status: 'review' });
    expect(result.github).toEqual({});
    expect(result.log.filter((l) => l.field === 'status')).toHaveLength(1);
  });

  it('keeps an older status change it replaces in the log as the value that lost', () => {
    const sides = { local: view(), github: view({ status: 'blocked' }) };
    const merged = reconcile('TSK-1', view(), { view: sides.local, writer: 'ticket-sync', at: BEFORE }, { view: sides.github, writer: 'grace', at: BEFORE });
    const result = withTransition('TSK-1', merged, sides, review);
    const onGitHub = result.log.find((l) => l.side === 'github' && l.field === 'status');
    expect(onGitHub?.conflict).toEqual({ side: 'github', writer: 'grace', at: BEFORE, value: 'blocked' });
    expect(result.github).toEqual({ status: 'review' });
    expect(result.local).toEqual({ status: 'review' });
  });

  it('leaves the other fields of the merge as they were', () => {
    const sides = { local: view({ title: 'New title' }), github: view() };
    const merged = reconcile('TSK-1', view(), { view: sides.local, writer: 'alice', at: BEFORE }, { view: sides.github, writer: 'octocat', at: BEFORE });
    const result = withTransition('TSK-1', merged, sides, review);
    expect(result.github).toEqual({ title: 'New title', status: 'review' });
    expect(result.log.filter((l) => l.field === 'title')).toHaveLength(1);
  });
});
