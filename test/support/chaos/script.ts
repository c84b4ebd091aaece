/**
 * The chaos soak's script, from a seed: which person changes what, on which
 * side, in which order. Changes come in batches: while a batch is made, the
 * App hears nothing (its webhooks are held), so people on both sides work on
 * the same tickets at once; the batch's webhooks are then delivered and the
 * App is let go quiet before the next batch.
 *
 * A batch is about one to three tickets, and a change often takes up a
 * field an earlier change of the batch made to its ticket: both sides then
 * change one ticket, often one field, before the App looks (20 tickets
 * picked evenly would hardly ever meet).
 *
 * Each change is one person's edit of one field, made on the side as that
 * person sees it. The script keeps what each side shows during a batch
 * (starting from the expected state, as after a finished sync) and only
 * writes changes that side can make and that a state-based merge can see:
 *
 * - a title, description or comment body is new text every time;
 * - in one batch, one side changes a ticket's field at most once, to a value
 *   other than the one it held when the batch began (a value written and
 *   written back before the App looks is no change at all to a three-way
 *   merge);
 * - on GitHub, a status is set the way people set it: a `status: …` label on
 *   an open issue (in progress, blocked, review), a close (done, or not
 *   planned: cancelled) or a reopen of a closed one (reopened). GitHub shows
 *   an open ticket and a reopened one alike, so an `open`/`reopened` write on
 *   one side is never met by one on the other side in the same batch.
 */
import { applyChange, initialState, PRIORITIES, STATUSES, type Priority, type Status, type TicketState } from './model.js';
import { substream, type Random } from './random.js';

export type Side = 'file' | 'github';

export type Change = { side: Side; ticket: string } & (
  | { field: 'title' | 'description'; value: string }
  | { field: 'status'; value: Status }
  | { field: 'priority'; value: Priority }
  /** One label or assignee added or removed. */
  | { field: 'labels' | 'assignees'; op: 'add' | 'remove'; value: string }
  /** A new comment; `id` is the id a comment made in the ticket file gets there (`''` on GitHub, where it becomes `gh-<id>`). */
  | { field: 'comments'; id: string; author: string; body: string }
);

export interface Batch {
  changes: Change[];
}

export interface Script {
  seed: number;
  tickets: string[];
  batches: Batch[];
}

/** Plain labels people add and remove (managed `status: `/`priority: ` labels are the status and priority). */
export const LABELS = ['backend', 'docs', 'perf', 'security', 'ui'];
/** Logins GitHub can assign: each exists on the emulated GitHub before the first change. */
export const ASSIGNEES = ['hubot', 'monalisa', 'octocat'];
/** Who comments in the ticket files, and who on GitHub. */
export const FILE_AUTHOR = 'Ada';
export const GITHUB_PERSON = 'hubot';

const FIELDS = ['title', 'description', 'status', 'priority', 'labels', 'assignees', 'comments'] as const;
const OPEN_FAMILY: readonly Status[] = ['open', 'reopened'];
const CLOSED: readonly Status[] = ['done', 'cancelled'];

export const ticketIdOf = (n: number) => `TSK-${String(n).padStart(4, '0')}`;

export function generateScript(seed: number, { tickets = 20, changes = 200, maxBatch = 10 } = {}): Script {
  const random = substream(seed, 'script');
  const ids = Array.from({ length: tickets }, (_, i) => ticketIdOf(i + 1));
  let state: Record<string, TicketState> = Object.fromEntries(ids.map((id) => [id, initialState(id)]));
  const batches: Batch[] = [];
  const made = { count: 0 };
  while (made.count < changes) {
    const batch = new BatchMaker(state, random, made);
    const size = Math.min(random.int(1, maxBatch), changes - made.count);
    const hot = random.shuffle(ids).slice(0, random.int(1, 3));
    while (batch.changes.length < size) {
      const ticket = random.pick(hot);
      const earlier = batch.changes.filter((c) => c.ticket === ticket && c.field !== 'comments');
      const field = earlier.length > 0 && random.chance(0.4) ? random.pick(earlier).field : random.pick(FIELDS);
      batch.tryOne(random.pick(['file', 'github'] as const), ticket, field);
    }
    batches.push({ changes: batch.changes });
    state = batch.expected;
  }
  return { seed, tickets: ids, batches };
}

