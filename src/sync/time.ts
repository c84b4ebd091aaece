/**
 * Instants of ISO 8601 timestamps, as the merge compares them.
 *
 * Tickets and GitHub write times in many forms: `2026-11-23T09:30:00Z`,
 * `2026-11-23T10:30:00+01:00`, JavaScript's milliseconds, Python's
 * microseconds. They are compared as instants, to the nanosecond, whatever
 * their precision and zone. **A time without a zone is read as UTC** (Python's
 * naive `datetime.isoformat()`, e.g. `2026-11-23T09:30:00.123456`): a writer
 * that means another zone must say so with an offset. A time that cannot be
 * read (empty, or not an ISO 8601 calendar date or date-time) is older than
 * every time that can; two of them are a tie. Digits beyond the nanosecond
 * are ignored.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the Unix epoch of an ISO 8601 date or date-time, or undefined when it is not one. */
export function instantOf(at: string): bigint | undefined {
  const m = ISO.exec(at.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, oh = '0', om = '0'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 24 || minute > 59 || second > 60 || Number(oh) > 23 || Number(om) > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(fraction))) return undefined;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  const ms = date.getTime() + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  const nanos = BigInt(fraction.slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * NS_PER_MS + nanos;
}

/**
 * Orders two timestamps by the instant they name: negative when `a` is
 * earlier, positive when later, 0 when they name the same instant (whatever
 * their spelling) or neither can be read. An unreadable time is the earliest.
 */
export function compareInstants(a: string, b: string): number {
  const x = instantOf(a);
  const y = instantOf(b);
  if (x === undefined || y === undefined) return (x === undefined ? 0 : 1) - (y === undefined ? 0 : 1);
  return x < y ? -1 : x > y ? 1 : 0;
}
