import { describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator.js';
import { commitFiles, moveBranch, seedFiles } from '../git/services.js';
import { useEmulator, webhookReceiver, type ReceivedWebhook } from '../testing.js';
import { completeCheck, convertToDraft, markReadyForReview, openPullRequest, setCommitStatus } from './services.js';

const owner = 'acme';
const repoName = 'app';
const SECRET = 'pulls-secret';

/** Deliver webhooks to a receiver that checks signatures; closed after the test by the caller's `await hooks.close()`. */
async function receive(github: Emulator) {
  const hooks = await webhookReceiver(SECRET);
  github.webhooks.target = { url: hooks.url, secret: SECRET };
  return hooks;
}

const summary = (hooks: ReceivedWebhook[], events: string[]) =>
  hooks.filter((h) => events.includes(h.event)).map((h) => [h.event, h.payload.action].filter(Boolean).join('.'));

describe('pull requests', () => {
  it('opens a draft, marks it ready and merges it into a merge commit with two parents, sending push before closed', async () => {
    const { github, repo, person } = await useEmulator();
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    const base = seedFiles(github, repo, { 'tickets/1.json': '{"title": "One"}\n' });
    const head = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'tickets/2.json': '{"title": "Two"}\n' }, message: 'Add ticket 2' });

    const opened = await person().rest.pulls.create({ owner, repo: repoName, head: 'feature', base: 'main', title: 'Ticket two', draft: true });
    expect(opened.status).toBe(201);
    expect(opened.data).toMatchObject({ number: 1, state: 'open', draft: true, mergeable_state: 'draft', commits: 1, changed_files: 1, head: { ref: 'feature', sha: head.sha } });

    markReadyForReview(github, repo, octocat, opened.data.number);
    const merged = await person().rest.pulls.merge({ owner, repo: repoName, pull_number: 1, sha: head.sha });
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });

    const tip = repo.git.refs.get('refs/heads/main')!;
    expect(tip).toBe(merged.data.sha);
    const commit = github.world.commit(repo, tip)!;
    expect(commit.parents).toEqual([base.sha, head.sha]);
    expect(commit.message).toBe('Merge pull request #1 from acme/feature\n\nTicket two');
    expect([...github.world.files(repo, commit.tree).keys()].sort()).toEqual(['tickets/1.json', 'tickets/2.json']);

    const after = await person().rest.pulls.get({ owner, repo: repoName, pull_number: 1 });
    expect(after.data).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: tip, merged_by: { login: 'octocat' }, mergeable: null });
    expect(after.data.merged_at).toEqual(expect.any(String));

    await github.settle();
    await hooks.close();
    expect(hooks.received.every((h) => h.signatureValid)).toBe(true);
    expect(summary(hooks.received, ['push', 'pull_request'])).toEqual([
      'push',
      'pull_request.opened',
      'pull_request.ready_for_review',
      'push',
      'pull_request.closed',
    ]);
    const [openedHook, readyHook, , closedHook] = hooks.received.filter((h) => h.event === 'pull_request' || (h.event === 'push' && h.payload.ref === 'refs/heads/main'));
    expect(openedHook!.payload.pull_request).toMatchObject({ draft: true, number: 1 });
    expect(readyHook!.payload.pull_request).toMatchObject({ draft: false });
    expect(hooks.received.filter((h) => h.event === 'push').map((h) => h.payload.after)).toEqual([head.sha, tip]);
    expect(closedHook!.payload).toMatchObject({ action: 'closed', number: 1, pull_request: { merged: true, merge_commit_sha: tip, state: 'closed' } });
    expect(closedHook!.payload.pull_request.merged_at).toEqual(expect.any(String));
  });

  it('closes a pull request without merging it, and reopens it', async () => {
    const { github, repo, person } = await useEmulator();
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'README.md': 'hello\n' });
    commitFiles(github, repo, octocat, { branch: 'fix', files: { 'README.md': 'hello, world\n' }, message: 'Fix greeting' });
    const pr = openPullRequest(github, repo, octocat, { head: 'fix', title: 'Fix greeting' });

    const closed = await person().rest.pulls.update({ owner, repo: repoName, pull_number: pr.number, state: 'closed', title: 'Fix the greeting' });
    expect(closed.data).toMatchObject({ state: 'closed', merged: false, title: 'Fix the greeting' });
    expect(closed.data.closed_at).toEqual(expect.any(String));
    const main = repo.git.refs.get('refs/heads/main');
    const reopened = await person().rest.pulls.update({ owner, repo: repoName, pull_number: pr.number, state: 'open' });
    expect(reopened.data).toMatchObject({ state: 'open', closed_at: null });
    expect(repo.git.refs.get('refs/heads/main')).toBe(main);

    await github.settle();
    await hooks.close();
    expect(summary(hooks.received, ['pull_request'])).toEqual(['pull_request.opened', 'pull_request.edited', 'pull_request.closed', 'pull_request.reopened']);
    const pulls = hooks.received.filter((h) => h.event === 'pull_request');
    expect(pulls[1]!.payload.changes).toEqual({ title: { from: 'Fix greeting' } });
    expect(pulls[2]!.payload.pull_request).toMatchObject({ merged: false, merged_at: null, state: 'closed' });
  });

  it('refuses to merge a draft with 405 and a moved head with 409, and leaves the base branch where it was', async () => {
    const { github, repo, person } = await useEmulator();
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const first = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b', draft: true });
    const main = repo.git.refs.get('refs/heads/main');

    const draft = person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number });
    await expect(draft).rejects.toMatchObject({ status: 405, response: { data: { message: 'Pull Request is still a draft' } } });

    markReadyForReview(github, repo, octocat, pr.number);
    const second = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'c.txt': 'c\n' }, message: 'Add c' });
    const stale = person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number, sha: first.sha });
    await expect(stale).rejects.toMatchObject({ status: 409, response: { data: { message: 'Head branch was modified. Review and try the merge again.' } } });
    expect(repo.git.refs.get('refs/heads/main')).toBe(main);

    convertToDraft(github, repo, octocat, pr.number);
    const current = await person().rest.pulls.get({ owner, repo: repoName, pull_number: pr.number });
    expect(current.data).toMatchObject({ draft: true, merged: false, commits: 2, head: { sha: second.sha } });
  });

  it('refuses to merge a pull request that conflicts with its base', async () => {
    const { github, repo, person } = await useEmulator();
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'tickets/1.json': '{"status": "open"}\n' });
    commitFiles(github, repo, octocat, { branch: 'feature', files: { 'tickets/1.json': '{"status": "review"}\n' }, message: 'Review' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Review' });
    commitFiles(github, repo, octocat, { branch: 'main', files: { 'tickets/1.json': '{"status": "done"}\n' }, message: 'Done' });

    const got = await person().rest.pulls.get({ owner, repo: repoName, pull_number: pr.number });
    expect(got.data).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    await expect(person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number })).rejects.toMatchObject({ status: 405 });
  });

  it('sends synchronize when the head branch moves, and marks the pull request merged when its head is pushed to the base', async () => {
    const { github, repo } = await useEmulator();
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const first = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });
    const second = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'bb\n' }, message: 'Edit b' });
    expect(pr.pull.head.sha).toBe(second.sha);

    // A fast-forward of main to the head, as `git push origin feature:main` makes it.
    moveBranch(github, repo, octocat, 'main', second.sha);
    expect(pr).toMatchObject({ state: 'closed', pull: { merged: true, merge_commit_sha: second.sha } });

    await github.settle();
    await hooks.close();
    expect(summary(hooks.received, ['push', 'pull_request'])).toEqual(['push', 'pull_request.opened', 'push', 'pull_request.synchronize', 'push', 'pull_request.closed']);
    const sync = hooks.received.find((h) => h.payload.action === 'synchronize')!;
    expect(sync.payload).toMatchObject({ before: first.sha, after: second.sha, pull_request: { head: { sha: second.sha } } });
  });

  it('lists pull requests by state, head and base with pagination, and among the issues with their pull_request links', async () => {
    const { github, repo, app, person } = await useEmulator();
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    for (const name of ['one', 'two', 'three']) {
      commitFiles(github, repo, octocat, { branch: name, files: { [`${name}.txt`]: `${name}\n` }, message: name });
      openPullRequest(github, repo, octocat, { head: name, title: `PR ${name}` });
    }
    await person().rest.pulls.update({ owner, repo: repoName, pull_number: 2, state: 'closed' });

    const open = await app.rest.pulls.list({ owner, repo: repoName });
    expect(open.data.map((p) => p.number)).toEqual([3, 1]);
    const all = await app.rest.pulls.list({ owner, repo: repoName, state: 'all', per_page: 2 });
    expect(all.data.map((p) => p.number)).toEqual([3, 2]);
    expect(all.headers.link).toContain('rel="next"');
    const byHead = await app.rest.pulls.list({ owner, repo: repoName, state: 'all', head: 'acme:two', base: 'main' });
    expect(byHead.data.map((p) => [p.number, p.state])).toEqual([[2, 'closed']]);
    const openByHead = await app.rest.pulls.list({ owner, repo: repoName, state: 'open', head: 'acme:two' });
    expect(openByHead.data).toEqual([]);
    const otherOwner = await app.rest.pulls.list({ owner, repo: repoName, state: 'all', head: 'octocat:two' });
    expect(otherOwner.data).toEqual([]);
    // GitHub ignores a `head` without its owner, and lists as if it were not given.
    const bare = await app.rest.pulls.list({ owner, repo: repoName, state: 'all', head: 'two' });
    expect(bare.data.map((p) => p.number)).toEqual([3, 2, 1]);

    const issues = await app.rest.issues.listForRepo({ owner, repo: repoName, state: 'all' });
    const listed = issues.data.find((i) => i.number === 1);
    expect(listed?.pull_request).toMatchObject({ url: `${github.apiUrl}/repos/acme/app/pulls/1`, merged_at: null });
  });

  it('announces labels, assignees and a close made through the issues API as pull_request events', async () => {
    const { github, repo, person } = await useEmulator();
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });

    await person().rest.issues.addLabels({ owner, repo: repoName, issue_number: pr.number, labels: ['in-review'] });
    await person().rest.issues.addAssignees({ owner, repo: repoName, issue_number: pr.number, assignees: ['octocat'] });
    await person().rest.issues.update({ owner, repo: repoName, issue_number: pr.number, state: 'closed' });
    const got = await person().rest.pulls.get({ owner, repo: repoName, pull_number: pr.number });
    expect(got.data).toMatchObject({ state: 'closed', merged: false, labels: [{ name: 'in-review' }], assignee: { login: 'octocat' } });

    await github.settle();
    await hooks.close();
    expect(summary(hooks.received, ['issues', 'pull_request'])).toEqual([
      'pull_request.opened',
      'pull_request.labeled',
      'pull_request.assigned',
      'pull_request.closed',
    ]);
    expect(hooks.received.find((h) => h.payload.action === 'labeled')!.payload.label).toMatchObject({ name: 'in-review' });
  });

  it('does not let an app with pull_requests: read open a pull request', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    commitFiles(github, repo, github.world.user('octocat'), { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'b' });
    const attempt = app.rest.pulls.create({ owner, repo: repoName, head: 'feature', base: 'main', title: 'b' });
    await expect(attempt).rejects.toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
    expect(repo.issues.size).toBe(0);
  });
});

