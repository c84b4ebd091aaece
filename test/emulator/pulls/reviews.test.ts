import { describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator.js';
import { commitFiles, seedFiles } from '../git/services.js';
import { useEmulator, webhookReceiver } from '../testing.js';
import { openPullRequest } from './services.js';

const owner = 'acme';
const repoName = 'app';
const SECRET = 'reviews-secret';

/** Deliver webhooks, `pull_request_review` included (an app subscribes to it with pull_requests access). */
async function receive(github: Emulator) {
  github.world.app.events.push('pull_request_review');
  const hooks = await webhookReceiver(SECRET);
  github.webhooks.target = { url: hooks.url, secret: SECRET };
  // Send what the setup queued before there was a target.
  github.webhooks.release();
  return hooks;
}

async function withPullRequest() {
  const setup = await useEmulator();
  const { github, repo } = setup;
  const octocat = github.world.user('octocat');
  seedFiles(github, repo, { 'a.txt': 'a\n' });
  const head = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
  const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });
  return { ...setup, pr, head };
}

describe('pull request reviews', () => {
  it('submits an approval, a change request and a comment over REST, lists them oldest first and sends pull_request_review.submitted for each', async () => {
    const { github, person, pr, head } = await withPullRequest();
    const hooks = await receive(github);

    const approved = await person('hubot').rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, event: 'APPROVE' });
    expect(approved.status).toBe(200);
    expect(approved.data).toMatchObject({ state: 'APPROVED', body: '', user: { login: 'hubot' }, commit_id: head.sha });
    expect(approved.data.submitted_at).toEqual(expect.any(String));
    await person('monalisa').rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, event: 'REQUEST_CHANGES', body: 'Rename b.' });
    await person('octocat').rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, event: 'COMMENT', body: 'Will do.' });

    const firstPage = await person().rest.pulls.listReviews({ owner, repo: repoName, pull_number: pr.number, per_page: 2 });
    expect(firstPage.data.map((r) => [r.user?.login, r.state])).toEqual([
      ['hubot', 'APPROVED'],
      ['monalisa', 'CHANGES_REQUESTED'],
    ]);
    expect(firstPage.headers.link).toContain('rel="next"');
    const secondPage = await person().rest.pulls.listReviews({ owner, repo: repoName, pull_number: pr.number, per_page: 2, page: 2 });
    expect(secondPage.data.map((r) => [r.user?.login, r.state, r.body])).toEqual([['octocat', 'COMMENTED', 'Will do.']]);

    await github.settle();
    await hooks.close();
    const reviews = hooks.received.filter((h) => h.event === 'pull_request_review');
    expect(reviews.every((h) => h.signatureValid)).toBe(true);
    expect(reviews.map((h) => [h.payload.action, h.payload.review.state, h.payload.sender.login])).toEqual([
      ['submitted', 'approved', 'hubot'],
      ['submitted', 'changes_requested', 'monalisa'],
      ['submitted', 'commented', 'octocat'],
    ]);
    expect(reviews[0]!.payload).toMatchObject({ review: { id: approved.data.id, body: null, commit_id: head.sha }, pull_request: { number: pr.number } });
    github.assertContract();
  });

  it('refuses an approval or a change request on one\'s own pull request and a change request or comment without a body, with 422s', async () => {
    const { github, person, pr } = await withPullRequest();
    const hooks = await receive(github);
    const review = (login: string, event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT', body?: string) =>
      person(login).rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, event, ...(body === undefined ? {} : { body }) });

    await expect(review('octocat', 'APPROVE')).rejects.toMatchObject({ status: 422, response: { data: { errors: ['Can not approve your own pull request'] } } });
    await expect(review('octocat', 'REQUEST_CHANGES', 'No.')).rejects.toMatchObject({ status: 422, response: { data: { errors: ['Can not request changes on your own pull request'] } } });
    await expect(review('hubot', 'REQUEST_CHANGES')).rejects.toMatchObject({ status: 422 });
    await expect(review('hubot', 'COMMENT', ' ')).rejects.toMatchObject({ status: 422 });
    await expect(review('octocat', 'COMMENT', 'A note to self.')).resolves.toMatchObject({ data: { state: 'COMMENTED' } });

    await github.settle();
    await hooks.close();
    expect(hooks.received.filter((h) => h.event === 'pull_request_review').map((h) => h.payload.review.state)).toEqual(['commented']);
  });

  it('dismisses an approval, sending pull_request_review.dismissed, and refuses to dismiss it again or to dismiss a comment', async () => {
    const { github, repo, person, pr } = await withPullRequest();
    const hooks = await receive(github);
    const hubot = github.as('hubot').in('acme/app');
    const approval = hubot.review(pr.number, 'APPROVE');
    const comment = hubot.review(pr.number, 'COMMENT', 'Nice.');

    const dismissed = await person().rest.pulls.dismissReview({ owner, repo: repoName, pull_number: pr.number, review_id: approval.id, message: 'Outdated' });
    expect(dismissed.data).toMatchObject({ id: approval.id, state: 'DISMISSED', user: { login: 'hubot' } });
    const again = person().rest.pulls.dismissReview({ owner, repo: repoName, pull_number: pr.number, review_id: approval.id, message: 'Again' });
    await expect(again).rejects.toMatchObject({ status: 422, response: { data: { errors: ['Can not dismiss a dismissed pull request review'] } } });
    expect(() => github.as('octocat').in('acme/app').dismissReview(pr.number, comment.id, 'No')).toThrow(/Unprocessable Entity/);
    const missing = person().rest.pulls.dismissReview({ owner, repo: repoName, pull_number: pr.number, review_id: 999_999, message: 'x' });
    await expect(missing).rejects.toMatchObject({ status: 404 });
    expect((await person().rest.pulls.getReview({ owner, repo: repoName, pull_number: pr.number, review_id: approval.id })).data.state).toBe('DISMISSED');
    expect(repo.issues.get(pr.number)!.state).toBe('open');

    await github.settle();
    await hooks.close();
    expect(hooks.received.filter((h) => h.event === 'pull_request_review').map((h) => `${h.payload.action} ${h.payload.review.state}`)).toEqual([
      'submitted approved',
      'submitted commented',
      'dismissed dismissed',
    ]);
    expect(hooks.received.at(-1)!.payload.sender.login).toBe('octocat');
    github.assertContract();
  });

  it('keeps a review without an event pending: no webhook, seen by its author only', async () => {
    const { github, person, pr } = await withPullRequest();
    const hooks = await receive(github);
    const pending = await person('hubot').rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, body: 'Draft thoughts' });
    expect(pending.data.state).toBe('PENDING');
    expect(pending.data).not.toHaveProperty('submitted_at');
    expect((await person('hubot').rest.pulls.listReviews({ owner, repo: repoName, pull_number: pr.number })).data).toHaveLength(1);
    expect((await person('octocat').rest.pulls.listReviews({ owner, repo: repoName, pull_number: pr.number })).data).toEqual([]);
    await expect(person('hubot').rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number })).rejects.toMatchObject({ status: 422 });

    await github.settle();
    await hooks.close();
    expect(hooks.received.filter((h) => h.event === 'pull_request_review')).toEqual([]);
  });

  it('does not let an app with pull_requests: read review a pull request', async () => {
    const { app, pr } = await withPullRequest();
    const attempt = app.rest.pulls.createReview({ owner, repo: repoName, pull_number: pr.number, event: 'APPROVE' });
    await expect(attempt).rejects.toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
  });
});
