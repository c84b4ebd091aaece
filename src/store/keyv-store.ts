/**
 * The state store on Keyv: in process (`memory:`, `sqlite::memory:`), in a
 * SQLite file (`sqlite://<path>`) or in Redis (`redis://`, `rediss://`).
 *
 * Every value lives under its own key, `<namespace>:<concern>:<repo>:…`, with
 * `%` and `:` escaped inside each part so no two keys can meet. The log keeps
 * one key per entry, a counter per repository for its seqs, and two indexes
 * (per ticket, and of conflicts) that are counters with one key per slot, so
 * an append writes only new keys.
 *
 * Seqs come from the counter. In Redis it is `INCRBY`, atomic among every
 * process sharing the server, so a batch of n entries takes n consecutive
 * seqs at once. In process (memory, SQLite) the counter is read and written
 * inside a queue that runs one append at a time, per SQLite file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import KeyvRedis, { createClient } from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { SyncView } from '../sync/types.js';
import type { CachedResponse, LogEntry, StateStore } from './types.js';

export const SUPPORTED_URLS =
  'sqlite://<path>, sqlite::memory:, memory:, redis://[user:pass@]host:port[/db] or rediss://[user:pass@]host:port[/db]';

/** Where a store URL points, and how to show it (never with a password). */
export type StoreAddress =
  | { kind: 'memory'; location: string }
  | { kind: 'sqlite'; file: string; location: string }
  | { kind: 'redis'; url: string; location: string };

export interface OpenOptions {
  /** The first part of every key, to keep several stores apart on one server or file. Default `ticket-sync`. */
  namespace?: string;
  /** How long to try reaching Redis before giving up, in milliseconds. Default 5000. */
  connectTimeout?: number;
}

/** Reads a store URL; a relative SQLite path resolves against `cwd`. Throws on any other scheme. */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreAddress {
  if (url === 'memory:') return { kind: 'memory', location: url };
  if (url === 'sqlite::memory:' || url === 'sqlite://:memory:') {
    return { kind: 'sqlite', file: ':memory:', location: 'sqlite::memory:' };
  }
  if (url.startsWith('sqlite://') && url.length > 'sqlite://'.length) {
    const file = path.resolve(cwd, url.slice('sqlite://'.length));
    return { kind: 'sqlite', file, location: `sqlite://${file}` };
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const parsed = parseUrl(url);
    if (!parsed?.hostname || !/^(\/\d*)?$/.test(parsed.pathname)) {
      throw new Error(`invalid Redis URL "${withoutPassword(url)}": use redis://[user:pass@]host:port[/db]`);
    }
    return { kind: 'redis', url, location: withoutPassword(url) };
  }
  throw new Error(`unsupported state store URL "${withoutPassword(url)}": use ${SUPPORTED_URLS}`);
}

/** Opens the state store at `url` (see {@link parseStoreUrl}); `close()` it when done. */
export async function openStateStore(url: string, options: OpenOptions = {}): Promise<StateStore> {
  const address = parseStoreUrl(url);
  const backend = await openBackend(address, options.connectTimeout ?? 5000);
  return new KeyvStateStore(address.location, backend, new Keys(options.namespace ?? 'ticket-sync'));
}

