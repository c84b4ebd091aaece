/**
 * Ticket → view → issue: the synced view of a ticket (`ticketView`) and the
 * issue ticket-sync writes for it (`renderIssue`). Pure.
 *
 * - **title** → issue title; **description** → the issue body, followed by
 *   the managed section (`managed-section.ts`) and the id marker
 *   (`markers.ts`), cut to fit GitHub (`limits.ts`).
 * - **status**, **priority**, **type**, **labels** → state, state reason and
 *   labels (`labels.ts`); **assignees** → logins (`assignees.ts`).
 * - **comments** → issue comments, posted one by one (`comments.ts`).
 */
import { DEFAULT_MAPPING, type MappingConfig } from '../../config/mapping.js';
import type { IssueWrite } from '../../github/types.js';
import { idProblem, type Ticket } from '../../tickets/model.js';
import type { SyncView } from '../types.js';
import { compareComments, nameSet, normalizeText } from '../view.js';
import { shownLogins } from './assignees.js';
import { commentView } from './comments.js';
import { ALL_HELD, freeLabels, managedLabels, STATUS_ON_GITHUB, type UnheldFields } from './labels.js';
import { BODY_LIMIT, fitted, joinBlocks, shownTitle } from './limits.js';
import { managedEntries, managedSection } from './managed-section.js';
import { escapeMarkers, ticketMarker } from './markers.js';

/**
 * The synced view of a canonical ticket: texts with `\r\n` folded and
 * trailing white space removed; labels and assignees sorted and unique
 * (managed-looking labels left out, see `labels.ts`); comments sorted by
 * `created_at`, then id.
 */
export function ticketView(ticket: Ticket, config: MappingConfig = DEFAULT_MAPPING): SyncView {
  return {
    title: normalizeText(ticket.title),
    description: normalizeText(ticket.description),
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    labels: freeLabels(ticket.labels, config),
    assignees: nameSet(ticket.assignees),
    comments: ticket.comments.map(commentView).sort(compareComments),
  };
}

/** Room the body keeps for its marker: the longest id is 200 characters. */
const MARKER_ROOM = ticketMarker('x'.repeat(200)).length;
/** Room for the description part of a body. */
const DESCRIPTION_ROOM = BODY_LIMIT - MARKER_ROOM - 2;

/** What GitHub shows of a view's description: its markers escaped, cut to fit when too long. */
export function shownDescription(description: string): string {
  return fitted(escapeMarkers(description), DESCRIPTION_ROOM);
}

/**
 * What the issue of `ticket` should be, given the view to show (its synced
 * fields) and the ticket's own format fields and metadata. The body is the
 * description, then the managed section (when it has something to show),
 * then `ticketMarker(ticket.id)` as its last line. A title or body beyond
 * GitHub's limits is cut (see `limits.ts`); the marker survives the cut, and
 * a cut description leaves no room for the managed section. The fields in
 * `unheld` get no label.
 */
export function renderIssue(
  ticket: Ticket,
  view: SyncView,
  config: MappingConfig = DEFAULT_MAPPING,
  unheld: UnheldFields = ALL_HELD,
): Required<IssueWrite> & { title: string; body: string } {
  const problem = idProblem(ticket.id);
  if (problem) throw new Error(`cannot render an issue for this ticket: ${problem}`);
  const marker = ticketMarker(ticket.id);
  const escaped = escapeMarkers(normalizeText(view.description));
  const description = shownDescription(normalizeText(view.description));
  // A cut description leaves no room for the managed section.
  const section = description === escaped ? managedSection(managedEntries(ticket, config), BODY_LIMIT - joinBlocks([description, marker]).length - 2) : undefined;
  const look = STATUS_ON_GITHUB[view.status];
  return {
    title: shownTitle(normalizeText(view.title)),
    body: joinBlocks([description, section, marker]),
    state: look.state,
    state_reason: look.state_reason,
    labels: nameSet([...freeLabels(view.labels, config), ...managedLabels(view, config, unheld)]),
    assignees: shownLogins(view.assignees, config),
  };
}
