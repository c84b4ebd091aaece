/**
 * What to send GitHub so that an issue shows what it should: the desired
 * issue (rendered from the merged view) compared with the issue as GitHub
 * holds it — not with a re-rendering of what was read — so that whatever
 * drifted on GitHub (a stale `status:` label after a close, a managed label
 * a person removed, a managed section edited by hand) is put right on the
 * next write. Pure.
 *
 * Compared as GitHub compares them: texts with `\r\n` folded and trailing
 * white space removed (the web editor writes `\r\n`), label names and logins
 * without regard to case, a closed issue's reason by what it means (closed
 * as `duplicate` is cancelled, like `not_planned`), and an open issue's
 * reason not at all (GitHub ignores a new reason while the state stays).
 */
import type { IssueWrite, RemoteIssue } from '../github/types.js';
import { nameSet, normalizeText, sameValue } from './view.js';

/** The issue ticket-sync wants: every field it manages. */
export type DesiredIssue = Required<IssueWrite> & { title: string; body: string };

/** The fields of `desired` that `issue` does not show; empty when it shows them all. */
export function issueChanges(desired: DesiredIssue, issue: RemoteIssue): IssueWrite {
  const write: IssueWrite = {};
  if (normalizeText(desired.title) !== normalizeText(issue.title)) write.title = desired.title;
  if (normalizeText(desired.body) !== normalizeText(issue.body)) write.body = desired.body;
  if (desired.state !== issue.state) {
    write.state = desired.state;
    write.state_reason = desired.state_reason;
  } else if (desired.state === 'closed' && closedAs(desired.state_reason) !== closedAs(issue.state_reason)) {
    write.state = 'closed';
    write.state_reason = desired.state_reason;
  }
  if (!sameNames(desired.labels, issue.labels)) write.labels = desired.labels;
  if (!sameNames(desired.assignees, issue.assignees)) write.assignees = desired.assignees;
  return write;
}

/** Whether a write changes nothing. */
export function isEmptyWrite(write: IssueWrite): boolean {
  return Object.keys(write).length === 0;
}

/**
 * Whether a closed issue must be opened first for `write` to take: GitHub
 * ignores a new close reason unless the state changes.
 */
export function needsReopenFirst(write: IssueWrite, issue: RemoteIssue): boolean {
  return issue.state === 'closed' && write.state === 'closed';
}

function closedAs(reason: RemoteIssue['state_reason']): 'cancelled' | 'done' {
  return reason === 'not_planned' || reason === 'duplicate' ? 'cancelled' : 'done';
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return sameValue(nameSet(a.map((n) => n.toLowerCase())), nameSet(b.map((n) => n.toLowerCase())));
}