/** What differs between the backends: the connection, counters and how appends are kept apart. */
interface Backend {
  readonly keyv: Keyv;
  /** Adds `by` to a counter and returns its new value: atomic in Redis, elsewhere only inside `exclusive`. */
  increment(key: string, by: number): Promise<number>;
  counter(key: string): Promise<number>;
  /** Runs read-then-write work one task at a time where the counters are not atomic by themselves. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function newKeyv(store: KeyvStoreAdapter | Map<unknown, unknown>): Keyv {
  // Plain JSON, not Keyv's default serializer (which rewrites strings starting with `:`), and errors thrown, not only emitted.
  return new Keyv(store, {
    namespace: undefined,
    useKeyPrefix: false,
    serialize: JSON.stringify,
    deserialize: JSON.parse,
    throwOnErrors: true,
  });
}

async function openBackend(address: StoreAddress, connectTimeout: number): Promise<Backend> {
  switch (address.kind) {
    case 'memory':
      return inProcessBackend(newKeyv(new Map()), queue(), async () => {});
    case 'sqlite': {
      if (address.file !== ':memory:') await mkdir(path.dirname(address.file), { recursive: true });
      const adapter = new KeyvSqlite({ uri: `sqlite://${address.file}`, busyTimeout: 5000 });
      const keyv = newKeyv(adapter);
      try {
        // WAL with normal syncing: a commit no longer waits for the disk, and a reader does not block the writer.
        await adapter.query('PRAGMA journal_mode = WAL');
        await adapter.query('PRAGMA synchronous = NORMAL');
      } catch (error) {
        await keyv.disconnect().catch(() => {});
        throw new Error(`cannot open ${address.location}: ${messageOf(error)}`, { cause: error });
      }
      const appends = address.file === ':memory:' ? queue() : fileQueue(address.file);
      return inProcessBackend(keyv, appends, () => keyv.disconnect());
    }
    case 'redis':
      return redisBackend(address, connectTimeout);
  }
}

type Queue = <T>(task: () => Promise<T>) => Promise<T>;

function queue(): Queue {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** One queue per SQLite file, so two stores on one file in this process still append one at a time. */
const fileQueues = new Map<string, Queue>();
function fileQueue(file: string): Queue {
  let found = fileQueues.get(file);
  if (!found) fileQueues.set(file, (found = queue()));
  return found;
}

function inProcessBackend(keyv: Keyv, exclusive: Queue, close: () => Promise<void>): Backend {
  const counter = async (key: string) => (await keyv.get<number>(key)) ?? 0;
  return {
    keyv,
    counter,
    async increment(key, by) {
      const value = (await counter(key)) + by;
      await keyv.set(key, value);
      return value;
    },
    exclusive,
    close,
  };
}

async function redisBackend(address: Extract<StoreAddress, { kind: 'redis' }>, connectTimeout: number): Promise<Backend> {
  let ready = false;
  const client = createClient({
    url: address.url,
    socket: {
      connectTimeout,
      // Once connected, keep reconnecting; before that, give up after a few tries so opening fails clearly.
      reconnectStrategy: (retries, cause) => (ready || retries < 3 ? Math.min(2 ** retries * 100, 2000) : cause),
    },
  });
  client.on('ready', () => (ready = true));
  const adapter = new KeyvRedis(client, { throwOnErrors: true });
  const keyv = newKeyv(adapter);
  keyv.on('error', () => {}); // connection trouble surfaces as the failing call's error
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach ${address.location}: ${messageOf(error)}`, { cause: error });
  }
  return {
    keyv,
    increment: (key, by) => client.incrBy(key, by),
    counter: async (key) => Number((await client.get(key)) ?? 0),
    exclusive: (task) => task(),
    close: () => adapter.disconnect(),
  };
}

/** Builds every key: `<namespace>:<concern>:<part>:…`, each part escaped so none holds a `:`. */
class Keys {
  constructor(private readonly namespace: string) {}

  private key(...parts: (string | number)[]): string {
    return [this.namespace, ...parts.map((part) => String(part).replaceAll('%', '%25').replaceAll(':', '%3A'))].join(':');
  }

  base = (repo: string, ticket: string) => this.key('base', repo, ticket);
  issueOf = (repo: string, ticket: string) => this.key('link', repo, 'ticket', ticket);
  ticketOf = (repo: string, issue: number) => this.key('link', repo, 'issue', issue);
  lastSeq = (repo: string) => this.key('log', repo, 'seq');
  entry = (repo: string, seq: number) => this.key('log', repo, 'entry', seq);
  cached = (key: string) => this.key('cache', key);
  meta = (repo: string, key: string) => this.key('meta', repo, key);

  /** The seqs of one ticket's entries, or of the conflicts: a counter and one key per slot. */
  index(repo: string, ...name: string[]): LogIndex {
    return { count: this.key('log', repo, ...name, 'count'), slot: (n) => this.key('log', repo, ...name, n) };
  }
}

interface LogIndex {
  count: string;
  slot(n: number): string;
}

type NewLogEntry = Omit<LogEntry, 'seq' | 'repo'>;

/** Keys read per request: one `MGET` or one SQLite query each. */
const READ_BATCH = 500;

class KeyvStateStore implements StateStore {
  private closed = false;

  constructor(
    readonly location: string,
    private readonly backend: Backend,
    private readonly keys: Keys,
  ) {}

  private get keyv(): Keyv {
    return this.backend.keyv;
  }

  async getBase(repo: string, ticket: string): Promise<SyncView | undefined> {
    return this.keyv.get<SyncView>(this.keys.base(repo, ticket));
  }

  async setBase(repo: string, ticket: string, view: SyncView): Promise<void> {
    await this.keyv.set(this.keys.base(repo, ticket), view);
  }

  async deleteBase(repo: string, ticket: string): Promise<void> {
    await this.keyv.delete(this.keys.base(repo, ticket));
  }

  async getLink(repo: string, ticket: string): Promise<number | undefined> {
    return this.keyv.get<number>(this.keys.issueOf(repo, ticket));
  }

  async ticketForIssue(repo: string, issue: number): Promise<string | undefined> {
    return this.keyv.get<string>(this.keys.ticketOf(repo, issue));
  }

  async setLink(repo: string, ticket: string, issue: number): Promise<void> {
    await this.backend.exclusive(async () => {
      const [oldIssue, oldTicket] = await Promise.all([this.getLink(repo, ticket), this.ticketForIssue(repo, issue)]);
      const stale: string[] = [];
      if (oldIssue !== undefined && oldIssue !== issue) stale.push(this.keys.ticketOf(repo, oldIssue));
      if (oldTicket !== undefined && oldTicket !== ticket) stale.push(this.keys.issueOf(repo, oldTicket));
      if (stale.length > 0) await this.keyv.deleteMany(stale);
      await this.keyv.setMany([
        { key: this.keys.issueOf(repo, ticket), value: issue },
        { key: this.keys.ticketOf(repo, issue), value: ticket },
      ]);
    });
  }

  async appendLog(repo: string, drafts: readonly NewLogEntry[]): Promise<LogEntry[]> {
    if (drafts.length === 0) return [];
    return this.backend.exclusive(async () => {
      const last = await this.backend.increment(this.keys.lastSeq(repo), drafts.length);
      const entries: LogEntry[] = drafts.map((draft, i) => ({ seq: last - drafts.length + 1 + i, repo, ...draft }));
      const indexed = new Map<string, { index: LogIndex; seqs: number[] }>();
      const addTo = (name: string[], seq: number) => {
        const id = name.join(':');
        let found = indexed.get(id);
        if (!found) indexed.set(id, (found = { index: this.keys.index(repo, ...name), seqs: [] }));
        found.seqs.push(seq);
      };
      for (const entry of entries) {
        addTo(['ticket', entry.ticket], entry.seq);
        if (entry.conflict !== undefined) addTo(['conflicts'], entry.seq);
      }
      const slots = await Promise.all(
        [...indexed.values()].map(async ({ index, seqs }) => {
          const end = await this.backend.increment(index.count, seqs.length);
          return seqs.map((seq, i) => ({ key: index.slot(end - seqs.length + 1 + i), value: seq }));
        }),
      );
      await this.keyv.setMany([...entries.map((entry) => ({ key: this.keys.entry(repo, entry.seq), value: entry })), ...slots.flat()]);
      return entries;
    });
  }

  async readLog(repo: string, filter: { ticket?: string; conflicts?: boolean } = {}): Promise<LogEntry[]> {
    const { ticket, conflicts = false } = filter;
    let seqs: number[];
    if (ticket !== undefined) seqs = await this.indexed(this.keys.index(repo, 'ticket', ticket));
    else if (conflicts) seqs = await this.indexed(this.keys.index(repo, 'conflicts'));
    else seqs = Array.from({ length: await this.backend.counter(this.keys.lastSeq(repo)) }, (_, i) => i + 1);
    const entries = await this.getAll<LogEntry>(seqs.map((seq) => this.keys.entry(repo, seq)));
    return entries
      .filter((entry) => (ticket === undefined || entry.ticket === ticket) && (!conflicts || entry.conflict !== undefined))
      .sort((a, b) => a.seq - b.seq);
  }

  async getLogEntry(repo: string, seq: number): Promise<LogEntry | undefined> {
    return this.keyv.get<LogEntry>(this.keys.entry(repo, seq));
  }

  async getCached<T>(key: string): Promise<CachedResponse<T> | undefined> {
    return this.keyv.get<CachedResponse<T>>(this.keys.cached(key));
  }

  async setCached<T>(key: string, value: CachedResponse<T>): Promise<void> {
    await this.keyv.set(this.keys.cached(key), value);
  }

  async getMeta<T>(repo: string, key: string): Promise<T | undefined> {
    return this.keyv.get<T>(this.keys.meta(repo, key));
  }

  async setMeta<T>(repo: string, key: string, value: T | undefined, ttlMs?: number): Promise<void> {
    if (value === undefined) await this.keyv.delete(this.keys.meta(repo, key));
    else await this.keyv.set(this.keys.meta(repo, key), value, ttlMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.close();
  }

  /** The seqs an index holds. A slot can be missing when a writer died between counting and writing. */
  private async indexed(index: LogIndex): Promise<number[]> {
    const count = await this.backend.counter(index.count);
    return this.getAll<number>(Array.from({ length: count }, (_, i) => index.slot(i + 1)));
  }

  /** The values present under `keys`, in their order, read in batches. */
  private async getAll<T>(keys: string[]): Promise<T[]> {
    const found: T[] = [];
    for (let start = 0; start < keys.length; start += READ_BATCH) {
      const values = await this.keyv.getMany<T>(keys.slice(start, start + READ_BATCH));
      for (const value of values) if (value !== undefined) found.push(value);
    }
    return found;
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function withoutPassword(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed?.password) return url;
  parsed.password = '';
  return parsed.toString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
