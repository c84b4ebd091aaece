import { describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator.js';
import { commitFiles, seedFiles } from '../git/services.js';
import { createIssue, closeIssue } from '../issues/services.js';
import { useEmulator, webhookReceiver, type ReceivedWebhook } from '../testing.js';
import { closingReferences } from './closing.js';
import { openPullRequest } from './services.js';

const owner = 'acme';
const repoName = 'app';
const SECRET = 'closing-secret';

async function receive(github: Emulator) {
  const hooks = await webhookReceiver(SECRET);
  github.webhooks.target = { url: hooks.url, secret: SECRET };
  return hooks;
}

const summary = (hooks: ReceivedWebhook[]) =>
  hooks
    .filter((h) => ['push', 'pull_request', 'issues'].includes(h.event))
    .map((h) => [h.event, h.payload.action, h.payload.issue?.number ?? h.payload.pull_request?.number].filter((x) => x !== undefined).join(' '));

async function setup() {
  const emu = await useEmulator();
  const { github, repo } = emu;
  const hooks = await receive(github);
  const octocat = github.world.user('octocat');
  seedFiles(github, repo, { 'a.txt': 'a\n' });
  for (let n = 1; n <= 6; n++) createIssue(github, repo, octocat, { title: `Issue ${n}` });
  return { ...emu, hooks, octocat };
}

describe('closing keywords', () => {
  it('reads close/fix/resolve in any tense and case, with a colon, as #N, owner/repo#N of this repository or the issue URL, one reference per keyword', async () => {
    const { github, repo } = await useEmulator();
    const text = [
      'Fixes #1, #2 and CLOSES: #3.',
      'resolved acme/APP#4; fixes other/repo#5',
      `Resolve ${github.rootUrl}/acme/app/issues/6`,
      'hotfix #7, prefix#8 close #9x, closes #1 again',
    ].join('\n');
    expect(closingReferences(github, repo, text)).toEqual([1, 3, 4, 6]);
  });

  it('closes the issues a merged pull request\'s description names, as the merger, after the push and pull_request.closed, and leaves closed ones as they are', async () => {
    const { github, repo, person, hooks, octocat } = await setup();
    closeIssue(github, repo, octocat, 3, 'not_planned');
    const closedAt = repo.issues.get(3)!.closed_at;
    commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b', body: `Fixes #1\nresolves: acme/app#3\nCloses ${github.rootUrl}/acme/app/issues/4\nRefs #5` });

    const merged = await person('hubot').rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number });
    expect(repo.issues.get(1)).toMatchObject({ state: 'closed', state_reason: 'completed', closed_by: { login: 'hubot' } });
    expect(repo.issues.get(4)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(repo.issues.get(3)).toMatchObject({ state: 'closed', state_reason: 'not_planned', closed_at: closedAt });
    expect(repo.issues.get(5)!.state).toBe('open');

    const events = await person().rest.issues.listEvents({ owner, repo: repoName, issue_number: 1 });
    expect(events.data.map((e) => [e.event, e.actor?.login, e.commit_id])).toEqual([['closed', 'hubot', null]]);

    await github.settle();
    await hooks.close();
    const fromMerge = summary(hooks.received).slice(summary(hooks.received).lastIndexOf('push'));
    expect(fromMerge).toEqual(['push', `pull_request closed ${pr.number}`, 'issues closed 1', 'issues closed 4']);
    const closed = hooks.received.filter((h) => h.event === 'issues' && h.payload.action === 'closed' && h.payload.sender.login === 'hubot');
    expect(closed.map((h) => [h.payload.issue.number, h.payload.issue.state_reason])).toEqual([[1, 'completed'], [4, 'completed']]);
    expect(hooks.received.find((h) => h.event === 'push' && h.payload.after === merged.data.sha)).toBeDefined();
    github.assertContract();
  });

  it('closes what the messages of the merged commits name, after pull_request.closed, with the closing commit in the closed event, and a title only through the merge commit that carries it', async () => {
    const { github, repo, person, hooks, octocat } = await setup();
    const fixing = commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b\n\nFixes #2' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b, fixes #6' });
    await person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number, commit_title: 'Merge b', commit_message: 'Adds b' });
    expect(repo.issues.get(2)!.state).toBe('closed');
    expect(repo.issues.get(6)!.state).toBe('open');
    const events = await person().rest.issues.listEvents({ owner, repo: repoName, issue_number: 2 });
    expect(events.data.at(-1)).toMatchObject({ event: 'closed', commit_id: fixing.sha, commit_url: `${github.apiUrl}/repos/acme/app/commits/${fixing.sha}` });

    // GitHub's default merge message carries the title, and with it the keyword.
    commitFiles(github, repo, octocat, { branch: 'second', files: { 'c.txt': 'c\n' }, message: 'Add c' });
    const second = openPullRequest(github, repo, octocat, { head: 'second', title: 'Add c, fixes #6' });
    const merged = await person().rest.pulls.merge({ owner, repo: repoName, pull_number: second.number });
    expect(repo.issues.get(6)).toMatchObject({ state: 'closed', events: [expect.objectContaining({ event: 'closed', commit_id: merged.data.sha })] });

    await github.settle();
    await hooks.close();
    expect(summary(hooks.received).slice(-8)).toEqual([
      'push',
      `pull_request closed ${pr.number}`,
      'issues closed 2',
      'push',
      `pull_request opened ${second.number}`,
      'push',
      `pull_request closed ${second.number}`,
      'issues closed 6',
    ]);
  });

  it('closes nothing for a merge into another branch, and closes by commit message when those commits reach the default branch', async () => {
    const { github, repo, person, hooks, octocat } = await setup();
    commitFiles(github, repo, octocat, { branch: 'release', files: { 'r.txt': 'r\n' }, message: 'Start release' });
    commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b, closes #2', baseBranch: 'release' });
    const pr = openPullRequest(github, repo, octocat, { head: 'feature', base: 'release', title: 'Add b', body: 'Closes #1' });
    await person().rest.pulls.merge({ owner, repo: repoName, pull_number: pr.number });
    expect([...repo.issues.values()].filter((i) => !i.pull && i.state === 'closed')).toEqual([]);

    await person('hubot').rest.repos.merge({ owner, repo: repoName, base: 'main', head: 'release' });
    expect(repo.issues.get(2)).toMatchObject({ state: 'closed', closed_by: { login: 'hubot' } });
    expect(repo.issues.get(1)!.state).toBe('open');
    await github.settle();
    await hooks.close();
    expect(summary(hooks.received).filter((s) => s.startsWith('issues closed'))).toEqual(['issues closed 2']);
  });

  it('closes a pull request the description names, without merging it', async () => {
    const { github, repo, person, hooks, octocat } = await setup();
    commitFiles(github, repo, octocat, { branch: 'old', files: { 'b.txt': 'old\n' }, message: 'Old attempt' });
    const old = openPullRequest(github, repo, octocat, { head: 'old', title: 'Old attempt' });
    commitFiles(github, repo, octocat, { branch: 'new', files: { 'c.txt': 'new\n' }, message: 'New attempt' });
    const replacement = openPullRequest(github, repo, octocat, { head: 'new', title: 'New attempt', body: `Closes #${old.number}` });
    await person().rest.pulls.merge({ owner, repo: repoName, pull_number: replacement.number });
    expect(repo.issues.get(old.number)).toMatchObject({ state: 'closed', pull: { merged: false } });
    await github.settle();
    await hooks.close();
    expect(summary(hooks.received).slice(-2)).toEqual([`pull_request closed ${replacement.number}`, `pull_request closed ${old.number}`]);
  });
});
