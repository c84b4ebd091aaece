/**
 * A linked pull request's `ticket-sync` check run on its head: the tickets
 * it links and what merging will do, and the failing checks that moved
 * them back: what the pull request stands for, not what its last event did. Neutral; one per head
 * commit, edited in place when what it says changes, never one per event.
 */
import { createHash } from 'node:crypto';
import { completeCheckRun, createCheckRun, type ChecksOctokit } from '../github/checks.js';
import type { RepoRef } from '../github/types.js';
import type { PullPlanner } from '../service/pull-requests/pull-planner.js';
import { followedPulls } from '../store/records.js';
import type { StateStore } from '../store/types.js';
import { CHECK_NAME } from './verdict.js';

type Planned = ReturnType<PullPlanner['plans']>[number];

/** The check run's title and summary. */
export function pullCheckOutput({ plan, work, issues }: Planned): { title: string; summary: string } {
  const issue = (ticket: string) => (issues.get(ticket) ? ` (#${issues.get(ticket)})` : '');
  const closing = plan.outlook.filter((l) => l.kind === 'closing');
  const lines = plan.outlook.map((l) =>
    l.kind === 'closing' ? `- **${l.ticket}**${issue(l.ticket)} → ${l.moves ?? 'unchanged'} on merge` : l.kind === 'referencing' ? `- ${l.ticket}${issue(l.ticket)} referenced only: merging leaves its status` : `- ${l.ticket}${issue(l.ticket)} skipped`,
  );
  const failed = plan.phase === 'ciFailed' && work.read.ci ? work.read.ci.failed : [];
  const linked = plan.outlook.filter((l) => l.kind !== 'skipped').length;
  const title =
    linked === 0
      ? 'No tickets linked'
      : closing.length > 0
        ? `${closing.map((l) => `${l.ticket} → ${l.moves ?? 'unchanged'} on merge`).slice(0, 3).join('; ')}${closing.length > 3 ? ` and ${closing.length - 3} more` : ''}`
        : `${linked} ticket${linked === 1 ? '' : 's'} referenced`;
  const summary = [
    lines.length > 0 ? '### Linked tickets' : 'This pull request links no tickets now.',
    ...lines,
    ...(failed.length > 0 ? ['', '### Failing checks', `Linked tickets moved back to work: ${failed.map((f) => `\`${f}\``).join(', ')} failed on ${work.read.pull.head.sha.slice(0, 7)}.`] : []),
  ].join('\n');
  return { title, summary };
}

/** Write the check run on the pull request's head when what it says changed; remember it with the followed pull request. */
export async function reportPull(octokit: ChecksOctokit, repo: RepoRef, state: StateStore, planned: Planned): Promise<void> {
  const repoName = `${repo.owner}/${repo.name}`;
  const head = planned.work.read.pull.head.sha;
  const output = pullCheckOutput(planned);
  const digest = createHash('sha256').update(`${output.title}\n${output.summary}`).digest('base64url');
  const known = planned.plan.record.check;
  if (known?.sha === head && known.digest === digest) return;
  let id: number;
  if (known?.sha === head) {
    id = known.id;
    await completeCheckRun(octokit, repo, id, { conclusion: 'neutral', ...output });
  } else id = await createCheckRun(octokit, repo, { head_sha: head, name: CHECK_NAME, conclusion: 'neutral', ...output });
  const followed = (await followedPulls.get(state, repoName)) ?? {};
  const number = String(planned.plan.record.number);
  if (followed[number]) await followedPulls.set(state, repoName, { ...followed, [number]: { ...followed[number], check: { sha: head, id, digest } } });
}
