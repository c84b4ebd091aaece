/**
 * A pull request's moves in a format's own words: task-master's numeric ids
 * are linked by issue reference only, and the task gets task-master's
 * `in-progress` and `done`.
 */
import { describe, expect, it } from 'vitest';
import { startApp } from '../../support/app.js';

const TASKS = '.taskmaster/tasks/tasks.json';
const tasksFile = (status: string) =>
  JSON.stringify({ master: { tasks: [{ id: 1, title: 'Login rate limit', description: 'Throttle it.', status, dependencies: [], priority: 'medium', details: '', testStrategy: '', subtasks: [] }], metadata: { created: '2026-11-23T09:00:00.000Z', description: 'Tasks' } } }, null, 2) + '\n';

describe('a pull request moves a task-master task', () => {
  it('in task-master\'s words, linked by its issue (a bare number in the branch links nothing)', async () => {
    const { github, person, quiet, failures, fileOn, repo } = await startApp();
    person.push({ [TASKS]: tasksFile('pending') });
    await quiet();
    const task = () => JSON.parse(fileOn(TASKS)!).master.tasks[0];
    const issue = task().metadata.github.issue as number;
    const ada = github.as('ada').in('acme/app');
    ada.push({ 'src/a.txt': 'a\n' }, { branch: 'feature/1-login', baseBranch: 'main' });
    github.clock.advance(1_000);
    ada.openPullRequest({ head: 'feature/1-login', title: '1: login', draft: true });
    github.clock.advance(2_000);
    await quiet();
    expect(task().status).toBe('pending');
    ada.push({ 'src/b.txt': 'b\n' }, { branch: 'feature/login', baseBranch: 'main' });
    github.clock.advance(1_000);
    const pr = ada.openPullRequest({ head: 'feature/login', title: 'Login', body: `Fixes #${issue}`, draft: true });
    github.clock.advance(2_000);
    await quiet();
    expect(task().status).toBe('in-progress');
    ada.markReady(pr.number);
    github.clock.advance(2_000);
    await quiet();
    expect(task().status).toBe('review');
    ada.merge(pr.number);
    github.clock.advance(2_000);
    await quiet();
    expect(failures).toEqual([]);
    expect(task().status).toBe('done');
    expect(repo.issues.get(issue)!.state).toBe('closed');
  });
});
