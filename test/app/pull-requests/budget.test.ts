/**
 * What pull requests cost, counted from the emulator's request log, with
 * 1,000 linked tickets: an unlinked pull request's events cost nothing; a
 * linked one's event costs the reads to decide, one issue write per ticket
 * that moves, one commit and one check-run write; a CI nudge the pull
 * request and its checks besides.
 */
import { describe, expect, it } from 'vitest';
import { findPull } from '../../emulator/pulls/services.js';
import { manyTickets, startApp, writes } from '../../support/app.js';

/** A ticket that moves: the branch's head and tree (every ticket blob is cached by sha), its issue read, read again
 * right before the write (304: nobody changed it), the one issue write, and one commit (the tree with the file's text
 * inline, the commit, the ref). */
const moveTicket = [
  'GET /repos/{owner}/{repo}/git/ref/{ref} 200',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200',
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200',
  'GET /repos/{owner}/{repo}/issues/{issue_number} 200',
  'GET /repos/{owner}/{repo}/issues/{issue_number} 304',
  'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200',
  'POST /repos/{owner}/{repo}/git/trees 201',
  'POST /repos/{owner}/{repo}/git/commits 201',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200',
];

describe('the request budget of pull requests', () => {
  it('is zero for an unlinked pull request, and a handful of reads plus the writes for a linked one and its CI', { timeout: 300_000 }, async () => {
    const { github, app, quiet, person, failures, fileOn } = await startApp();
    person.push(manyTickets(1000), { message: 'A thousand tickets' });
    // The first sync of a thousand tickets takes longer than `quiet` waits for a request.
    do await github.settle({ quietMs: 300, timeoutMs: 240_000 }), await app.idle();
    while (github.webhooks.pending > 0);
    await quiet();
    expect(failures).toEqual([]);
    const ada = github.as('ada').in('acme/app');
    const made = (from: number) => github.log.slice(from).filter((e) => e.actor === 'ticket-sync[bot]').map((e) => `${e.method} ${e.route} ${e.status}`);

    // An unlinked pull request: opened, marked ready, its checks failing, merged.
    let from = github.log.length;
    ada.push({ 'docs/typo.md': 'typo\n' }, { branch: 'typo', baseBranch: 'main' });
    github.clock.advance(1_000);
    const typo = ada.openPullRequest({ head: 'typo', title: 'Fix a typo in TSK-docs', draft: true });
    ada.markReady(typo.number);
    ada.completeCheck(findPull(github.world.repo('acme/app')!, typo.number).pull.head.sha, 'build', 'failure');
    ada.merge(typo.number);
    await quiet();
    expect(failures).toEqual([]);
    // The pull request's four events cost nothing. What is left is the merge commit's push (no ticket among its
    // paths), as any push: the configuration, the pushed tree, and that commit's check run.
    expect(made(from)).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200',
      'POST /repos/{owner}/{repo}/check-runs 201',
    ]);

    // A linked pull request's event: opened as a draft for TSK-0500.
    github.clock.advance(2_000);
    ada.push({ 'src/login.txt': 'login\n' }, { branch: 'feature/TSK-0500-login', baseBranch: 'main' });
    await quiet();
    from = github.log.length;
    const pr = ada.openPullRequest({ head: 'feature/TSK-0500-login', title: 'Login', draft: true });
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0500.json')!).status).toBe('in_progress');
    expect(made(from)).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      // The pull request as it is now (a draft: its checks are not read).
      'GET /repos/{owner}/{repo}/pulls/{pull_number} 200',
      ...moveTicket,
      // The pull request's check run on its head.
      'POST /repos/{owner}/{repo}/check-runs 201',
    ]);

    // A CI nudge: the pull request is ready, its checks fail.
    ada.markReady(pr.number);
    await quiet();
    github.clock.advance(2_000);
    from = github.log.length;
    ada.completeCheck(findPull(github.world.repo('acme/app')!, pr.number).pull.head.sha, 'build', 'failure');
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0500.json')!).status).toBe('in_progress');
    const decide = [
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      // The pull request's current head, then the check runs and commit statuses on it.
      'GET /repos/{owner}/{repo}/pulls/{pull_number} 200',
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs 200',
      'GET /repos/{owner}/{repo}/commits/{ref}/status 200',
    ];
    expect(made(from)).toEqual([
      ...decide,
      // The ticket moves: its issue and its file, as for any event.
      ...moveTicket,
      // Its check run on the head, edited in place to name the failed check.
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} 200',
      // CI's other webhooks for the same result (check_run, check_suite and workflow_run completed), folded into
      // one job: it reads again (GitHub's times have whole seconds), finds nothing moves, and writes nothing.
      ...decide,
    ]);
    expect(writes(github, from).filter((w) => w.endsWith('ticket-sync[bot]'))).toHaveLength(5);
  });
});