describe('merging a branch (POST /merges)', () => {
  it('merges the default branch into a pull request\'s branch with a merge commit by the caller, sending push and synchronize', async () => {
    const { github, repo, app } = await useEmulator();
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'tickets/1.json': '{"v": 1}\n', 'tickets/2.json': '{"v": 1}\n' });
    const branch = commitFiles(github, repo, octocat, { branch: 'updates', files: { 'tickets/1.json': '{"v": 2}\n' }, message: 'Ticket 1' });
    const pr = openPullRequest(github, repo, octocat, { head: 'updates', title: 'Updates' });
    const main = commitFiles(github, repo, octocat, { branch: 'main', files: { 'tickets/2.json': '{"v": 2}\n' }, message: 'Ticket 2' });

    const merged = await app.rest.repos.merge({ owner, repo: repoName, base: 'updates', head: 'main' });
    expect(merged.status).toBe(201);
    expect(merged.data).toMatchObject({
      commit: { message: 'Merge main into updates', author: { name: 'ticket-sync[bot]' }, committer: { name: 'GitHub' } },
      author: { login: 'ticket-sync[bot]' },
      parents: [{ sha: branch.sha }, { sha: main.sha }],
    });
    expect(merged.data.files!.map((f) => `${f.status} ${f.filename}`)).toEqual(['modified tickets/2.json']);
    expect(repo.git.refs.get('refs/heads/updates')).toBe(merged.data.sha);
    expect(repo.git.refs.get('refs/heads/main')).toBe(main.sha);
    const tree = github.world.commit(repo, merged.data.sha)!.tree;
    const text = (path: string) => github.world.blob(repo, github.world.files(repo, tree).get(path)!)!.toString('utf8');
    expect([text('tickets/1.json'), text('tickets/2.json')]).toEqual(['{"v": 2}\n', '{"v": 2}\n']);
    expect(pr.pull.head.sha).toBe(merged.data.sha);

    await github.settle();
    await hooks.close();
    const pushes = hooks.received.filter((h) => h.event === 'push').map((h) => h.payload);
    expect(pushes.at(-1)).toMatchObject({ ref: 'refs/heads/updates', before: branch.sha, after: merged.data.sha, forced: false, sender: { login: 'ticket-sync[bot]' } });
    expect(summary(hooks.received, ['push', 'pull_request'])).toEqual(['push', 'pull_request.opened', 'push', 'push', 'pull_request.synchronize']);
  });

  it('answers 204 when the head is already in the base, and makes a merge commit even where a fast-forward would do', async () => {
    const { github, repo, app } = await useEmulator();
    const octocat = github.world.user('octocat');
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    commitFiles(github, repo, octocat, { branch: 'updates', files: { 'b.txt': 'b\n' }, message: 'b' });
    const before = repo.git.refs.get('refs/heads/updates');
    github.log.length = 0;

    const nothing = await app.rest.repos.merge({ owner, repo: repoName, base: 'updates', head: 'main' });
    expect(nothing.status).toBe(204);
    const same = await app.rest.repos.merge({ owner, repo: repoName, base: 'updates', head: before! });
    expect(same.status).toBe(204);
    expect(repo.git.refs.get('refs/heads/updates')).toBe(before);
    expect(github.log.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /app/installations/{installation_id}/access_tokens 201',
      'POST /repos/{owner}/{repo}/merges 204',
      'POST /repos/{owner}/{repo}/merges 204',
    ]);

    // main is behind updates: GitHub still records a merge commit, with a message of the caller's.
    const merged = await app.rest.repos.merge({ owner, repo: repoName, base: 'main', head: 'updates', commit_message: 'Bring in updates' });
    expect(merged.status).toBe(201);
    expect(merged.data.commit.message).toBe('Bring in updates');
    expect(merged.data.parents.map((p) => p.sha)).toEqual([base.sha, before]);
  });

  it('answers 409 to a merge conflict and 404 to a missing base or head, and moves nothing', async () => {
    const { github, repo, app, person } = await useEmulator();
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'tickets/1.json': '{"status": "open"}\n' });
    const branch = commitFiles(github, repo, octocat, { branch: 'updates', files: { 'tickets/1.json': '{"status": "review"}\n' }, message: 'Review' });
    const main = commitFiles(github, repo, octocat, { branch: 'main', files: { 'tickets/1.json': '{"status": "done"}\n' }, message: 'Done' });
    const pushes = github.webhooks.deliveries.filter((d) => d.event === 'push').length;

    const conflict = app.rest.repos.merge({ owner, repo: repoName, base: 'updates', head: 'main' });
    await expect(conflict).rejects.toMatchObject({ status: 409, response: { data: { message: 'Merge conflict' } } });
    const noBase = person().rest.repos.merge({ owner, repo: repoName, base: 'gone', head: 'main' });
    await expect(noBase).rejects.toMatchObject({ status: 404, response: { data: { message: 'Base does not exist' } } });
    const noHead = person().rest.repos.merge({ owner, repo: repoName, base: 'updates', head: 'gone' });
    await expect(noHead).rejects.toMatchObject({ status: 404, response: { data: { message: 'Head does not exist' } } });

    expect(repo.git.refs.get('refs/heads/updates')).toBe(branch.sha);
    expect(repo.git.refs.get('refs/heads/main')).toBe(main.sha);
    expect(github.webhooks.deliveries.filter((d) => d.event === 'push')).toHaveLength(pushes);
  });

  it('does not let an app without contents: write merge a branch', async () => {
    const { github, repo, app } = await useEmulator();
    github.world.app.permissions.contents = 'read';
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    commitFiles(github, repo, github.world.user('octocat'), { branch: 'updates', files: { 'b.txt': 'b\n' }, message: 'b' });
    const attempt = app.rest.repos.merge({ owner, repo: repoName, base: 'main', head: 'updates' });
    await expect(attempt).rejects.toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
  });
});

