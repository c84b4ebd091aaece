import { describe, expect, it } from 'vitest';
import { FOUR_COLUMNS, ORG, itemEvents, pullRequest, withBoard } from './fixtures.js';

const PROJECT = 'GET /orgs/{org}/projectsV2/{project_number}';
const FIELDS = 'GET /orgs/{org}/projectsV2/{project_number}/fields';
const ITEMS = '/orgs/{org}/projectsV2/{project_number}/items';
const ITEM = '/orgs/{org}/projectsV2/{project_number}/items/{item_id}';

describe('organization projects over REST', () => {
  it('gets a project and lists its fields a page at a time, Status a single select with the options it was created with', async () => {
    const { github, app, project, base } = await withBoard();

    const got = await app.request(PROJECT, base);
    expect(got.data).toMatchObject({ id: project.id, number: 1, title: 'Roadmap', owner: { login: ORG, type: 'Organization' }, creator: { login: 'octocat' }, state: 'open' });
    const listed = await app.request('GET /orgs/{org}/projectsV2', { org: ORG });
    expect(listed.data.map((p: any) => p.number)).toEqual([1]);

    const first = await app.request(FIELDS, { ...base, per_page: 2 });
    expect(first.data.map((f: any) => f.name)).toEqual(['Title', 'Assignees']);
    expect(first.headers.link).toContain('rel="next"');
    const all = await app.paginate(FIELDS, { ...base, per_page: 2 });
    expect(all.map((f: any) => [f.name, f.data_type])).toEqual([
      ['Title', 'title'],
      ['Assignees', 'assignees'],
      ['Status', 'single_select'],
      ['Labels', 'labels'],
      ['Milestone', 'milestone'],
      ['Repository', 'repository'],
    ]);
    const status: any = all.find((f: any) => f.name === 'Status');
    expect(status.options.map((o: any) => o.name.raw)).toEqual(FOUR_COLUMNS);
    expect(status.options[0]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{8}$/), name: { raw: 'Todo', html: 'Todo' }, color: 'GRAY', description: { raw: '', html: '' } });

    const one = await app.request('GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}', { ...base, field_id: status.id });
    expect(one.data).toEqual(status);
    github.assertContract();
  });

  it("gives a project GitHub's default Status options, Todo, In Progress and Done, unless told otherwise, and no Status field when told null", async () => {
    const { github, app, octocat } = await withBoard('default');
    const none = octocat.createProject(ORG, { title: 'Bare', statusOptions: null });
    const fields = async (number: number) => (await app.paginate(FIELDS, { org: ORG, project_number: number })) as any[];

    const status = (await fields(1)).find((f) => f.name === 'Status');
    expect(status.options.map((o: any) => [o.name.raw, o.color, o.description.raw])).toEqual([
      ['Todo', 'GREEN', "This item hasn't been started"],
      ['In Progress', 'YELLOW', 'This is actively being worked on'],
      ['Done', 'PURPLE', 'This has been completed'],
    ]);
    expect(none.number).toBe(2);
    expect((await fields(2)).some((f) => f.data_type === 'single_select')).toBe(false);
    github.assertContract();
  });

  it("adds an issue by its id and a pull request by owner, repo and number, answers an issue already there with its existing item, and sends projects_v2_item.created once each, from the app's bot", async () => {
    const setup = await withBoard();
    const { github, app, issue, base } = setup;
    const pr = pullRequest(setup);

    const added = await app.request(`POST ${ITEMS}`, { ...base, type: 'Issue', id: issue.id });
    expect(added.status).toBe(201);
    expect(added.data).toMatchObject({ content_type: 'Issue', creator: { login: 'ticket-sync[bot]' }, archived_at: null });
    const again = await app.request(`POST ${ITEMS}`, { ...base, type: 'Issue', id: issue.id });
    expect(again.status).toBe(201);
    expect(again.data.id).toBe(added.data.id);
    const pull = await app.request(`POST ${ITEMS}`, { ...base, type: 'PullRequest', owner: 'acme', repo: 'app', number: pr.number });
    expect(pull.data).toMatchObject({ content_type: 'PullRequest' });
    // An issue's id names no pull request, and the other way round.
    await expect(app.request(`POST ${ITEMS}`, { ...base, type: 'PullRequest', id: issue.id })).rejects.toMatchObject({ status: 404 });

    const events = itemEvents(github.webhooks.deliveries);
    expect(events.map((e) => [e.action, e.projects_v2_item.id, e.projects_v2_item.content_type, e.sender.login])).toEqual([
      ['created', added.data.id, 'Issue', 'ticket-sync[bot]'],
      ['created', pull.data.id, 'PullRequest', 'ticket-sync[bot]'],
    ]);
    expect(events[0]).toMatchObject({
      organization: { login: ORG },
      installation: { id: setup.installation.id },
      projects_v2_item: { node_id: added.data.node_id, content_type: 'Issue', creator: { login: 'ticket-sync[bot]' } },
    });
    github.assertContract();
  });

  it('lists items with the Title alone unless fields names more, filters them with q, and pages them by cursor', async () => {
    const { github, app, octocat, project, issue, base } = await withBoard();
    const repo = octocat.in('acme/app');
    const second = repo.openIssue({ title: 'Write the docs', labels: ['docs'] });
    const third = repo.openIssue({ title: 'Ship the exporter' });
    for (const i of [issue, second, third]) octocat.addToProject(ORG, 1, i);
    octocat.moveProjectItem(ORG, 1, second.number, 'In Progress');
    repo.closeIssue(third.number);
    const ids = Object.fromEntries(project.fields.map((f) => [f.name, f.id]));

    const plain: any = await app.request(`GET ${ITEMS}`, base);
    expect(plain.data).toHaveLength(3);
    expect(plain.data[0].content).toMatchObject({ number: issue.number, title: 'Ship the importer' });
    expect(plain.data[0].fields).toEqual([
      { id: ids.Title, name: 'Title', data_type: 'title', value: expect.objectContaining({ raw: 'Ship the importer', number: issue.number, issue_id: issue.id, state: 'open' }) },
    ]);

    const withStatus = await app.request(`GET ${ITEMS}`, { ...base, fields: `${ids.Status},${ids.Labels}` });
    expect(withStatus.data.map((i: any) => [i.fields[0].name, i.fields[0].value?.name.raw ?? null, i.fields[1].value.map((l: any) => l.name)])).toEqual([
      ['Status', null, []],
      ['Status', 'In Progress', ['docs']],
      ['Status', null, []],
    ]);
    await expect(app.request(`GET ${ITEMS}`, { ...base, fields: '1' })).rejects.toMatchObject({ status: 422 });

    const titles = async (q: string) => ((await app.request(`GET ${ITEMS}`, { ...base, q })).data as any[]).map((i) => i.content.title);
    expect(await titles('status:"In Progress"')).toEqual(['Write the docs']);
    expect(await titles('no:status is:open')).toEqual(['Ship the importer']);
    expect(await titles('ship -is:closed')).toEqual(['Ship the importer']);
    await expect(app.request(`GET ${ITEMS}`, { ...base, q: 'iteration:@current' })).rejects.toMatchObject({ status: 501 });

    const page = await app.request(`GET ${ITEMS}`, { ...base, per_page: 2 });
    expect(page.data.map((i: any) => i.content.number)).toEqual([issue.number, second.number]);
    expect(page.headers.link).toMatch(/after=[^>]+>; rel="next"/);
    const all = await app.paginate(`GET ${ITEMS}`, { ...base, per_page: 2 });
    expect(all.map((i: any) => i.content.number)).toEqual([issue.number, second.number, third.number]);
    github.assertContract();
  });

  it('sets a Status by option id with PATCH, answers the item with its new value, and sends projects_v2_item.edited with changes.field_value from and to', async () => {
    const { github, app, octocat, project, issue, base } = await withBoard();
    const item = octocat.addToProject(ORG, 1, issue);
    const status = project.fields.find((f) => f.name === 'Status')!;
    const option = (name: string) => status.options!.find((o) => o.name === name)!;
    const patch = (value: string | null) => app.request(`PATCH ${ITEM}`, { ...base, item_id: item.id, fields: [{ id: status.id, value }] });

    const moved: any = await patch(option('In Review').id);
    expect(moved.data.fields.find((f: any) => f.name === 'Status').value).toMatchObject({ id: option('In Review').id, name: { raw: 'In Review' } });
    expect(octocat.projectStatus(ORG, 1, issue)).toBe('In Review');
    await patch(option('Done').id);
    await patch(option('Done').id);
    await patch(null);
    expect(octocat.projectStatus(ORG, 1, issue)).toBeNull();

    const edits = itemEvents(github.webhooks.deliveries).filter((e) => e.action === 'edited');
    expect(edits.map((e) => [e.changes.field_value.from?.name, e.changes.field_value.to?.name, e.sender.login])).toEqual([
      [undefined, 'In Review', 'ticket-sync[bot]'],
      ['In Review', 'Done', 'ticket-sync[bot]'],
      ['Done', undefined, 'ticket-sync[bot]'],
    ]);
    expect(edits[1].changes.field_value).toEqual({
      field_node_id: expect.any(String),
      field_type: 'single_select',
      field_name: 'Status',
      project_number: 1,
      from: { id: option('In Review').id, name: 'In Review', color: option('In Review').color, description: '' },
      to: { id: option('Done').id, name: 'Done', color: option('Done').color, description: '' },
    });
    const field = await app.request('GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}', { ...base, field_id: status.id });
    expect(edits[1].changes.field_value.field_node_id).toBe(field.data.node_id);
    github.assertContract();
  });

  it('refuses an option the field lacks, a field that is not a single select and a field the project lacks with 422s, changing nothing', async () => {
    const { github, app, octocat, project, issue, base } = await withBoard(['Todo', 'Done']);
    const item = octocat.addToProject(ORG, 1, issue);
    const status = project.fields.find((f) => f.name === 'Status')!;
    const title = project.fields.find((f) => f.name === 'Title')!;
    const patch = (fields: { id: number; value: string | null }[]) => app.request(`PATCH ${ITEM}`, { ...base, item_id: item.id, fields });

    await expect(patch([{ id: status.id, value: 'nope' }])).rejects.toMatchObject({ status: 422 });
    await expect(patch([{ id: status.id, value: status.options![1]!.id }, { id: title.id, value: 'Renamed' }])).rejects.toMatchObject({ status: 422 });
    await expect(patch([{ id: 1, value: status.options![0]!.id }])).rejects.toMatchObject({ status: 422 });
    expect(octocat.projectStatus(ORG, 1, issue)).toBeNull();
    expect(itemEvents(github.webhooks.deliveries).map((e) => e.action)).toEqual(['created']);
  });

  it('gets one item with the fields asked for, deletes it with DELETE and sends projects_v2_item.deleted; the issue stays', async () => {
    const { github, repo, app, octocat, project, issue, base } = await withBoard();
    const item = octocat.addToProject(ORG, 1, issue);
    octocat.moveProjectItem(ORG, 1, item.id, 'Todo');
    const status = project.fields.find((f) => f.name === 'Status')!;

    const got = await app.request(`GET ${ITEM}`, { ...base, item_id: item.id, fields: String(status.id) });
    expect(got.data).toMatchObject({ id: item.id, content_type: 'Issue', content: { id: issue.id }, fields: [{ name: 'Status', value: { name: { raw: 'Todo' } } }] });
    expect(got.data.item_url).toMatch(new RegExp(`/orgs/acme/projectsV2/1/items/${item.id}$`));

    const deleted = await app.request(`DELETE ${ITEM}`, { ...base, item_id: item.id });
    expect(deleted.status).toBe(204);
    await expect(app.request(`GET ${ITEM}`, { ...base, item_id: item.id })).rejects.toMatchObject({ status: 404 });
    expect(octocat.projectStatus(ORG, 1, issue)).toBeUndefined();
    expect(repo.issues.has(issue.number)).toBe(true);
    expect(itemEvents(github.webhooks.deliveries).map((e) => [e.action, e.sender.login])).toEqual([
      ['created', 'octocat'],
      ['edited', 'octocat'],
      ['deleted', 'ticket-sync[bot]'],
    ]);
    github.assertContract();
  });
});
