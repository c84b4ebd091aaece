import { describe, expect, it } from 'vitest';
import { webhookReceiver } from '../testing.js';
import { ORG, itemEvents, withBoard } from './fixtures.js';

const SECRET = 'projects-secret';

describe('a person at the board', () => {
  it('moves a card between Status columns as a drag on the board: projects_v2_item.edited from the person, delivered signed to the installation on the organization', async () => {
    const { github, octocat, installation, project, issue } = await withBoard();
    const hooks = await webhookReceiver(SECRET);
    github.webhooks.target = { url: hooks.url, secret: SECRET };
    const item = github.as('hubot').addToProject(ORG, 1, 'acme/app#1');

    expect(octocat.projectStatus(ORG, 1, issue)).toBeNull();
    octocat.moveProjectItem(ORG, 1, issue.number, 'In Progress');
    octocat.moveProjectItem(ORG, 1, item.id, 'In Progress');
    github.as('monalisa').moveProjectItem(ORG, 1, issue, 'In Review');
    expect(octocat.projectStatus(ORG, 1, 'acme/app#1')).toBe('In Review');

    await github.settle();
    await hooks.close();
    const received = hooks.received.filter((h) => h.event === 'projects_v2_item');
    expect(received.every((h) => h.signatureValid)).toBe(true);
    expect(received.map((h) => [h.payload.action, h.payload.sender.login, h.payload.changes?.field_value.to.name])).toEqual([
      ['created', 'hubot', undefined],
      ['edited', 'octocat', 'In Progress'],
      ['edited', 'monalisa', 'In Review'],
    ]);
    const status = project.fields.find((f) => f.name === 'Status')!;
    expect(received[2]!.payload).toMatchObject({
      organization: { login: ORG, id: project.owner.id },
      installation: { id: installation.id },
      projects_v2_item: { id: item.id, project_node_id: expect.any(String), content_node_id: expect.any(String), content_type: 'Issue', creator: { login: 'hubot' } },
      changes: { field_value: { field_type: 'single_select', field_name: 'Status', project_number: 1, from: { name: 'In Progress', id: status.options![1]!.id } } },
    });
    github.assertContract();
  });

  it('names a card by item id, issue number, owner/repo#number or the issue, and refuses an issue number two repositories share', async () => {
    const { github, octocat, issue } = await withBoard();
    const other = octocat.createRepo('acme/web').openIssue({ title: 'Also number one' });
    octocat.addToProject(ORG, 1, issue);
    const web = octocat.addToProject(ORG, 1, other);
    expect(issue.number).toBe(other.number);

    expect(() => octocat.moveProjectItem(ORG, 1, issue.number, 'Done')).toThrow(/several repositories/);
    octocat.moveProjectItem(ORG, 1, 'acme/web#1', 'Done');
    expect(octocat.projectStatus(ORG, 1, web.id)).toBe('Done');
    expect(octocat.projectStatus(ORG, 1, other)).toBe('Done');
    expect(octocat.projectStatus(ORG, 1, 'acme/app#1')).toBeNull();
    expect(octocat.projectStatus(ORG, 1, 'acme/app#2')).toBeUndefined();
    github.assertContract();
  });

  it('archives a card: projects_v2_item.archived with changes.archived_at, and the item listed with archived_at, found by is:archived', async () => {
    const { github, app, octocat, issue, base } = await withBoard();
    const second = octocat.in('acme/app').openIssue({ title: 'Keep me' });
    octocat.addToProject(ORG, 1, issue);
    octocat.addToProject(ORG, 1, second);
    octocat.archiveProjectItem(ORG, 1, issue);
    octocat.archiveProjectItem(ORG, 1, issue);

    const archived = itemEvents(github.webhooks.deliveries).filter((e) => e.action === 'archived');
    expect(archived).toHaveLength(1);
    expect(archived[0].changes.archived_at).toEqual({ from: null, to: archived[0].projects_v2_item.archived_at });
    const listed: any = await app.request('GET /orgs/{org}/projectsV2/{project_number}/items', { ...base, q: 'is:archived' });
    expect(listed.data.map((i: any) => [i.content.number, i.archived_at])).toEqual([[issue.number, expect.any(String)]]);
    github.assertContract();
  });

  it('removes a card: projects_v2_item.deleted, and adding the issue again makes a new item', async () => {
    const { github, octocat, issue } = await withBoard();
    const first = octocat.addToProject(ORG, 1, issue);
    expect(octocat.addToProject(ORG, 1, issue)).toBe(first);
    octocat.removeFromProject(ORG, 1, issue);
    const second = octocat.addToProject(ORG, 1, issue);

    expect(second.id).not.toBe(first.id);
    expect(itemEvents(github.webhooks.deliveries).map((e) => [e.action, e.projects_v2_item.id])).toEqual([
      ['created', first.id],
      ['deleted', first.id],
      ['created', second.id],
    ]);
    github.assertContract();
  });

  it('refuses a column the Status field lacks, and a move on a project without a Status field', async () => {
    const { octocat, issue } = await withBoard(['Todo', 'In Progress', 'Done']);
    octocat.addToProject(ORG, 1, issue);
    expect(() => octocat.moveProjectItem(ORG, 1, issue, 'In Review')).toThrow(/no option In Review/);
    const bare = octocat.createProject(ORG, { title: 'Bare', statusOptions: null });
    octocat.addToProject(ORG, bare.number, issue);
    expect(() => octocat.moveProjectItem(ORG, bare.number, issue, 'Todo')).toThrow(/no Status field/);
    expect(() => octocat.projectStatus(ORG, bare.number, issue)).toThrow(/no Status field/);
  });

  it("numbers each owner's projects from 1, makes an account a person creates a project for an organization, and a person's own login a user project", async () => {
    const { github, octocat, project } = await withBoard();
    const second = octocat.createProject(ORG, { title: 'Second' });
    const mine = octocat.createProject('octocat', { title: 'Mine' });
    const theirs = github.as('hubot').createProject('globex', { title: 'Globex' });

    expect([project.number, second.number, mine.number, theirs.number]).toEqual([1, 2, 1, 1]);
    expect([project.ownerKind, mine.ownerKind, theirs.ownerKind]).toEqual(['organization', 'user', 'organization']);
    expect([project.owner.type, mine.owner.type, theirs.owner.type]).toEqual(['Organization', 'User', 'Organization']);
  });
});
