/**
 * Issue → view: an issue and its comments read back as a ticket's synced
 * view (`issueView`), the inverse of `renderIssue`. Pure.
 *
 * The body's last valid id marker names the ticket (`markerOf`); the
 * description is the body without ticket-sync's parts (the id marker, the
 * managed section, a cut note), its escaped markers read back as written.
 */
import { DEFAULT_MAPPING, type MappingConfig } from '../../config/mapping.js';
import type { RemoteComment, RemoteIssue } from '../../github/types.js';
import { priorityOf, typeOf, type Priority, type TicketType } from '../../tickets/vocabulary.js';
import type { SyncView } from '../types.js';
import { nameSet, normalizeText } from '../view.js';
import { nameOf, sameLogins, shownLogins } from './assignees.js';
import { commentsView } from './comments.js';
import { ALL_HELD, freeLabels, issueStatus, labelled, type UnheldFields } from './labels.js';
import { shownTitle, withoutCutNote } from './limits.js';
import { withoutManagedSection } from './managed-section.js';
import { ticketMarkerIn, unescapeMarkers } from './markers.js';
import { shownDescription } from './render-issue.js';

/**
 * Read an issue and its comments back as a view.
 *
 * `known` is what the issue may have been rendered from: the local view and,
 * where there is one, the merge base (a single view or a list; undefined
 * entries are skipped). A title, description, assignee list or comment that
 * GitHub shows exactly as ticket-sync renders a known view's value reads as
 * that value: that is how a cut text, an untitled ticket, a capped assignee
 * list or a comment's local timestamps read back unchanged.
 *
 * A field in `unheld` (one the ticket's record cannot hold) has no label on
 * the issue and reads as the first known view has it. A comment marker counts
 * only on a comment by `self`, ticket-sync's own login (see `comments.ts`).
 *
 * `ticket` is `markerOf(issue.body)`: the id in the body's last valid id
 * marker, wherever it stands.
 */
export function issueView(
  issue: RemoteIssue,
  comments: readonly RemoteComment[],
  config: MappingConfig = DEFAULT_MAPPING,
  known?: SyncView | readonly (SyncView | undefined)[],
  unheld: UnheldFields = ALL_HELD,
  self?: string,
): { ticket?: string; view: SyncView } {
  const views = (isViewList(known) ? known : [known]).filter((k): k is SyncView => k !== undefined);
  const { ticket, region } = bodyParts(issue.body);
  const title = normalizeText(issue.title);
  const view: SyncView = {
    title: views.find((k) => shownTitle(k.title) === title)?.title ?? withoutCutNote(title),
    description: views.find((k) => shownDescription(k.description) === region)?.description ?? normalizeText(unescapeMarkers(withoutCutNote(region))),
    status: issueStatus(issue, config, views),
    priority: (unheld.has('priority') ? views[0]?.priority : labelled<Priority>(issue.labels, 'priority', config, priorityOf, views.map((k) => k.priority))) ?? 'medium',
    type: (unheld.has('type') ? views[0]?.type : labelled<TicketType>(issue.labels, 'type', config, typeOf, views.map((k) => k.type))) ?? 'task',
    labels: freeLabels(issue.labels, config),
    assignees:
      views.find((k) => sameLogins(shownLogins(k.assignees, config), issue.assignees))?.assignees ??
      nameSet(issue.assignees.map((l) => nameOf(l, config))),
    comments: commentsView(comments, views, self),
  };
  return ticket === undefined ? { view } : { ticket, view };
}

function isViewList(known: SyncView | readonly (SyncView | undefined)[] | undefined): known is readonly (SyncView | undefined)[] {
  return Array.isArray(known);
}

/**
 * The ticket id of a body's marker, and the people's region of the body: the
 * body without the marker and the managed section, what stood before and
 * after the section joined by a blank line. Ticket-sync's own parts are the
 * last ones in the body (a description's copies are escaped).
 */
function bodyParts(body: string): { ticket?: string; region: string } {
  let text = body.replace(/\r\n/g, '\n');
  const marker = ticketMarkerIn(text);
  if (marker) text = marker.rest;
  text = withoutManagedSection(text);
  return marker ? { ticket: marker.ticket, region: normalizeText(text) } : { region: normalizeText(text) };
}
