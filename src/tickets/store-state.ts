/**
 * What a ticket store has read of its location, kept between its writes:
 * the text of each file, what the format made of it, and its tickets by id.
 * A change to some files re-parses only those files, together with the other
 * files of the tickets they belong to (an aitrackdown ticket and its comment
 * files) and, when a file appears, the files no ticket holds (a comment that
 * may belong to it). Nothing else is parsed again.
 */
import type { LoadedTicket, SourceFile, TicketFormat } from './formats/types.js';
import { sortProblems, type Problem } from './problems.js';

export interface StoreSnapshot {
  /** Valid tickets with a unique id. */
  tickets: LoadedTicket[];
  problems: Problem[];
  /** Files with problems (or in a duplicate): never written. */
  invalidFiles: Set<string>;
  /**
   * Text of every file the format owns, by path relative to the root. The
   * store's own map: it follows the store's writes (copying it for each
   * write would cost as much as the tickets it holds); never change it.
   */
  files: ReadonlyMap<string, string>;
  /** Ids claimed by more than one record: none of them is touched. */
  duplicateIds: Set<string>;
  /** Ids named by files with problems (id → file): taken, and never written. */
  invalidIds: Map<string, string>;
  /** How many files were read. */
  fileCount: number;
}

/** What is now in a file: its text, a problem reading it, or nothing (gone). */
export type FileContent = string | Problem | null;

/** Code-unit order, the order `TicketFiles.list` sorts in. */
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byPlace = (a: LoadedTicket, b: LoadedTicket): number => byPath(a.path, b.path) || a.line - b.line || a.column - b.column;

