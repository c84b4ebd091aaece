/**
 * Timestamps in the style of the tool that writes each format, so that the
 * tool can read what ticket-sync writes: Python's naive `isoformat()` for
 * mcp-ticketer, claude-pm and Orchestr8 (Python 3.10's `fromisoformat` reads
 * no `Z`), JavaScript's `toISOString()` for task-master and ticket-sync.
 * Times are given, never read from a clock: the `now` of a write context.
 */
import { instantOf } from '../../sync/time.js';
import type { JsonEdit } from '../json-document.js';
import type { JsonPath } from '../problems.js';
import type { Ticket } from '../model.js';
import { getPath, type FieldCodec } from './record.js';

export interface TimeStyle {
  /** How the tool writes an instant. */
  format(date: Date, nanos?: bigint): string;
  /** Whether a stored time is already in this style (kept as it is). */
  matches(value: string): boolean;
}

/**
 * Python's `datetime.isoformat()` of a naive time, in UTC: microseconds, no
 * zone, and no fraction at all when the microseconds are 0 (as Python writes it).
 */
export const PYTHON_ISO: TimeStyle = {
  format(date, nanos) {
    const seconds = date.toISOString().slice(0, 19);
    const micros = nanos === undefined ? date.getUTCMilliseconds() * 1000 : Number((nanos / 1000n) % 1_000_000n);
    return micros === 0 ? seconds : `${seconds}.${String(micros).padStart(6, '0')}`;
  },
  matches: (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/.test(value),
};

/** JavaScript's `Date.prototype.toISOString()`: milliseconds and `Z`. */
export const JS_ISO: TimeStyle = {
  format: (date) => date.toISOString(),
  matches: (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value),
};

/** Python's `isoformat()` of a naive UTC time (kept for the callers that stamp `now`). */
export const pythonIsoTime = (date: Date): string => PYTHON_ISO.format(date);

/**
 * A time as the tool writes it: a time already in its style, or one that is
 * not an ISO 8601 date-time, stays as given; any other instant (GitHub's
 * `2026-11-23T09:41:07Z`, an offset) is written in the tool's style, in UTC.
 */
export function inStyle(value: string, style: TimeStyle): string {
  if (style.matches(value) || !/T|\d \d/.test(value)) return value;
  const nanos = instantOf(value);
  if (nanos === undefined) return value;
  const date = new Date(Number(nanos / 1_000_000n));
  return Number.isNaN(date.getTime()) ? value : style.format(date, nanos);
}

export interface TimestampOptions {
  /** Write `null` rather than removing the key when the time goes away. */
  nullWhenAbsent?: boolean;
  /** Where ticket-sync kept the time before: read when `path` holds none, and moved to `path` when written. */
  fallback?: JsonPath;
}

/** A creation or update time at `path`, written in the tool's style. */
export function timestamp<K extends 'created_at' | 'updated_at'>(path: JsonPath, style: TimeStyle, options: TimestampOptions = {}): FieldCodec<K> {
  const stored = (raw: Record<string, unknown>, at: JsonPath | undefined) => {
    const value = at === undefined ? undefined : getPath(raw, at);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    read: (raw) => (stored(raw, path) ?? stored(raw, options.fallback)) as Ticket[K] | undefined,
    write: (next, raw) => {
      const edits: JsonEdit[] = [];
      if (next !== undefined) edits.push({ path, value: inStyle(next as string, style) });
      else if (getPath(raw, path) !== undefined) edits.push({ path, value: options.nullWhenAbsent ? null : undefined });
      // A time ticket-sync kept in the old place moves to the tool's own field.
      if (options.fallback !== undefined && getPath(raw, options.fallback) !== undefined) edits.push({ path: options.fallback, value: undefined });
      return edits;
    },
  };
}
