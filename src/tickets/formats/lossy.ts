/**
 * A format that cannot hold a distinction never flips GitHub.
 *
 * Some formats write one word for several canonical values: aitrackdown writes
 * `closed` for `cancelled` and reads it back as `done`; task-master writes
 * `high` for `critical`. Read naively, the next sync would take its own write
 * for a change (a "not planned" close re-closed as "completed"). The rule: when
 * the file still holds exactly the word that writing the last synced value
 * produces, the last synced value stands; once the file's word really changes,
 * the file's meaning is taken. Pure: no I/O, no clock.
 */
import type { Ticket } from '../model.js';
import { normalizeWord, PRIORITIES, STATUSES, TICKET_TYPES } from '../vocabulary.js';
import type { LoadedTicket, TicketFormat, VocabularyField } from './types.js';

/** The vocabulary fields of a view (the canonical values the engine compares). */
export type VocabularyView = Pick<Ticket, VocabularyField>;

const FIELDS: readonly VocabularyField[] = ['status', 'priority', 'type'];

/** Every canonical value of a vocabulary field. */
export const VALUES: { readonly [F in VocabularyField]: readonly Ticket[F][] } = {
  status: STATUSES,
  priority: PRIORITIES,
  type: TICKET_TYPES,
};

/**
 * `view` (read from the file of `loaded`) with each vocabulary field replaced
 * by `base`'s value where the file still holds exactly the word writing that
 * base value produces. Fields the format does not report a word for are left
 * as read.
 */
export function settleLossy<V extends VocabularyView>(view: V, base: VocabularyView | undefined, loaded: LoadedTicket, format: TicketFormat): V {
  if (base === undefined || loaded.words === undefined) return view;
  const settled: V = { ...view };
  for (const field of FIELDS) {
    if (!(field in loaded.words)) continue;
    const written = format.wordOf(field, base[field], loaded) ?? '';
    if (normalizeWord(written) === normalizeWord(loaded.words[field] ?? '')) (settled as VocabularyView)[field] = base[field] as never;
  }
  return settled;
}

/** Whether the record of `loaded` can hold `field` at all (a task-master subtask holds no priority). */
export function holds(format: TicketFormat, loaded: LoadedTicket, field: VocabularyField): boolean {
  return (VALUES[field] as readonly Ticket[typeof field][]).some((value) => format.wordOf(field, value as never, loaded) !== null);
}
