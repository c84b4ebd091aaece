/**
 * ticket-sync's hidden markers: the id marker that ends the body of a
 * ticket's issue, the marker of a comment ticket-sync posts, and the escaping
 * that keeps a person's text from passing for either. Pure.
 *
 * **Which ticket an issue belongs to** has one rule, `markerOf`: the id of
 * the last valid id marker in the body. Reading an issue (`issueView`) and
 * finding a ticket's issue (`issueWithMarker` in `src/github/issues.ts`) both
 * use it, so a body that quotes another ticket's marker belongs to its own.
 */
import { idProblem } from '../../tickets/model.js';

/** What starts every ticket-sync marker; a description's own copies are escaped (see `escapeMarkers`). */
const MARKER_PREFIX = '<!-- ticket-sync:';
const ESCAPED_PREFIX = '<!-- ticket-sync:escaped:';

/** The hidden marker that ends the body of a ticket's issue. */
export function ticketMarker(id: string): string {
  return `${MARKER_PREFIX}id=${id} -->`;
}
const TICKET_MARKER = /<!-- ticket-sync:id=(.+?) -->/g;

/**
 * The ticket an issue body belongs to: the id of its last id marker that
 * holds a possible id, wherever it stands; undefined when there is none.
 * Line ends do not matter (a marker never spans one).
 */
export function markerOf(body: string): string | undefined {
  return ticketMarkerIn(body)?.ticket;
}

/** The body's marker as `markerOf` finds it, and the body without it. */
export function ticketMarkerIn(body: string): { ticket: string; rest: string } | undefined {
  const marker = lastMatch(body, TICKET_MARKER, (m) => idProblem(m[1]!) === undefined);
  return marker ? { ticket: marker[1]!, rest: without(body, marker) } : undefined;
}

/** The hidden marker of a comment ticket-sync posts; values are escaped so that any id and author fit. */
export function commentMarker(id: string, author: string): string {
  return `${MARKER_PREFIX}comment=${escapeValue(id)} author=${escapeValue(author)} -->`;
}
const COMMENT_MARKER = /<!-- ticket-sync:comment=(\S+) author=(\S*) -->/g;

/**
 * The last comment marker in `body` that holds a possible id which `accept`
 * takes: the comment id and author it names, and the body without it.
 */
export function commentMarkerIn(body: string, accept: (id: string) => boolean): { id: string; author: string; rest: string } | undefined {
  const marker = lastMatch(body, COMMENT_MARKER, (m) => {
    const id = unescapeValue(m[1]!);
    return idProblem(id) === undefined && accept(id);
  });
  return marker ? { id: unescapeValue(marker[1]!), author: unescapeValue(marker[2]!), rest: without(body, marker) } : undefined;
}

/** `%`, `>`, white space and control characters as `%XX` / `%uXXXX`: a value then never ends a marker or holds a space. */
function escapeValue(value: string): string {
  return value.replace(/[%>\s\p{Cc}]/gu, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function unescapeValue(value: string): string {
  return value.replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (_, wide: string | undefined, narrow: string | undefined) =>
    String.fromCharCode(parseInt(wide ?? narrow!, 16)),
  );
}

/**
 * A description's own `<!-- ticket-sync:` is written as `<!-- ticket-sync:escaped:`
 * (one more `escaped:` each time), so that no text of a person can pass for
 * one of ticket-sync's markers. `unescapeMarkers` is its exact inverse.
 */
export function escapeMarkers(text: string): string {
  return text.replaceAll(MARKER_PREFIX, ESCAPED_PREFIX);
}

export function unescapeMarkers(text: string): string {
  return text.replaceAll(ESCAPED_PREFIX, MARKER_PREFIX);
}

/**
 * `text` with every `<!-- ticket-sync:` broken by a zero-width space: a value
 * shown in the managed section then never ends it early or passes for a
 * marker. One way only (the section is never read back).
 */
export function defuseMarkers(text: string): string {
  return text.replaceAll(MARKER_PREFIX, '<!-- ticket-sync\u200B:');
}

/** The last match of a global pattern for which `accept` holds. */
function lastMatch(text: string, pattern: RegExp, accept: (m: RegExpExecArray) => boolean): RegExpExecArray | undefined {
  return [...text.matchAll(pattern)].filter(accept).at(-1);
}

/** `text` without the match `m`; a match alone on its line goes with its line break. */
function without(text: string, m: RegExpExecArray): string {
  const end = m.index + m[0].length;
  const wholeLine = (m.index === 0 || text[m.index - 1] === '\n') && text[end] === '\n';
  return text.slice(0, m.index) + text.slice(wholeLine ? end + 1 : end);
}
