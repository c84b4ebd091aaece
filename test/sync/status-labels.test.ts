/**
 * After any change from either side, an issue's managed labels are exactly
 * those of its ticket's status, priority and type.
 */
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

const ticketOf = (root: string) => JSON.parse(readText(root, 'tickets/TSK-0001.json')) as { status: string; priority: string };

describe('the managed labels of an issue', () => {
  it('lose the status label when a person closes the issue, and a reopen then reads as reopened', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { status: 'in_progress' }) });
    expect((await run('push')).code).toBe(0);
    const issues = github.world.repo('acme/app')!.issues;
    expect(issues.get(1)!.labels.sort()).toEqual(['priority: medium', 'status: in progress', 'type: task']);

    github.as('octocat').in('acme/app').closeIssue(1);
    expect((await run('sync')).code).toBe(0);
    expect(ticketOf(root).status).toBe('done');
    expect(issues.get(1)!.labels.sort()).toEqual(['priority: medium', 'type: task']);

    github.as('octocat').in('acme/app').reopenIssue(1);
    expect((await run('sync')).code).toBe(0);
    expect(ticketOf(root).status).toBe('reopened');
    expect(issues.get(1)!.labels.sort()).toEqual(['priority: medium', 'type: task']);
  });

  it('follow a status label a person adds beside the old one, leaving only the new one', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { status: 'in_progress' }) });
    expect((await run('push')).code).toBe(0);
    const person = github.as('octocat').in('acme/app');
    person.label(1, 'status: review');
    expect((await run('sync')).code).toBe(0);
    expect(ticketOf(root).status).toBe('review');
    expect(github.world.repo('acme/app')!.issues.get(1)!.labels.sort()).toEqual(['priority: medium', 'status: review', 'type: task']);
  });

  it('are put back when a person removes the priority label, and the ticket keeps its priority', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { priority: 'high' }) });
    expect((await run('push')).code).toBe(0);
    github.as('octocat').in('acme/app').unlabel(1, 'priority: high');
    // With no priority label the issue reads as medium: a person's change, which wins as the later write.
    expect((await run('sync')).code).toBe(0);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    expect(issue.labels.sort()).toEqual([`priority: ${ticketOf(root).priority}`, 'type: task']);
  });
});
