/**
 * Each row of the transitions table, end to end: a pull request's life moves
 * its linked tickets — in the ticket file, on the issue — as one commit per
 * event naming the ticket, old → new status and the cause, and one log entry
 * per side written by `pull_request`.
 */
import { describe, expect, it } from 'vitest';
import { reopenPullRequest } from '../../emulator/pulls/services.js';
import { CONFIG, linkedRepo } from './support.js';

describe('a pull request moves the tickets it links', () => {
  it('opened as a draft: in progress, in the file, on the issue and in the log, as one commit', async () => {
    const app = await linkedRepo();
    const before = app.commits().length;
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit', draft: true });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
    expect(app.statusLabel('TSK-0001')).toEqual(['status: in progress']);
    expect(app.statusOf('TSK-0002')).toBe('open');
    const commits = app.commits();
    expect(commits).toHaveLength(before + 1);
    expect(commits[0]!.message).toBe(`ticket-sync: TSK-0001 status open → in_progress (PR #${pr.number} opened by @ada)`);
    const log = (await app.state.readLog('acme/app', { ticket: 'TSK-0001' })).filter((e) => e.field === 'status');
    // The issue's write is remembered at once, the file's once its commit lands.
    expect(log).toEqual([
      expect.objectContaining({ side: 'github', writer: 'pull_request', cause: `PR #${pr.number} opened by @ada`, before: 'open', after: 'in_progress' }),
      expect.objectContaining({ side: 'local', writer: 'pull_request', cause: `PR #${pr.number} opened by @ada`, before: 'open', after: 'in_progress' }),
    ]);
  });

  it('marked ready: review; converted back to draft: in progress again', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit', draft: true });
    await app.step();
    app.ada.markReady(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
    expect(app.statusLabel('TSK-0001')).toEqual(['status: review']);
    expect(app.commits()[0]!.message).toBe(`ticket-sync: TSK-0001 status in_progress → review (PR #${pr.number} ready for review by @ada)`);
    app.ada.convertToDraft(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
  });

  it('opened ready: review at once', async () => {
    const app = await linkedRepo();
    app.openPull(app.ada, { branch: 'login', title: 'TSK-0002: Login rate limit' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('review');
  });

  it('a review requesting changes: in progress; an approval after it: review', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    const grace = app.github.as('grace').in('acme/app');
    grace.review(pr.number, 'REQUEST_CHANGES', 'Needs tests.');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
    grace.review(pr.number, 'APPROVE');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
  });

  it('merged into the default branch: done, and the issue closed as completed', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    app.github.as('grace').in('acme/app').merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('done');
    expect(app.issueOf('TSK-0001')).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const log = (await app.state.readLog('acme/app', { ticket: 'TSK-0001' })).filter((e) => e.field === 'status').at(-1);
    expect(log).toMatchObject({ writer: 'pull_request', cause: `PR #${pr.number} merged by @grace`, after: 'done' });
  });

  it('closed without merging: the status from before the link comes back', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0003-x', title: 'Try something', draft: true });
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('in_progress');
    app.ada.closePullRequest(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('open');
    expect(app.issueOf('TSK-0003').state).toBe('open');
  });

  it('reopened (ready) after closing without merge: review again', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0003-x', title: 'Try something' });
    await app.step();
    app.ada.closePullRequest(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('open');
    reopenPullRequest(app.github, app.repo, app.github.world.user('ada'), pr.number);
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('review');
  });

  it('moves nothing with pullRequests: false, and a transition set to false is off', async () => {
    const app = await linkedRepo({ files: { [CONFIG]: 'pullRequests: false\n' } });
    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login', draft: true });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('open');
    app.person.push({ [CONFIG]: 'pullRequests:\n  transitions:\n    draft: false\n' });
    await app.step();
    app.openPull(app.ada, { branch: 'feature/TSK-0002-x', title: 'X', draft: true });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('open');
  });

  it('a referencing link moves with the pull request, but its merge never sets done', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'login', title: 'Login rate limit', body: 'Part of TSK-0002.' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('review');
    app.ada.merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('review');
  });
});
