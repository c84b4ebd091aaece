/**
 * Pull request reviews: submitting (`POST …/pulls/{n}/reviews`), listing
 * (oldest first: "The list of reviews returns in chronological order", the
 * `pulls/list-reviews` description), reading one, and dismissing
 * (`PUT …/reviews/{id}/dismissals`). Each submitted review sends
 * `pull_request_review` `submitted`, each dismissal `dismissed`
 * (docs.github.com/webhooks/webhook-events-and-payloads#pull_request_review).
 *
 * GitHub's answers, as clients have recorded them:
 * - `event` APPROVE / REQUEST_CHANGES / COMMENT makes an APPROVED /
 *   CHANGES_REQUESTED / COMMENTED review; no `event` leaves it PENDING: not
 *   submitted, no `submitted_at`, no webhook, seen by its author only (the
 *   `pulls/create-review` description). One pending review per person.
 * - 422 `{"message":"Unprocessable Entity","errors":["Can not approve your own
 *   pull request"]}` (hubtty/hubtty#33), and "Can not request changes on your
 *   own pull request" (GitHub's wording, dear-github/dear-github#332); a
 *   comment on one's own pull request is allowed.
 * - "**Required** when using `REQUEST_CHANGES` or `COMMENT`" (the `body`
 *   description): 422 "You need to leave a comment indicating the requested
 *   changes." (hubtty/hubtty#67). GitHub's COMMENT wording is not on record;
 *   the same message is used (hubtty/hubtty#128 records that both 422).
 * - Dismissing "changes the status of the review to a review comment"
 *   (docs: "Dismissing a pull request review"): the state becomes DISMISSED;
 *   422 "Can not dismiss a dismissed pull request review"
 *   (mheap/github-action-required-labels#6), and the same for a commented one
 *   (only approvals and change requests can be dismissed, MorrisonCole/pr-lint-action#161).
 *
 * A review's state in webhooks is lower case (`approved`, `changes_requested`,
 * `commented`, `dismissed`: `webhooks_review`); REST's is upper case.
 * Not emulated: review comments on lines (`comments`), submitting a pending
 * review (`POST …/reviews/{id}/events`), editing and deleting reviews.
 */
import type { Emulator } from '../emulator.js';
import { resolveCommit } from '../git/services.js';
import { HttpError, ok, paginate, type RequestContext } from '../http.js';
import { authorAssociation } from '../issues/shapes.js';
import { nodeId, userJson } from '../shapes.js';
import type { Repo, User } from '../state.js';
import { findPull } from './services.js';
import { pullRequestSimpleJson, type PullIssue } from './shapes.js';

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
export type ReviewState = 'PENDING' | 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface Review {
  id: number;
  number: number;
  user: User;
  body: string;
  state: ReviewState;
  commit_id: string;
  submitted_at: string | null;
}

const STATE: Record<ReviewEvent, ReviewState> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

const reviewsByRepo = new WeakMap<Repo, Map<number, Review>>();

function reviewsOf(repo: Repo): Map<number, Review> {
  let reviews = reviewsByRepo.get(repo);
  if (!reviews) reviewsByRepo.set(repo, (reviews = new Map()));
  return reviews;
}

/** A pull request's reviews, oldest first; pending ones only for their author (`viewer`). */
export function listReviews(repo: Repo, number: number, viewer?: User): Review[] {
  return [...reviewsOf(repo).values()].filter((r) => r.number === number && (r.state !== 'PENDING' || r.user.id === viewer?.id));
}

const unprocessable = (error: string) => new HttpError(422, 'Unprocessable Entity', { errors: [error] });

// ---- shapes ----

