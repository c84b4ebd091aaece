/**
 * The local ticket store: list, read, create, update and delete the tickets
 * of one location (a folder and its format). Every write is atomic, never
 * touches a file that has problems, and changes only the bytes of what
 * changed. A broken file never stops the other tickets from loading.
 */
import { completeDraft, idProblem, Ticket, type TicketDraft } from './model.js';
import type { Problem } from './problems.js';
import { localFiles, type TicketFiles } from './files.js';
import { mapBounded } from './bounded-map.js';
import { StoreError } from './store-error.js';
import { LocationState, type FileContent, type StoreSnapshot } from './store-state.js';
import type { FileOp, LoadedTicket, TicketFormat, WriteContext } from './formats/types.js';

export { StoreError, type StoreErrorCode } from './store-error.js';
export type { StoreSnapshot } from './store-state.js';

/** How many files are read at a time: reading is I/O-bound, one at a time leaves the disk idle. */
export const READ_CONCURRENCY = 16;
/** A write's file operations, what it returns, and the ticket it changes (none for a new one). */
interface Planned<T> {
  ops: FileOp[];
  result: T;
  of?: LoadedTicket;
}

/** How often a write plans again when the files it is about to write changed under it. */
const PLAN_ATTEMPTS = 3;

/** What a format plans, with its refusals as store errors. */
function planned<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError((error as Error).message, 'rejected');
  }
}

