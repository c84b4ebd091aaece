import { describe, expect, it } from 'vitest';
import { manyTickets, ticketId as id, startApp, writes } from '../support/app.js';

describe('the App’s request budget', () => {
  it('spends on a push changing k of 20 linked tickets one tree read, k blob reads, k issue reads, k conditional reads again (304) and k issue writes, plus the config and the check run', async () => {
    const files = manyTickets(20);
    const { github, quiet, person, failures, fileOn } = await startApp();
    person.push(files, { message: 'Twenty tickets' });
    await quiet();
    expect(failures).toEqual([]);
    const linked = (n: number) => fileOn(`tickets/${id(n)}.json`)!;

    const logStart = github.log.length;
    person.push({ [`tickets/${id(3)}.json`]: linked(3).replace('"title": "Ticket TSK-0003"', '"title": "Third, renamed"'), [`tickets/${id(7)}.json`]: linked(7).replace('"priority": "medium"', '"priority": "high"') });
    await quiet();
    expect(failures).toEqual([]);
    const issue = (n: number) => github.world.repo('acme/app')!.issues.get(JSON.parse(linked(n)).github.issue)!;
    expect(issue(3).title).toBe('Third, renamed');
    expect(issue(7).labels).toContain('priority: high');

    const made = github.log.slice(logStart).filter((e) => e.actor === 'ticket-sync[bot]').map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(made).toEqual([
      // The configuration, as Probot's config plugin reads it: the repository's file, then the owner's .github repository.
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      // The pushed commit's tree (its sha is in the payload: no ref, no commit read), then the 2 changed files.
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200',
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha} 200',
      'GET /repos/{owner}/{repo}/git/blobs/{file_sha} 200',
      // Each changed ticket's own issue is read (no listing), then read again right before it is written: a
      // conditional read, answered 304 (free) since nobody changed it in between.
      'GET /repos/{owner}/{repo}/issues/{issue_number} 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number} 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number} 304',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number} 304',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200',
      'POST /repos/{owner}/{repo}/check-runs 201',
    ]);
    // Two issue writes and the check run; the app's own issue edits come back as webhooks and cause nothing.
    expect(writes(github, logStart)).toHaveLength(3);
  });

  it('spends on a person’s issue edit one commit and a handful of reads, whatever the number of tickets', async () => {
    const files = manyTickets(20);
    const { github, quiet, person, failures, fileOn } = await startApp();
    person.push(files, { message: 'Twenty tickets' });
    await quiet();
    const number = JSON.parse(fileOn(`tickets/${id(5)}.json`)!).github.issue as number;
    github.clock.advance(2_000);
    const logStart = github.log.length;
    github.as('hubot').in('acme/app').closeIssue(number);
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn(`tickets/${id(5)}.json`)!).status).toBe('done');
    const made = github.log.slice(logStart).filter((e) => e.actor === 'ticket-sync[bot]').map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(made).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      'GET /repos/{owner}/{repo}/contents/{path} 404',
      // The branch head and its tree; every ticket file's blob is cached by sha.
      'GET /repos/{owner}/{repo}/git/ref/{ref} 200',
      'GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200',
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha} 200',
      // One page of issues: the closed one changed it.
      'GET /repos/{owner}/{repo}/issues 200',
      // One commit: a tree with the file inline, the commit, the branch moved.
      'POST /repos/{owner}/{repo}/git/trees 201',
      'POST /repos/{owner}/{repo}/git/commits 201',
      'PATCH /repos/{owner}/{repo}/git/refs/{ref} 200',
    ]);
  });
});
