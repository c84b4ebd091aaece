/**
 * What one pull request asks of its tickets now: for each ticket it links
 * (or linked until an edit), whether its status moves and to what, and the
 * pull request's record as the App keeps it. Pure: the pull request's facts,
 * its links and the tickets' statuses come in; the shell syncs the tickets
 * with the transitions and keeps the record once the sync has landed.
 *
 * A ticket moves when the status its pull request stands for changes (a
 * level seen again asks nothing new), so a person's change since stands
 * until the pull request moves on. The last merge decides: a merge sets
 * `done` only once no other open pull request closes the same ticket, and a
 * closed pull request gives a ticket back its status from before the link
 * only when no other open pull request links it.
 */
import type { Status } from '../../tickets/vocabulary.js';
import { phaseOf, wantedStatus, type CiVerdict, type Phase, type PhaseStatuses, type PullFacts } from './phase.js';
import type { Transition } from './transition.js';

/** A ticket a followed pull request links: how, its status before the link, and what the pull request last asked of it. */
export interface PullLink {
  kind: 'closing' | 'referencing';
  before: Status;
  wanted?: Status | 'restore';
}

/** A pull request the App follows because it links tickets. */
export interface FollowedPull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  /** Its head commit when last seen: a fork's check events are matched by it. */
  head: string;
  /** The phase last seen. */
  phase?: Phase;
  /** By ticket id. */
  links: Record<string, PullLink>;
  /** The tickets its merge closed: a merged revert of it reopens them. */
  closed?: string[];
  /** Its `ticket-sync` check run: on which head, and a digest of what it said. */
  check?: { sha: string; id: number; digest: string };
  /** When it was closed (ISO 8601). */
  closedAt?: string;
  /** Whether a reviewer's latest review asked for changes, when its reviews were last read. */
  changesRequested?: boolean;
  /** What the checks on a head said, when they were last read. */
  ci?: { head: string; verdict: CiVerdict; failed: string[]; readAt: string };
}

export interface PlanInput {
  number: number;
  head: string;
  facts: PullFacts;
  /** The links its title, body and branch make now (see `links.ts`). */
  links: { closing: readonly string[]; referencing: readonly string[]; skipped: readonly string[] };
  /** The pull request as followed so far; undefined the first time. */
  record: FollowedPull | undefined;
  /** The repository's other followed pull requests. */
  others: readonly FollowedPull[];
  /** Each ticket's status now, by id (a ticket that is gone has none). */
  statuses: ReadonlyMap<string, Status>;
  moves: PhaseStatuses;
  /** The pull request this one reverts, when it is a revert (`Reverts owner/repo#N`). */
  reverts?: number;
  /** When the event happened, and the cause for the log: `PR #34 merged by @ada`. */
  at: string;
  cause: string;
}

/** What a ticket's line in the check run says merging will do. */
export type TicketOutlook = { ticket: string; kind: 'closing' | 'referencing' | 'skipped'; moves?: Status };

export interface PullPlan {
  record: FollowedPull;
  /** The status moves, by ticket id. */
  transitions: Map<string, Transition>;
  /** The tickets to sync: linked now, losing their link, or reopened by a revert. */
  tickets: string[];
  phase: Phase;
  outlook: TicketOutlook[];
}

export function planPull(input: PlanInput): PullPlan {
  const { record, others, statuses, at, cause } = input;
  const phase = phaseOf(input.facts, record?.phase);
  const open = others.filter((o) => o.state === 'open' && o.number !== input.number);
  const linkedElsewhere = (ticket: string, kind?: 'closing') => open.some((o) => o.links[ticket] !== undefined && (kind === undefined || o.links[ticket]!.kind === kind));
  const transitions = new Map<string, Transition>();
  const links: Record<string, PullLink> = {};
  const now = new Map<string, 'closing' | 'referencing'>([...input.links.referencing.map((t) => [t, 'referencing'] as const), ...input.links.closing.map((t) => [t, 'closing'] as const)]);

  const ask = (ticket: string, link: PullLink, wanted: ReturnType<typeof wantedStatus>): PullLink => {
    if (wanted === undefined) return link;
    const key: Status | 'restore' = 'restore' in wanted ? 'restore' : wanted.status;
    if (link.wanted === key) return link;
    // Restored only where no other open pull request links it; done only once no other open pull request closes it.
    const blocked = 'restore' in wanted ? linkedElsewhere(ticket) : phase === 'merged' && linkedElsewhere(ticket, 'closing');
    if (!blocked && statuses.has(ticket)) transitions.set(ticket, { to: 'restore' in wanted ? link.before : wanted.status, at, cause });
    return { ...link, wanted: key };
  };

  for (const [ticket, kind] of now) {
    if (!statuses.has(ticket)) continue;
    const known = record?.links[ticket];
    const link: PullLink = { kind, before: known?.before ?? statuses.get(ticket)!, ...(known?.wanted !== undefined ? { wanted: known.wanted } : {}) };
    links[ticket] = ask(ticket, link, wantedStatus(phase, kind, input.moves));
  }
  // A ticket that lost its link (an edit, a skip word) gets back its status from before the link.
  for (const [ticket, link] of Object.entries(record?.links ?? {})) {
    if (now.has(ticket)) continue;
    ask(ticket, link, { restore: true });
  }
  const closed = phase === 'merged' ? [...now].filter(([, kind]) => kind === 'closing').map(([t]) => t) : record?.closed;
  // A merged revert reopens what the reverted pull request's merge closed.
  const reverted = phase === 'merged' && input.reverts !== undefined ? others.find((o) => o.number === input.reverts && o.merged) : undefined;
  if (reverted && input.moves.reverted !== false && record?.phase !== 'merged') {
    for (const ticket of reverted.closed ?? []) if (statuses.has(ticket)) transitions.set(ticket, { to: input.moves.reverted, at, cause, revert: true });
  }
  const next: FollowedPull = {
    number: input.number,
    state: input.facts.state,
    merged: input.facts.merged,
    head: input.head,
    phase,
    links,
    ...(closed && closed.length > 0 ? { closed } : {}),
    ...(record?.check ? { check: record.check } : {}),
    ...(record?.changesRequested !== undefined ? { changesRequested: record.changesRequested } : {}),
    ...(record?.ci ? { ci: record.ci } : {}),
    ...(input.facts.state === 'closed' ? { closedAt: record?.closedAt ?? at } : {}),
  };
  const tickets = [...new Set([...Object.keys(links), ...Object.keys(record?.links ?? {}), ...transitions.keys()])].filter((t) => statuses.has(t));
  return { record: next, transitions, tickets, phase, outlook: outlookOf(input, links) };
}

/** Each linked ticket's line for the check run: what merging will do. */
function outlookOf(input: PlanInput, links: Record<string, PullLink>): TicketOutlook[] {
  const merged = input.moves.merged;
  const lines: TicketOutlook[] = Object.entries(links).map(([ticket, link]) =>
    link.kind === 'closing' && merged !== false ? { ticket, kind: 'closing', moves: merged } : { ticket, kind: link.kind },
  );
  for (const ticket of input.links.skipped) lines.push({ ticket, kind: 'skipped' });
  // What merging closes first, then what it only references, then what was skipped.
  const order = { closing: 0, referencing: 1, skipped: 2 } as const;
  return lines.sort((a, b) => order[a.kind] - order[b.kind]);
}
