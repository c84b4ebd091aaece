/**
 * CI signals are nudges: the App reads the pull request's current head and
 * the combined result of its checks, and decides from that — a failure on a
 * ready pull request moves its tickets back to work, a success after it
 * moves them to review again; a result for an older head, pending checks,
 * and a draft change nothing. A fork's head is found by its commit.
 */
import { describe, expect, it } from 'vitest';
import { findPull, setCommitStatus } from '../../emulator/pulls/services.js';
import { CONFIG, linkedRepo } from './support.js';

describe('checks on a pull request\'s head', () => {
  it('a failure on a ready pull request: in progress, and its check run names the failed checks; a later success: review', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
    const head = findPull(app.repo, pr.number).pull.head.sha;
    app.ada.completeCheck(head, 'build', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
    const log = (await app.state.readLog('acme/app', { ticket: 'TSK-0001' })).filter((e) => e.field === 'status').at(-1);
    expect(log).toMatchObject({ writer: 'pull_request', after: 'in_progress', cause: expect.stringMatching(new RegExp(`failed on ${head.slice(0, 7)}`)) });
    const runs = [...app.repo.checkRuns.values()].filter((r) => r.head_sha === head && r.name === 'ticket-sync');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.output?.summary).toContain('`build` failed');
    expect(runs[0]!.conclusion).toBe('neutral');

    app.ada.push({ 'src/fix.txt': 'fixed\n' }, { branch: 'feature/TSK-0001-login' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress'); // pending checks change nothing
    const fixed = findPull(app.repo, pr.number).pull.head.sha;
    app.ada.completeCheck(fixed, 'build', 'success');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
  });

  it('with ci.requiredOnly, only the checks the branch\'s rules require count', async () => {
    const app = await linkedRepo({ files: { [CONFIG]: 'ci:\n  requiredOnly: true\n' } });
    app.person.requireChecks('main', ['build']);
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    const head = findPull(app.repo, pr.number).pull.head.sha;
    app.ada.completeCheck(head, 'lint', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
    app.ada.completeCheck(head, 'build', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
  });

  it('ignores a result for an older head commit', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    const old = findPull(app.repo, pr.number).pull.head.sha;
    app.ada.push({ 'src/more.txt': 'more\n' }, { branch: 'feature/TSK-0001-login' });
    await app.step();
    app.ada.completeCheck(old, 'build', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
  });

  it('a failure on a draft changes nothing', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit', draft: true });
    await app.step();
    const commits = app.commits().length;
    app.ada.completeCheck(findPull(app.repo, pr.number).pull.head.sha, 'build', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
    expect(app.commits()).toHaveLength(commits);
  });

  it('finds a fork pull request by its head commit, its check events naming no pull request', async () => {
    const app = await linkedRepo();
    const pr = app.ada.openForkPullRequest({ fork: 'outsider', branch: 'fix-login', files: { 'src/login.txt': 'fix\n' }, title: 'TSK-0002: fix login' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('review');
    const head = findPull(app.repo, pr.number).pull.head.sha;
    app.ada.completeCheck(head, 'build', 'failure');
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('in_progress');
  });

  it('a failing commit status counts as a failing check', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    setCommitStatus(app.github, app.repo, app.github.world.user('ci-bot'), { sha: findPull(app.repo, pr.number).pull.head.sha, state: 'failure', context: 'ci/jenkins' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
  });
});
