/** People's card moves as a sync's planner: which tickets move, to what, as whose write. */
import { describe, expect, it } from 'vitest';
import { ticket } from '../../../test/support/mapping.js';
import { projectOf } from '../../config/pull-requests.js';
import { Config } from '../../config/schema.js';
import { openStateStore } from '../../store/keyv-store.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import { boardPlanner } from './board-planner.js';

const project = projectOf(Config.parse({ project: { owner: 'acme', number: 1 } }))!;
const loaded = (id: string, status: 'open' | 'blocked', issue: number) => ({ ticket: { ...ticket({ status }, id), github: { issue, url: `https://github.com/acme/app/issues/${issue}` } }, files: [`${id}.json`] }) as unknown as LoadedTicket;

describe('card moves on the project board', () => {
  it('move a ticket to the first status its new column stands for, as the mover\'s write', async () => {
    const state = await openStateStore('memory:');
    const planner = boardPlanner({ repo: 'acme/app', project, state, moves: [{ issue: 7, column: 'In Progress', at: '2026-12-02T10:00:00Z', writer: 'grace', field: 'Status' }] });
    const plan = await planner.plan([loaded('T-1', 'open', 7)]);
    expect(plan.transitions.get('T-1')).toEqual({ to: 'in_progress', at: '2026-12-02T10:00:00Z', writer: 'grace', cause: 'moved to "In Progress" on project acme/1 by @grace' });
  });

  it('move nothing for a column the ticket\'s status already shows, another field, or an unknown column', async () => {
    const state = await openStateStore('memory:');
    const moves = [
      { issue: 7, column: 'In Progress', at: '2026-12-02T10:00:00Z', writer: 'grace', field: 'Status' },
      { issue: 8, column: 'Done', at: '2026-12-02T10:00:00Z', writer: 'grace', field: 'Priority' },
      { issue: 9, column: 'Someday', at: '2026-12-02T10:00:00Z', writer: 'grace', field: 'Status' },
    ];
    const plan = await boardPlanner({ repo: 'acme/app', project, state, moves }).plan([loaded('T-1', 'blocked', 7), loaded('T-2', 'open', 8), loaded('T-3', 'open', 9)]);
    expect(plan.transitions.size).toBe(0);
    expect(plan.only.size).toBe(0);
  });
});
