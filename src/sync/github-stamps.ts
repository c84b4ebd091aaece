/**
 * When each field of an issue last changed, as GitHub tells it — pure.
 *
 * An issue's `updated_at` moves with any change, a comment included, so it
 * says little about one field. GitHub says more in two places: the issue's
 * events (a rename, a label added or removed, an assignee, a close or a
 * reopen, each with its actor and time) and an `issues.edited` webhook's
 * `changes` (the only word on a body edit: the events API has none). Each
 * stamp counts only while the issue still shows the value it stamped.
 */
import type { MappingConfig } from '../config/mapping.js';
import { fieldOfLabel } from './mapping/labels.js';
import { compareInstants } from './time.js';
import type { FieldStamp, FieldStamps, SyncField } from './types.js';

/** One issue event that changes a synced field, as the adapter read it. */
export type IssueChange =
  | { event: 'renamed'; actor: string; at: string; to: string }
  | { event: 'labeled' | 'unlabeled'; actor: string; at: string; label: string }
  | { event: 'assigned' | 'unassigned'; actor: string; at: string }
  | { event: 'closed' | 'reopened'; actor: string; at: string };

/** The field an event changes. */
function fieldOf(change: IssueChange, config: MappingConfig): SyncField {
  switch (change.event) {
    case 'renamed':
      return 'title';
    case 'labeled':
    case 'unlabeled':
      return fieldOfLabel(change.label, config);
    case 'assigned':
    case 'unassigned':
      return 'assignees';
    case 'closed':
    case 'reopened':
      return 'status';
  }
}

/**
 * The stamp of each field the events change: its latest event's actor and
 * time. The title's counts only when its latest rename is to the title the
 * issue shows (`title`, as GitHub holds it); otherwise it is left unknown.
 */
export function stampsOfEvents(changes: readonly IssueChange[], title: string, config: MappingConfig): FieldStamps {
  const stamps: FieldStamps = {};
  let renamedTo: string | undefined;
  for (const change of changes) {
    const field = fieldOf(change, config);
    const known = stamps[field];
    if (known && compareInstants(change.at, known.at) < 0) continue;
    stamps[field] = { writer: change.actor, at: change.at };
    if (change.event === 'renamed') renamedTo = change.to;
  }
  if (stamps.title && renamedTo !== title) delete stamps.title;
  return stamps;
}

/** A text field's edit as a webhook's `changes` told it: who, when, and a digest of the text it left. */
export interface EditStamp extends FieldStamp {
  digest: string;
}

/** The stamp of an edit, when the text GitHub shows now (by its digest) is still the one the edit left. */
export function stampOfEdit(edit: EditStamp | undefined, digest: string): FieldStamp | undefined {
  return edit !== undefined && edit.digest === digest ? { writer: edit.writer, at: edit.at } : undefined;
}

/** Stamps from several sources, each field's latest kept. */
export function latestStamps(...sources: readonly FieldStamps[]): FieldStamps {
  const stamps: FieldStamps = {};
  for (const source of sources) {
    for (const [field, stamp] of Object.entries(source) as [SyncField, FieldStamp][]) {
      const known = stamps[field];
      if (!known || compareInstants(stamp.at, known.at) > 0) stamps[field] = stamp;
    }
  }
  return stamps;
}
