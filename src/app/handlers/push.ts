/**
 * `push` to the default branch: only the ticket files the push changed are
 * synced (their paths from the payload's commits, or from a comparison when
 * the payload may be cut short), and the pushed commit gets the check run.
 */
import type { Probot } from 'probot';
import { changedPathsOfPush } from '../../github/push-changes.js';
import type { Intake } from '../intake.js';
import type { PushedCommits } from '../jobs.js';
import { PushEvent } from '../payloads.js';

export function handlePush(app: Probot, intake: Intake): void {
  app.on('push', async (context) => {
    const event = intake.read(context, PushEvent);
    if (!event) return;
    const { ref, repository, installation, sender, before, after, deleted, forced, head_commit } = event;
    if (deleted || ref !== `refs/heads/${repository.default_branch}`) return;
    const paths = changedPathsOfPush(event);
    const push: PushedCommits = {
      before,
      after,
      forced,
      paths: paths === 'needs compare' ? 'compare' : (paths ?? null),
      ...(head_commit?.tree_id ? { tree: head_commit.tree_id } : {}),
    };
    await intake.accept(context, {
      scope: repository.full_name.toLowerCase(),
      targets: [{ installation: installation.id, repo: repository.full_name, branch: repository.default_branch }],
      ...(sender ? { sender: sender.login } : {}),
      work: {
        kind: 'event',
        reason: `push ${after.slice(0, 7)} by @${sender?.login ?? event.pusher.name}`,
        ...(sender ? { writer: sender.login } : {}),
        pushes: [push],
      },
    });
  });
}
