/**
 * Which issue is a ticket's: by the link ticket-sync recorded, never by text
 * a person can write. A ticket's `github` link in its file is the record; the
 * state store's link stands in for a file that does not carry one yet, unless
 * another ticket's file claims that issue (a tool gave the id to a new ticket
 * and the old one moved, keeping its link). A marker in an issue body is only
 * a recovery hint (a run that crashed between creating an issue and recording
 * the link), and counts only on an issue ticket-sync's own identity opened.
 * Pure.
 */
import type { RemoteIssue } from '../github/types.js';
import { markerOf } from './mapping/markers.js';

/** Whether a login is ticket-sync's own identity (GitHub compares logins without regard to case). */
export function isSelf(login: string, self: string): boolean {
  return login.toLowerCase() === self.toLowerCase();
}

/** The ticket an issue's marker names, when the marker counts: on an issue ticket-sync opened. */
export function recoveryMarker(issue: Pick<RemoteIssue, 'author' | 'body'>, self: string): string | undefined {
  return isSelf(issue.author, self) ? markerOf(issue.body) : undefined;
}

/** Each issue a ticket's own `github` link claims, with that ticket's id; `null` where several tickets claim it. */
export function fileLinks(tickets: readonly { ticket: { id: string; github?: { issue: number } | undefined } }[]): Map<number, string | null> {
  const claims = new Map<number, string | null>();
  for (const { ticket } of tickets) {
    const issue = ticket.github?.issue;
    if (issue !== undefined) claims.set(issue, claims.has(issue) ? null : ticket.id);
  }
  return claims;
}

/**
 * The issue number a ticket is linked to: its file's link, else the state's
 * link unless another ticket's file claims that issue.
 */
export function recordedLink(id: string, fileLink: number | undefined, stateLink: number | undefined, claimed: ReadonlyMap<number, string | null>): number | undefined {
  if (fileLink !== undefined) return fileLink;
  if (stateLink === undefined) return undefined;
  const claimant = claimed.get(stateLink);
  return claimant === undefined || claimant === id ? stateLink : undefined;
}
