/**
 * The three-way merge of a ticket's two sides against the last synced view.
 * Pure: the times it compares come in with the sides.
 */
import { compareInstants } from './time.js';
import type { LogDraft, Reconciled, Side, SideName, SyncComment, SyncField, SyncView } from './types.js';
import { byCodeUnits, compareComments, sameValue } from './view.js';

type ScalarField = 'title' | 'description' | 'status' | 'priority' | 'type';
type SetField = 'labels' | 'assignees';

const SIDES: readonly SideName[] = ['local', 'github'];
const otherSide = (side: SideName): SideName => (side === 'local' ? 'github' : 'local');

/**
 * The side whose write is the later one. Times are compared as instants
 * (ISO 8601 in any precision and zone; a time without a zone is UTC, see
 * `time.ts`). **The local side wins a tie, because the ticket file is the
 * source of record.**
 */
export function lastWriter(localAt: string, githubAt: string): SideName {
  return compareInstants(githubAt, localAt) > 0 ? 'github' : 'local';
}

/** Who wrote a value, and when; `approximate` when the time is the side's, not the value's own. */
interface Stamp {
  writer: string;
  at: string;
  approximate?: true;
}

/** The outcome of merging one value: what both sides hold, whose it is, and whether both sides had changed it. */
interface Settled<T> {
  value: T;
  winner: SideName;
  conflict: boolean;
}

/**
 * Three-way merge of one value. Unchanged on one side: the other side's
 * change. Changed on both (or no base and differing): `prefer` decides when
 * it can, else the later of `at` (the local side on a tie). Undefined when
 * both sides already agree.
 */
function settle<T>(
  values: Record<SideName, T>,
  base: { value: T } | undefined,
  at: Record<SideName, string>,
  prefer: (values: Record<SideName, T>) => SideName | undefined = () => undefined,
): Settled<T> | undefined {
  if (sameValue(values.local, values.github)) return undefined;
  const changed = (side: SideName) => base === undefined || !sameValue(values[side], base.value);
  const conflict = changed('local') && changed('github');
  const winner = conflict ? (prefer(values) ?? lastWriter(at.local, at.github)) : changed('local') ? 'local' : 'github';
  return { value: values[winner], winner, conflict };
}

/**
 * Reconcile one ticket's local and GitHub sides against `base`, the view
 * both held after the last sync (undefined when it is lost, or for a first
 * sync of two linked sides).
 *
 * - A field changed on one side only takes that change.
 * - A field changed on both sides to different values goes to the last
 *   writer: by when each side changed that field (`fields`), else by the
 *   side's `at`. **The local side wins a tie, because the ticket file is the
 *   source of record.** Where an approximate time (an issue's `updated_at`)
 *   chose the winner, the field is listed in `guessed` and the log marks the
 *   time approximate.
 * - `labels` and `assignees` merge element by element: base ∪ adds(local) ∪
 *   adds(github) − removes(local) − removes(github).
 * - `comments` merge by id: an edit on one side takes; edits on both go to
 *   the last writer by the comment's `updated_at` (else its side's `at`); a
 *   comment deleted on one side and untouched on the other is deleted;
 *   deleted on one side and edited on the other, the edit wins and the
 *   deletion is logged as the loser.
 * - Without a base, equal fields are kept and differing ones go to the last
 *   writer, logged as conflicts; labels, assignees and comments take the
 *   union, each difference logged as a conflict.
 *
 * Each write to a side is logged: field (or `comment:<id>`), before, after,
 * the winning writer and time, and where both sides had changed the value,
 * the loser (`conflict`: the written side's replaced value, its writer and time).
 */