describe('checks', () => {
  it('keeps the annotations of a check run the app creates, appends more on update, and completes it', async () => {
    const { github, repo, app } = await useEmulator();
    const hooks = await receive(github);
    const head = seedFiles(github, repo, { 'tickets/1.json': '{"title": 1}\n' });
    const annotation = {
      path: 'tickets/1.json',
      start_line: 1,
      end_line: 1,
      start_column: 11,
      end_column: 12,
      annotation_level: 'failure' as const,
      title: 'Invalid ticket',
      message: 'title must be a string',
    };

    const created = await app.rest.checks.create({
      owner,
      repo: repoName,
      name: 'ticket-sync',
      head_sha: head.sha,
      status: 'in_progress',
      output: { title: 'Validating tickets', summary: '1 problem', annotations: [annotation] },
    });
    expect(created.data).toMatchObject({ status: 'in_progress', conclusion: null, output: { annotations_count: 1 }, app: { slug: 'ticket-sync' } });

    const second = { ...annotation, start_line: 2, end_line: 2, start_column: 1, end_column: 2, message: 'unexpected character' };
    const completed = await app.rest.checks.update({
      owner,
      repo: repoName,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: 'Invalid tickets', summary: '2 problems', annotations: [second] },
    });
    expect(completed.data).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid tickets', annotations_count: 2 } });

    const listed = await app.rest.checks.listAnnotations({ owner, repo: repoName, check_run_id: created.data.id });
    expect(listed.data).toEqual([
      expect.objectContaining({ ...annotation, raw_details: null, blob_href: `${github.rootUrl}/acme/app/blob/${head.sha}/tickets/1.json` }),
      expect.objectContaining({ path: 'tickets/1.json', start_line: 2, start_column: 1, end_column: 2, message: 'unexpected character' }),
    ]);
    const forRef = await app.rest.checks.listForRef({ owner, repo: repoName, ref: 'main' });
    expect(forRef.data.check_runs.map((r) => [r.id, r.conclusion])).toEqual([[created.data.id, 'failure']]);
    const suites = await app.rest.checks.listSuitesForRef({ owner, repo: repoName, ref: head.sha });
    expect(suites.data.check_suites).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure', latest_check_runs_count: 1 })]);
    const suite = await app.rest.checks.getSuite({ owner, repo: repoName, check_suite_id: suites.data.check_suites[0]!.id });
    expect(suite.data.app?.slug).toBe('ticket-sync');

    await github.settle();
    await hooks.close();
    expect(hooks.received.every((h) => h.signatureValid)).toBe(true);
    expect(summary(hooks.received, ['check_run', 'check_suite'])).toEqual(['check_run.created', 'check_run.completed', 'check_suite.completed']);
  });

  it('sends check_suite.requested to the app for a pushed commit, and puts the app check run made for it in that suite', async () => {
    const { github, repo, app } = await useEmulator();
    const hooks = await receive(github);
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const pushed = commitFiles(github, repo, github.world.user('octocat'), { branch: 'main', files: { 'a.txt': 'b\n' }, message: 'b' });
    await github.settle();
    const requested = hooks.received.find((h) => h.event === 'check_suite')!;
    expect(requested.payload).toMatchObject({ action: 'requested', check_suite: { head_sha: pushed.sha, head_branch: 'main', status: 'queued' } });

    const run = await app.rest.checks.create({ owner, repo: repoName, name: 'ticket-sync', head_sha: pushed.sha, conclusion: 'success' });
    expect(run.data.check_suite?.id).toBe(requested.payload.check_suite.id);
    await github.settle();
    await hooks.close();
    expect(summary(hooks.received, ['push', 'check_suite', 'check_run'])).toEqual([
      'push',
      'check_suite.requested',
      'check_run.created',
      'check_run.completed',
      'check_suite.completed',
    ]);
  });

  it('plays GitHub Actions in completeCheck: check_run, check_suite and workflow_run webhooks for a synthetic workflow', async () => {
    const { github, repo, app } = await useEmulator();
    // The app would need actions:read and the workflow_run event to hear about workflow runs.
    github.world.app.events.push('workflow_run');
    github.world.app.permissions.actions = 'read';
    const hooks = await receive(github);
    const octocat = github.world.user('octocat');
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const head = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });

    const run = completeCheck(github, repo, { sha: head.sha, name: 'build', conclusion: 'success', sender: octocat });
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', app: { slug: 'github-actions' } });

    const runs = await app.rest.checks.listForRef({ owner, repo: repoName, ref: 'feature' });
    expect(runs.data.check_runs).toEqual([
      expect.objectContaining({ name: 'build', conclusion: 'success', app: expect.objectContaining({ slug: 'github-actions' }), pull_requests: [expect.objectContaining({ number: pr.number })] }),
    ]);

    await github.settle();
    await hooks.close();
    expect(hooks.received.every((h) => h.signatureValid)).toBe(true);
    expect(summary(hooks.received, ['check_run', 'check_suite', 'workflow_run'])).toEqual([
      'check_suite.requested',
      'workflow_run.requested',
      'check_run.created',
      'workflow_run.in_progress',
      'check_run.completed',
      'check_suite.completed',
      'workflow_run.completed',
    ]);
    const done = hooks.received.filter((h) => h.event === 'workflow_run').at(-1)!;
    expect(done.payload).toMatchObject({
      workflow: { name: 'CI', path: '.github/workflows/ci.yml' },
      workflow_run: { status: 'completed', conclusion: 'success', head_sha: head.sha, head_branch: 'feature', event: 'pull_request', check_suite_id: run.suiteId },
      sender: { login: 'octocat' },
    });
    const suiteDone = hooks.received.find((h) => h.event === 'check_suite' && h.payload.action === 'completed')!;
    expect(suiteDone.payload.check_suite).toMatchObject({ conclusion: 'success', app: { slug: 'github-actions' } });
  });
});

