/**
 * Two tickets claiming one issue: a `github` link copied by hand, a file
 * duplicated under another id. An issue belongs to exactly one ticket, so
 * neither claim is synced or written until a person removes one; each is
 * reported where its ticket stands. Pure.
 */
import type { LoadedTicket } from './formats/types.js';
import { sortProblems, toPointer, type Problem } from './problems.js';

export interface LinkClaims {
  /** One problem per contested ticket, at its record. */
  problems: Problem[];
  /** The ids of the tickets whose issue another ticket also claims. */
  contested: ReadonlySet<string>;
}

export function linkClaims(tickets: readonly LoadedTicket[]): LinkClaims {
  const byIssue = new Map<number, LoadedTicket[]>();
  for (const loaded of tickets) {
    const issue = loaded.ticket.github?.issue;
    if (issue !== undefined) byIssue.set(issue, [...(byIssue.get(issue) ?? []), loaded]);
  }
  const problems: Problem[] = [];
  const contested = new Set<string>();
  for (const [issue, claims] of byIssue) {
    if (claims.length < 2) continue;
    for (const claim of claims) {
      contested.add(claim.ticket.id);
      const others = claims.filter((c) => c !== claim).map((c) => `${c.ticket.id} (${c.path}:${c.line}:${c.column})`);
      problems.push({
        path: claim.path,
        line: claim.line,
        column: claim.column,
        pointer: toPointer(claim.recordPath),
        code: 'duplicate-link',
        message: `ticket ${claim.ticket.id} links to issue #${issue}, which ${others.join(', ')} also links to; neither is synced until one link is removed`,
      });
    }
  }
  return { problems: sortProblems(problems), contested };
}
