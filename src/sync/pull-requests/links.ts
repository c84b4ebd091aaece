/**
 * Which tickets a pull request touches, from its title, body and head branch
 * name. Pure, and safe on untrusted text: every scan is linear (bounded look
 * ahead and look behind, no backtracking regular expression over the text),
 * and nothing throws.
 *
 * - Closing: a closing keyword (`fixes`, `closes: `, `resolved`, …) before
 *   `#12`, `owner/repo#12`, this repository's issue URL or a ticket id; a
 *   ticket id in the branch name; ticket ids that start the title
 *   (`TSK-1: …`, `[TSK-1] …`, `(TSK-1)`, `TSK-1/TSK-2 …`).
 * - Referencing: a referencing word (`refs`, `part of`, `see`, …) before a
 *   reference or id, or a bare ticket id elsewhere in the title or body. A
 *   bare `#12` is no link.
 * - `skip` / `ignore` before a reference in the body breaks every link of
 *   that target.
 * - Nothing counts in code (inline, fenced, indented), block quotes (with
 *   their lazy continuation lines) or HTML comments (see `links-prose.ts`).
 *
 * Tokens: an id or reference must not touch a letter or digit (any script)
 * on either side. Everything else separates, including `-`, `_`, `.` and
 * `/`: `TSK-0012-login`, `tsk-0012_x` and `feature/TSK-0012` all name
 * TSK-0012, while `XTSK-0012` and `TSK-00123` do not. Where known ids
 * overlap, the longest that fits wins. An id right after `#` is read as an
 * issue number when it starts with a digit. URLs are one token: ids inside
 * a URL do not count.
 */
import { bodyProse, titleProse } from './links-prose.js';

export type LinkKind = 'closing' | 'referencing';
export type LinkTarget = { issue: number } | { ticket: string };
export interface PullRequestText {
  title: string;
  body: string | null;
  branch: string;
}
export interface LinkRules {
  /** This repository, `owner/name` (matched case-insensitively), and its web address base, e.g. `https://github.com` — issue URLs are `<htmlBase>/<owner>/<name>/issues/<n>`. */
  repo: string;
  htmlBase: string;
  /** Every ticket id in the repository (ids match only these, case-insensitively, and come back spelled as here). */
  ticketIds: readonly string[];
  /** pullRequests.idPattern: when given, the text a ticket id may be (matched as a whole token); else ids that are bare numbers (`12`, `3.2`) or UUIDs are never matched in text, only ids with letters such as `TSK-0012`, `ISS-0003`, `T-12`, `proj_7`. */
  idPattern?: RegExp;
}
export interface FoundLink {
  target: LinkTarget;
  kind: LinkKind;
  from: 'title' | 'body' | 'branch';
}
export interface PullRequestLinks {
  links: FoundLink[];
  skipped: LinkTarget[];
}

type From = FoundLink['from'];
type Keyword = LinkKind | 'skip';

const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ...['close', 'closes', 'closed', 'fix', 'fixes', 'fixed', 'resolve', 'resolves', 'resolved'].map((w) => [w, 'closing'] as const),
  ...['refs', 'references', 'ref', 'part of', 'related to', 'relates to', 'towards', 'see'].map((w) => [w, 'referencing'] as const),
  ...['skip', 'ignore'].map((w) => [w, 'skip'] as const),
]);
/** The longest keyword word, in letters. */
const LONGEST_WORD = 10;

const LETTER_OR_DIGIT = /^[\p{L}\p{N}\p{M}]$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HAS_LETTER = /\p{L}/u;
const URL_AT = /https?:\/\/[^\s<>()[\]{}"'`|\\^]{1,2048}/iy;
const ISSUE_AT = /#(\d{1,9})(?![\p{L}\p{N}])/uy;
const QUALIFIED_AT = /([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9_.-]{1,100})#(\d{1,9})(?![\p{L}\p{N}])/uy;

function isWordPoint(cp: number): boolean {
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
}
/** The character at `i` is a letter or digit. */
function wordAt(text: string, i: number): boolean {
  return i < text.length && isWordPoint(text.codePointAt(i)!);
}
/** The character ending just before `i` is a letter or digit. */
function wordBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const unit = text.charCodeAt(i - 1);
  const cp = unit >= 0xdc00 && unit <= 0xdfff && i >= 2 ? text.codePointAt(i - 2)! : unit;
  return isWordPoint(cp);
}

/** Case folding one UTF-16 unit at a time, so that folded text keeps its offsets. */
function fold(unit: string): string {
  const lower = unit.toLowerCase();
  return lower.length === 1 ? lower : unit;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  id?: string;
}

/** Finds known ticket ids at a position: the longest that is a whole token and may be an id. */
class IdMatcher {
  private readonly root: TrieNode = { next: new Map() };
  private readonly allowed: (text: string, id: string) => boolean;

