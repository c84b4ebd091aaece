/**
 * `pull_request` and `pull_request_review` events: a pull request that links
 * tickets (or did, or reverts one that closed some) gets a job that moves
 * them. Whether it links any is decided from the payload and the state
 * store's ticket index alone: an unlinked pull request costs no request.
 */
import type { Probot } from 'probot';
import type { z } from 'zod';
import { followedPulls, ticketIndex } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import { linksOfPull, revertedPull } from '../../sync/pull-requests/links-of-pull.js';
import type { Intake } from '../intake.js';
import { PullRequestEvent, PullRequestReviewEvent } from '../payloads.js';

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.edited',
  'pull_request.closed',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.converted_to_draft',
  'pull_request.synchronize',
] as const;

export const REVIEW_EVENTS = ['pull_request_review.submitted', 'pull_request_review.dismissed'] as const;

/** An action as a cause's words: `PR #34 ready for review by @ada`. */
const WORDS: Readonly<Record<string, string>> = {
  opened: 'opened',
  edited: 'edited',
  reopened: 'reopened',
  ready_for_review: 'ready for review',
  converted_to_draft: 'converted to draft',
  synchronize: 'pushed to',
  submitted: 'reviewed',
  dismissed: 'review dismissed',
};

export function handlePullRequests(app: Probot, intake: Intake, state: StateStore): void {
  const accept = async (context: Parameters<Intake['accept']>[0], event: z.infer<typeof PullRequestEvent>, review: boolean, at: string) => {
    const { repository, installation, sender, pull_request: pr } = event;
    const repo = repository.full_name;
    const index = await ticketIndex.get(state, repo);
    if (index === undefined || index.off) return;
    const followed = (await followedPulls.get(state, repo)) ?? {};
    const linked = linksOfPull({ title: pr.title, body: pr.body ?? null, branch: pr.head.ref }, { repo, htmlBase: htmlBaseOf(repository), index });
    const reverts = revertedPull({ title: pr.title, body: pr.body ?? null }, repo, htmlBaseOf(repository));
    const interesting = linked.closing.length + linked.referencing.length > 0 || followed[String(pr.number)] !== undefined || (reverts !== undefined && followed[String(reverts)]?.merged === true);
    if (!interesting) return;
    const merged = event.action === 'closed' && pr.merged === true;
    const words = event.action === 'closed' ? (merged ? 'merged' : 'closed') : (WORDS[event.action] ?? event.action);
    const reason = `PR #${pr.number} ${words} by @${sender.login}`;
    await intake.accept(context, {
      scope: repo.toLowerCase(),
      targets: [{ installation: installation.id, repo, ...(repository.default_branch ? { branch: repository.default_branch } : {}) }],
      sender: sender.login,
      work: { kind: 'event', reason, pulls: [{ number: pr.number, at, reason, review, ci: false }] },
    });
  };

  app.on([...PULL_REQUEST_EVENTS], async (context) => {
    const event = intake.read(context, PullRequestEvent);
    if (!event) return;
    const pr = event.pull_request;
    await accept(context, event, false, (event.action === 'closed' ? pr.merged_at : undefined) ?? pr.updated_at);
  });

  app.on([...REVIEW_EVENTS], async (context) => {
    const event = intake.read(context, PullRequestReviewEvent);
    if (!event) return;
    await accept(context, event, true, event.review.submitted_at ?? event.pull_request.updated_at);
  });
}

/** `https://github.com` from the repository's web address (`https://github.com/acme/app`). */
function htmlBaseOf(repository: { full_name: string; html_url?: string | undefined }): string {
  const url = repository.html_url ?? `https://github.com/${repository.full_name}`;
  return url.endsWith(`/${repository.full_name}`) ? url.slice(0, -repository.full_name.length - 1) : 'https://github.com';
}
