/**
 * Cards people moved on the project board, as a sync's planner: each moved
 * issue's ticket takes the status its new column stands for (the first
 * status whose columns name it), as that person's write at the time of the
 * move; a column the ticket's status already shows (a blocked ticket in "In
 * Progress") moves nothing. Once synced, the App's record of the item says
 * the new column, so the board is not written again.
 */
import type { ProjectSettings } from '../../config/pull-requests.js';
import { boardField, boardItems } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import type { Transition } from '../../sync/pull-requests/transition.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { TicketPlanner } from '../repo-sync.js';
import { statusOfColumn } from './sync-board.js';

export interface BoardMoveWork {
  issue: number;
  column: string;
  at: string;
  writer: string;
  /** The field that changed; another single-select field of the project moves nothing. */
  field?: string;
}

export function boardPlanner(o: { repo: string; project: ProjectSettings; state: StateStore; moves: readonly BoardMoveWork[] }): TicketPlanner {
  const key = `${o.project.owner}/${o.project.number}`;
  /** The moved issues whose tickets follow their card (the others go back to their ticket's column). */
  let following = new Set<number>();
  return {
    async plan(tickets: readonly LoadedTicket[]) {
      const only = new Set<string>();
      const transitions = new Map<string, Transition>();
      following = new Set();
      for (const move of o.moves) {
        if (move.field !== undefined && move.field.toLowerCase() !== o.project.field.toLowerCase()) continue;
        const to = statusOfColumn(o.project, move.column);
        const id = tickets.find((t) => t.ticket.github?.issue === move.issue)?.ticket.id ?? (await o.state.ticketForIssue(o.repo, move.issue));
        const ticket = tickets.find((t) => t.ticket.id === id)?.ticket;
        if (to === undefined || ticket === undefined) continue;
        if (o.project.columns[ticket.status].some((c) => c.toLowerCase() === move.column.toLowerCase())) continue;
        only.add(ticket.id);
        following.add(move.issue);
        transitions.set(ticket.id, { to, at: move.at, writer: move.writer, cause: `moved to "${move.column}" on project ${key} by @${move.writer}` });
      }
      return { only, transitions };
    },
    async settle(_report, pending: StateStore) {
      const field = await boardField.get(o.state, o.repo, key);
      const items = { ...((await boardItems.get(o.state, o.repo, key)) ?? {}) };
      for (const move of o.moves) {
        const option = field?.options.find((opt) => opt.name.toLowerCase() === move.column.toLowerCase());
        const known = items[String(move.issue)];
        if (option && known && following.has(move.issue)) items[String(move.issue)] = { ...known, option: option.id };
      }
      await boardItems.set(pending, o.repo, key, items);
    },
  };
}

/** Two planners as one: both add their tickets; where both move a ticket, the later move wins. */
export function bothPlanners(a: TicketPlanner | undefined, b: TicketPlanner | undefined): TicketPlanner | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return {
    async plan(tickets) {
      const [x, y] = [await a.plan(tickets), await b.plan(tickets)];
      const transitions = new Map(x.transitions);
      for (const [id, move] of y.transitions) if (!transitions.has(id) || Date.parse(move.at) >= Date.parse(transitions.get(id)!.at)) transitions.set(id, move);
      return { only: new Set([...x.only, ...y.only]), transitions };
    },
    async settle(report, pending) {
      await a.settle(report, pending);
      await b.settle(report, pending);
    },
  };
}