/** Add `value` to the list at `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export class LocationState {
  /** Text of every readable file the format owns. */
  private readonly texts = new Map<string, string>();
  private readonly unreadable = new Map<string, Problem>();
  /** The tickets whose record is in a file, in the order the format loaded them. */
  private readonly records = new Map<string, LoadedTicket[]>();
  /** The files holding records, sorted. */
  private readonly recordFiles: string[] = [];
  /** What the format found wrong, by file. */
  private readonly problems = new Map<string, Problem[]>();
  private readonly invalid = new Set<string>();
  /** The ids that files with problems still name, by file. */
  private readonly invalidIds = new Map<string, string[]>();
  /** Every record claiming an id. */
  private readonly claims = new Map<string, LoadedTicket[]>();
  /** The tickets that hold each file (its record, a comment of theirs). */
  private readonly holders = new Map<string, Set<LoadedTicket>>();
  private readonly duplicates = new Set<string>();
  /** Readable files no ticket holds (files with problems, an aitrackdown comment without its ticket). */
  private readonly unheld = new Set<string>();
  /** The snapshot of the current state, once built; its problem bookkeeping while only tickets change. */
  private built?: StoreSnapshot;
  private flags?: Pick<StoreSnapshot, 'problems' | 'invalidFiles' | 'duplicateIds' | 'invalidIds'>;

  constructor(private readonly format: TicketFormat) {}

  /**
   * Take in what some files now hold, and re-parse them with the files that
   * depend on them and with `related` (the files of the ticket that changed
   * them: a new aitrackdown comment file belongs to a ticket it cannot name).
   */
  change(contents: ReadonlyMap<string, FileContent>, related: Iterable<string> = []): void {
    const appeared = [...contents].some(([path, content]) => content !== null && !this.texts.has(path) && !this.unreadable.has(path));
    const reparse = new Set<string>([...contents.keys(), ...related]);
    if (appeared) for (const path of this.unheld) reparse.add(path);
    // Every file of every ticket a re-parsed file belongs to is parsed again with it.
    for (const path of reparse) for (const holder of this.holders.get(path) ?? []) for (const file of holder.files) reparse.add(file);
    for (const [path, content] of contents) {
      if (this.unreadable.delete(path)) this.flags = undefined;
      this.texts.delete(path);
      this.unheld.delete(path);
      if (typeof content === 'string') {
        this.texts.set(path, content);
        if (!this.holders.has(path)) this.unheld.add(path);
      } else if (content !== null) {
        this.unreadable.set(path, content);
        this.flags = undefined;
      }
    }
    this.forget(reparse);
    const sources: SourceFile[] = [...reparse]
      .filter((path) => this.texts.has(path))
      .sort(byPath)
      .map((path) => ({ path, text: this.texts.get(path)! }));
    this.learn(sources);
    this.built = undefined;
  }

  /** What the state holds for a file. */
  content(path: string): FileContent {
    return this.texts.get(path) ?? this.unreadable.get(path) ?? null;
  }

  /** The valid ticket with this id, if exactly one record claims it. */
  ticket(id: string): LoadedTicket | undefined {
    const claims = this.claims.get(id);
    return claims?.length === 1 ? claims[0] : undefined;
  }

  /** Whether this snapshot is the state's own (not a copy a subclass filtered). */
  owns(snapshot: StoreSnapshot): boolean {
    return snapshot === this.built;
  }

  snapshot(): StoreSnapshot {
    if (this.built !== undefined) return this.built;
    const tickets: LoadedTicket[] = [];
    for (const path of this.recordFiles) for (const t of this.records.get(path)!) if (!this.duplicates.has(t.ticket.id)) tickets.push(t);
    this.flags ??= this.problemBookkeeping();
    this.built = { tickets, ...this.flags, files: this.texts, fileCount: this.texts.size + this.unreadable.size };
    return this.built;
  }

  /** Problems, files never written, duplicate and invalid ids: rebuilt only when they may have changed. */
  private problemBookkeeping(): NonNullable<LocationState['flags']> {
    const problems = [...this.unreadable.values(), ...[...this.problems.values()].flat()];
    const invalidFiles = new Set([...this.invalid, ...this.unreadable.keys()]);
    for (const id of this.duplicates) {
      const claims = [...this.claims.get(id)!].sort(byPlace);
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
    const invalidIds = new Map<string, string>();
    for (const file of [...this.invalidIds.keys()].sort(byPath)) {
      for (const id of this.invalidIds.get(file)!) if (!invalidIds.has(id)) invalidIds.set(id, file);
    }
    return { problems: sortProblems(problems), invalidFiles, duplicateIds: new Set(this.duplicates), invalidIds };
  }

  /** Drop what the format made of these files. */
  private forget(paths: ReadonlySet<string>): void {
    for (const path of paths) {
      for (const t of this.records.get(path) ?? []) {
        const claims = this.claims.get(t.ticket.id)!.filter((c) => c !== t);
        if (claims.length === 0) this.claims.delete(t.ticket.id);
        else this.claims.set(t.ticket.id, claims);
        this.recount(t.ticket.id);
        for (const file of t.files) {
          const holders = this.holders.get(file);
          holders?.delete(t);
          if (holders?.size !== 0) continue;
          this.holders.delete(file);
          if (this.texts.has(file)) this.unheld.add(file);
        }
      }
      if (this.records.delete(path)) this.recordFiles.splice(this.insertionPoint(path), 1);
      const hadProblems = [this.problems.delete(path), this.invalid.delete(path), this.invalidIds.delete(path)];
      if (hadProblems.includes(true)) this.flags = undefined;
    }
  }

  /** Parse these files and keep what the format made of them. */
  private learn(sources: readonly SourceFile[]): void {
    if (sources.length === 0) return;
    const loaded = this.format.load(sources);
    for (const t of loaded.tickets) {
      if (!this.records.has(t.path)) this.recordFiles.splice(this.insertionPoint(t.path), 0, t.path);
      push(this.records, t.path, t);
      push(this.claims, t.ticket.id, t);
      this.recount(t.ticket.id);
      for (const file of t.files) {
        const holders = this.holders.get(file);
        if (holders === undefined) this.holders.set(file, new Set([t]));
        else holders.add(t);
        this.unheld.delete(file);
      }
    }
    for (const problem of loaded.problems) push(this.problems, problem.path, problem);
    for (const path of loaded.invalidFiles) this.invalid.add(path);
    for (const [id, file] of loaded.invalidIds) push(this.invalidIds, file, id);
    if (loaded.problems.length > 0 || loaded.invalidFiles.size > 0 || loaded.invalidIds.size > 0) this.flags = undefined;
  }

  /** Whether an id is claimed more than once; a duplicate's problems change with any of its claims. */
  private recount(id: string): void {
    const duplicate = (this.claims.get(id)?.length ?? 0) > 1;
    if (!duplicate && !this.duplicates.has(id)) return;
    this.flags = undefined;
    if (duplicate) this.duplicates.add(id);
    else this.duplicates.delete(id);
  }

  /** Where a path goes in the sorted list of record files. */
  private insertionPoint(path: string): number {
    let [low, high] = [0, this.recordFiles.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (byPath(this.recordFiles[mid]!, path) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
