import type { Ticket, TicketDraft } from '../model.js';
import type { JsonPath, Problem } from '../problems.js';

export const FORMAT_NAMES = ['native', 'ticketdata', 'ticketmanager', 'aitrackdown', 'taskmaster'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** A file of a ticket location; `path` is relative to the location root, with `/` separators. */
export interface SourceFile {
  path: string;
  text: string;
}

/** A change to one file that a store carries out atomically. */
export type FileOp = { op: 'write'; path: string; text: string } | { op: 'delete'; path: string };

/** A ticket as read from its location, with where it lives. */
export interface LoadedTicket {
  ticket: Ticket;
  /** The file holding the ticket's record. */
  path: string;
  /** Where the record sits in that file (empty for a file that is one ticket). */
  recordPath: JsonPath;
  line: number;
  column: number;
  /** Every file that holds part of this ticket (its record file first). */
  files: string[];
  /** aitrackdown keeps comments in files of their own: comment id → file. */
  commentFiles?: Readonly<Record<string, string>>;
  /**
   * The raw word the file holds for each vocabulary field, as written (`"closed"`,
   * `"In Progress"`); null when the record has no such field (a task-master
   * subtask's priority). A key left out: the format does not report it.
   */
  words?: Words;
}

/** The canonical fields whose values are words of a vocabulary. */
export type VocabularyField = 'status' | 'priority' | 'type';

/** The raw words of a record's vocabulary fields. */
export type Words = { [F in VocabularyField]?: string | null };

export interface LoadResult {
  tickets: LoadedTicket[];
  problems: Problem[];
  /** Files with problems: never rewritten. */
  invalidFiles: Set<string>;
  /** The ids that files with problems still name (JSON with a string `id`): id → file. */
  invalidIds: Map<string, string>;
}

/** What a format may look at when it writes. */
export interface WriteContext {
  /** Current text of every file the format owns in the location, by path. */
  files: ReadonlyMap<string, string>;
  /** Every valid ticket of the location. */
  tickets: readonly LoadedTicket[];
  /** Ids no new ticket may take: claimed by invalid files or by more than one file. */
  reservedIds?: ReadonlySet<string>;
  /** The time to stamp and to derive time-based ids from (passed in, never read from a clock here). */
  now: Date;
}

/** One ticket format: where its files are, how to read them, how to write them without losing a byte. */
export interface TicketFormat {
  readonly name: FormatName;
  /** The tool that writes this format, for people. */
  readonly title: string;
  /** Whether a file (path relative to the location root) belongs to this format. */
  owns(path: string): boolean;
  load(files: readonly SourceFile[]): LoadResult;
  /** A fresh id for a draft, unique in the location. */
  newId(draft: TicketDraft, ctx: WriteContext): string;
  create(ticket: Ticket, ctx: WriteContext): FileOp[];
  /** The file changes that turn `prev` into `next`; none when they are equal. */
  update(prev: LoadedTicket, next: Ticket, ctx: WriteContext): FileOp[];
  remove(prev: LoadedTicket, ctx: WriteContext): FileOp[];
  /**
   * The exact word this format writes for `value` into the record of `loaded`
   * (a new record when left out): a word already there is kept while it still
   * means `value`. Null when the record cannot hold the field at all.
   */
  wordOf<F extends VocabularyField>(field: F, value: Ticket[F], loaded?: LoadedTicket): string | null;
}