  constructor(ids: readonly string[], pattern: RegExp | undefined) {
    for (const id of ids) if (id !== '') this.add(id);
    if (pattern === undefined) {
      this.allowed = (_text, id) => HAS_LETTER.test(id) && !UUID.test(id);
    } else {
      const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
      const seen = new Map<string, boolean>();
      this.allowed = (text) => {
        let ok = seen.get(text);
        if (ok === undefined) seen.set(text, (ok = whole.test(text)));
        return ok;
      };
    }
  }

  private add(id: string): void {
    let node = this.root;
    for (let k = 0; k < id.length; k++) {
      const key = fold(id[k]!);
      let child = node.next.get(key);
      if (child === undefined) node.next.set(key, (child = { next: new Map() }));
      node = child;
    }
    node.id ??= id;
  }

  /** The id starting at `start` (a token start), and where it ends. */
  at(text: string, start: number): { id: string; end: number } | undefined {
    let node: TrieNode | undefined = this.root;
    let best: { id: string; end: number } | undefined;
    for (let j = start; j < text.length; ) {
      node = node.next.get(fold(text[j]!));
      if (node === undefined) break;
      j++;
      if (node.id !== undefined && !wordAt(text, j) && this.allowed(text.slice(start, j), node.id)) best = { id: node.id, end: j };
    }
    if (best && text[start - 1] === '#' && /^\d/.test(best.id)) return undefined;
    return best;
  }
}

interface Ref {
  start: number;
  end: number;
  /** Undefined: a reference to another repository's issue, or no issue at all. */
  target: LinkTarget | undefined;
}

interface Scan {
  repo: string;
  base: string;
  ids: IdMatcher;
}