/** The refusal to write a file with problems. */
function invalidFile(path: string): StoreError {
  return new StoreError(`${path} has problems (see \`ticket-sync validate\`); it is never rewritten`, 'invalid-file');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A text as reading it back from a file would give it (a lone surrogate is written as U+FFFD). */
const asStored = (text: string): string => utf8.decode(Buffer.from(text, 'utf8'));

/** The same content: the same text, the same absence, or both unreadable. */
function same(a: FileContent | undefined, b: FileContent | undefined): boolean {
  if (typeof a === 'string' || typeof b === 'string' || a === null || b === null || a === undefined || b === undefined) return a === b;
  return a.message === b.message;
}

/**
 * A store reads its location once, at its first `snapshot()` (or first
 * operation), and keeps what it read: its own writes update it file by file,
 * so a write never reads or parses the other tickets. Changes others make
 * later are seen after `refresh()`, or by a new store (one per run). Before
 * each write, the files it writes are read again: if someone changed them
 * since, the write is planned again from what is there now, never over it.
 */
export class TicketStore {
  /** The location's files. */
  readonly files: TicketFiles;
  /** Where they are, for messages: the absolute folder of a location on disk. */
  readonly root: string;
  /** What was read, once it is (a promise, so that two first calls read once). */
  private state?: Promise<LocationState>;

  constructor(
    /** The location's files, or the absolute folder of a location on disk. */
    files: TicketFiles | string,
    readonly format: TicketFormat,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.files = typeof files === 'string' ? localFiles(files) : files;
    this.root = this.files.root;
  }

  /**
   * Tickets, problems, and what may not be written. The first call reads every
   * file of the location; later calls return the current state, this store's
   * own writes included, without reading.
   */
  async snapshot(): Promise<StoreSnapshot> {
    return (await this.loaded()).snapshot();
  }

  /** Forget what was read: the next call reads the whole location again, with what others changed. */
  refresh(): void {
    this.state = undefined;
  }

  async list(): Promise<Ticket[]> {
    return (await this.snapshot()).tickets.map((t) => t.ticket);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const snapshot = await this.snapshot();
    return this.lookup(await this.loaded(), snapshot, id)?.ticket;
  }

  /** Create a ticket; the format picks an id when the draft has none. */
  async create(draft: TicketDraft): Promise<Ticket> {
    const { id, ticket } = await this.write((snapshot, state) => {
      const ctx = this.context(snapshot);
      const id = draft.id ?? planned(() => this.format.newId(draft, ctx));
      this.assertSafeId(id);
      if (this.lookup(state, snapshot, id) !== undefined || snapshot.duplicateIds.has(id)) {
        throw new StoreError(`a ticket with id "${id}" already exists`, 'exists');
      }
      const invalid = snapshot.invalidIds.get(id);
      if (invalid !== undefined) throw new StoreError(`a ticket with id "${id}" already exists in ${invalid}, which has problems`, 'exists');
      const ticket = this.check(completeDraft(draft, id));
      return { ops: planned(() => this.format.create(ticket, ctx)), result: { id, ticket } };
    });
    // The format may stamp what the draft left out (times, empty format fields): return what is stored.
    return (await this.loaded()).ticket(id)?.ticket ?? ticket;
  }

  /** Replace a ticket's content (or change it with a function). Only the changed fields' bytes change. */
  async update(id: string, change: Ticket | ((current: Ticket) => Ticket)): Promise<Ticket> {
    return this.write((snapshot, state) => {
      const loaded = this.find(state, snapshot, id);
      const next = this.check(typeof change === 'function' ? change(loaded.ticket) : change);
      if (next.id !== id) throw new StoreError(`a ticket's id cannot change (${id} → ${next.id})`, 'invalid-ticket');
      return { ops: planned(() => this.format.update(loaded, next, this.context(snapshot))), result: next, of: loaded };
    });
  }

  async delete(id: string): Promise<void> {
    await this.write((snapshot, state) => {
      const loaded = this.find(state, snapshot, id);
      return { ops: planned(() => this.format.remove(loaded, this.context(snapshot))), result: undefined, of: loaded };
    });
  }

  private context(snapshot: StoreSnapshot): WriteContext {
    const reservedIds = new Set([...snapshot.invalidIds.keys(), ...snapshot.duplicateIds]);
    return { files: snapshot.files, tickets: snapshot.tickets, reservedIds, now: this.clock() };
  }

  private assertSafeId(id: string): void {
    const problem = idProblem(id);
    if (problem) throw new StoreError(problem, 'unsafe-id');
  }

  private check(ticket: Ticket): Ticket {
    this.assertSafeId(ticket.id);
    const result = Ticket.safeParse(ticket);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new StoreError(`ticket ${ticket.id}: ${issue.path.join('.')}: ${issue.message}`, 'invalid-ticket');
    }
    return result.data;
  }

  /** A snapshot's ticket with this id: by the state's index when the snapshot is the state's own, else by looking. */
  private lookup(state: LocationState, snapshot: StoreSnapshot, id: string): LoadedTicket | undefined {
    return state.owns(snapshot) ? state.ticket(id) : snapshot.tickets.find((t) => t.ticket.id === id);
  }

  private find(state: LocationState, snapshot: StoreSnapshot, id: string): LoadedTicket {
    const loaded = this.lookup(state, snapshot, id);
    if (loaded === undefined) {
      if (snapshot.duplicateIds.has(id)) throw new StoreError(`ticket ${id} is claimed by more than one file; it is left alone`, 'invalid-file');
      const invalid = snapshot.invalidIds.get(id);
      if (invalid !== undefined) throw invalidFile(invalid);
      throw new StoreError(`no ticket with id "${id}"`, 'not-found');
    }
    const invalid = loaded.files.find((f) => snapshot.invalidFiles.has(f));
    if (invalid) throw invalidFile(invalid);
    return loaded;
  }

  /**
   * Plan a write from the current snapshot and carry it out. The files it
   * writes are read first: when one changed since it was read, the store takes
   * in what is there now and plans again.
   */
  private async write<T>(plan: (snapshot: StoreSnapshot, state: LocationState) => Planned<T>): Promise<T> {
    const state = await this.loaded();
    for (let attempt = 1; ; attempt++) {
      const snapshot = await this.snapshot();
      const { ops, result, of } = plan(snapshot, state);
      // Check every operation before carrying out any.
      for (const op of ops) {
        if (snapshot.invalidFiles.has(op.path)) throw invalidFile(op.path);
        this.files.assertInside(op.path);
      }
      const changed = new Map<string, FileContent>();
      for (const path of new Set(ops.map((op) => op.path).filter((path) => this.tracks(path)))) {
        const now = await this.readContent(path);
        if (!same(now, state.content(path))) changed.set(path, now);
      }
      if (changed.size === 0) {
        await this.carryOut(state, ops, of?.files ?? []);
        return result;
      }
      state.change(changed);
      if (attempt === PLAN_ATTEMPTS) throw new StoreError(`${[...changed.keys()].join(', ')} kept changing while being written`, 'rejected');
    }
  }

  /** Carry out the operations in order, and take in what each one did (re-parsing the files of the ticket changed). */
  private async carryOut(state: LocationState, ops: readonly FileOp[], related: readonly string[]): Promise<void> {
    const done = new Map<string, FileContent>();
    try {
      for (const op of ops) {
        if (op.op === 'write') await this.files.write(op.path, op.text);
        else await this.files.remove(op.path);
        if (this.tracks(op.path)) done.set(op.path, op.op === 'write' ? asStored(op.text) : null);
      }
    } finally {
      if (done.size > 0) state.change(done, related);
    }
  }

  /** What was read, reading the whole location the first time. */
  private loaded(): Promise<LocationState> {
    if (this.state === undefined) {
      const reading = this.readAll();
      this.state = reading;
      // A failed read is not kept: the next call tries again.
      reading.catch(() => {
        if (this.state === reading) this.state = undefined;
      });
    }
    return this.state;
  }

  /** Read every file of the location, a few at a time, and parse them. */
  private async readAll(): Promise<LocationState> {
    const paths = await this.listFiles();
    const contents = await mapBounded(paths, READ_CONCURRENCY, (path) => this.readContent(path));
    const state = new LocationState(this.format);
    state.change(new Map(paths.map((path, i) => [path, contents[i]!])));
    return state;
  }

  /** A file's text; a problem when it cannot be read or is not UTF-8; null when it is not there. */
  private async readContent(path: string): Promise<FileContent> {
    try {
      return utf8.decode(await this.files.read(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      const reason = error instanceof TypeError ? 'the file is not UTF-8 text' : String((error as Error).message);
      return { path, line: 1, column: 1, pointer: '', code: 'unreadable', message: reason } satisfies Problem;
    }
  }

  /** Whether a path is one of the location's files: JSON the format owns. */
  private tracks(path: string): boolean {
    return path.endsWith('.json') && this.format.owns(path);
  }

  /** Files of the location the format owns, sorted; links are not followed, hidden folders are skipped. */
  private async listFiles(): Promise<string[]> {
    return (await this.files.list()).filter((path) => this.tracks(path));
  }
}
