/**
 * What the chaos soak must end in, from its script alone: each ticket holding
 * the newest value anyone wrote, field by field (a label or an assignee is a
 * field of its own: the last add or remove of it stands), and every comment
 * anyone made, once, in the order they were made. No side, no timing, no
 * fault enters into it.
 */
import type { Change, Script } from './script.js';

export const STATUSES = ['open', 'in_progress', 'blocked', 'review', 'done', 'cancelled', 'reopened'] as const;
export type Status = (typeof STATUSES)[number];
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A ticket as the soak compares it: its synced fields, sets sorted, comments in the order they were made. */
export interface TicketState {
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  labels: string[];
  assignees: string[];
  comments: { author: string; body: string }[];
}

/** A ticket as the script's first push writes it (`ticket()` in test/support/app.ts). */
export function initialState(id: string): TicketState {
  return { title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium', labels: [], assignees: [], comments: [] };
}

/** `state` after `change`, whichever side made it: the newest write stands. */
export function applyChange(state: TicketState, change: Change): TicketState {
  switch (change.field) {
    case 'title':
    case 'description':
      return { ...state, [change.field]: change.value };
    case 'status':
      return { ...state, status: change.value };
    case 'priority':
      return { ...state, priority: change.value };
    case 'labels':
    case 'assignees': {
      const rest = state[change.field].filter((x) => x !== change.value);
      return { ...state, [change.field]: (change.op === 'add' ? [...rest, change.value] : rest).sort() };
    }
    case 'comments':
      return { ...state, comments: [...state.comments, { author: change.author, body: change.body }] };
  }
}

/** Every ticket of the script as it must end, by id. */
export function expectedState(script: Script): Record<string, TicketState> {
  return expectedAfterEachBatch(script).at(-1)!;
}

/** Every ticket as it must be once the App has synced each batch: [0] after the first push, [i] after batch i. */
export function expectedAfterEachBatch(script: Script): Record<string, TicketState>[] {
  const states = [Object.fromEntries(script.tickets.map((id) => [id, initialState(id)]))];
  for (const batch of script.batches) {
    const state = { ...states.at(-1)! };
    for (const change of batch.changes) state[change.ticket] = applyChange(state[change.ticket]!, change);
    states.push(state);
  }
  return states;
}
