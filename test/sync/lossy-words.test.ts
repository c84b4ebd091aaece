/**
 * A format that cannot hold a distinction never flips GitHub: where the
 * format writes one word for several statuses, the last synced status stands
 * until the file's word really changes, and no write is logged that nobody
 * made.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { workingCopy } from '../support/working-copy.js';

/** An aitrackdown task as mcp-ticketer writes it. */
const task = JSON.stringify(
  {
    id: 'task-20261202102728178481',
    title: 'Retire the old checkout',
    description: 'Once the new one is live.',
    status: 'open',
    priority: 'medium',
    tags: [],
    parent_issue: null,
    parent_epic: null,
    assignee: null,
    created_at: '2026-12-02T10:27:28.178481',
    updated_at: '2026-12-02T10:27:28.178481',
    metadata: {},
    type: 'task',
  },
  null,
  2,
);
const PATH = '.aitrackdown/tickets/task-20261202102728178481.json';

describe('an aitrackdown ticket closed on GitHub as not planned', () => {
  it('is written `closed`, and the next syncs leave the issue not planned, write nothing and log nothing more', async () => {
    const { github, root, run, writes } = await workingCopy({ [PATH]: task });
    expect((await run('sync')).code).toBe(0);
    github.as('hubot').in('acme/app').closeIssue(1, 'not_planned');
    expect((await run('sync')).code).toBe(0);
    expect(JSON.parse(readText(root, PATH)).status).toBe('closed');
    const logged = JSON.parse((await run('log', '--json')).stdout).length;

    const before = writes().length;
    for (let i = 0; i < 2; i++) expect((await run('sync')).stdout).toBe('');
    expect(writes().slice(before)).toEqual([]);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    expect([issue.state, issue.state_reason]).toEqual(['closed', 'not_planned']);
    expect(JSON.parse((await run('log', '--json')).stdout)).toHaveLength(logged);
  });

  it('reads a word the file really changed: `closed` edited to `open` reopens the issue', async () => {
    const { github, root, run } = await workingCopy({ [PATH]: task });
    expect((await run('sync')).code).toBe(0);
    github.as('hubot').in('acme/app').closeIssue(1, 'not_planned');
    expect((await run('sync')).code).toBe(0);
    const written = JSON.parse(readText(root, PATH));
    writeFileSync(join(root, PATH), JSON.stringify({ ...written, status: 'open', updated_at: '2099-01-01T00:00:00.000000' }, null, 2));
    expect((await run('sync')).code).toBe(0);
    expect(github.world.repo('acme/app')!.issues.get(1)!.state).toBe('open');
  });
});

describe('a task-master subtask, which has no priority', () => {
  const tasks = {
    tasks: [
      {
        id: 1,
        title: 'Sign the installer',
        description: 'With the EV certificate.',
        status: 'in-progress',
        dependencies: [],
        priority: 'critical',
        details: '',
        testStrategy: '',
        subtasks: [{ id: 1, title: 'Order the certificate', description: '', dependencies: [], details: '', status: 'pending', testStrategy: '' }],
      },
    ],
  };
  const PATH = '.taskmaster/tasks/tasks.json';

  it('gets no priority label on its issue, and a priority label a person adds there is never written into it', async () => {
    const { github, root, run } = await workingCopy({ [PATH]: JSON.stringify(tasks, null, 2) });
    expect((await run('sync')).code).toBe(0);
    const issues = [...github.world.repo('acme/app')!.issues.values()];
    const subtask = issues.find((i) => i.title === 'Order the certificate')!;
    expect(subtask.labels.filter((l) => l.startsWith('priority: '))).toEqual([]);

    github.as('hubot').in('acme/app').label(subtask.number, 'priority: high');
    expect((await run('sync')).code).toBe(0);
    const written = JSON.parse(readText(root, PATH)).tasks[0];
    expect(written.subtasks[0]).not.toHaveProperty('priority');
    expect(github.world.repo('acme/app')!.issues.get(subtask.number)!.labels.filter((l) => l.startsWith('priority: '))).toEqual([]);
  });
});
