import { describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator.js';
import { seedFiles } from '../git/services.js';
import { useEmulator, webhookReceiver } from '../testing.js';
import { completeCheck } from './services.js';

const owner = 'acme';
const repoName = 'app';
const SECRET = 'forks-secret';

async function receive(github: Emulator) {
  github.world.app.events.push('workflow_run');
  github.world.app.permissions.actions = 'read';
  const hooks = await webhookReceiver(SECRET);
  github.webhooks.target = { url: hooks.url, secret: SECRET };
  return hooks;
}

describe('pull requests from forks', () => {
  it('opens a pull request whose head is a fork\'s branch, readable by sha in the base repository as refs/pull/N/head', async () => {
    const { github, repo, app } = await useEmulator();
    const hooks = await receive(github);
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const contributor = github.as('contrib').in('acme/app');
    const pr = contributor.openForkPullRequest({ fork: 'contrib', branch: 'patch', files: { 'b.txt': 'b\n' }, title: 'Add b', body: 'From my fork' });
    const headSha = pr.pull!.head.sha;

    const got = await app.rest.pulls.get({ owner, repo: repoName, pull_number: pr.number });
    expect(got.data).toMatchObject({
      user: { login: 'contrib' },
      head: { label: 'contrib:patch', ref: 'patch', sha: headSha, user: { login: 'contrib' }, repo: { full_name: 'contrib/app', fork: true } },
      base: { label: 'acme:main', ref: 'main', sha: base.sha, repo: { full_name: 'acme/app', fork: false } },
      commits: 1,
      changed_files: 1,
      mergeable: true,
    });
    expect(github.world.repo('contrib/app')).toMatchObject({ parent: repo });
    const ref = await app.rest.git.getRef({ owner, repo: repoName, ref: `pull/${pr.number}/head` });
    expect(ref.data.object.sha).toBe(headSha);
    const compare = await app.rest.repos.compareCommitsWithBasehead({ owner, repo: repoName, basehead: `main...${headSha}` });
    expect(compare.data).toMatchObject({ status: 'ahead', ahead_by: 1, files: [expect.objectContaining({ filename: 'b.txt' })] });
    const commit = await app.rest.repos.getCommit({ owner, repo: repoName, ref: headSha });
    expect(commit.data.commit.message).toBe('Update b.txt');
    // A base branch of the same name is another branch.
    expect(repo.git.refs.has('refs/heads/patch')).toBe(false);
    const listed = await app.rest.pulls.list({ owner, repo: repoName, head: 'contrib:patch' });
    expect(listed.data.map((p) => p.number)).toEqual([pr.number]);
    expect((await app.rest.pulls.list({ owner, repo: repoName, head: 'acme:patch' })).data).toEqual([]);

    await github.settle();
    await hooks.close();
    const opened = hooks.received.filter((h) => h.event === 'pull_request');
    expect(opened.map((h) => h.payload.action)).toEqual(['opened']);
    expect(opened[0]!.payload.pull_request.head).toMatchObject({ label: 'contrib:patch', repo: { full_name: 'contrib/app', fork: true } });
    // Pushes to the fork are not the base repository's: no push webhook reaches the app.
    expect(hooks.received.filter((h) => h.event === 'push')).toEqual([]);
    github.assertContract();
  });

  it('runs CI for a fork\'s head in the base repository with empty pull_requests arrays, as GitHub lists only same-repository heads', async () => {
    const { github, repo, app } = await useEmulator();
    const hooks = await receive(github);
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const pr = github.as('contrib').in('acme/app').openForkPullRequest({ fork: 'contrib', branch: 'patch', files: { 'b.txt': 'b\n' }, title: 'Add b' });
    const headSha = pr.pull!.head.sha;

    const run = completeCheck(github, repo, { sha: headSha, name: 'build', conclusion: 'success' });
    expect(repo.checkRuns.get(run.id)).toBeDefined();
    const runs = await app.rest.checks.listForRef({ owner, repo: repoName, ref: headSha });
    expect(runs.data.check_runs).toEqual([expect.objectContaining({ name: 'build', conclusion: 'success', pull_requests: [] })]);
    expect(runs.data.check_runs[0]!.check_suite).toMatchObject({ head_branch: 'patch' });

    await github.settle();
    await hooks.close();
    const checkHooks = hooks.received.filter((h) => ['check_run', 'check_suite', 'workflow_run'].includes(h.event));
    expect(checkHooks.map((h) => `${h.event}.${h.payload.action}`)).toEqual([
      'workflow_run.requested',
      'check_run.created',
      'workflow_run.in_progress',
      'check_run.completed',
      'check_suite.completed',
      'workflow_run.completed',
    ]);
    for (const h of checkHooks) {
      const body = h.payload.check_run ?? h.payload.check_suite ?? h.payload.workflow_run;
      expect(body.pull_requests).toEqual([]);
    }
    expect(checkHooks.at(-1)!.payload.workflow_run).toMatchObject({ event: 'pull_request', head_sha: headSha, head_repository: { full_name: 'contrib/app' }, repository: { full_name: 'acme/app' } });
    github.assertContract();
  });

  it('moves the head when the fork is pushed to (synchronize), and merges like any pull request', async () => {
    const { github, repo, person } = await useEmulator();
    const hooks = await receive(github);
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const contributor = github.as('contrib').in('acme/app');
    const pr = contributor.openForkPullRequest({ fork: 'contrib', branch: 'patch', files: { 'b.txt': 'b\n' }, title: 'Add b' });
    const first = pr.pull!.head.sha;
    const second = contributor.pushToFork(pr.number, { 'b.txt': 'bb\n' });
    expect(pr.pull!.head.sha).toBe(second.sha);
    expect(repo.git.refs.get(`refs/pull/${pr.number}/head`)).toBe(second.sha);

    const merged = await person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number, sha: second.sha });
    const commit = github.world.commit(repo, merged.data.sha)!;
    expect(commit.parents).toEqual([base.sha, second.sha]);
    expect(commit.message).toBe(`Merge pull request #${pr.number} from contrib/patch\n\nAdd b`);
    expect(github.world.files(repo, commit.tree).has('b.txt')).toBe(true);
    expect(pr).toMatchObject({ state: 'closed', pull: { merged: true, merge_commit_sha: merged.data.sha } });

    await github.settle();
    await hooks.close();
    const events = hooks.received.filter((h) => h.event === 'pull_request' || h.event === 'push');
    expect(events.map((h) => [h.event, h.payload.action].filter(Boolean).join('.'))).toEqual(['pull_request.opened', 'pull_request.synchronize', 'push', 'pull_request.closed']);
    expect(events[1]!.payload).toMatchObject({ before: first, after: second.sha, sender: { login: 'contrib' }, pull_request: { head: { sha: second.sha, repo: { full_name: 'contrib/app' } } } });
    expect(events[3]!.payload.pull_request).toMatchObject({ merged: true, head: { label: 'contrib:patch' } });
    github.assertContract();
  });

  it('opens a fork pull request over REST from head owner:branch', async () => {
    const { github, repo, person } = await useEmulator();
    seedFiles(github, repo, { 'a.txt': 'a\n' });
    const contributor = github.as('contrib').in('acme/app');
    contributor.openForkPullRequest({ fork: 'contrib', branch: 'one', files: { 'b.txt': 'b\n' }, title: 'One' });
    github.as('contrib').in('contrib/app').push({ 'c.txt': 'c\n' }, { branch: 'two' });

    const created = await person('contrib').rest.pulls.create({ owner, repo: repoName, head: 'contrib:two', base: 'main', title: 'Two' });
    expect(created.data).toMatchObject({ number: 2, head: { label: 'contrib:two', repo: { full_name: 'contrib/app' } } });
    const again = person('contrib').rest.pulls.create({ owner, repo: repoName, head: 'contrib:two', base: 'main', title: 'Two again' });
    await expect(again).rejects.toMatchObject({ status: 422 });
    const stranger = person('contrib').rest.pulls.create({ owner, repo: repoName, head: 'nobody:two', base: 'main', title: 'Nope' });
    await expect(stranger).rejects.toMatchObject({ status: 422 });
  });
});
