import { describe, expect, it } from 'vitest';
import { runDemo } from '../demo/demo.js';

describe('npm run demo', () => {
  it('plays the whole story against the emulator, and each change reaches the other side', async () => {
    const lines: string[] = [];
    const outcome = await runDemo({ print: (line) => lines.push(line) });

    expect(outcome.failures).toEqual([]);
    // The pushed ticket got its issue, with the marker, and the link was committed back.
    expect(outcome.tracker.issue.body).toContain('<!-- ticket-sync:id=TSK-0003 -->');
    expect(outcome.tracker.issue.labels).toEqual(expect.arrayContaining(['priority: high', 'security']));
    expect(outcome.tracker.ticket.github).toMatchObject({ issue: outcome.tracker.issue.number });
    // The title edited on GitHub reached the file, the comment reached the ticket, the close made it done.
    expect(outcome.tracker.ticket.title).toBe(outcome.tracker.issue.title);
    expect(outcome.tracker.ticket.title).not.toBe('Add rate limiting to the login endpoint');
    expect(outcome.tracker.ticket.comments).toEqual([
      expect.objectContaining({ author: 'octocat', body: outcome.tracker.issueComments[0] }),
    ]);
    expect(outcome.tracker.issue.state).toBe('closed');
    expect(outcome.tracker.ticket.status).toBe('done');
    // Each change on GitHub came back as one commit of its own.
    expect(outcome.tracker.appCommits[0]).toMatch(/^ticket-sync: .*linked to #\d+.* \(first sync\)$/);
    expect(outcome.tracker.appCommits.slice(2, 5)).toEqual([
      expect.stringMatching(/ title → "[^"]+" \(#\d+ edited by @octocat\)$/),
      expect.stringMatching(/ comments \(#\d+ comment created by @octocat\)$/),
      expect.stringMatching(/ status → done \(#\d+ closed by @octocat\)$/),
    ]);
    // task-master: the task's issue was opened with its marker, and closing it wrote task-master's word.
    expect(outcome.planner.issue.body).toContain('<!-- ticket-sync:id=3 -->');
    expect(outcome.planner.issue.state).toBe('closed');
    expect(outcome.planner.task.status).toBe('done');
    expect(outcome.planner.task.metadata.github).toMatchObject({ issue: outcome.planner.issue.number });

    // The pull request moved BUG-0002 in its file and on the board, step by step.
    expect(outcome.pullRequest).toEqual([
      { status: 'open', column: 'Todo' },
      { status: 'in_progress', column: 'In Progress' },
      { status: 'review', column: 'In Review' },
      { status: 'in_progress', column: 'In Progress' },
      { status: 'review', column: 'In Review' },
      { status: 'done', column: 'Done' },
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/ticket-sync: BUG-0002 status review → done \(PR #\d+ merged by @octocat\)/));

    // Installing the app made each repository's first sync, its progress shown in a check run.
    expect(lines).toContain(`   demo/tracker: check run "ticket-sync" on main: "ticket-sync: importing tickets" → "ticket-sync: importing 1 of 2 tickets" → "ticket-sync: importing 2 of 2 tickets" → "Tickets in sync"`);
    expect(outcome.requests.total).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe(
      `done: ${outcome.requests.total} requests to the emulated GitHub, ${outcome.requests.notModified} of them answered 304 Not Modified (free against the rate limit)`,
    );
  });
});
