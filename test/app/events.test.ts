import { describe, expect, it } from 'vitest';
import type { PersonInRepo } from '../emulator/driver.js';
import { startApp, ticket, writes } from '../support/app.js';

interface Case {
  event: string;
  /** Set up before the clock moves (a comment to delete, a label to remove). */
  before?: (hubot: PersonInRepo) => unknown;
  act: (hubot: PersonInRepo, setup: unknown) => void;
  /** The ticket file afterwards, as far as the case cares. */
  expected: Record<string, unknown>;
}

const cases: Case[] = [
  { event: 'issues.edited', act: (h) => h.editIssue(1, { title: 'Renamed' }), expected: { title: 'Renamed' } },
  { event: 'issues.closed (not planned)', act: (h) => h.closeIssue(1, 'not_planned'), expected: { status: 'cancelled' } },
  { event: 'issues.reopened', before: (h) => h.closeIssue(1), act: (h) => h.reopenIssue(1), expected: { status: 'reopened' } },
  { event: 'issues.labeled', act: (h) => h.label(1, 'ui', 'priority: high'), expected: { labels: ['ui'], priority: 'high' } },
  { event: 'issues.unlabeled', before: (h) => h.label(1, 'ui'), act: (h) => h.unlabel(1, 'ui'), expected: { labels: [] } },
  { event: 'issues.assigned', act: (h) => h.assign(1, 'hubot'), expected: { assignees: ['hubot'] } },
  { event: 'issues.unassigned', before: (h) => h.assign(1, 'hubot'), act: (h) => h.unassign(1, 'hubot'), expected: { assignees: [] } },
  { event: 'issue_comment.created', act: (h) => h.comment(1, 'Looks good.'), expected: { comments: [expect.objectContaining({ author: 'hubot', body: 'Looks good.' })] } },
  { event: 'issue_comment.edited', before: (h) => h.comment(1, 'Looks good.'), act: (h, c) => h.editComment((c as { id: number }).id, 'Looks great.'), expected: { comments: [expect.objectContaining({ body: 'Looks great.' })] } },
  { event: 'issue_comment.deleted', before: (h) => h.comment(1, 'Oops.'), act: (h, c) => h.deleteComment((c as { id: number }).id), expected: { comments: [] } },
];

describe('each issue event, written back into the ticket file', () => {
  it.each(cases)('$event reaches the ticket as one commit, then nothing more happens', async ({ before, act, expected }) => {
    const { github, quiet, person, fileOn, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001', { labels: [], assignees: [] }) });
    await quiet();
    const hubot = github.as('hubot').in('acme/app');
    github.clock.advance(2_000);
    const setup = before?.(hubot);
    await quiet();
    const count = commits().length;
    github.clock.advance(2_000);
    act(hubot, setup);
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!)).toMatchObject(expected);
    expect(commits()).toHaveLength(count + 1);
    const logStart = github.log.length;
    await quiet();
    expect(writes(github, logStart)).toEqual([]);
  });

  it('issues.deleted: the ticket keeps everything it holds, and its issue is opened again and linked', async () => {
    const { github, repo, quiet, person, fileOn, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001', { status: 'in_progress' }) });
    await quiet();
    github.clock.advance(2_000);
    github.as('octocat').in('acme/app').deleteIssue(1);
    await quiet();
    expect(failures).toEqual([]);
    const after = JSON.parse(fileOn('tickets/TSK-0001.json')!);
    expect(after).toMatchObject({ id: 'TSK-0001', title: 'Ticket TSK-0001', status: 'in_progress' });
    expect(after.github.issue).not.toBe(1);
    expect(repo.issues.get(after.github.issue)!.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');
  });

  it('leaves the issue of a deleted ticket file as it is, and no longer syncs it', async () => {
    const { github, repo, quiet, person, fileOn, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const logStart = github.log.length;
    person.push({ 'tickets/TSK-0001.json': null });
    await quiet();
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Edited after the ticket went' });
    await quiet();
    expect(failures).toEqual([]);
    expect(fileOn('tickets/TSK-0001.json')).toBeUndefined();
    expect(repo.issues.get(1)).toMatchObject({ state: 'open', title: 'Edited after the ticket went' });
    // Only the push's check run was written: no issue change, no ticket brought back.
    expect(writes(github, logStart).filter((w) => w.endsWith('ticket-sync[bot]'))).toEqual(['POST /repos/{owner}/{repo}/check-runs ticket-sync[bot]']);
  });
});
