/**
 * A state store that reads through to another and keeps its own writes in
 * memory: what a dry run uses, so that it writes nothing anywhere.
 */
import type { CachedResponse, LogEntry, StateStore } from './types.js';
import type { SyncView } from '../sync/types.js';

export function readOnly(inner: StateStore): StateStore {
  const bases = new Map<string, SyncView | null>();
  const links = new Map<string, number>();
  const cached = new Map<string, CachedResponse>();
  const meta = new Map<string, unknown>();
  const logged: LogEntry[] = [];
  const key = (repo: string, id: string) => `${repo}\0${id}`;
  return {
    location: `${inner.location} (read only)`,
    async getBase(repo, ticket) {
      const k = key(repo, ticket);
      return bases.has(k) ? (bases.get(k) ?? undefined) : inner.getBase(repo, ticket);
    },
    async setBase(repo, ticket, view) {
      bases.set(key(repo, ticket), view);
    },
    async deleteBase(repo, ticket) {
      bases.set(key(repo, ticket), null);
    },
    async getLink(repo, ticket) {
      return links.get(key(repo, ticket)) ?? inner.getLink(repo, ticket);
    },
    async ticketForIssue(repo, issue) {
      for (const [k, n] of links) if (n === issue && k.startsWith(`${repo}\0`)) return k.slice(repo.length + 1);
      return inner.ticketForIssue(repo, issue);
    },
    async setLink(repo, ticket, issue) {
      links.set(key(repo, ticket), issue);
    },
    async appendLog(repo, entries) {
      const existing = await inner.readLog(repo);
      const start = (existing.at(-1)?.seq ?? 0) + logged.length;
      const added = entries.map((e, i) => ({ ...e, repo, seq: start + i + 1 }) as LogEntry);
      logged.push(...added);
      return added;
    },
    async readLog(repo, filter) {
      return inner.readLog(repo, filter);
    },
    async getLogEntry(repo, seq) {
      return inner.getLogEntry(repo, seq);
    },
    async getCached<T>(k: string) {
      return (cached.get(k) as CachedResponse<T> | undefined) ?? inner.getCached<T>(k);
    },
    async setCached(k, value) {
      cached.set(k, value);
    },
    async getMeta<T>(repo: string, k: string) {
      const mk = key(repo, k);
      return meta.has(mk) ? (meta.get(mk) as T) : inner.getMeta<T>(repo, k);
    },
    async setMeta(repo, k, value) {
      meta.set(key(repo, k), value);
    },
    async close() {
      await inner.close();
    },
  };
}
