/**
 * aitrackdown's `type`: mcp-ticketer writes `"epic"` for an Epic and `"task"`
 * for every Task, whatever its `ticket_type` (`_task_to_ai_ticket`,
 * `_epic_to_ai_ticket`); a file's `type` only tells which class reads it. So
 * `type` holds only those two words, and the canonical types it cannot tell
 * apart (`issue`, `bug`) are kept in `metadata.type`, the free object
 * mcp-ticketer hands back untouched. A word already in `type` stays while it
 * still fits (a legacy `"issue"` for an issue).
 */
import type { Ticket } from '../model.js';
import type { JsonEdit } from '../json-document.js';
import { typeOf, wordFor } from '../vocabulary.js';
import { getPath, type FieldCodec, type JsonObject } from './record.js';
import { CANONICAL_TYPE_WORDS } from './words.js';

type TicketType = Ticket['type'];

const word = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What `type` holds once `next` is written over `own`. */
function toolWord(next: TicketType, own: string | undefined): string {
  const meaning = own === undefined ? undefined : typeOf(own);
  if (next === 'epic') return meaning === 'epic' ? own! : 'epic';
  return meaning === next || meaning === 'task' ? own! : 'task';
}

export const aitrackdownType: FieldCodec<'type'> = {
  read: (raw) => {
    const stored = word(getPath(raw, ['metadata', 'type'])) ?? word(raw.type);
    return stored === undefined ? undefined : typeOf(stored);
  },
  write: (next, raw) => {
    const own = word(raw.type);
    const meta = word(getPath(raw, ['metadata', 'type']));
    const typeWord = toolWord(next, own);
    const metaWord = typeOf(typeWord) === next ? undefined : wordFor(next, meta, CANONICAL_TYPE_WORDS, typeOf);
    const edits: JsonEdit[] = [];
    if (typeWord !== own) edits.push({ path: ['type'], value: typeWord });
    if (metaWord !== meta) edits.push({ path: ['metadata', 'type'], value: metaWord });
    return edits;
  },
  word: {
    // The word that tells the type: `metadata.type` where there is one, else `type`.
    read: (raw: JsonObject) => word(getPath(raw, ['metadata', 'type'])) ?? word(raw.type) ?? null,
    next: (value, current) => {
      if (value === 'epic' || value === 'task') return toolWord(value, current ?? undefined);
      return wordFor(value, current, CANONICAL_TYPE_WORDS, typeOf);
    },
  },
};

/** The `type` and `metadata.type` of a new record. */
export function newTypeWords(type: TicketType): { type: string; metadataType?: string } {
  return type === 'epic' || type === 'task' ? { type } : { type: 'task', metadataType: type };
}
