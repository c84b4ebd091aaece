/**
 * The vocabulary fields (status, priority, type) of a record: read through the
 * shared table (`../vocabulary.ts`), written as the format's own word, and
 * reported as the raw word the file holds, so that the engine can tell a word
 * that changed from one that only reads back as another value (see lossy.ts).
 */
import { z } from 'zod';
import type { Ticket } from '../model.js';
import { priorityOf, statusOf, typeOf, wordFor, PRIORITIES, STATUSES, TICKET_TYPES, type WordsFor } from '../vocabulary.js';
import { getPath, type FieldCodec, type JsonObject, type RecordMapping, type WordCodec } from './record.js';
import type { LoadedTicket, VocabularyField, Words } from './types.js';

/** A word of a vocabulary: read through the shared table, written as the format's own word. */
function vocabulary<K extends VocabularyField>(
  path: (string | number)[],
  words: WordsFor<Ticket[K]>,
  meaningOf: (word: string) => Ticket[K] | undefined,
): FieldCodec<K> {
  const word: WordCodec<K> = {
    read: (raw) => {
      const value = getPath(raw, path);
      return typeof value === 'string' ? value : null;
    },
    next: (value, current) => wordFor(value, current, words, meaningOf),
  };
  return {
    read: (raw) => {
      const value = getPath(raw, path);
      return typeof value === 'string' ? meaningOf(value) : undefined;
    },
    write: (next, raw) => [{ path, value: word.next(next, word.read(raw)) }],
    word,
  };
}

export const status = (path: (string | number)[], words: WordsFor<Ticket['status']>) => vocabulary<'status'>(path, words, statusOf);
export const priority = (path: (string | number)[], words: WordsFor<Ticket['priority']>) =>
  vocabulary<'priority'>(path, words, priorityOf);
export const ticketType = (path: (string | number)[], words: WordsFor<Ticket['type']> = CANONICAL_TYPE_WORDS) =>
  vocabulary<'type'>(path, words, typeOf);

/** A field a record cannot hold (a task-master subtask's priority): never read, never written, no word. */
export function notHeld<K extends VocabularyField>(): FieldCodec<K> {
  return { read: () => undefined, write: () => [], word: { read: () => null, next: () => null } };
}

export const CANONICAL_STATUS_WORDS: WordsFor<Ticket['status']> = {
  open: 'open',
  in_progress: 'in_progress',
  blocked: 'blocked',
  review: 'review',
  done: 'done',
  reopened: 'reopened',
  cancelled: 'cancelled',
};
/**
 * The status words of the Python tools whose statuses are open, in_progress,
 * resolved and one more closing word (claude-pm's TicketData: closed;
 * Orchestr8's TicketManager: archived, by moving the file): what has no word
 * of its own is written as the nearest one that keeps the issue where it is
 * (blocked as open, review as in_progress), and `cancelled` as the word given.
 */
export function resolvedStatusWords(cancelled: string): WordsFor<Ticket['status']> {
  return { open: 'open', in_progress: 'in_progress', blocked: 'open', review: 'in_progress', done: 'resolved', reopened: 'open', cancelled };
}

export const CANONICAL_PRIORITY_WORDS: WordsFor<Ticket['priority']> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};
export const CANONICAL_TYPE_WORDS: WordsFor<Ticket['type']> = { epic: 'epic', issue: 'issue', task: 'task', bug: 'bug' };

/** zod checks for vocabulary words: the message names the word and the canonical ones. */
function wordSchema(kind: string, canonical: readonly string[], meaningOf: (w: string) => unknown) {
  return z.string().superRefine((word, ctx) => {
    if (meaningOf(word) !== undefined) return;
    ctx.addIssue({
      code: 'custom',
      message: `unknown ${kind} ${JSON.stringify(word)}: use ${canonical.join(', ')} or another word of the ${kind} table in README`,
    });
  });
}
export const StatusWord = wordSchema('status', STATUSES, statusOf);
export const PriorityWord = wordSchema('priority', PRIORITIES, priorityOf);
export const TypeWord = wordSchema('type', TICKET_TYPES, typeOf);

export const VOCABULARY_FIELDS = ['status', 'priority', 'type'] as const satisfies readonly VocabularyField[];

/** The raw words a record holds for the vocabulary fields its mapping reports. */
export function wordsOf(mapping: RecordMapping, raw: JsonObject): Words {
  const words: Words = {};
  for (const field of VOCABULARY_FIELDS) {
    const codec = mapping[field].word;
    if (codec !== undefined) words[field] = codec.read(raw);
  }
  return words;
}

/**
 * The word a record holds once `value` is written into it: what it holds now
 * when the ticket already has that value (nothing is written), else the word
 * the codec writes. Null when the record cannot hold the field.
 */
export function wordOfField<F extends VocabularyField>(
  mapping: RecordMapping,
  field: F,
  value: Ticket[F],
  loaded: LoadedTicket | undefined,
): string | null {
  const codec = mapping[field].word as WordCodec<F> | undefined;
  if (codec === undefined) throw new Error(`the ${field} of this format has no word`);
  if (codec.next(value, null) === null) return null;
  const current = loaded?.words?.[field] ?? null;
  if (loaded !== undefined && loaded.ticket[field] === value) return current;
  return codec.next(value, current);
}
