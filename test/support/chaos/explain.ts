/**
 * Where a chaos soak run left the model, told so that a failure can be
 * diagnosed from the test's output alone: for each ticket that went wrong,
 * the first batch after which its file did not hold what the script says,
 * the fields that differ, and the script's changes to it in that batch, in
 * order, with their sides; and where two runs' end states differ, path by path.
 */
import { expectedAfterEachBatch, type TicketState } from './model.js';
import type { Change, Script } from './script.js';

export interface Divergence {
  ticket: string;
  /** The first batch after which the file was wrong (1-based; 0: the first sync). */
  batch: number;
  /** Each differing field: what the script says, what the file held. */
  fields: Record<string, { expected: unknown; found: unknown }>;
  /** The script's changes to the ticket in that batch, oldest first. */
  changes: string[];
}

/** The first divergence of each ticket whose file ever differed from the model after a batch. */
export function divergences(script: Script, afterBatch: readonly { tickets: Record<string, TicketState> }[]): Divergence[] {
  const expected = expectedAfterEachBatch(script);
  const found: Divergence[] = [];
  for (const ticket of script.tickets) {
    const batch = afterBatch.findIndex(({ tickets }, i) => JSON.stringify(tickets[ticket]) !== JSON.stringify(expected[i]![ticket]));
    if (batch < 0) continue;
    const want = expected[batch]![ticket]!;
    const got = afterBatch[batch]!.tickets[ticket];
    const fields = Object.fromEntries(
      (Object.keys(want) as (keyof TicketState)[])
        .filter((f) => JSON.stringify(want[f]) !== JSON.stringify(got?.[f]))
        .map((f) => [f, { expected: want[f], found: got?.[f] }]),
    );
    const changes = batch === 0 ? [] : script.batches[batch - 1]!.changes.filter((c) => c.ticket === ticket).map((c) => `${c.side}: ${describeChange(c)}`);
    found.push({ ticket, batch, fields, changes });
  }
  return found;
}

export function describeChange(change: Change): string {
  switch (change.field) {
    case 'labels':
    case 'assignees':
      return `${change.op}s ${change.field === 'labels' ? 'label' : 'assignee'} ${change.value}`;
    case 'comments':
      return `comment ${JSON.stringify(change.body)}`;
    default:
      return `${change.field} → ${JSON.stringify(change.value)}`;
  }
}

/** Where two JSON-like values differ: one line per differing path (`tickets.TSK-0003.assignees: […] / […]`). */
export function pathsThatDiffer(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b) && !(Array.isArray(a) && (a as unknown[]).length !== (b as unknown[]).length)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => pathsThatDiffer((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`];
}

/** Where a file and its issue disagreed once the App went quiet, batch by batch: `after batch 3: TSK-0001 #1 title: …`. */
export function unsyncedAfterBatches(afterBatch: readonly { unsynced: string[] }[]): string[] {
  return afterBatch.flatMap(({ unsynced }, i) => unsynced.map((line) => `after ${i === 0 ? 'the first sync' : `batch ${i}`}: ${line}`));
}
