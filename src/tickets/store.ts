/**
 * The local ticket store: list, read, create, update and delete the tickets
 * of one location (a folder and its format). Every write is atomic, never
 * touches a file that has problems, and changes only the bytes of what
 * changed. A broken file never stops the other tickets from loading.
 */
import { completeDraft, idProblem, Ticket, type TicketDraft } from './model.js';
import type { Problem } from './problems.js';
import { sortProblems } from './problems.js';
import { localFiles, type TicketFiles } from './files.js';
import { StoreError } from './store-error.js';
import type { FileOp, LoadedTicket, SourceFile, TicketFormat, WriteContext } from './formats/types.js';

export { StoreError, type StoreErrorCode } from './store-error.js';

export interface StoreSnapshot {
  /** Valid tickets with a unique id. */
  tickets: LoadedTicket[];
  problems: Problem[];
  /** Files with problems (or in a duplicate): never written. */
  invalidFiles: Set<string>;
  /** Text of every file the format owns, by path relative to the root. */
  files: Map<string, string>;
  /** Ids claimed by more than one record: none of them is touched. */
  duplicateIds: Set<string>;
  /** Ids named by files with problems (id → file): taken, and never written. */
  invalidIds: Map<string, string>;
  /** How many files were read. */
  fileCount: number;
}

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

export class TicketStore {
  /** The location's files. */
  readonly files: TicketFiles;
  /** Where they are, for messages: the absolute folder of a location on disk. */
  readonly root: string;

  constructor(
    /** The location's files, or the absolute folder of a location on disk. */
    files: TicketFiles | string,
    readonly format: TicketFormat,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.files = typeof files === 'string' ? localFiles(files) : files;
    this.root = this.files.root;
  }

  /** Read every file of the location once: tickets, problems, and what may not be written. */
  async snapshot(): Promise<StoreSnapshot> {
    const files = new Map<string, string>();
    const problems: Problem[] = [];
    const sources: SourceFile[] = [];
    for (const path of await this.listFiles()) {
      let text: string;
      try {
        text = utf8.decode(await this.files.read(path));
      } catch (error) {
        const reason = error instanceof TypeError ? 'the file is not UTF-8 text' : String((error as Error).message);
        problems.push({ path, line: 1, column: 1, pointer: '', code: 'unreadable', message: reason });
        continue;
      }
      files.set(path, text);
      sources.push({ path, text });
    }
    const loaded = this.format.load(sources);
    const invalidFiles = new Set([...loaded.invalidFiles, ...problems.map((p) => p.path)]);
    problems.push(...loaded.problems);

    const byId = new Map<string, LoadedTicket[]>();
    for (const t of loaded.tickets) byId.set(t.ticket.id, [...(byId.get(t.ticket.id) ?? []), t]);
    const tickets: LoadedTicket[] = [];
    const duplicateIds = new Set<string>();
    for (const [id, claims] of byId) {
      if (claims.length === 1) {
        tickets.push(claims[0]!);
        continue;
      }
      duplicateIds.add(id);
      for (const claim of claims) {
        const others = claims.filter((c) => c !== claim).map((c) => `${c.path}:${c.line}:${c.column}`);
        problems.push({
          path: claim.path,
          line: claim.line,
          column: claim.column,
          pointer: '',
          code: 'duplicate-id',
          message: `duplicate id "${id}": also claimed by ${others.join(', ')}; neither is synced until one is renamed`,
        });
        for (const file of claim.files) invalidFiles.add(file);
      }
    }
    const fileCount = files.size + problems.filter((p) => p.code === 'unreadable').length;
    return { tickets, problems: sortProblems(problems), invalidFiles, files, duplicateIds, invalidIds: loaded.invalidIds, fileCount };
  }

  async list(): Promise<Ticket[]> {
    return (await this.snapshot()).tickets.map((t) => t.ticket);
  }

  async get(id: string): Promise<Ticket | undefined> {
    return (await this.snapshot()).tickets.find((t) => t.ticket.id === id)?.ticket;
  }

  /** Create a ticket; the format picks an id when the draft has none. */
  async create(draft: TicketDraft): Promise<Ticket> {
    const snapshot = await this.snapshot();
    const ctx = this.context(snapshot);
    const id = draft.id ?? planned(() => this.format.newId(draft, ctx));
    this.assertSafeId(id);
    if (snapshot.tickets.some((t) => t.ticket.id === id) || snapshot.duplicateIds.has(id)) {
      throw new StoreError(`a ticket with id "${id}" already exists`, 'exists');
    }
    const invalid = snapshot.invalidIds.get(id);
    if (invalid !== undefined) throw new StoreError(`a ticket with id "${id}" already exists in ${invalid}, which has problems`, 'exists');
    const ticket = this.check(completeDraft(draft, id));
    await this.apply(snapshot, planned(() => this.format.create(ticket, ctx)));
    // The format may stamp what the draft left out (times, empty format fields): return what is stored.
    const stored = (await this.snapshot()).tickets.find((t) => t.ticket.id === id);
    return stored?.ticket ?? ticket;
  }

  /** Replace a ticket's content (or change it with a function). Only the changed fields' bytes change. */
  async update(id: string, change: Ticket | ((current: Ticket) => Ticket)): Promise<Ticket> {
    const snapshot = await this.snapshot();
    const loaded = this.find(snapshot, id);
    const next = this.check(typeof change === 'function' ? change(loaded.ticket) : change);
    if (next.id !== id) throw new StoreError(`a ticket's id cannot change (${id} → ${next.id})`, 'invalid-ticket');
    await this.apply(snapshot, planned(() => this.format.update(loaded, next, this.context(snapshot))));
    return next;
  }

  async delete(id: string): Promise<void> {
    const snapshot = await this.snapshot();
    const loaded = this.find(snapshot, id);
    await this.apply(snapshot, planned(() => this.format.remove(loaded, this.context(snapshot))));
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

  private find(snapshot: StoreSnapshot, id: string): LoadedTicket {
    const loaded = snapshot.tickets.find((t) => t.ticket.id === id);
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

  private async apply(snapshot: StoreSnapshot, ops: FileOp[]): Promise<void> {
    // Check every operation before carrying out any.
    for (const op of ops) {
      if (snapshot.invalidFiles.has(op.path)) throw invalidFile(op.path);
      this.files.assertInside(op.path);
    }
    for (const op of ops) {
      if (op.op === 'write') await this.files.write(op.path, op.text);
      else await this.files.remove(op.path);
    }
  }

  /** Files of the location the format owns, sorted; links are not followed, hidden folders are skipped. */
  private async listFiles(): Promise<string[]> {
    return (await this.files.list()).filter((path) => path.endsWith('.json') && this.format.owns(path));
  }
}
