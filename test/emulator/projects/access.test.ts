import { describe, expect, it } from 'vitest';
import { TestOctokit } from '../testing.js';
import { ORG, itemEvents, withBoard } from './fixtures.js';

const FORBIDDEN = { status: 403, response: { data: { message: 'Resource not accessible by integration' } } };

describe('who reaches a project', () => {
  it('refuses an installation without organization_projects with 403s on every route, and a read-only one on the writes alone', async () => {
    const { github, app, octocat, project, issue, base } = await withBoard();
    const item = octocat.addToProject(ORG, 1, issue);
    const status = project.fields.find((f) => f.name === 'Status')!;
    const reads = [
      () => app.request('GET /orgs/{org}/projectsV2', { org: ORG }),
      () => app.request('GET /orgs/{org}/projectsV2/{project_number}', base),
      () => app.request('GET /orgs/{org}/projectsV2/{project_number}/fields', base),
      () => app.request('GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}', { ...base, field_id: status.id }),
      () => app.request('GET /orgs/{org}/projectsV2/{project_number}/items', base),
      () => app.request('GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}', { ...base, item_id: item.id }),
    ];
    const writes = [
      () => app.request('POST /orgs/{org}/projectsV2/{project_number}/items', { ...base, type: 'Issue', id: issue.id }),
      () => app.request('PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}', { ...base, item_id: item.id, fields: [{ id: status.id, value: null }] }),
      () => app.request('DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}', { ...base, item_id: item.id }),
    ];

    delete github.world.app.permissions.organization_projects;
    for (const call of [...reads, ...writes]) await expect(call()).rejects.toMatchObject(FORBIDDEN);

    github.world.app.permissions.organization_projects = 'read';
    for (const call of reads) await expect(call()).resolves.toMatchObject({ status: 200 });
    for (const call of writes) await expect(call()).rejects.toMatchObject(FORBIDDEN);
    expect(project.items).toEqual([item]);

    github.world.app.permissions.organization_projects = 'write';
    await expect(writes[2]!()).resolves.toMatchObject({ status: 204 });
    github.assertContract();
  });

  it("answers 404 for a missing project, field or item, for another organization's project, and for an issue the installation cannot see", async () => {
    const { github, app, octocat, base } = await withBoard();
    octocat.createProject('globex', { title: 'Theirs' });
    const hidden = octocat.createRepo('acme/private').openIssue({ title: 'Not for the app' });
    const missing = { status: 404 };

    await expect(app.request('GET /orgs/{org}/projectsV2/{project_number}', { ...base, project_number: 9 })).rejects.toMatchObject(missing);
    await expect(app.request('GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}', { ...base, field_id: 1 })).rejects.toMatchObject(missing);
    await expect(app.request('GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}', { ...base, item_id: 1 })).rejects.toMatchObject(missing);
    await expect(app.request('DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}', { ...base, item_id: 1 })).rejects.toMatchObject(missing);
    await expect(app.request('GET /orgs/{org}/projectsV2/{project_number}', { org: 'globex', project_number: 1 })).rejects.toMatchObject(missing);
    await expect(app.request('POST /orgs/{org}/projectsV2/{project_number}/items', { ...base, type: 'Issue', id: hidden.id })).rejects.toMatchObject(missing);
    await expect(app.request('POST /orgs/{org}/projectsV2/{project_number}/items', { ...base, type: 'Issue', id: 999_999 })).rejects.toMatchObject(missing);
    expect(itemEvents(github.webhooks.deliveries)).toEqual([]);
    github.assertContract();
  });

  it("serves a user's project to a personal token on every user route, refuses installation tokens with 403, and sends no webhook for it", async () => {
    const { github, app, person, octocat, issue } = await withBoard();
    const mine = octocat.createProject('octocat', { title: 'Mine', statusOptions: ['Todo', 'Done'] });
    const status = mine.fields.find((f) => f.name === 'Status')!;
    const me = person('octocat');
    const base = { username: 'octocat', project_number: mine.number };

    expect(mine.number).toBe(1);
    await expect(me.request('GET /users/{username}/projectsV2/{project_number}', base)).resolves.toMatchObject({ data: { title: 'Mine', owner: { login: 'octocat', type: 'User' } } });
    await expect(me.request('GET /users/{username}/projectsV2', { username: 'octocat' })).resolves.toMatchObject({ data: [{ title: 'Mine' }] });
    await expect(me.request('GET /users/{username}/projectsV2/{project_number}/fields/{field_id}', { ...base, field_id: status.id })).resolves.toMatchObject({ data: { name: 'Status' } });
    const added: any = await me.request('POST /users/{username}/projectsV2/{project_number}/items', { ...base, type: 'Issue', id: issue.id });
    expect(added.status).toBe(201);
    const item = { ...base, item_id: added.data.id };
    await me.request('PATCH /users/{username}/projectsV2/{project_number}/items/{item_id}', { ...item, fields: [{ id: status.id, value: status.options![1]!.id }] });
    expect(octocat.projectStatus('octocat', 1, issue)).toBe('Done');
    const items: any = await me.request('GET /users/{username}/projectsV2/{project_number}/items', { ...base, fields: String(status.id) });
    expect(items.data.map((i: any) => i.fields[0].value.name.raw)).toEqual(['Done']);
    await expect(me.request('GET /users/{username}/projectsV2/{project_number}/items/{item_id}', item)).resolves.toMatchObject({ data: { id: added.data.id } });

    await expect(app.request('GET /users/{username}/projectsV2/{project_number}', base)).rejects.toMatchObject(FORBIDDEN);
    await expect(app.request('GET /users/{username}/projectsV2/{project_number}/items', base)).rejects.toMatchObject(FORBIDDEN);
    // Owners' routes do not cross: a user's project is no organization's.
    await expect(me.request('GET /orgs/{org}/projectsV2/{project_number}', { org: 'octocat', project_number: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(me.request('GET /users/{username}/projectsV2/{project_number}', { username: ORG, project_number: 1 })).rejects.toMatchObject({ status: 404 });

    await expect(me.request('DELETE /users/{username}/projectsV2/{project_number}/items/{item_id}', item)).resolves.toMatchObject({ status: 204 });
    expect(itemEvents(github.webhooks.deliveries)).toEqual([]);
    github.assertContract();
  });

  it("refuses the app's own JWT with 403", async () => {
    const { github, base } = await withBoard();
    const jwt = new TestOctokit({ baseUrl: github.apiUrl, auth: github.appJwt() });
    await expect(jwt.request('GET /orgs/{org}/projectsV2/{project_number}', base)).rejects.toMatchObject({ status: 403 });
  });

  it('sends projects_v2_item only to an app that subscribes to it and may read the organization\'s projects', async () => {
    const { github, octocat, issue } = await withBoard();
    octocat.addToProject(ORG, 1, issue);
    github.world.app.events = github.world.app.events.filter((e) => e !== 'projects_v2_item');
    octocat.moveProjectItem(ORG, 1, issue, 'Todo');
    github.world.app.events.push('projects_v2_item');
    delete github.world.app.permissions.organization_projects;
    octocat.moveProjectItem(ORG, 1, issue, 'Done');
    github.world.app.permissions.organization_projects = 'read';
    octocat.moveProjectItem(ORG, 1, issue, 'In Progress');

    expect(itemEvents(github.webhooks.deliveries).map((e) => [e.action, e.changes?.field_value.to.name])).toEqual([
      ['created', undefined],
      ['edited', 'In Progress'],
    ]);
    expect(itemEvents(github.webhooks.deliveries)[1].changes.field_value.from.name).toBe('Done');
  });
});