describe('commit statuses', () => {
  it('combines the latest status of each context: pending, then failure, then success', async () => {
    const { github, repo, app, person } = await useEmulator();
    const hooks = await receive(github);
    const head = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const ci = github.world.user('ci-bot');

    const empty = await app.rest.repos.getCombinedStatusForRef({ owner, repo: repoName, ref: 'main' });
    expect(empty.data).toMatchObject({ state: 'pending', total_count: 0, sha: head.sha });

    setCommitStatus(github, repo, ci, { sha: head.sha, state: 'pending', context: 'ci/build' });
    const posted = await person().rest.repos.createCommitStatus({ owner, repo: repoName, sha: head.sha, state: 'failure', context: 'ci/lint', description: 'lint failed' });
    expect(posted.status).toBe(201);
    expect(posted.data).toMatchObject({ state: 'failure', context: 'ci/lint', creator: { login: 'octocat' } });
    expect((await app.rest.repos.getCombinedStatusForRef({ owner, repo: repoName, ref: head.sha })).data.state).toBe('failure');

    setCommitStatus(github, repo, ci, { sha: head.sha, state: 'success', context: 'ci/build' });
    setCommitStatus(github, repo, ci, { sha: head.sha, state: 'success', context: 'CI/Lint' });
    const combined = await app.rest.repos.getCombinedStatusForRef({ owner, repo: repoName, ref: 'main' });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 2 });
    expect(combined.data.statuses.map((s) => [s.context, s.state])).toEqual([
      ['CI/Lint', 'success'],
      ['ci/build', 'success'],
    ]);

    const all = await app.rest.repos.listCommitStatusesForRef({ owner, repo: repoName, ref: 'main' });
    expect(all.data.map((s) => s.state)).toEqual(['success', 'success', 'failure', 'pending']);

    await github.settle();
    await hooks.close();
    const statuses = hooks.received.filter((h) => h.event === 'status');
    expect(statuses.every((h) => h.signatureValid)).toBe(true);
    expect(statuses.map((h) => [h.payload.context, h.payload.state])).toEqual([
      ['ci/build', 'pending'],
      ['ci/lint', 'failure'],
      ['ci/build', 'success'],
      ['CI/Lint', 'success'],
    ]);
    expect(statuses[0]!.payload).toMatchObject({ sha: head.sha, name: 'acme/app', branches: [{ name: 'main', commit: { sha: head.sha } }] });
  });

  it('does not let an app with statuses: read set a commit status', async () => {
    const { github, repo, app } = await useEmulator();
    const head = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const attempt = app.rest.repos.createCommitStatus({ owner, repo: repoName, sha: head.sha, state: 'success' });
    await expect(attempt).rejects.toMatchObject({ status: 403 });
    expect(repo.statuses).toEqual([]);
  });
});
