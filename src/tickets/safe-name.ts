/**
 * File names derived from ids. An id may come from GitHub (a comment's
 * `gh-<id>`, a marker's id), so it never becomes a file name as it is:
 * `safeFileName` gives a portable, safe name for any id, and `freeFilePath`
 * the path of a new file named after an id that no file of the location
 * takes, in any case. Every format that names a file after an id uses them,
 * so a file ticket-sync writes is always one its store lists and reads back.
 * Pure.
 */
import { createHash } from 'node:crypto';

/** The most UTF-16 code units of a name (without its extension). */
export const NAME_LIMIT = 100;
/** The most UTF-8 bytes of a name: with an extension and a `-<n>` it stays far below the 255 bytes file systems allow. */
const BYTE_LIMIT = 200;
/** The length of the hash that keeps a changed or cut name unique: `~` and 8 hex digits. */
const HASH_LENGTH = 9;

/**
 * Characters no name holds: path separators, what Windows refuses
 * (`?*:<>|"`), control characters (C0, DEL, C1, the line and paragraph
 * separators) and lone surrogates (no file system stores them).
 */
const UNSAFE = /[/\\?*:<>|"\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/gu;
/** Windows' device names, in any case, alone or before an extension (`CON`, `nul.txt`, `COM1 .json`). */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\.|$)/i;

/**
 * A file name (without extension) for an id, safe on every common file
 * system: no leading dot (never hidden), no path separator, no device name,
 * none of `?*:<>|"`, no control character, at most `NAME_LIMIT` characters.
 * An id that is already safe is its own name; any other is made safe (`_`
 * for what is refused, cut where too long) and ends with `~` and a short
 * hash of the id, so that different ids keep different names.
 */
export function safeFileName(id: string): string {
  let name = id.replace(UNSAFE, '_').replace(/^\./, '_');
  if (name === '') name = '_';
  if (DEVICE.test(name)) name = `_${name}`;
  if (name === id && fits(name, NAME_LIMIT, BYTE_LIMIT)) return name;
  return `${cut(name, NAME_LIMIT - HASH_LENGTH, BYTE_LIMIT - HASH_LENGTH)}~${hash(id)}`;
}

/**
 * The path of a new file named after `id`: `<folder><name><extension>`, or
 * `<folder><name>-2<extension>`, `-3` … when a file of that path exists in any
 * case (a file system may not tell `A.json` from `a.json`). `taken` holds the
 * paths of the location's files (see `takenPaths`); the path chosen is added.
 */
export function freeFilePath(folder: string, id: string, taken: Set<string>, extension = '.json'): string {
  const name = safeFileName(id);
  let path = `${folder}${name}${extension}`;
  for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${folder}${name}-${n}${extension}`;
  taken.add(path.toLowerCase());
  return path;
}

/** The paths in use, for `freeFilePath`: compared without regard to case. */
export function takenPaths(paths: Iterable<string>): Set<string> {
  return new Set([...paths].map((p) => p.toLowerCase()));
}

function fits(name: string, units: number, bytes: number): boolean {
  return name.length <= units && Buffer.byteLength(name, 'utf8') <= bytes;
}

/** The longest start of `name` within the limits, never splitting a surrogate pair. */
function cut(name: string, units: number, bytes: number): string {
  let out = '';
  for (const char of name) {
    if (!fits(out + char, units, bytes)) break;
    out += char;
  }
  return out;
}

function hash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, HASH_LENGTH - 1);
}
