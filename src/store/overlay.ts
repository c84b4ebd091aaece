/**
 * A state store that reads through to another and keeps its own writes in
 * memory until `flush()` writes them through, in order. A dry run never
 * flushes; the App flushes only once its commit has landed, so a lost race
 * for the branch leaves the stored state as it was.
 */
import type { CachedResponse, LogEntry, StateStore } from './types.js';
import type { SyncView } from '../sync/types.js';

export interface OverlayStore extends StateStore {
  /** Write what was written here through to the inner store. */
  flush(): Promise<void>;
}

export function overlay(inner: StateStore, label = 'overlay'): OverlayStore {
  const key = (repo: string, id: string) => `${repo}\0${id}`;
  const bases = new Map<string, { repo: string; ticket: string; view: SyncView | null }>();
  const links = new Map<string, { repo: string; ticket: string; issue: number }>();
  const cached = new Map<string, CachedResponse>();
  const meta = new Map<string, { repo: string; key: string; value: unknown; ttlMs?: number }>();
  const logged: { repo: string; entries: Omit<LogEntry, 'seq' | 'repo'>[] }[] = [];
  return {
    location: `${inner.location} (${label})`,
    async getBase(repo, ticket) {
      const hit = bases.get(key(repo, ticket));
      return hit ? (hit.view ?? undefined) : inner.getBase(repo, ticket);
    },
    async setBase(repo, ticket, view) {
      bases.set(key(repo, ticket), { repo, ticket, view });
    },
    async deleteBase(repo, ticket) {
      bases.set(key(repo, ticket), { repo, ticket, view: null });
    },
    async getLink(repo, ticket) {
      return links.get(key(repo, ticket))?.issue ?? inner.getLink(repo, ticket);
    },
    async ticketForIssue(repo, issue) {
      for (const link of links.values()) if (link.repo === repo && link.issue === issue) return link.ticket;
      return inner.ticketForIssue(repo, issue);
    },
    async setLink(repo, ticket, issue) {
      links.set(key(repo, ticket), { repo, ticket, issue });
    },
    async appendLog(repo, entries) {
      const last = (await inner.readLog(repo)).at(-1)?.seq ?? 0;
      const pending = logged.filter((l) => l.repo === repo).reduce((n, l) => n + l.entries.length, 0);
      logged.push({ repo, entries: [...entries] });
      return entries.map((e, i) => ({ ...e, repo, seq: last + pending + i + 1 }) as LogEntry);
    },
    readLog: (repo, filter) => inner.readLog(repo, filter),
    getLogEntry: (repo, seq) => inner.getLogEntry(repo, seq),
    async getCached<T>(k: string) {
      return (cached.get(k) as CachedResponse<T> | undefined) ?? inner.getCached<T>(k);
    },
    async setCached(k, value) {
      cached.set(k, value);
    },
    async getMeta<T>(repo: string, k: string) {
      const hit = meta.get(key(repo, k));
      return hit ? (hit.value as T) : inner.getMeta<T>(repo, k);
    },
    async setMeta(repo, k, value, ttlMs) {
      meta.set(key(repo, k), { repo, key: k, value, ...(ttlMs !== undefined ? { ttlMs } : {}) });
    },
    async flush() {
      for (const b of bases.values()) await (b.view === null ? inner.deleteBase(b.repo, b.ticket) : inner.setBase(b.repo, b.ticket, b.view));
      for (const l of links.values()) await inner.setLink(l.repo, l.ticket, l.issue);
      for (const [k, v] of cached) await inner.setCached(k, v);
      for (const m of meta.values()) await inner.setMeta(m.repo, m.key, m.value, m.ttlMs);
      for (const l of logged) await inner.appendLog(l.repo, l.entries);
      bases.clear();
      links.clear();
      cached.clear();
      meta.clear();
      logged.length = 0;
    },
    close: () => inner.close(),
  };
}
