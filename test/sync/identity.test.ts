/**
 * A ticket's identity cannot be forged by text: an issue belongs to the
 * ticket ticket-sync recorded it for, and a marker counts only on an issue
 * ticket-sync's own identity opened (here the CLI token's user, octocat).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

const marker = (id: string) => `<!-- ticket-sync:id=${id} -->`;
const linkOf = (root: string, id: string) => (JSON.parse(readText(root, `tickets/${id}.json`)) as { github?: { issue: number } }).github?.issue;

describe('a marker a stranger writes', () => {
  it('never links a pushed ticket to the stranger’s issue, whose title, text and close then never reach the ticket', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    // Before TSK-0002 is pushed, a stranger opens an issue carrying its marker.
    const mallory = github.as('mallory').in('acme/app');
    const planted = mallory.openIssue({ title: 'Pay mallory', body: `Wire the money.\n\n${marker('TSK-0002')}` });
    writeFileSync(join(root, 'tickets/TSK-0002.json'), nativeTicket('TSK-0002'));
    expect((await run('push')).code).toBe(0);

    expect(linkOf(root, 'TSK-0002')).not.toBe(planted.number);
    mallory.closeIssue(planted.number);
    mallory.editIssue(planted.number, { title: 'Pay mallory twice' });
    expect((await run('sync')).code).toBe(0);
    const ticket = JSON.parse(readText(root, 'tickets/TSK-0002.json'));
    expect(ticket).toMatchObject({ title: 'Ticket TSK-0002', status: 'open' });
    const issues = github.world.repo('acme/app')!.issues;
    expect(issues.get(linkOf(root, 'TSK-0002')!)!.title).toBe('Ticket TSK-0002');
  });

  it('makes the stranger’s issue a ticket of its own, like any issue a person opens', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await run('push')).code).toBe(0);
    const planted = github.as('mallory').in('acme/app').openIssue({ title: 'Planted', body: `Text.\n\n${marker('TSK-0001')}` });
    expect((await run('sync')).code).toBe(0);
    expect(linkOf(root, 'TSK-0001')).toBe(1);
    expect(JSON.parse(readText(root, 'tickets/TSK-0002.json'))).toMatchObject({ title: 'Planted', github: { issue: planted.number } });
  });

  it('never relinks a ticket whose issue was deleted: it gets a new issue', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await run('push')).code).toBe(0);
    const planted = github.as('mallory').in('acme/app').openIssue({ title: 'Planted', body: marker('TSK-0001') });
    github.as('octocat').in('acme/app').deleteIssue(1);
    expect((await run('push')).code).toBe(0);
    const link = linkOf(root, 'TSK-0001')!;
    expect(link).not.toBe(planted.number);
    expect(github.world.repo('acme/app')!.issues.get(link)!.title).toBe('Ticket TSK-0001');
  });

  it('edited into another ticket’s issue never makes two tickets share one: the marker is written back to the linked ticket’s', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001'), 'tickets/TSK-0002.json': nativeTicket('TSK-0002') });
    expect((await run('push')).code).toBe(0);
    const second = linkOf(root, 'TSK-0002')!;
    github.as('mallory').in('acme/app').editIssue(second, { body: `About TSK-0002.\n\n${marker('TSK-0001')}` });
    expect((await run('sync')).code).toBe(0);
    expect([linkOf(root, 'TSK-0001'), linkOf(root, 'TSK-0002')]).toEqual([1, 2]);
    const issues = github.world.repo('acme/app')!.issues;
    expect(issues.get(second)!.body).toContain(marker('TSK-0002'));
    expect(issues.get(1)!.title).toBe('Ticket TSK-0001');
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).title).toBe('Ticket TSK-0001');
  });

  it.each(['CON', '.hidden', 'TSK\u20100003', '../escape', 'a b', 'aux.json', '', 'TSK-0001\u200b'])(
    'that is unusable (%j) never makes the issue vanish: it becomes a ticket',
    async (id) => {
      const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
      expect((await run('push')).code).toBe(0);
      const opened = github.as('mallory').in('acme/app').openIssue({ title: 'Odd marker', body: `Text.\n\n<!-- ticket-sync:id=${id} -->` });
      expect((await run('sync')).code).toBe(0);
      expect(JSON.parse(readText(root, 'tickets/TSK-0002.json'))).toMatchObject({ title: 'Odd marker', github: { issue: opened.number } });
    },
  );
});

describe('a marker ticket-sync wrote', () => {
  it('still recovers the issue a crashed run opened before it recorded the link', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    // octocat is the token's user: ticket-sync's own identity for the CLI.
    github.as('octocat').in('acme/app').openIssue({ title: 'Ticket TSK-0001', body: `About TSK-0001.\n\n${marker('TSK-0001')}` });
    expect((await run('push')).code).toBe(0);
    expect(github.world.repo('acme/app')!.issues.size).toBe(1);
    expect(linkOf(root, 'TSK-0001')).toBe(1);
  });
});

describe('two tickets claiming one issue', () => {
  it('are reported by validate and by sync at path, line and column, and neither is written', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001'), 'tickets/TSK-0002.json': nativeTicket('TSK-0002') });
    expect((await run('push')).code).toBe(0);
    // A link copied by hand.
    const copied = { ...JSON.parse(readText(root, 'tickets/TSK-0002.json')), github: JSON.parse(readText(root, 'tickets/TSK-0001.json')).github, title: 'Changed' };
    writeFileSync(join(root, 'tickets/TSK-0002.json'), JSON.stringify(copied, null, 2) + '\n');
    const before = [readText(root, 'tickets/TSK-0001.json'), readText(root, 'tickets/TSK-0002.json')];
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed on GitHub' });

    const validate = await cli(root, 'validate');
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('tickets/TSK-0001.json:1:1: ticket TSK-0001 links to issue #1, which TSK-0002 (TSK-0002.json:1:1) also links to');
    expect(validate.stdout).toContain('tickets/TSK-0002.json:1:1: ticket TSK-0002 links to issue #1');

    const sync = await run('sync');
    expect(sync.code).toBe(1);
    expect(sync.stderr + sync.stdout).toContain('TSK-0002.json:1:1: ticket TSK-0002 links to issue #1');
    expect([readText(root, 'tickets/TSK-0001.json'), readText(root, 'tickets/TSK-0002.json')]).toEqual(before);
    expect(github.world.repo('acme/app')!.issues.get(1)!.title).toBe('Renamed on GitHub');
  });
});

describe('an id a tool reuses', () => {
  it('never moves an issue to the new ticket: task-master’s task 2 made subtask 1.1 keeps #2, the new task 2 gets its own issue', async () => {
    const task = (id: number, title: string, extra: Record<string, unknown> = {}) => ({ id, title, description: `${title}.`, status: 'pending', dependencies: [], priority: 'medium', details: '', testStrategy: '', subtasks: [], ...extra });
    const PATH = '.taskmaster/tasks/tasks.json';
    const { github, root, run } = await workingCopy({ [PATH]: JSON.stringify({ tasks: [task(1, 'Set up CI'), task(2, 'Cache the dependencies')] }, null, 2) });
    expect((await run('sync')).code).toBe(0);
    const synced = JSON.parse(readText(root, PATH)).tasks as { metadata: { github: { issue: number } } }[];
    const [, second] = synced;
    expect(second!.metadata.github.issue).toBe(2);

    // task-master's expand/move: task 2 becomes subtask 1.1 (its metadata kept), and the next new task takes id 2.
    const moved = { id: 1, title: 'Cache the dependencies', description: 'Cache the dependencies.', dependencies: [], details: '', status: 'pending', testStrategy: '', metadata: second!.metadata };
    const tasks = [{ ...synced[0], subtasks: [moved] }, task(2, 'Write the release notes')];
    writeFileSync(join(root, PATH), JSON.stringify({ tasks }, null, 2));
    const result = await run('sync');
    expect(result.code).toBe(0);

    const after = JSON.parse(readText(root, PATH)).tasks;
    expect(after[0].subtasks[0]).toMatchObject({ title: 'Cache the dependencies', metadata: { github: { issue: 2 } } });
    expect(after[1].title).toBe('Write the release notes');
    const issues = github.world.repo('acme/app')!.issues;
    expect(issues.get(2)!.title).toBe('Cache the dependencies');
    expect(issues.get(2)!.body).toContain(marker('1.1'));
    const fresh = after[1].metadata.github.issue as number;
    expect(fresh).not.toBe(2);
    expect(issues.get(fresh)!.title).toBe('Write the release notes');
  });
});
