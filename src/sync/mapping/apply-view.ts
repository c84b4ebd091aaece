/**
 * View → ticket: the fields of a view (a merge's local writes) put back into
 * a ticket file's ticket, keeping the file's own spelling where the value
 * did not change. Pure.
 */
import { DEFAULT_MAPPING, type MappingConfig } from '../../config/mapping.js';
import { Ticket, type Comment } from '../../tickets/model.js';
import type { SyncComment, SyncView } from '../types.js';
import { cleanComment, compareComments, nameSet, sameValue } from '../view.js';
import { commentView } from './comments.js';
import { freeLabels } from './labels.js';
import { ticketView } from './render-issue.js';

/**
 * `ticket` with the fields of `patch` put back. A field not in the patch, or
 * one whose value the ticket already shows, is untouched (so the ticket keeps
 * its own spelling: CRLF, label order, comment objects). Labels and assignees
 * keep the ticket's order, drop what the patch removed and add what it added
 * at the end; managed-looking labels, which the view never holds, stay.
 * Comments born on GitHub come in with their `gh-<id>` ids. The result is
 * checked against the ticket schema (an invalid patch throws).
 */
export function applyView(ticket: Ticket, patch: Partial<SyncView>, config: MappingConfig = DEFAULT_MAPPING): Ticket {
  const current = ticketView(ticket, config);
  const next: Ticket = { ...ticket };
  if (patch.title !== undefined && patch.title !== current.title) next.title = patch.title;
  if (patch.description !== undefined && patch.description !== current.description) next.description = patch.description;
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.priority !== undefined) next.priority = patch.priority;
  if (patch.type !== undefined) next.type = patch.type;
  if (patch.labels !== undefined && !sameValue(nameSet(patch.labels), current.labels)) {
    next.labels = keptNames(ticket.labels, freeLabels(patch.labels, config), (l) => freeLabels([l], config).length > 0);
  }
  if (patch.assignees !== undefined && !sameValue(nameSet(patch.assignees), current.assignees)) {
    next.assignees = keptNames(ticket.assignees, nameSet(patch.assignees), (a) => a.trim() !== '');
  }
  if (patch.comments !== undefined && !sameValue(patch.comments.map(commentView).sort(compareComments), current.comments)) {
    next.comments = keptComments(ticket.comments, patch.comments);
  }
  return Ticket.parse(next);
}

/** `names` (whose synced ones are `isSynced`) turned into `wanted`, keeping their order and anything not synced. */
function keptNames(names: readonly string[], wanted: readonly string[], isSynced: (name: string) => boolean): string[] {
  const want = new Set(wanted);
  const kept = names.filter((n) => !isSynced(n) || want.has(n.trim()));
  const have = new Set(kept.map((n) => n.trim()));
  return [...kept, ...wanted.filter((n) => !have.has(n))];
}

/** The ticket's comments turned into `wanted`: unchanged ones keep their objects and places, new ones come last. */
function keptComments(comments: readonly Comment[], wanted: readonly SyncComment[]): Comment[] {
  const byId = new Map(wanted.map((c) => [c.id, cleanComment(c)]));
  const kept = comments.flatMap((c) => {
    const want = byId.get(c.id);
    if (!want) return [];
    byId.delete(c.id);
    return [sameValue(commentView(c), want) ? c : want];
  });
  return [...kept, ...byId.values()];
}
