/**
 * `issues` and `issue_comment` events: the issue changed on GitHub, so the
 * repository's tickets are synced (a person's edit is written back into the
 * ticket file). A comment event also names the issue whose comments to read
 * again, since a comment edit need not move the issue's update time.
 */
import type { Probot } from 'probot';
import type { z } from 'zod';
import { recordEdit } from '../../service/steps/github-side.js';
import type { StateStore } from '../../store/types.js';
import type { Intake } from '../intake.js';
import { IssueEvent } from '../payloads.js';

export const ISSUE_EVENTS = [
  'issues.opened',
  'issues.edited',
  'issues.closed',
  'issues.reopened',
  'issues.labeled',
  'issues.unlabeled',
  'issues.assigned',
  'issues.unassigned',
  'issues.deleted',
  'issue_comment.created',
  'issue_comment.edited',
  'issue_comment.deleted',
] as const;

export function handleIssueEvents(app: Probot, intake: Intake, state: StateStore): void {
  app.on([...ISSUE_EVENTS], async (context) => {
    const event = intake.read(context, IssueEvent);
    if (!event) return;
    const { repository, installation, sender, issue } = event;
    const comment = context.name === 'issue_comment';
    if (!comment) await recordEdits(state, event);
    await intake.accept(context, {
      scope: repository.full_name.toLowerCase(),
      targets: [{ installation: installation.id, repo: repository.full_name, ...(repository.default_branch ? { branch: repository.default_branch } : {}) }],
      sender: sender.login,
      work: {
        kind: 'event',
        reason: `#${issue.number} ${comment ? `comment ${event.action}` : event.action} by @${sender.login}`,
        writer: sender.login,
        ...(comment ? { refreshComments: [issue.number] } : {}),
      },
    });
  });
}

/**
 * An edit's `changes` say when the title or body changed, which neither the
 * issue's time (any comment moves it) nor its events (none for a body edit)
 * can: kept for the merge to weigh that field by its own time.
 */
async function recordEdits(state: StateStore, event: z.infer<typeof IssueEvent>): Promise<void> {
  const { action, changes, issue, sender, repository } = event;
  if (action !== 'edited' || !changes || issue.updated_at === undefined) return;
  const at = issue.updated_at;
  if (changes.title && issue.title !== undefined) await recordEdit(state, repository.full_name, issue.number, 'title', { writer: sender.login, at, text: issue.title });
  if (changes.body) await recordEdit(state, repository.full_name, issue.number, 'body', { writer: sender.login, at, text: issue.body ?? '' });
}
