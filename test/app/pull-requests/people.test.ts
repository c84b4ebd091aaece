/**
 * What automatic transitions leave alone, and how several pull requests and
 * GitHub's own close on merge come to one answer: a person's later status
 * stands, a blocked ticket stays blocked, the last merge decides, a revert
 * reopens, a skip word breaks a link, and merging into a branch that is not
 * a done-branch sets nothing.
 */
import { describe, expect, it } from 'vitest';
import { editPullRequest } from '../../emulator/pulls/services.js';
import { CONFIG, linkedRepo } from './support.js';

describe('what a pull request leaves to people', () => {
  it('keeps a status a person set after the pull request moved the ticket', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit', draft: true });
    await app.step();
    // Grace decides the ticket is not being worked on after all: open again on the issue.
    app.github.as('grace').in('acme/app').label(app.issueOf('TSK-0001').number, 'status: open');
    app.github.as('grace').in('acme/app').unlabel(app.issueOf('TSK-0001').number, 'status: in progress');
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('open');
    // A later event of the same phase (a push to the draft) asks nothing new.
    app.ada.push({ 'src/more.txt': 'more\n' }, { branch: 'feature/TSK-0001-login' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('open');
    // The pull request moving on does move it.
    app.ada.markReady(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
  });

  it('keeps a status a person set after the event, when the App hears of the event only later', async () => {
    const app = await linkedRepo();
    app.github.webhooks.hold();
    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    app.github.clock.advance(5_000);
    // Before the App has seen the pull request, Grace says on GitHub the ticket is still being worked on.
    const grace = app.github.as('grace').in('acme/app');
    grace.label(app.issueOf('TSK-0001').number, 'status: in progress');
    app.github.webhooks.release();
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('in_progress');
    expect(app.statusLabel('TSK-0001')).toEqual(['status: in progress']);
  });

  it('keeps a status a person set in the file after the event, when the App hears of the event only later', async () => {
    const app = await linkedRepo();
    app.github.webhooks.hold();
    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit', draft: true });
    app.github.clock.advance(5_000);
    const file = JSON.parse(app.fileOn('tickets/TSK-0001.json')!);
    app.person.push({ 'tickets/TSK-0001.json': JSON.stringify({ ...file, status: 'review', updated_at: app.github.clock.iso() }, null, 2) + '\n' });
    app.github.webhooks.release();
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
    expect(app.statusLabel('TSK-0001')).toEqual(['status: review']);
  });

  it('never moves a ticket out of blocked that a person set', async () => {
    const app = await linkedRepo();
    app.person.push({ 'tickets/TSK-0002.json': JSON.stringify({ ...JSON.parse(app.fileOn('tickets/TSK-0002.json')!), status: 'blocked' }, null, 2) + '\n' });
    await app.step();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0002', title: 'Work around the block' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('blocked');
    app.ada.merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('blocked');
  });

  it('two pull requests closing one ticket: the first merge leaves it, the last merge sets done', async () => {
    const app = await linkedRepo();
    const first = app.openPull(app.ada, { branch: 'part-one', title: 'Part one', body: 'Fixes TSK-0003' });
    const second = app.openPull(app.ada, { branch: 'part-two', title: 'Part two', body: 'Fixes TSK-0003' });
    await app.step();
    app.ada.merge(first.number);
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('review');
    app.ada.merge(second.number);
    await app.step();
    expect(app.statusOf('TSK-0003')).toBe('done');
  });

  it('a merged revert of a pull request that closed a ticket reopens it', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login rate limit' });
    await app.step();
    app.ada.merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('done');
    const revert = app.openPull(app.ada, { branch: `revert-${pr.number}-login`, title: 'Revert "Login rate limit"', body: `Reverts acme/app#${pr.number}` });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('done');
    app.ada.merge(revert.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('reopened');
    expect(app.issueOf('TSK-0001').state).toBe('open');
  });

  it('a skip word breaks the link the branch name makes', async () => {
    const app = await linkedRepo();
    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login', body: 'skip TSK-0001 — this only renames a file' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('open');
  });

  it('an edit that drops the link gives the ticket back its status from before', async () => {
    const app = await linkedRepo();
    const pr = app.openPull(app.ada, { branch: 'login', title: 'Login', body: 'Fixes TSK-0002' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('review');
    editPullRequest(app.github, app.repo, app.github.world.user('ada'), pr.number, { body: 'Fixes TSK-0003' });
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('open');
    expect(app.statusOf('TSK-0003')).toBe('review');
  });

  it('a merge into a branch that is not a done-branch sets nothing; one the configuration names does', async () => {
    const app = await linkedRepo();
    app.person.push({ 'README.md': 'release\n' }, { branch: 'release/1.0', baseBranch: 'main' });
    const pr = app.openPull(app.ada, { branch: 'feature/TSK-0001-x', title: 'X', base: 'release/1.0' });
    await app.step();
    app.ada.merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');

    app.person.push({ [CONFIG]: 'pullRequests:\n  doneBranches: ["release/*"]\n' });
    await app.step();
    const next = app.openPull(app.ada, { branch: 'feature/TSK-0002-y', title: 'Y', base: 'release/1.0' });
    await app.step();
    app.ada.merge(next.number);
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('done');
  });

  it('GitHub\'s own close on merge and the App\'s transition converge on one done and one commit', async () => {
    const app = await linkedRepo();
    const issue = app.issueOf('TSK-0001').number;
    const pr = app.openPull(app.ada, { branch: 'login', title: 'Login rate limit', body: `Fixes #${issue}` });
    await app.step();
    const before = app.commits().length;
    app.ada.merge(pr.number);
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('done');
    expect(app.issueOf('TSK-0001')).toMatchObject({ state: 'closed', state_reason: 'completed' });
    // The merge commit, and one ticket-sync commit writing done.
    const made = app.commits().slice(0, app.commits().length - before);
    expect(made.filter((c) => c.message.startsWith('ticket-sync:'))).toHaveLength(1);
    // Closed once (by GitHub, as the merger), never reopened and closed again.
    const events = app.issueOf('TSK-0001').events.map((e) => e.event);
    expect(events.filter((e) => e === 'closed')).toHaveLength(1);
    expect(events).not.toContain('reopened');
  });
});
