/**
 * GitHub's limits, and how ticket-sync fits a text into them. A title longer
 * than 256 characters or a body longer than 65,536 is cut on GitHub with
 * `CUT_NOTE`, never locally. Reading back, a value GitHub shows exactly as
 * ticket-sync would render one of the known views (the local view, the merge
 * base) reads as that view's value, so a cut text does not look changed on
 * every sync. Lengths are counted in UTF-16 code units, which is never less
 * than what GitHub counts, and a cut never splits a surrogate pair. Pure.
 */
import { normalizeText } from '../view.js';

/** GitHub's limit on an issue title. */
export const TITLE_LIMIT = 256;
/** GitHub's limit on an issue or comment body. */
export const BODY_LIMIT = 65_536;
/** GitHub's limit on the assignees of an issue. */
export const ASSIGNEE_LIMIT = 10;
/** What ends a text cut to fit GitHub. */
export const CUT_NOTE = '… (cut by ticket-sync: the full text is in the ticket file)';
/** The title GitHub shows for a ticket without one (GitHub refuses a blank title). */
export const UNTITLED = '(untitled)';

/** At most `max` UTF-16 code units of `text`, never half a surrogate pair, trailing white space removed. */
function cutText(text: string, max: number): string {
  let end = Math.max(0, max);
  if (end > 0 && end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end).trimEnd();
}

/** Blocks of Markdown, blank-line separated, the empty ones left out. */
export function joinBlocks(blocks: readonly (string | undefined)[]): string {
  return blocks.filter((b): b is string => b !== undefined && b !== '').join('\n\n');
}

/** `text` as it fits in `room`: whole, or cut with `CUT_NOTE` after it. */
export function fitted(text: string, room: number): string {
  return text.length <= room ? text : joinBlocks([cutText(text, room - CUT_NOTE.length - 2), CUT_NOTE]);
}

/** What GitHub shows as the title of a view's title. */
export function shownTitle(title: string): string {
  if (title === '') return UNTITLED;
  return title.length <= TITLE_LIMIT ? title : cutText(title, TITLE_LIMIT - CUT_NOTE.length) + CUT_NOTE;
}

/** A text read back from GitHub without the cut note ticket-sync may have added. */
export function withoutCutNote(text: string): string {
  return text.endsWith(CUT_NOTE) ? normalizeText(text.slice(0, -CUT_NOTE.length)) : text;
}
