/**
 * An automatic status change made by a pull request (or its checks), merged
 * into a ticket's sync as a third writer: whether it may apply, and the
 * reconciled result with it applied. Pure: times come in with the inputs.
 *
 * A transition never undoes what a person decided after the event that
 * triggered it; never moves a ticket out of `blocked` or `cancelled` that a
 * person set; and never moves a `done` ticket back, except a revert.
 */
import type { Status } from '../../tickets/vocabulary.js';
import { compareInstants } from '../time.js';
import type { FieldStamp, LogDraft, Reconciled, SideName, SyncView } from '../types.js';

/** The writer of every automatic transition, in the log. */
export const PULL_REQUEST_WRITER = 'pull_request';

export interface Transition {
  to: Status;
  /** When the event that triggered it happened (ISO 8601). */
  at: string;
  /** `PR #34 merged by @ada`, `check suite 991 failed on 3f2a…`. */
  cause: string;
  /** A merged revert: the one transition that moves a `done` ticket. */
  revert?: boolean;
  /**
   * Who made it, when a person did (a card moved on the project board): then
   * only a later write stands against it; default {@link PULL_REQUEST_WRITER}.
   */
  writer?: string;
}

export type Verdict = { apply: true } | { apply: false; why: string };

const HELD: readonly Status[] = ['blocked', 'cancelled'];

/**
 * Whether `transition` may move a ticket whose status both sides hold is
 * `current`, last written by `last` (the log's newest status write, or this
 * sync's). Without a known writer, a `blocked` or `cancelled` status counts as
 * a person's.
 */
export function transitionVerdict(current: Status, last: FieldStamp | undefined, transition: Transition): Verdict {
  if (current === transition.to) return { apply: false, why: `already ${current}` };
  if (transition.writer !== undefined && transition.writer !== PULL_REQUEST_WRITER) {
    // A person's move: the last writer wins, as for any field.
    return last !== undefined && compareInstants(last.at, transition.at) > 0 ? { apply: false, why: `@${last.writer} set ${current} after it (${last.at})` } : { apply: true };
  }
  const byPerson = last !== undefined && last.writer !== PULL_REQUEST_WRITER;
  if (byPerson && compareInstants(last.at, transition.at) > 0) return { apply: false, why: `@${last.writer} set ${current} after it (${last.at})` };
  if (HELD.includes(current) && (last === undefined || byPerson)) return { apply: false, why: `${current}, set by ${last ? `@${last.writer}` : 'a person'}` };
  if (current === 'done' && !transition.revert) return { apply: false, why: 'already done (only a revert reopens it)' };
  return { apply: true };
}

/**
 * `result` with the transition's status on both sides: each side that does
 * not show it yet gets it, logged as written by `pull_request` with the
 * transition's cause; a status change this sync was about to carry across
 * (older than the transition, or the verdict would have refused) is kept in
 * the log as the value that lost.
 */
export function withTransition(ticket: string, result: Reconciled, sides: Record<SideName, SyncView>, transition: Transition): Reconciled {
  const log: LogDraft[] = result.log.filter((l) => l.field !== 'status');
  const replaced = result.log.filter((l) => l.field === 'status');
  const local = { ...result.local };
  const github = { ...result.github };
  const patches = { local, github };
  for (const side of ['local', 'github'] as const) {
    delete patches[side].status;
    const before = sides[side].status;
    if (before === transition.to) continue;
    patches[side].status = transition.to;
    // The status this sync was carrying across lived on the side it was not writing: the transition replaces it there.
    const lost = replaced.find((l) => otherSide(l.side) === side);
    log.push({
      ticket,
      field: 'status',
      side,
      writer: transition.writer ?? PULL_REQUEST_WRITER,
      at: transition.at,
      cause: transition.cause,
      before,
      after: transition.to,
      ...(lost && lost.after !== transition.to ? { conflict: { side, writer: lost.writer, at: lost.at, ...(lost.approximate ? { approximate: true as const } : {}), value: lost.after } } : {}),
    });
  }
  return { ...result, merged: { ...result.merged, status: transition.to }, local, github, log };
}

const otherSide = (side: SideName): SideName => (side === 'local' ? 'github' : 'local');
