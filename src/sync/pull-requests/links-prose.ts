/**
 * The prose of a pull request's Markdown, where links count (see
 * `links.ts`): code spans, fenced and indented code blocks, block quotes and
 * HTML comments are blanked out. A line-by-line reading close enough to
 * CommonMark for link words, linear in the text's length whatever it holds:
 *
 * - A fence (three or more backticks or tildes, indented three spaces at
 *   most) runs to its closing fence of the same character, at least as long,
 *   or to the end.
 * - An indented code block is a line indented four columns or more after a
 *   blank line or another such line (inside a list item too: an indented
 *   paragraph there reads as code).
 * - A block quote is a line starting with `>` and the lines that follow it
 *   up to a blank line (lazy continuation).
 * - An HTML comment runs from `<!--` to `-->`, across lines and blank lines,
 *   or to the end when never closed.
 * - A code span runs from a run of backticks to the next run of the same
 *   length in its paragraph; a run without one is plain text.
 *
 * Line breaks are kept; what is blanked out becomes a space or an empty line.
 */

/** CRLF and lone CR line endings as LF. */
function lf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A line without its HTML comments, and whether a comment stays open at its end. */
function withoutComments(line: string): { kept: string; open: boolean } {
  let kept = '';
  for (let pos = 0; ; ) {
    const start = line.indexOf('<!--', pos);
    if (start < 0) return { kept: kept + line.slice(pos), open: false };
    kept += line.slice(pos, start) + ' ';
    const end = line.indexOf('-->', start + 4);
    if (end < 0) return { kept, open: true };
    pos = end + 3;
  }
}

/** Leading indentation in columns (a tab to the next multiple of four), counted up to four. */
function indentOf(line: string): number {
  let columns = 0;
  for (let i = 0; i < line.length && columns < 4; i++) {
    if (line[i] === ' ') columns++;
    else if (line[i] === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

interface Fence {
  mark: string;
  length: number;
}

/** The fence a line opens, if it opens one (a backtick fence's info string holds no backtick). */
function fenceOpened(line: string): Fence | undefined {
  const match = FENCE_OPEN.exec(line);
  if (!match) return undefined;
  const mark = match[1]![0]!;
  if (mark === '`' && line.indexOf('`', match[0].length) >= 0) return undefined;
  return { mark, length: match[1]!.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = FENCE_CLOSE.exec(line);
  return match !== null && match[1]![0] === fence.mark && match[1]!.length >= fence.length;
}

/** What kind of block a line is, given the state the lines before it left. */
interface BlockState {
  fence?: Fence;
  comment: boolean;
  quote: boolean;
  code: boolean;
  blank: boolean;
}

/** The prose of one line (empty when it is not prose), updating the state. */
function proseLine(raw: string, s: BlockState): string {
  let line = raw;
  if (s.comment) {
    const end = line.indexOf('-->');
    if (end < 0) return '';
    s.comment = false;
    line = ' '.repeat(end + 3) + line.slice(end + 3);
  } else if (s.fence) {
    if (closesFence(line, s.fence)) s.fence = undefined;
    return '';
  } else if (line.trim() === '') {
    s.quote = false;
    s.blank = true;
    return '';
  } else if (indentOf(line) >= 4 && (s.blank || s.code) && !s.quote) {
    s.code = true;
    s.blank = false;
    return '';
  } else {
    s.code = false;
    s.blank = false;
    const fence = fenceOpened(line);
    if (fence) {
      s.fence = fence;
      s.quote = false;
      return '';
    }
    if (s.quote || /^ {0,3}>/.test(line)) {
      s.quote = true;
      return '';
    }
  }
  const { kept, open } = withoutComments(line);
  s.comment = open;
  return kept;
}

/** A paragraph without its code spans. */
function withoutCodeSpans(text: string): string {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (text[j] === '`') j++;
    runs.push({ start: i, length: j - i });
    i = j;
  }
  if (runs.length < 2) return text;
  // Runs of each length, and how far each list has been read: every list is read once, left to right.
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const list = byLength.get(run.length);
    if (list) list.push(index);
    else byLength.set(run.length, [index]);
  });
  return spliceSpans(text, runs, byLength);
}

function spliceSpans(text: string, runs: { start: number; length: number }[], byLength: Map<number, number[]>): string {
  const read = new Map<number, number>();
  let out = '';
  let pos = 0;
  for (let i = 0; i < runs.length; ) {
    const run = runs[i]!;
    const list = byLength.get(run.length)!;
    let at = read.get(run.length) ?? 0;
    while (at < list.length && list[at]! <= i) at++;
    read.set(run.length, at);
    const closer = list[at];
    if (closer === undefined) {
      i++;
      continue;
    }
    out += text.slice(pos, run.start) + ' ';
    pos = runs[closer]!.start + run.length;
    i = closer + 1;
  }
  return out + text.slice(pos);
}

/** The prose of a pull request body. */
export function bodyProse(body: string): string {
  const state: BlockState = { comment: false, quote: false, code: false, blank: true };
  const lines = lf(body)
    .split('\n')
    .map((line) => proseLine(line, state));
  return lines.join('\n').split('\n\n').map(withoutCodeSpans).join('\n\n');
}

/** The prose of a pull request title: one line, where only comments and code spans are not prose. */
export function titleProse(title: string): string {
  return withoutCodeSpans(withoutComments(lf(title).replace(/\n/g, ' ')).kept);
}
