/** The phase of a pull request from what GitHub says of it, and the status each phase stands for. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHASES, phaseOf, wantedStatus, type PhaseStatuses, type PullFacts } from './phase.js';

const open = (changes: Partial<PullFacts> = {}): PullFacts => ({ state: 'open', merged: false, draft: false, intoDoneBranch: true, changesRequested: false, ci: 'none', ...changes });
const DEFAULTS: PhaseStatuses = { draft: 'in_progress', ready: 'review', changesRequested: 'in_progress', ciFailed: 'in_progress', ciPassed: 'review', merged: 'done', reverted: 'reopened' };

describe('the phase of a pull request', () => {
  it('is draft for a draft, whatever its checks say', () => {
    expect(phaseOf(open({ draft: true, ci: 'failure' }))).toBe('draft');
  });

  it('is ready for a ready pull request with no checks, passing checks, or pending checks', () => {
    for (const ci of ['none', 'success', 'pending'] as const) expect(phaseOf(open({ ci }))).toBe('ready');
  });

  it('is changesRequested when a reviewer asks for changes, before what the checks say', () => {
    expect(phaseOf(open({ changesRequested: true, ci: 'failure' }))).toBe('changesRequested');
  });

  it('is ciFailed when the checks on the head fail, and stays so while the next checks are pending', () => {
    expect(phaseOf(open({ ci: 'failure' }))).toBe('ciFailed');
    expect(phaseOf(open({ ci: 'pending' }), 'ciFailed')).toBe('ciFailed');
    expect(phaseOf(open({ ci: 'none' }), 'ciFailed')).toBe('ciFailed');
  });

  it('is ciPassed when checks pass after a failure, and stays so through pending checks of a later push', () => {
    expect(phaseOf(open({ ci: 'success' }), 'ciFailed')).toBe('ciPassed');
    expect(phaseOf(open({ ci: 'pending' }), 'ciPassed')).toBe('ciPassed');
  });

  it('is merged into a done-branch, mergedElsewhere into another, and closed when closed without merging', () => {
    expect(phaseOf({ ...open(), state: 'closed', merged: true })).toBe('merged');
    expect(phaseOf({ ...open({ intoDoneBranch: false }), state: 'closed', merged: true })).toBe('mergedElsewhere');
    expect(phaseOf({ ...open({ draft: true }), state: 'closed' })).toBe('closed');
  });

  it('is always one of the phases, whatever the facts and the previous phase', () => {
    const facts = fc.record({
      state: fc.constantFrom('open' as const, 'closed' as const),
      merged: fc.boolean(),
      draft: fc.boolean(),
      intoDoneBranch: fc.boolean(),
      changesRequested: fc.boolean(),
      ci: fc.constantFrom('failure' as const, 'success' as const, 'pending' as const, 'none' as const),
    });
    fc.assert(fc.property(facts, fc.option(fc.constantFrom(...PHASES), { nil: undefined }), (f, previous) => PHASES.includes(phaseOf(f, previous))));
  });
});

describe('the status a phase stands for', () => {
  it('follows the configured transitions for the open phases', () => {
    expect(wantedStatus('draft', 'referencing', DEFAULTS)).toEqual({ status: 'in_progress' });
    expect(wantedStatus('ready', 'closing', DEFAULTS)).toEqual({ status: 'review' });
    expect(wantedStatus('ciFailed', 'closing', DEFAULTS)).toEqual({ status: 'in_progress' });
  });

  it('sets done on merge only through a closing link', () => {
    expect(wantedStatus('merged', 'closing', DEFAULTS)).toEqual({ status: 'done' });
    expect(wantedStatus('merged', 'referencing', DEFAULTS)).toBeUndefined();
    expect(wantedStatus('mergedElsewhere', 'closing', DEFAULTS)).toBeUndefined();
  });

  it('gives back the status from before the link when closed without merging', () => {
    expect(wantedStatus('closed', 'closing', DEFAULTS)).toEqual({ restore: true });
  });

  it('asks nothing of a transition turned off', () => {
    expect(wantedStatus('draft', 'closing', { ...DEFAULTS, draft: false })).toBeUndefined();
    expect(wantedStatus('merged', 'closing', { ...DEFAULTS, merged: false })).toBeUndefined();
  });
});
