/**
 * Where a pull request is in its life, from what GitHub says of it now, and
 * the ticket status each phase stands for. Pure: the facts are read by the
 * shell (the pull request, its reviews, its head's checks).
 *
 * A phase is a level, not an edge: the App works out the phase from the pull
 * request as it is when a job runs, so late, repeated or reordered webhooks
 * all come to the same answer. A ticket moves only when the status its pull
 * request stands for changes (see `transition.ts`).
 */
import type { Status } from '../../tickets/vocabulary.js';

/** The combined result of the checks on a head commit: pending changes nothing. */
export type CiVerdict = 'failure' | 'success' | 'pending' | 'none';

export interface PullFacts {
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  /** The base branch is one where merged means done (`pullRequests.doneBranches`). */
  intoDoneBranch: boolean;
  /** A reviewer's latest review (not dismissed) requests changes. */
  changesRequested: boolean;
  /** The checks on the current head. */
  ci: CiVerdict;
}

/** The phases a configuration names a status for; `merged` (closing links only) and `closed` (back to the status before the link) are decided apart. */
export const PHASES = ['draft', 'ready', 'changesRequested', 'ciFailed', 'ciPassed', 'merged', 'closed', 'mergedElsewhere'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The phase of a pull request. `previous` is the phase the App last saw: a
 * success after a failure is `ciPassed`, and pending checks after a failure
 * keep it `ciFailed` (pending changes nothing).
 */
export function phaseOf(facts: PullFacts, previous?: Phase): Phase {
  if (facts.merged) return facts.intoDoneBranch ? 'merged' : 'mergedElsewhere';
  if (facts.state === 'closed') return 'closed';
  if (facts.draft) return 'draft';
  if (facts.changesRequested) return 'changesRequested';
  if (facts.ci === 'failure') return 'ciFailed';
  const afterFailure = previous === 'ciFailed' || previous === 'ciPassed';
  if (facts.ci === 'success') return afterFailure ? 'ciPassed' : 'ready';
  // A new head's checks not started yet are as pending: a repository whose checks failed has checks.
  if ((facts.ci === 'pending' || facts.ci === 'none') && afterFailure) return previous;
  return 'ready';
}

/** The configured status of each phase that sets one; `false`: that transition is off. */
export interface PhaseStatuses {
  draft: Status | false;
  ready: Status | false;
  changesRequested: Status | false;
  ciFailed: Status | false;
  ciPassed: Status | false;
  merged: Status | false;
  reverted: Status | false;
}

/** What a phase asks of one linked ticket: a status, the status before the link (`restore`), or nothing. */
export type Wanted = { status: Status } | { restore: true } | undefined;

/**
 * The status a phase stands for, for a link of `kind`. Merging sets the
 * merged status only through a closing link (a referencing link never sets
 * done); a merge into a branch that is not a done-branch sets nothing; a
 * pull request closed without merging gives the ticket back its status from
 * before the link.
 */
export function wantedStatus(phase: Phase, kind: 'closing' | 'referencing', statuses: PhaseStatuses): Wanted {
  if (phase === 'closed') return { restore: true };
  if (phase === 'mergedElsewhere') return undefined;
  if (phase === 'merged') return kind === 'closing' && statuses.merged !== false ? { status: statuses.merged } : undefined;
  const status = statuses[phase];
  return status === false ? undefined : { status };
}

/** The words a phase is told by in a cause: `PR #34 ready for review by @ada`. */
export const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  draft: 'is a draft',
  ready: 'ready for review',
  changesRequested: 'changes requested',
  ciFailed: 'checks failed',
  ciPassed: 'checks passed',
  merged: 'merged',
  closed: 'closed without merging',
  mergedElsewhere: 'merged',
};
