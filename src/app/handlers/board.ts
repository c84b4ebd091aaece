/**
 * `projects_v2_item` edited: a person moved a card on the project board.
 * An item the App put there (its issue is known in the state store) gets a
 * job for its repository: the ticket's status follows the column, as any
 * person's change does (last writer wins, logged). Other items, other
 * fields and the App's own moves (echoes) cost nothing.
 */
import type { Probot } from 'probot';
import { boardItem } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import type { Intake } from '../intake.js';
import { ProjectItemEvent } from '../payloads.js';

export function handleBoard(app: Probot, intake: Intake, state: StateStore): void {
  app.on('projects_v2_item.edited', async (context) => {
    const event = intake.read(context, ProjectItemEvent);
    const change = event?.changes?.field_value;
    if (!event || change?.field_type !== 'single_select' || !change.to?.name) return;
    const known = await boardItem.get(state, '*', String(event.projects_v2_item.id));
    if (known === undefined) return;
    const reason = `#${known.issue} moved to "${change.to.name}" on the project board by @${event.sender.login}`;
    await intake.accept(context, {
      scope: known.repo.toLowerCase(),
      targets: [{ installation: event.installation.id, repo: known.repo }],
      sender: event.sender.login,
      work: {
        kind: 'event',
        reason,
        writer: event.sender.login,
        board: [{ issue: known.issue, column: change.to.name, at: event.projects_v2_item.updated_at, writer: event.sender.login, ...(change.field_name !== undefined ? { field: change.field_name } : {}) }],
      },
    });
  });
}
