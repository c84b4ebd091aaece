/**
 * The canonical vocabularies of ticket-sync and the one table that maps every
 * word the supported formats use onto them.
 *
 * Reading: any spelling (case, spaces, hyphens and apostrophes do not matter)
 * is normalised and looked up in `STATUS_WORDS` / `PRIORITY_WORDS` /
 * `TYPE_WORDS`. Writing: each format names the word it writes for each
 * canonical value (see the format adapters); a word already in a file is kept
 * as long as its meaning does not change, so a `resolved` ticket stays
 * `resolved` and is never rewritten as `done`.
 *
 * README.md ("Status vocabulary") renders these tables; keep them in step.
 */

export const STATUSES = ['open', 'in_progress', 'blocked', 'review', 'done', 'reopened', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_TYPES = ['epic', 'issue', 'task', 'bug'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** Lower-case, trim, drop apostrophes, and fold runs of spaces, hyphens and underscores into one `_`. */
export function normalizeWord(word: string): string {
  return word
    .trim()
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[\s\-_]+/g, '_');
}

/**
 * Every status word we know, by normalised spelling, with its canonical status
 * and where it comes from. One table for all formats.
 */
export const STATUS_WORDS: Readonly<Record<string, { status: Status; source: string }>> = {
  open: { status: 'open', source: 'all formats' },
  new: { status: 'open', source: 'common' },
  todo: { status: 'open', source: 'common' },
  to_do: { status: 'open', source: 'common' },
  backlog: { status: 'open', source: 'common' },
  pending: { status: 'open', source: 'task-master' },
  in_progress: { status: 'in_progress', source: 'TicketData, TicketManager, aitrackdown, task-master (in-progress)' },
  inprogress: { status: 'in_progress', source: 'common' },
  started: { status: 'in_progress', source: 'common' },
  doing: { status: 'in_progress', source: 'common' },
  active: { status: 'in_progress', source: 'common' },
  blocked: { status: 'blocked', source: 'aitrackdown, task-master, agent workflow' },
  waiting: { status: 'blocked', source: 'aitrackdown (waiting on someone)' },
  on_hold: { status: 'blocked', source: 'common' },
  deferred: { status: 'blocked', source: 'task-master (postponed, still planned)' },
  review: { status: 'review', source: 'task-master, agent workflow' },
  in_review: { status: 'review', source: 'common' },
  needs_review: { status: 'review', source: 'TicketData labels' },
  ready: { status: 'review', source: 'aitrackdown (work finished, ready for review)' },
  tested: { status: 'review', source: 'aitrackdown (tested, not yet done)' },
  ready_to_deploy: { status: 'review', source: 'TicketData labels' },
  done: { status: 'done', source: 'aitrackdown, task-master, agent workflow' },
  resolved: { status: 'done', source: 'TicketData, TicketManager' },
  closed: { status: 'done', source: 'TicketData, aitrackdown' },
  completed: { status: 'done', source: 'common' },
  complete: { status: 'done', source: 'common' },
  fixed: { status: 'done', source: 'common' },
  archived: { status: 'done', source: 'TicketManager (moved to archive/)' },
  reopened: { status: 'reopened', source: 'agent workflow' },
  cancelled: { status: 'cancelled', source: 'task-master' },
  canceled: { status: 'cancelled', source: 'common (US spelling)' },
  wont_do: { status: 'cancelled', source: "common (won't do)" },
  wontdo: { status: 'cancelled', source: 'common' },
  wont_fix: { status: 'cancelled', source: "common (won't fix)" },
  wontfix: { status: 'cancelled', source: 'common' },
  not_planned: { status: 'cancelled', source: 'GitHub close reason' },
  rejected: { status: 'cancelled', source: 'common' },
  duplicate: { status: 'cancelled', source: 'common' },
};

/** Priority words by normalised spelling. P0 is the most urgent. */
export const PRIORITY_WORDS: Readonly<Record<string, Priority>> = {
  low: 'low',
  lowest: 'low',
  minor: 'low',
  trivial: 'low',
  none: 'low',
  p3: 'low',
  p4: 'low',
  medium: 'medium',
  normal: 'medium',
  moderate: 'medium',
  p2: 'medium',
  high: 'high',
  major: 'high',
  important: 'high',
  p1: 'high',
  critical: 'critical',
  urgent: 'critical',
  highest: 'critical',
  blocker: 'critical',
  p0: 'critical',
};

/** Ticket type words by normalised spelling. */
export const TYPE_WORDS: Readonly<Record<string, TicketType>> = {
  epic: 'epic',
  issue: 'issue',
  story: 'issue',
  feature: 'issue',
  task: 'task',
  subtask: 'task',
  sub_task: 'task',
  chore: 'task',
  bug: 'bug',
  defect: 'bug',
};

function lookup<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  const key = normalizeWord(word);
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The canonical status of a word, or undefined when the word is unknown. */
export function statusOf(word: string): Status | undefined {
  return lookup(STATUS_WORDS, word)?.status;
}

/** The canonical priority of a word (`P1`, `urgent`, `High` …), or undefined when unknown. */
export function priorityOf(word: string): Priority | undefined {
  return lookup(PRIORITY_WORDS, word);
}

/** The canonical ticket type of a word, or undefined when unknown. */
export function typeOf(word: string): TicketType | undefined {
  return lookup(TYPE_WORDS, word);
}

/** What a format writes for each canonical value. */
export type WordsFor<T extends string> = Readonly<Record<T, string>>;

/**
 * The word to write for `next`, given the word currently in the file: the
 * current word is kept while it still means `next`.
 */
export function wordFor<T extends string>(
  next: T,
  current: unknown,
  words: WordsFor<T>,
  meaningOf: (word: string) => T | undefined,
): string {
  if (typeof current === 'string' && meaningOf(current) === next) return current;
  return words[next];
}
