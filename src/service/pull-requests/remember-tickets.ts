/**
 * The ticket index a run leaves for the App's pull-request filter: every
 * ticket id with its issue, and the pull-request settings, so that an event
 * of a pull request that links nothing is dropped without a request.
 * Written only when it changed.
 */
import type { Config } from '../../config/schema.js';
import { pullRequestsOf } from '../../config/pull-requests.js';
import { ticketIndex } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import type { TicketIndex } from '../../sync/pull-requests/links-of-pull.js';
import { sameValue } from '../../sync/view.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';

export async function rememberTickets(state: StateStore, repo: string, tickets: readonly LoadedTicket[], config: Config): Promise<void> {
  const settings = pullRequestsOf(config);
  const ids: Record<string, number> = {};
  for (const { ticket } of tickets) ids[ticket.id] = ticket.github?.issue ?? (await state.getLink(repo, ticket.id)) ?? 0;
  const statuses = Object.fromEntries(tickets.map(({ ticket }) => [ticket.id, ticket.status]));
  const index: TicketIndex = { ids, statuses, ...(settings === undefined ? { off: true } : {}), ...(settings?.idPattern !== undefined ? { idPattern: settings.idPattern.source } : {}) };
  if (!sameValue(await ticketIndex.get(state, repo), index)) await ticketIndex.set(state, repo, index);
}
