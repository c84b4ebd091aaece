import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeWord,
  priorityOf,
  PRIORITIES,
  PRIORITY_WORDS,
  STATUS_WORDS,
  STATUSES,
  statusOf,
  typeOf,
  wordFor,
} from './vocabulary.js';

describe('the status vocabulary', () => {
  it.each([
    ['resolved', 'done'],
    ['closed', 'done'],
    ['completed', 'done'],
    ['archived', 'done'],
    ['In Progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['IN_PROGRESS', 'in_progress'],
    ['pending', 'open'],
    ['todo', 'open'],
    ['ready', 'review'],
    ['tested', 'review'],
    ['waiting', 'blocked'],
    ['deferred', 'blocked'],
    ["won't do", 'cancelled'],
    ['Won’t Fix', 'cancelled'],
    ['reopened', 'reopened'],
  ])('reads "%s" as %s', (word, status) => {
    expect(statusOf(word)).toBe(status);
  });

  it('maps every canonical status onto itself', () => {
    for (const status of STATUSES) expect(statusOf(status)).toBe(status);
  });

  it('knows no meaning for a word outside the table', () => {
    expect(statusOf('frobnicated')).toBeUndefined();
    expect(statusOf('')).toBeUndefined();
    expect(statusOf('constructor')).toBeUndefined();
  });

  it('reads any spelling of a known word the same way, whatever its case, spaces and hyphens', () => {
    const words = Object.keys(STATUS_WORDS);
    fc.assert(
      fc.property(fc.constantFrom(...words), fc.boolean(), fc.constantFrom(' ', '-', '_'), (word, upper, joiner) => {
        const spelled = (upper ? word.toUpperCase() : word).replace(/_/g, joiner);
        expect(statusOf(spelled)).toBe(STATUS_WORDS[word]!.status);
      }),
    );
  });
});

describe('the priority vocabulary', () => {
  it.each([
    ['P0', 'critical'],
    ['p1', 'high'],
    ['P2', 'medium'],
    ['P3', 'low'],
    ['Urgent', 'critical'],
    ['normal', 'medium'],
  ])('reads "%s" as %s', (word, priority) => {
    expect(priorityOf(word)).toBe(priority);
  });

  it('maps every table word onto a canonical priority', () => {
    for (const [word, priority] of Object.entries(PRIORITY_WORDS)) {
      expect(PRIORITIES).toContain(priority);
      expect(priorityOf(word)).toBe(priority);
    }
  });
});

describe('ticket types', () => {
  it('reads stories and features as issues and subtasks as tasks', () => {
    expect(typeOf('Story')).toBe('issue');
    expect(typeOf('feature')).toBe('issue');
    expect(typeOf('sub-task')).toBe('task');
    expect(typeOf('defect')).toBe('bug');
  });
});

describe('choosing the word to write', () => {
  const words = { open: 'open', in_progress: 'in_progress', blocked: 'blocked', review: 'review', done: 'resolved', reopened: 'reopened', cancelled: 'cancelled' } as const;

  it('keeps the word in the file while its meaning is unchanged', () => {
    expect(wordFor('done', 'closed', words, statusOf)).toBe('closed');
    expect(wordFor('in_progress', 'In Progress', words, statusOf)).toBe('In Progress');
  });

  it("writes the format's own word when the meaning changes", () => {
    expect(wordFor('done', 'open', words, statusOf)).toBe('resolved');
    expect(wordFor('open', undefined, words, statusOf)).toBe('open');
  });

  it('round-trips every canonical status through any format word table', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.constantFrom(...Object.keys(STATUS_WORDS)), (status, current) => {
        const written = wordFor(status, current, words, statusOf);
        expect(statusOf(written)).toBe(status);
      }),
    );
  });
});

describe('normalising a word', () => {
  it('folds case, apostrophes, spaces, hyphens and underscores', () => {
    expect(normalizeWord("  Won't-Do ")).toBe('wont_do');
    expect(normalizeWord('in -_ progress')).toBe('in_progress');
  });
});