export function reconcile(ticket: string, base: SyncView | undefined, local: Side, github: Side): Reconciled {
  const sides: Record<SideName, Side> = { local, github };
  const result: Reconciled = { merged: { ...local.view }, local: {}, github: {}, log: [], guessed: [] };

  /** Write `after` over `before` on `side`, as `by` wrote it; `lost` is the side's own change when it lost a conflict. */
  const write = (side: SideName, field: LogDraft['field'], before: unknown, after: unknown, by: Stamp, lost?: Stamp) => {
    result.log.push({
      ticket,
      field,
      side,
      writer: by.writer,
      at: by.at,
      ...(by.approximate ? { approximate: true as const } : {}),
      before,
      after,
      ...(lost ? { conflict: { side, writer: lost.writer, at: lost.at, ...(lost.approximate ? { approximate: true as const } : {}), value: before } } : {}),
    });
  };
  /** Who changed `field` on `side` and when: the field's own stamp, else the side's (approximate where the side says so). */
  const stampOf = (side: SideName, field: SyncField): Stamp => {
    const own = sides[side].fields?.[field];
    if (own) return { writer: own.writer, at: own.at };
    return { writer: sides[side].writer, at: sides[side].at, ...(sides[side].approximate ? { approximate: true as const } : {}) };
  };
  const patch = <F extends SyncField>(side: SideName, field: F, value: SyncView[F]) => {
    result[side][field] = value;
  };

  const scalar = <F extends ScalarField>(field: F) => {
    const stamps = { local: stampOf('local', field), github: stampOf('github', field) };
    const settled = settle({ local: local.view[field], github: github.view[field] }, base && { value: base[field] }, { local: stamps.local.at, github: stamps.github.at });
    if (!settled) return;
    const loser = otherSide(settled.winner);
    if (settled.conflict && (stamps.local.approximate || stamps.github.approximate)) result.guessed.push(field);
    result.merged[field] = settled.value;
    patch(loser, field, settled.value);
    write(loser, field, sides[loser].view[field], settled.value, stamps[settled.winner], settled.conflict ? stamps[loser] : undefined);
  };

  const set = (field: SetField) => {
    const values = { local: new Set(local.view[field]), github: new Set(github.view[field]) };
    const all = [...new Set([...values.local, ...values.github])].sort(byCodeUnits);
    const was = base && new Set(base[field]);
    // Kept by both, or added by either: base ∪ adds − removes.
    const merged = all.filter((x) => !was?.has(x) || (values.local.has(x) && values.github.has(x)));
    result.merged[field] = merged;
    for (const side of SIDES) {
      const before = sides[side].view[field];
      if (sameValue([...new Set(before)].sort(byCodeUnits), merged)) continue;
      patch(side, field, merged);
      write(side, field, before, merged, stampOf(otherSide(side), field), base === undefined ? stampOf(side, field) : undefined);
    }
  };

  const comments = () => {
    const byId = (list: readonly SyncComment[]) => new Map(list.map((c) => [c.id, c]));
    const maps = { local: byId(local.view.comments), github: byId(github.view.comments) };
    const was = base && byId(base.comments);
    const ids = [...new Set([...maps.local.keys(), ...maps.github.keys()])].sort(byCodeUnits);
    const merged: SyncComment[] = [];
    const written = new Set<SideName>();
    for (const id of ids) {
      const values = { local: maps.local.get(id) ?? null, github: maps.github.get(id) ?? null };
      const stamp = (side: SideName): Stamp => {
        const own = values[side]?.updated_at;
        return own !== undefined ? { writer: sides[side].writer, at: own } : stampOf(side, 'comments');
      };
      const settled = settle(values, was && { value: was.get(id) ?? null }, { local: stamp('local').at, github: stamp('github').at }, (v) =>
        // Deleted on one side, edited on the other: the edit wins.
        v.local === null ? 'github' : v.github === null ? 'local' : undefined,
      );
      const value = settled ? settled.value : values.local;
      if (value) merged.push(value);
      if (!settled) continue;
      const loser = otherSide(settled.winner);
      written.add(loser);
      write(loser, `comment:${id}`, values[loser], settled.value, stamp(settled.winner), settled.conflict ? stamp(loser) : undefined);
    }
    merged.sort(compareComments);
    result.merged.comments = merged;
    for (const side of written) patch(side, 'comments', merged);
  };

  for (const field of ['title', 'description', 'status', 'priority', 'type'] as const) scalar(field);
  set('labels');
  set('assignees');
  comments();
  return result;
}