export function reviewJson(emu: Emulator, repo: Repo, review: Review) {
  const u = emu.urls;
  const html = `${u.html}/${repo.fullName}/pull/${review.number}#pullrequestreview-${review.id}`;
  const pullUrl = `${u.api}/repos/${repo.fullName}/pulls/${review.number}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: userJson(u, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.submitted_at === null ? {} : { submitted_at: review.submitted_at }),
    commit_id: review.commit_id,
    author_association: authorAssociation(repo, review.user),
  };
}

/** `webhooks_review`: the state in lower case, an empty body as null. */
function reviewWebhookJson(emu: Emulator, repo: Repo, review: Review) {
  return { ...reviewJson(emu, repo, review), state: review.state.toLowerCase(), body: review.body === '' ? null : review.body, submitted_at: review.submitted_at };
}

function emitReview(emu: Emulator, repo: Repo, sender: User, action: 'submitted' | 'dismissed', pr: PullIssue, review: Review): void {
  emu.emitRepoEvent(repo, 'pull_request_review', sender, {
    action,
    review: reviewWebhookJson(emu, repo, review),
    pull_request: pullRequestSimpleJson(emu, repo, pr),
  });
}

// ---- services ----

export interface ReviewInput {
  /** No event: a pending review. */
  event?: ReviewEvent;
  body?: string;
  /** The head sha when omitted. */
  commit_id?: string;
}

/** Review a pull request as `sender` (see the file's comment for GitHub's refusals): `pull_request_review.submitted`. */
export function submitReview(emu: Emulator, repo: Repo, sender: User, number: number, input: ReviewInput): Review {
  const pr = findPull(repo, number);
  const own = pr.user.id === sender.id;
  if (input.event === 'APPROVE' && own) throw unprocessable('Can not approve your own pull request');
  if (input.event === 'REQUEST_CHANGES' && own) throw unprocessable('Can not request changes on your own pull request');
  if ((input.event === 'REQUEST_CHANGES' || input.event === 'COMMENT') && !input.body?.trim()) {
    throw unprocessable('You need to leave a comment indicating the requested changes.');
  }
  if (input.event === undefined && listReviews(repo, number, sender).some((r) => r.state === 'PENDING' && r.user.id === sender.id)) {
    throw unprocessable('User can only have one pending review per pull request');
  }
  const commit = input.commit_id === undefined ? pr.pull.head.sha : resolveCommit(emu, repo, input.commit_id);
  if (commit === undefined) throw unprocessable(`No commit found for SHA: ${input.commit_id}`);
  const review: Review = {
    id: emu.world.id(),
    number,
    user: sender,
    body: input.body ?? '',
    state: input.event === undefined ? 'PENDING' : STATE[input.event],
    commit_id: commit,
    submitted_at: input.event === undefined ? null : emu.clock.iso(),
  };
  reviewsOf(repo).set(review.id, review);
  if (review.state !== 'PENDING') emitReview(emu, repo, sender, 'submitted', pr, review);
  return review;
}

function reviewOf(repo: Repo, number: number, id: number, viewer: User): Review {
  findPull(repo, number);
  const review = reviewsOf(repo).get(id);
  if (!review || review.number !== number || (review.state === 'PENDING' && review.user.id !== viewer.id)) throw new HttpError(404, 'Not Found');
  return review;
}

/**
 * Dismiss an approval or a change request: DISMISSED, `pull_request_review.dismissed`.
 * GitHub adds `message` to the conversation; nothing here shows it.
 */
export function dismissReview(emu: Emulator, repo: Repo, sender: User, number: number, id: number, _message: string): Review {
  const pr = findPull(repo, number);
  const review = reviewOf(repo, number, id, sender);
  if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') {
    throw unprocessable(`Can not dismiss a ${review.state.toLowerCase()} pull request review`);
  }
  review.state = 'DISMISSED';
  emitReview(emu, repo, sender, 'dismissed', pr, review);
  return review;
}

// ---- routes ----

function requireWrite(emu: Emulator, ctx: RequestContext): void {
  if (ctx.actor.kind !== 'installation') return;
  const granted = emu.world.app.permissions.pull_requests;
  if (granted !== 'write' && granted !== 'admin') throw new HttpError(403, 'Resource not accessible by integration');
}

export function reviewRoutes(emu: Emulator): void {
  const number = (ctx: RequestContext) => Number(ctx.params.pull_number);

  emu.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const repo = ctx.repo();
    findPull(repo, number(ctx));
    return paginate(ctx, listReviews(repo, number(ctx), ctx.actor.user).map((r) => reviewJson(emu, repo, r)));
  });

  emu.route('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const repo = ctx.repo();
    requireWrite(emu, ctx);
    const body = (ctx.body ?? {}) as ReviewInput & { comments?: unknown[] };
    if (body.comments?.length) throw new HttpError(501, 'the emulator does not implement review comments');
    const review = submitReview(emu, repo, ctx.actor.user, number(ctx), { event: body.event, body: body.body, commit_id: body.commit_id });
    return ok(reviewJson(emu, repo, review));
  });

  emu.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (ctx) => {
    const repo = ctx.repo();
    return ok(reviewJson(emu, repo, reviewOf(repo, number(ctx), Number(ctx.params.review_id), ctx.actor.user)));
  });

  emu.route('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals', (ctx) => {
    const repo = ctx.repo();
    requireWrite(emu, ctx);
    const body = ctx.body as { message: string };
    return ok(reviewJson(emu, repo, dismissReview(emu, repo, ctx.actor.user, number(ctx), Number(ctx.params.review_id), body.message)));
  });
}
