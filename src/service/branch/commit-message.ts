/** The message of the commit that writes a run's ticket changes back. */
import type { SyncView } from '../../sync/types.js';
import type { SyncReport } from '../report.js';

/** Tickets named in a commit message; more are counted. */
const TICKETS_NAMED = 5;
/** Characters of a title shown in a commit message; a longer one is cut with `…`. */
const TITLE_SHOWN = 40;

/**
 * One line naming what a run wrote into the ticket files:
 * `ticket-sync: TSK-0003 status → done (#12 closed by @octocat)`,
 * `ticket-sync: TSK-0004 imported from #13 (…)`,
 * `ticket-sync: TSK-0005 linked to #14 (…)`, and a pull request's move
 * `ticket-sync: TSK-0012 status in_progress → review (PR #34 ready for review by @ada)`. Status, priority, type and
 * title show the ticket's new value (from `after`, a ticket's view once
 * written); the other fields are named. Past five tickets, the rest are
 * counted.
 */
export function commitMessage(report: SyncReport, reason: string, after?: (ticket: string) => SyncView | undefined): string {
  const changed = report.tickets
    .filter((t) => t.local.length > 0)
    .map((t) => {
      if (t.outcome === 'imported') return `${t.ticket} imported from #${t.issue}`;
      const view = after?.(t.ticket);
      const moved = t.transition && t.transition.skipped === undefined ? t.transition : undefined;
      return `${t.ticket} ${t.local.map((field) => (field === 'status' && moved ? `status ${moved.from} → ${moved.to}` : fieldChange(field, view, t.issue))).join(', ')}`;
    });
  // A pull request's move names its own cause (`PR #34 merged by @ada`), when it is what the commit writes.
  const causes = new Set(report.tickets.filter((t) => t.local.length > 0).map((t) => (t.transition && t.transition.skipped === undefined ? t.transition.cause : reason)));
  if (causes.size === 1) reason = [...causes][0]!;
  const named = changed.length > TICKETS_NAMED ? [...changed.slice(0, TICKETS_NAMED - 1), `${changed.length - TICKETS_NAMED + 1} more tickets`] : changed;
  return `ticket-sync: ${named.join('; ') || 'tickets'} (${reason})`;
}

function fieldChange(field: string, view: SyncView | undefined, issue: number | undefined): string {
  if (field === 'github') return issue === undefined ? 'linked' : `linked to #${issue}`;
  if (view === undefined) return field;
  if (field === 'status' || field === 'priority' || field === 'type') return `${field} → ${view[field]}`;
  if (field === 'title') return `title → "${cut(view.title.replace(/\s+/g, ' ').trim(), TITLE_SHOWN)}"`;
  return field;
}

/** At most `max` characters (code points), the last a `…` when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
