/**
 * The project board: every linked issue is an item of the configured project
 * in the column its ticket's status maps to, moved as the ticket moves (a
 * pull request's transition too); a person moving a card changes the ticket,
 * logged as theirs; a project the App cannot use is one message in the
 * check run, and nothing else stops.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG, linkedRepo } from './support.js';

const PROJECT = `project:\n  owner: acme\n  number: 1\n`;

describe('the project board follows the tickets', () => {
  it('puts every linked issue in its column, moves it with a pull request, and takes a person\'s card move back into the ticket', async () => {
    const app = await linkedRepo({ files: {} });
    const project = app.github.as('octocat').createProject('acme', { title: 'Roadmap', statusOptions: ['Todo', 'In Progress', 'In Review', 'Done'] });
    app.person.push({ [CONFIG]: PROJECT });
    await app.step();
    const column = (id: string) => app.github.as('octocat').projectStatus('acme', project.number, `acme/app#${app.issueOf(id).number}`);
    expect(['TSK-0001', 'TSK-0002', 'TSK-0003'].map(column)).toEqual(['Todo', 'Todo', 'Todo']);

    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login' });
    await app.step();
    expect(app.statusOf('TSK-0001')).toBe('review');
    expect(column('TSK-0001')).toBe('In Review');

    const from = app.github.log.length;
    app.github.as('grace').moveProjectItem('acme', project.number, `acme/app#${app.issueOf('TSK-0002').number}`, 'In Progress');
    await app.step();
    expect(app.statusOf('TSK-0002')).toBe('in_progress');
    expect(app.statusLabel('TSK-0002')).toEqual(['status: in progress']);
    const logged = (await app.state.readLog('acme/app', { ticket: 'TSK-0002' })).filter((e) => e.field === 'status').at(-1);
    expect(logged).toMatchObject({ writer: 'grace', after: 'in_progress', cause: expect.stringContaining('moved to "In Progress"') });
    // The card is where the person put it: the App writes no item for it.
    expect(app.github.log.slice(from).filter((e) => e.actor === 'ticket-sync[bot]' && e.route.includes('projectsV2'))).toEqual([]);
    expect(column('TSK-0002')).toBe('In Progress');
  });

  it('falls back to the next column a status lists when the field lacks the first', async () => {
    const app = await linkedRepo();
    const project = app.github.as('octocat').createProject('acme', { title: 'Roadmap', statusOptions: ['Todo', 'In Progress', 'Done'] });
    app.person.push({ [CONFIG]: PROJECT });
    await app.step();
    app.openPull(app.ada, { branch: 'feature/TSK-0001-login', title: 'Login' });
    await app.step();
    expect(app.github.as('octocat').projectStatus('acme', project.number, `acme/app#${app.issueOf('TSK-0001').number}`)).toBe('In Progress');
  });

  it('says once in the check run that a missing project cannot be kept, and syncs the tickets all the same', async () => {
    const app = await linkedRepo();
    const pushed = app.person.push({ [CONFIG]: PROJECT, 'tickets/TSK-0004.json': JSON.stringify({ id: 'TSK-0004', type: 'task', title: 'Four', status: 'open', priority: 'low' }, null, 2) + '\n' });
    await app.step();
    expect(JSON.parse(app.fileOn('tickets/TSK-0004.json')!).github.issue).toBeGreaterThan(0);
    const run = [...app.repo.checkRuns.values()].find((r) => r.head_sha === pushed.sha && r.name === 'ticket-sync')!;
    expect(run.conclusion).toBe('neutral');
    expect(run.output?.summary).toContain('project acme/1 cannot be reached (GitHub answered 404');
  });
});
