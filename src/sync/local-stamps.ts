/**
 * When each field of a ticket took the value its file holds, from the file's
 * history — pure.
 *
 * A ticket's update time moves with any change to it, so after a title edit
 * and a later priority edit it says the title changed when the priority did.
 * The file's versions say more: a field took its value in the oldest of the
 * newest versions that all hold it, at that version's time.
 */
import { sameValue } from './view.js';
import type { FieldStamp, FieldStamps, SyncField, SyncView } from './types.js';

/** One version of a ticket's file: the ticket as it read then (undefined when it was not there), who wrote it and when. */
export interface TicketVersion {
  view: SyncView | undefined;
  writer: string;
  at: string;
}

/**
 * The stamp of each of `fields` whose value in `current` the history shows
 * being set: `versions` newest first, the first one being the file as it is
 * now. A field held by every version listed gets no stamp (the history read
 * does not go back to where it was set).
 */
export function stampsOfHistory(current: SyncView, versions: readonly TicketVersion[], fields: readonly SyncField[]): FieldStamps {
  const stamps: FieldStamps = {};
  for (const field of fields) {
    let since: FieldStamp | undefined;
    let found = false;
    for (const version of versions) {
      if (version.view === undefined || !sameValue(version.view[field], current[field])) {
        found = true;
        break;
      }
      since = { writer: version.writer, at: version.at };
    }
    if (found && since) stamps[field] = since;
  }
  return stamps;
}