/** One batch being written: what each side shows, and what each side has already changed. */
class BatchMaker {
  readonly changes: Change[] = [];
  expected: Record<string, TicketState>;
  private readonly shown: Record<Side, Record<string, TicketState>>;
  /** `side ticket field` (or `… field value` for a label or assignee) changed in this batch. */
  private readonly touched = new Set<string>();

  constructor(
    private readonly start: Record<string, TicketState>,
    private readonly random: Random,
    /** Changes made so far in the script: the next one's number names its texts. */
    private readonly made: { count: number },
  ) {
    this.expected = { ...start };
    this.shown = { file: { ...start }, github: { ...start } };
  }

  /** Add a change of `field` on `side` to `ticket`, if one can be made there now. */
  tryOne(side: Side, ticket: string, field: (typeof FIELDS)[number]): void {
    const change = this.propose(side, ticket, field, this.made.count + 1);
    if (change === undefined) return;
    this.made.count++;
    const key = change.field === 'labels' || change.field === 'assignees' ? `${side} ${ticket} ${change.field} ${change.value}` : `${side} ${ticket} ${change.field}`;
    if (change.field !== 'comments') this.touched.add(key);
    this.changes.push(change);
    this.shown[side][ticket] = applyChange(this.shown[side][ticket]!, change);
    this.expected[ticket] = applyChange(this.expected[ticket]!, change);
  }

  private propose(side: Side, ticket: string, field: (typeof FIELDS)[number], n: number): Change | undefined {
    const now = this.shown[side][ticket]!;
    const at = { side, ticket };
    if (field !== 'labels' && field !== 'assignees' && field !== 'comments' && this.touched.has(`${side} ${ticket} ${field}`)) return undefined;
    switch (field) {
      case 'title':
        return { ...at, field, value: `Title ${n}, set in the ${side === 'file' ? 'ticket file' : 'issue'}` };
      case 'description':
        return { ...at, field, value: `Description ${n}, written in the ${side === 'file' ? 'ticket file' : 'issue'}.` };
      case 'status': {
        const choices = this.statuses(side, ticket, now.status);
        return choices.length === 0 ? undefined : { ...at, field, value: this.random.pick(choices) };
      }
      case 'priority':
        return { ...at, field, value: this.random.pick(PRIORITIES.filter((p) => p !== now.priority)) };
      case 'labels':
      case 'assignees': {
        const value = this.random.pick(field === 'labels' ? LABELS : ASSIGNEES);
        if (this.touched.has(`${side} ${ticket} ${field} ${value}`)) return undefined;
        return { ...at, field, op: now[field].includes(value) ? 'remove' : 'add', value };
      }
      case 'comments':
        return side === 'file'
          ? { ...at, field, id: `c-${n}`, author: FILE_AUTHOR, body: `Comment ${n}, made in the ticket file.` }
          : { ...at, field, id: '', author: GITHUB_PERSON, body: `Comment ${n}, made on GitHub.` };
    }
  }

  /** The statuses `side` can set now (the status it shows is `now`, the batch's first for this side). */
  private statuses(side: Side, ticket: string, now: Status): Status[] {
    const other: Side = side === 'file' ? 'github' : 'file';
    const otherWroteOpen = this.touched.has(`${other} ${ticket} status`) && OPEN_FAMILY.includes(this.shown[other][ticket]!.status);
    const possible: readonly Status[] =
      side === 'file' ? STATUSES : CLOSED.includes(now) ? ['reopened'] : ['in_progress', 'blocked', 'review', 'done', 'cancelled'];
    return possible.filter((s) => s !== now && s !== this.start[ticket]!.status && !(otherWroteOpen && OPEN_FAMILY.includes(s)));
  }
}
