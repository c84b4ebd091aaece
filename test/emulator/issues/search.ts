/**
 * A subset of GitHub's issue search syntax
 * (docs.github.com/search-github/searching-on-github/searching-issues-and-pull-requests):
 *
 * - `repo:owner/name`, `user:`/`org:` (the owner), `author:`, `assignee:`
 * - `is:issue`/`is:pr`/`is:pull-request`, `type:issue`/`type:pr`, `is:open`/`is:closed`, `state:open`/`state:closed`
 * - `label:x` (`label:"two words"`), `no:label`, `no:assignee`, and `-` before any of these to negate it
 * - `in:title`, `in:body`, `in:comments` (comma lists too); without `in:`, GitHub searches
 *   the title, the body and the comments
 * - keywords: bare words and "quoted phrases", all of which must match
 *
 * Matching is on the raw Markdown, case-insensitive, with word edges, so a
 * hidden marker such as `<!-- ticket-sync:id=TSK-0001 -->` is found by
 * `"ticket-sync:id=TSK-0001" in:body`, and `TSK-0001` does not find `TSK-00012`.
 * A GitHub qualifier outside this subset answers 501 rather than being
 * silently ignored.
 */
import { HttpError, validationFailed } from '../http.js';
import type { Issue, Repo } from '../state.js';

/** Qualifiers GitHub knows that the emulator does not implement. */
const UNSUPPORTED = new Set([
  'archived', 'base', 'closed', 'comments', 'commenter', 'created', 'draft', 'head', 'interactions', 'involves', 'language',
  'linked', 'linked-pr', 'mentions', 'merged', 'milestone', 'parent-issue', 'project', 'reactions', 'reason', 'review',
  'review-requested', 'reviewed-by', 'sort', 'status', 'sub-issue', 'team', 'team-review-requested', 'updated', 'user-review-requested',
]);
const SUPPORTED = new Set(['repo', 'user', 'org', 'author', 'assignee', 'is', 'type', 'state', 'label', 'no', 'in']);

interface Qualifier {
  key: string;
  value: string;
  negated: boolean;
}

export interface ParsedQuery {
  qualifiers: Qualifier[];
  /** Keywords and phrases, lower-cased. */
  terms: string[];
  /** Where the terms are looked for. */
  fields: Set<'title' | 'body' | 'comments'>;
}

/** Split on spaces outside quotes; `label:"a b"` and `"a b"` stay whole. */
function tokens(q: string): string[] {
  return q.match(/-?[^\s"]*"[^"]*"?|[^\s]+/g) ?? [];
}

const unquote = (s: string) => s.replace(/^"|"$/g, '');

export function parseQuery(q: string): ParsedQuery {
  const parsed: ParsedQuery = { qualifiers: [], terms: [], fields: new Set() };
  for (const token of tokens(q)) {
    const qualifier = /^(-?)([a-z-]+):(.+)$/i.exec(token);
    const key = qualifier?.[2]!.toLowerCase();
    if (qualifier && key && SUPPORTED.has(key)) {
      const value = unquote(qualifier[3]!);
      if (key === 'in') {
        for (const field of value.toLowerCase().split(',')) {
          if (field !== 'title' && field !== 'body' && field !== 'comments') throw validationFailed('Search', 'q', 'invalid', `in:${field} is not a field of issues`);
          parsed.fields.add(field);
        }
      } else {
        parsed.qualifiers.push({ key, value, negated: qualifier[1] === '-' });
      }
    } else if (qualifier && key && UNSUPPORTED.has(key)) {
      throw new HttpError(501, `the emulator does not implement the search qualifier ${key}:`);
    } else if (token === 'OR' || token === 'NOT' || (token.startsWith('-') && token.length > 1)) {
      throw new HttpError(501, `the emulator does not implement ${token === 'OR' || token === 'NOT' ? token : 'excluding keywords'} in searches`);
    } else if (token !== 'AND') {
      const term = unquote(token).toLowerCase();
      if (term !== '') parsed.terms.push(term);
    }
  }
  if (parsed.fields.size === 0) for (const f of ['title', 'body', 'comments'] as const) parsed.fields.add(f);
  return parsed;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** `term` occurs in `text` (both lower-cased) and does not start or end inside a word. */
export function containsTerm(text: string, term: string): boolean {
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    const startsClean = !isWordChar(term[0]) || !isWordChar(text[at - 1]);
    const endsClean = !isWordChar(term[term.length - 1]) || !isWordChar(text[at + term.length]);
    if (startsClean && endsClean) return true;
  }
  return false;
}

/** The repositories a query names with `repo:` (undefined when it names none). */
export function namedRepos(parsed: ParsedQuery): string[] | undefined {
  const repos = parsed.qualifiers.filter((q) => q.key === 'repo' && !q.negated).map((q) => q.value.toLowerCase());
  return repos.length > 0 ? repos : undefined;
}

function qualifierHolds(q: Qualifier, repo: Repo, issue: Issue): boolean {
  const value = q.value.toLowerCase();
  switch (q.key) {
    case 'repo':
      return repo.fullName.toLowerCase() === value;
    case 'user':
    case 'org':
      return repo.owner.login.toLowerCase() === value;
    case 'author':
      return issue.user.login.toLowerCase() === value;
    case 'assignee':
      return issue.assignees.some((a) => a.toLowerCase() === value);
    case 'label':
      return issue.labels.some((l) => l.toLowerCase() === value);
    case 'no':
      if (value === 'label') return issue.labels.length === 0;
      if (value === 'assignee') return issue.assignees.length === 0;
      throw new HttpError(501, `the emulator does not implement no:${value}`);
    case 'state':
      return issue.state === value;
    case 'type':
    case 'is':
      if (value === 'issue') return !issue.pull;
      if (value === 'pr' || value === 'pull-request') return issue.pull !== undefined;
      if (value === 'open' || value === 'closed') return issue.state === value;
      if (q.key === 'is' && value === 'merged') return issue.pull?.merged === true;
      if (q.key === 'is' && value === 'unmerged') return issue.pull !== undefined && !issue.pull.merged;
      throw new HttpError(501, `the emulator does not implement ${q.key}:${value}`);
    default:
      return false;
  }
}

/** Whether an issue of `repo` (with its comments' bodies) matches the query. */
export function matches(parsed: ParsedQuery, repo: Repo, issue: Issue, comments: readonly string[]): boolean {
  for (const q of parsed.qualifiers) if (qualifierHolds(q, repo, issue) === q.negated) return false;
  const texts: string[] = [];
  if (parsed.fields.has('title')) texts.push(issue.title.toLowerCase());
  if (parsed.fields.has('body') && issue.body) texts.push(issue.body.toLowerCase());
  if (parsed.fields.has('comments')) texts.push(...comments.map((c) => c.toLowerCase()));
  return parsed.terms.every((term) => texts.some((text) => containsTerm(text, term)));
}
