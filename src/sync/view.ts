/**
 * The normal form of a sync view, shared by the mapping (which builds views)
 * and the merge (which compares and combines them).
 */
import { compareInstants } from './time.js';
import type { SyncComment } from './types.js';

/**
 * A text as the view holds it: `\r\n` folded to `\n` (a run of `\r` before
 * `\n` too, so that folding twice changes nothing), trailing white space
 * removed.
 */
export function normalizeText(text: string): string {
  return text.replace(/\r+\n/g, '\n').trimEnd();
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names (labels, assignees) sorted and unique, trimmed, the empty ones left out. */
export function nameSet(names: Iterable<string>): string[] {
  return [...new Set([...names].map((n) => n.trim()).filter((n) => n !== ''))].sort(byCodeUnits);
}

/** The view's comment order: by the instant of `created_at` (an unreadable one first), then by id. */
export function compareComments(a: SyncComment, b: SyncComment): number {
  return compareInstants(a.created_at, b.created_at) || byCodeUnits(a.id, b.id);
}

/** A comment with exactly its own keys (no `updated_at: undefined`). */
export function cleanComment(c: SyncComment): SyncComment {
  const { id, author, body, created_at, updated_at } = c;
  return updated_at === undefined ? { id, author, body, created_at } : { id, author, body, created_at, updated_at };
}

/** Deep equality of JSON-like values; an object key holding `undefined` counts as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const entries = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
  const x = entries(a);
  const y = new Map(entries(b));
  return x.length === y.size && x.every(([k, v]) => y.has(k) && sameValue(v, y.get(k)));
}
