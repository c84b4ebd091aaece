import { describe, expect, it } from 'vitest';
import { commitFiles, moveBranch, seedFiles } from '../git/services.js';
import { useEmulator } from '../testing.js';
import { closePullRequest, completeCheck, createCheckRun, openPullRequest, updateCheckRun } from './services.js';

const owner = 'acme';
const repoName = 'app';

describe('required status checks and the checks an app reads', () => {
  it('lists a branch\'s required status check contexts from its ruleset, for an existing branch or not, and none once the rule is removed', async () => {
    const { github, app } = await useEmulator();
    const admin = github.as('acme').in('acme/app');
    expect((await app.rest.repos.getBranchRules({ owner, repo: repoName, branch: 'main' })).data).toEqual([]);

    admin.requireChecks('main', ['ticket-sync', 'ci/build']);
    admin.requireChecks('release/1.0', ['ci/build']);
    const rules = await app.rest.repos.getBranchRules({ owner, repo: repoName, branch: 'main' });
    expect(rules.data).toEqual([
      expect.objectContaining({
        type: 'required_status_checks',
        parameters: { required_status_checks: [{ context: 'ticket-sync' }, { context: 'ci/build' }], strict_required_status_checks_policy: false },
        ruleset_source_type: 'Repository',
        ruleset_source: 'acme/app',
        ruleset_id: expect.any(Number),
      }),
    ]);
    const release = await app.rest.repos.getBranchRules({ owner, repo: repoName, branch: 'release/1.0' });
    expect(release.data).toMatchObject([{ parameters: { required_status_checks: [{ context: 'ci/build' }] } }]);

    admin.requireChecks('main', []);
    expect((await app.rest.repos.getBranchRules({ owner, repo: repoName, branch: 'main' })).data).toEqual([]);
  });

  it('lists check runs by check_name, the latest of each name by default and every one with filter=all', async () => {
    const { github, repo, app } = await useEmulator();
    const head = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const bot = github.world.app.bot;
    const first = createCheckRun(github, repo, github.world.app, bot, { name: 'ticket-sync', head_sha: head.sha, conclusion: 'failure' });
    const second = createCheckRun(github, repo, github.world.app, bot, { name: 'ticket-sync', head_sha: head.sha, status: 'in_progress' });
    updateCheckRun(github, repo, bot, second, { conclusion: 'success' });
    completeCheck(github, repo, { sha: head.sha, name: 'build', conclusion: 'success' });

    const latest = await app.rest.checks.listForRef({ owner, repo: repoName, ref: 'main' });
    expect(latest.data.check_runs.map((r) => [r.name, r.id])).toEqual(expect.arrayContaining([['ticket-sync', second.id], ['build', expect.any(Number)]]));
    expect(latest.data.total_count).toBe(2);
    const byName = await app.rest.checks.listForRef({ owner, repo: repoName, ref: head.sha, check_name: 'ticket-sync' });
    expect(byName.data.check_runs.map((r) => r.id)).toEqual([second.id]);
    const all = await app.rest.checks.listForRef({ owner, repo: repoName, ref: head.sha, check_name: 'ticket-sync', filter: 'all' });
    expect(all.data.check_runs.map((r) => [r.id, r.conclusion])).toEqual([[second.id, 'success'], [first.id, 'failure']]);
  });
});

describe('pull requests associated with a commit', () => {
  it('lists the open pull request of a commit not on the default branch, then only the merged one once it is merged', async () => {
    const { github, repo, app, person } = await useEmulator();
    const octocat = github.world.user('octocat');
    const base = seedFiles(github, repo, { 'a.txt': 'a\n' });
    const commit = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });
    commitFiles(github, repo, octocat, { branch: 'other', files: { 'c.txt': 'c\n' }, message: 'Add c' });
    const other = openPullRequest(github, repo, octocat, { head: 'other', title: 'Add c' });
    // A closed, unmerged pull request with the same commit is not listed.
    moveBranch(github, repo, octocat, 'duplicate', commit.sha);
    const duplicate = openPullRequest(github, repo, octocat, { head: 'duplicate', title: 'Add b again' });
    closePullRequest(github, repo, octocat, duplicate.number);

    const open = await app.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo: repoName, commit_sha: commit.sha });
    expect(open.data.map((p) => [p.number, p.state])).toEqual([[pr.number, 'open']]);
    const byBranch = await app.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo: repoName, commit_sha: 'other' });
    expect(byBranch.data.map((p) => p.number)).toEqual([other.number]);
    expect((await app.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo: repoName, commit_sha: base.sha })).data).toEqual([]);

    const merged = await person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number });
    for (const sha of [commit.sha, merged.data.sha]) {
      const after = await app.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo: repoName, commit_sha: sha });
      expect(after.data.map((p) => [p.number, p.state, p.merged_at !== null])).toEqual([[pr.number, 'closed', true]]);
    }
    const unknown = app.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo: repoName, commit_sha: 'f'.repeat(40) });
    await expect(unknown).rejects.toMatchObject({ status: 422 });
  });
});
