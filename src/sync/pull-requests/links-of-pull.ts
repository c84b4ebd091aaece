/**
 * The tickets a pull request links, as the App's event filter and its jobs
 * both work them out: from its title, body and branch (see `links.ts`)
 * against the repository's ticket index; and the pull request a revert
 * reverts (`Revert "…"`, body `Reverts owner/repo#N`, as GitHub's revert
 * button writes it).
 */
import type { Status } from '../../tickets/vocabulary.js';
import { findLinks, linkedTickets, type PullRequestText } from './links.js';

/** A repository's tickets as the last run read them, and its pull-request settings. */
export interface TicketIndex {
  /** Ticket id → its issue number (0: none yet). */
  ids: Record<string, number>;
  /** Ticket id → its status. */
  statuses?: Record<string, Status>;
  /** `pullRequests.idPattern`, as written. */
  idPattern?: string;
  /** `pullRequests: false`. */
  off?: boolean;
}

export interface LinkedTickets {
  closing: string[];
  referencing: string[];
  skipped: string[];
}

export function linksOfPull(pr: PullRequestText, o: { repo: string; htmlBase: string; index: TicketIndex }): LinkedTickets {
  const ids = Object.keys(o.index.ids);
  const idPattern = o.index.idPattern === undefined ? undefined : new RegExp(o.index.idPattern, 'iu');
  const found = findLinks(pr, { repo: o.repo, htmlBase: o.htmlBase, ticketIds: ids, ...(idPattern ? { idPattern } : {}) });
  return linkedTickets(
    found,
    Object.entries(o.index.ids).map(([id, issue]) => (issue > 0 ? { id, issue } : { id })),
  );
}

/** The number of the pull request `pr` reverts, when it is a revert of one in this repository. */
export function revertedPull(pr: { title: string; body: string | null }, repo: string, htmlBase: string): number | undefined {
  if (!/^Revert\b/i.test(pr.title.trim())) return undefined;
  const body = pr.body ?? '';
  const escaped = repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const base = htmlBase.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|\\s)Reverts\\s+(?:(?:${escaped})?#|${base}/${escaped}/pull/)(\\d{1,9})\\b`, 'im').exec(body);
  return match ? Number(match[1]) : undefined;
}