/** This repository's issue number of a URL, or undefined. */
function issueOfUrl(url: string, scan: Scan): number | undefined {
  const prefix = `${scan.base}/${scan.repo}/issues/`;
  if (!url.toLowerCase().startsWith(prefix)) return undefined;
  const match = /^(\d{1,9})(?:[/?#]|$)/.exec(url.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

/** The issue reference at a token start, if any: a URL, `#12` or `owner/repo#12`. */
function issueRefAt(text: string, i: number, scan: Scan): Ref | undefined {
  const ch = text[i];
  if (ch === 'h' || ch === 'H') {
    URL_AT.lastIndex = i;
    const url = URL_AT.exec(text)?.[0].replace(/[.,;:!?*_~]+$/, '');
    if (url !== undefined) {
      const issue = issueOfUrl(url, scan);
      return { start: i, end: i + url.length, target: issue === undefined ? undefined : { issue } };
    }
  }
  if (ch === '#') {
    ISSUE_AT.lastIndex = i;
    const match = ISSUE_AT.exec(text);
    return match ? { start: i, end: i + match[0].length, target: { issue: Number(match[1]) } } : undefined;
  }
  QUALIFIED_AT.lastIndex = i;
  const match = QUALIFIED_AT.exec(text);
  if (!match) return undefined;
  const ours = `${match[1]}/${match[2]}`.toLowerCase() === scan.repo;
  return { start: i, end: i + match[0].length, target: ours ? { issue: Number(match[3]) } : undefined };
}

/** Every reference and ticket id in a text, in order. */
function refsIn(text: string, scan: Scan, issues: boolean): Ref[] {
  const refs: Ref[] = [];
  for (let i = 0; i < text.length; ) {
    if (wordBefore(text, i)) {
      i++;
      continue;
    }
    const ref = (issues ? issueRefAt(text, i, scan) : undefined) ?? ticketRefAt(text, i, scan);
    if (ref === undefined) i++;
    else {
      refs.push(ref);
      i = Math.max(ref.end, i + 1);
    }
  }
  return refs;
}

function ticketRefAt(text: string, i: number, scan: Scan): Ref | undefined {
  const found = scan.ids.at(text, i);
  return found && { start: i, end: found.end, target: { ticket: found.id } };
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isEmphasis = (c: string | undefined) => c === '*' || c === '_';

/** Back over blanks (one line break at most), emphasis marks and one colon: `**Fixes:** #1`, `Fixes : #1`. */
function backOverGap(text: string, i: number): number {
  let breaks = 0;
  let colon = false;
  for (; i > 0; i--) {
    const c = text[i - 1];
    if (isSpace(c) || isEmphasis(c)) continue;
    if (c === '\n' && breaks++ === 0) continue;
    if (c === ':' && !colon) {
      colon = true;
      continue;
    }
    break;
  }
  return i;
}

/** The ASCII word ending at `end` (lower case), when it is a whole word of keyword length. */
function wordEndingAt(text: string, end: number): { word: string; start: number } | undefined {
  let start = end;
  while (start > 0 && end - start <= LONGEST_WORD && /[A-Za-z]/.test(text[start - 1]!)) start--;
  if (start === end || end - start > LONGEST_WORD || wordBefore(text, start)) return undefined;
  return { word: text.slice(start, end).toLowerCase(), start };
}

/** The keyword right before a reference, if any. */
function keywordBefore(text: string, start: number): Keyword | undefined {
  const gapStart = backOverGap(text, start);
  if (gapStart === start && start > 0) return undefined;
  const last = wordEndingAt(text, gapStart);
  if (last === undefined) return undefined;
  if (last.word === 'of' || last.word === 'to') {
    let i = last.start;
    while (i > 0 && isSpace(text[i - 1])) i--;
    const first = i < last.start ? wordEndingAt(text, i) : undefined;
    return first && KEYWORDS.get(`${first.word} ${last.word}`);
  }
  return KEYWORDS.get(last.word);
}

interface Found {
  links: FoundLink[];
  skips: LinkTarget[];
}

/** The links and skips of one text. */
function linksIn(text: string, from: From, scan: Scan): Found {
  const found: Found = { links: [], skips: [] };
  let leading = from === 'title';
  let leadEnd = 0;
  for (const ref of refsIn(text, scan, from !== 'branch')) {
    const target = ref.target;
    if (leading && target !== undefined && 'ticket' in target && !/[\p{L}\p{N}]/u.test(text.slice(leadEnd, ref.start))) leadEnd = ref.end;
    else leading = false;
    if (target === undefined) continue;
    const keyword = from === 'branch' ? undefined : keywordBefore(text, ref.start);
    if (keyword === 'skip' && from === 'body') found.skips.push(target);
    else if (keyword === 'closing' || keyword === 'referencing') found.links.push({ target, kind: keyword, from });
    else if ('ticket' in target) found.links.push({ target, kind: from === 'branch' || leadEnd === ref.end ? 'closing' : 'referencing', from });
  }
  return found;
}

const keyOf = (target: LinkTarget) => ('issue' in target ? `#${target.issue}` : `id:${target.ticket}`);

export function findLinks(pr: PullRequestText, rules: LinkRules): PullRequestLinks {
  const scan: Scan = {
    repo: rules.repo.toLowerCase(),
    base: rules.htmlBase.replace(/\/+$/, '').toLowerCase(),
    ids: new IdMatcher(rules.ticketIds, rules.idPattern),
  };
  const parts = [linksIn(titleProse(pr.title ?? ''), 'title', scan), linksIn(bodyProse(pr.body ?? ''), 'body', scan), linksIn(pr.branch ?? '', 'branch', scan)];
  const skipped = new Map<string, LinkTarget>();
  for (const target of parts.flatMap((p) => p.skips)) if (!skipped.has(keyOf(target))) skipped.set(keyOf(target), target);
  const links = new Map<string, FoundLink>();
  for (const link of parts.flatMap((p) => p.links)) {
    const key = keyOf(link.target);
    if (skipped.has(key)) continue;
    const had = links.get(key);
    if (had === undefined || (had.kind === 'referencing' && link.kind === 'closing')) links.set(key, link);
  }
  return { links: [...links.values()], skipped: [...skipped.values()] };
}

/** Resolve to tickets: an issue target becomes the ticket linked to that issue (unknown issues are dropped); one ticket linked several ways keeps the strongest (closing beats referencing); a skipped ticket (by id or by its issue) is removed from both lists and listed in `skipped`. */
export function linkedTickets(
  found: PullRequestLinks,
  tickets: readonly { id: string; issue?: number }[],
): { closing: string[]; referencing: string[]; skipped: string[] } {
  const byIssue = new Map<number, string>();
  const byId = new Map<string, string>();
  for (const t of tickets) {
    if (t.issue !== undefined && !byIssue.has(t.issue)) byIssue.set(t.issue, t.id);
    if (!byId.has(t.id)) byId.set(t.id, t.id);
    if (!byId.has(t.id.toLowerCase())) byId.set(t.id.toLowerCase(), t.id);
  }
  const resolve = (target: LinkTarget) => ('issue' in target ? byIssue.get(target.issue) : (byId.get(target.ticket) ?? byId.get(target.ticket.toLowerCase())));
  const skipped = new Set<string>();
  for (const target of found.skipped) {
    const id = resolve(target);
    if (id !== undefined) skipped.add(id);
  }
  const kinds = new Map<string, LinkKind>();
  for (const link of found.links) {
    const id = resolve(link.target);
    if (id === undefined || skipped.has(id)) continue;
    if (kinds.get(id) !== 'closing') kinds.set(id, link.kind);
  }
  const ids = [...kinds.keys()];
  return { closing: ids.filter((id) => kinds.get(id) === 'closing'), referencing: ids.filter((id) => kinds.get(id) === 'referencing'), skipped: [...skipped] };
}
