/**
 * The pull requests' say in a repository's sync (a `TicketPlanner` for
 * `repo-sync.ts`): from the tickets an attempt read, each pull request's
 * links and plan (`src/sync/pull-requests/plan.ts`), the tickets they add to
 * the run and the status moves; once the attempt has synced, the followed
 * pull requests as they now stand, kept with the attempt's commit.
 */
import type { PullSettings } from '../../config/pull-requests.js';
import { followedPulls } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import { linksOfPull, revertedPull, type TicketIndex } from '../../sync/pull-requests/links-of-pull.js';
import { phaseOf, type Phase } from '../../sync/pull-requests/phase.js';
import { planPull, type FollowedPull, type PullPlan } from '../../sync/pull-requests/plan.js';
import type { Transition } from '../../sync/pull-requests/transition.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { Status } from '../../tickets/vocabulary.js';
import type { TicketPlanner } from '../repo-sync.js';
import type { SyncReport } from '../report.js';
import type { PullRead } from './read-pull.js';

/** Closed pull requests are forgotten this long after they closed; merged ones that closed tickets are kept for a revert. */
const FORGET_CLOSED_MS = 30 * 24 * 3600_000;

export interface PulledWork {
  read: PullRead;
  /** When its event happened, and its words (`PR #34 merged by @ada`). */
  at: string;
  reason: string;
  /** The latest check event's words, for a move the checks make. */
  ciReason?: string;
}

export interface PullPlanner extends TicketPlanner {
  /**
   * The plans against the tickets as the last run left them (the state's
   * ticket index): when nothing moves, the job reads no branch and syncs
   * nothing; it only keeps the pull requests and their check runs.
   */
  planIndex(index: TicketIndex): Promise<{ only: ReadonlySet<string>; transitions: ReadonlyMap<string, Transition> }>;
  /** Each pull request's plan as the last attempt worked it out, with its read. */
  plans(): { plan: PullPlan; work: PulledWork; issues: ReadonlyMap<string, number> }[];
}

export function pullPlanner(o: { repo: string; htmlBase: string; settings: PullSettings; state: StateStore; work: readonly PulledWork[]; now: () => Date }): PullPlanner {
  let last: ReturnType<PullPlanner['plans']> = [];
  let followed: Record<string, FollowedPull> = {};

  /** Every pull request's plan against the tickets as `index` has them. */
  const planAll = async (tickets: Pick<TicketIndex, 'ids' | 'statuses'>) => {
    followed = (await followedPulls.get(o.state, o.repo)) ?? {};
    const index: TicketIndex = { ids: tickets.ids, ...(o.settings.idPattern ? { idPattern: o.settings.idPattern.source } : {}) };
    const issues = new Map(Object.entries(tickets.ids).filter(([, n]) => n > 0));
    const statuses = new Map<string, Status>(Object.entries(tickets.statuses ?? {}));
    const only = new Set<string>();
    const transitions = new Map<string, Transition>();
    last = [];
    for (const work of o.work) {
      const { pull, facts } = work.read;
      const links = linksOfPull({ title: pull.title, body: pull.body, branch: pull.head.ref }, { repo: o.repo, htmlBase: o.htmlBase, index });
      const reverts = revertedPull(pull, o.repo, o.htmlBase);
      const plan = planPull({
        number: pull.number,
        head: pull.head.sha,
        facts,
        links,
        record: followed[String(pull.number)],
        others: Object.values(followed),
        statuses,
        moves: o.settings.transitions,
        ...(reverts !== undefined ? { reverts } : {}),
        at: work.at,
        cause: causeOf(work, phaseOf(facts, followed[String(pull.number)]?.phase)),
      });
      plan.record = { ...plan.record, changesRequested: facts.changesRequested, ...(work.read.ci ? { ci: work.read.ci } : {}) };
      // Only the tickets that move are synced.
      for (const ticket of plan.transitions.keys()) only.add(ticket);
      for (const [ticket, move] of plan.transitions) transitions.set(ticket, move);
      // A later pull request of the same job sees this one as it now stands.
      followed = { ...followed, [String(pull.number)]: plan.record };
      last.push({ plan, work, issues });
    }
    return { only, transitions };
  };

  return {
    async plan(tickets: readonly LoadedTicket[]) {
      const ids: Record<string, number> = {};
      for (const { ticket } of tickets) ids[ticket.id] = ticket.github?.issue ?? (await o.state.getLink(o.repo, ticket.id)) ?? 0;
      return planAll({ ids, statuses: Object.fromEntries(tickets.map(({ ticket }) => [ticket.id, ticket.status])) });
    },
    planIndex: (index) => planAll(index),
    async settle(_report: SyncReport | undefined, pending: StateStore) {
      const now = o.now().getTime();
      const kept = Object.fromEntries(Object.entries(followed).filter(([, p]) => keep(p, now)));
      await followedPulls.set(pending, o.repo, kept);
    },
    plans: () => last,
  };
}

/** Whether a followed pull request is still worth keeping: open, or closed lately, or merged with tickets a revert would reopen. */
function keep(pull: FollowedPull, now: number): boolean {
  if (pull.state === 'open' || (pull.closed?.length ?? 0) > 0) return true;
  return pull.closedAt === undefined || now - Date.parse(pull.closedAt) < FORGET_CLOSED_MS;
}

/** The cause in the log: the event's words, or the merge's once the pull request is merged (`PR #34 merged by @ada`). */
function causeOf(work: PulledWork, phase: Phase): string {
  const { pull } = work.read;
  if (pull.merged) return `PR #${pull.number} merged${pull.mergedBy ? ` by @${pull.mergedBy}` : ''}`;
  // A move the checks make is caused by them, whatever event of the pull request came with them.
  if (phase === 'ciFailed' || phase === 'ciPassed') return work.ciReason ?? `PR #${pull.number} checks ${phase === 'ciFailed' ? 'failed' : 'passed'} on ${pull.head.sha.slice(0, 7)}`;
  return work.reason;
}
