import { describe, expect, it } from 'vitest';
import { useEmulator } from '../testing.js';
import * as services from './services.js';

const at = { owner: 'acme', repo: 'app' };
const MINUTE = 60_000;
const ROUTE = '/repos/{owner}/{repo}/issues/{issue_number}/events';

/** The status of a request that is expected to fail. */
async function failure(promise: Promise<unknown>): Promise<{ status: number }> {
  try {
    await promise;
  } catch (error) {
    return { status: (error as { status: number }).status };
  }
  throw new Error('the request succeeded');
}

/** A started emulator whose clock stands still unless advanced, so every `created_at` is known. */
async function frozen() {
  const setup = await useEmulator({ clockSpeed: 0 });
  /** A minute on: the time of what happens next. */
  const later = (): string => {
    setup.github.clock.advance(MINUTE);
    return setup.github.clock.iso();
  };
  return { ...setup, later };
}

/** What a test compares: the event's type, time and the field its type carries. */
function summary(e: { event: string; created_at: string; rename?: unknown; label?: { name: string }; assignee?: { login: string }; state_reason?: unknown }) {
  const detail = e.rename ?? e.label?.name ?? e.assignee?.login ?? e.state_reason;
  return detail === undefined ? [e.event, e.created_at] : [e.event, e.created_at, detail];
}

describe('issue events', () => {
  it('list a rename, labels replaced and added and removed, assignees, a close as not planned and a reopen, oldest first, each at the time it happened', async () => {
    const { github, person, later } = await frozen();
    const octocat = person('octocat');
    person('mona');
    await octocat.rest.issues.create({ ...at, title: 'Login fails' });

    const renamed = later();
    await octocat.rest.issues.update({ ...at, issue_number: 1, title: 'Login fails on Safari' });
    const replaced = later();
    await octocat.rest.issues.update({ ...at, issue_number: 1, labels: ['bug', 'ui'] });
    const narrowed = later();
    await octocat.rest.issues.update({ ...at, issue_number: 1, labels: ['ui'] });
    const added = later();
    await octocat.rest.issues.addLabels({ ...at, issue_number: 1, labels: ['docs'] });
    const removed = later();
    await octocat.rest.issues.removeLabel({ ...at, issue_number: 1, name: 'UI' });
    const assigned = later();
    await octocat.rest.issues.addAssignees({ ...at, issue_number: 1, assignees: ['octocat', 'mona'] });
    const unassigned = later();
    await octocat.rest.issues.removeAssignees({ ...at, issue_number: 1, assignees: ['mona'] });
    const closed = later();
    await octocat.rest.issues.update({ ...at, issue_number: 1, state: 'closed', state_reason: 'not_planned' });
    const reopened = later();
    const issue = await octocat.rest.issues.update({ ...at, issue_number: 1, state: 'open' });

    const events = await octocat.rest.issues.listEvents({ ...at, issue_number: 1 });
    expect(events.data.map(summary)).toEqual([
      ['renamed', renamed, { from: 'Login fails', to: 'Login fails on Safari' }],
      ['labeled', replaced, 'bug'],
      ['labeled', replaced, 'ui'],
      ['unlabeled', narrowed, 'bug'],
      ['labeled', added, 'docs'],
      ['unlabeled', removed, 'ui'],
      ['assigned', assigned, 'octocat'],
      ['assigned', assigned, 'mona'],
      ['unassigned', unassigned, 'mona'],
      ['closed', closed, 'not_planned'],
      ['reopened', reopened],
    ]);
    // The same second-resolution time the issue's `updated_at` has.
    expect(events.data.at(-1)!.created_at).toBe(issue.data.updated_at);
    expect(new Set(events.data.map((e) => e.id)).size).toBe(events.data.length);
    expect(github.violations).toEqual([]);
  });

  it('serve each event in GitHub shape, with the person as actor and assigner and no app', async () => {
    const { github, repo, person } = await frozen();
    const octocat = person('octocat');
    services.createIssue(github, repo, github.world.user('mona'), { title: 'Crash', labels: ['bug'] });
    await octocat.rest.issues.addAssignees({ ...at, issue_number: 1, assignees: ['octocat'] });

    const [labeled, assigned] = (await octocat.rest.issues.listEvents({ ...at, issue_number: 1 })).data;
    const user = (login: string) => expect.objectContaining({ login, type: 'User', url: `${github.apiUrl}/users/${login}` });
    expect(labeled).toEqual({
      id: expect.any(Number),
      node_id: expect.any(String),
      url: `${github.apiUrl}/repos/acme/app/issues/events/${labeled!.id}`,
      actor: user('mona'),
      event: 'labeled',
      commit_id: null,
      commit_url: null,
      created_at: github.clock.iso(),
      label: { name: 'bug', color: services.DEFAULT_LABEL_COLOR },
      performed_via_github_app: null,
    });
    expect(assigned).toMatchObject({ event: 'assigned', actor: user('octocat'), assignee: user('octocat'), assigner: user('octocat'), performed_via_github_app: null });
    expect(Buffer.from(assigned!.node_id, 'base64').toString()).toBe(`AssignedEvent:${assigned!.id}`);
  });

  it('name the installed app as performed_via_github_app when its bot made the change', async () => {
    const { github, app, person } = await frozen();
    person('mona');
    await app.rest.issues.create({ ...at, title: 'Synced', labels: ['synced'], assignees: ['mona'] });
    await app.rest.issues.update({ ...at, issue_number: 1, state: 'closed' });

    const events = (await app.rest.issues.listEvents({ ...at, issue_number: 1 })).data;
    expect(events.map((e) => [e.event, e.actor.login])).toEqual([
      ['labeled', 'ticket-sync[bot]'],
      ['assigned', 'ticket-sync[bot]'],
      ['closed', 'ticket-sync[bot]'],
    ]);
    for (const e of events) expect(e.performed_via_github_app).toMatchObject({ id: github.world.app.id, slug: 'ticket-sync' });
    expect(events[2]).toMatchObject({ state_reason: 'completed' });
    expect(github.violations).toEqual([]);
  });

  it('record nothing for a body edit, though the issue is updated', async () => {
    const { github, person, later } = await frozen();
    const octocat = person('octocat');
    const created = await octocat.rest.issues.create({ ...at, title: 'Typo', body: 'teh' });
    later();
    const edited = await octocat.rest.issues.update({ ...at, issue_number: 1, body: 'the' });
    expect(edited.data.updated_at).not.toBe(created.data.updated_at);
    expect((await octocat.rest.issues.listEvents({ ...at, issue_number: 1 })).data).toEqual([]);
  });

  it('are walked over three pages by Link, oldest first, each page a counted request', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    services.createIssue(github, repo, mona, { title: 'Busy' });
    const names = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'];
    for (const name of names) services.addLabels(github, repo, mona, 1, [name]);

    const first = await app.rest.issues.listEvents({ ...at, issue_number: 1, per_page: 3 });
    expect(first.data.map((e) => (e as { label: { name: string } }).label.name)).toEqual(['l1', 'l2', 'l3']);
    const url = `${github.apiUrl}/repos/acme/app/issues/1/events`;
    expect(first.headers.link).toBe(`<${url}?per_page=3&page=2>; rel="next", <${url}?per_page=3&page=3>; rel="last"`);
    const last = await app.rest.issues.listEvents({ ...at, issue_number: 1, per_page: 3, page: 3 });
    expect(last.headers.link).toBe(`<${url}?per_page=3&page=2>; rel="prev", <${url}?per_page=3&page=1>; rel="first"`);

    const all = await app.paginate(app.rest.issues.listEvents, { ...at, issue_number: 1, per_page: 3 });
    expect(all.map((e) => (e as { label: { name: string } }).label.name)).toEqual(names);
    const pages = github.log.filter((e) => e.route === ROUTE);
    expect(pages.map((e) => [e.path, e.status, e.counted])).toEqual(Array(5).fill(['/repos/acme/app/issues/1/events', 200, true]));
  });

  it('answer a repeated list with 304 for its ETag, which is not counted, and a longer list with 200', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    services.createIssue(github, repo, mona, { title: 'Cached', labels: ['bug'] });
    const first = await app.rest.issues.listEvents({ ...at, issue_number: 1 });
    expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(await failure(app.rest.issues.listEvents({ ...at, issue_number: 1, headers: { 'if-none-match': first.headers.etag } }))).toEqual({ status: 304 });
    services.removeLabel(github, repo, mona, 1, 'bug');
    const changed = await app.rest.issues.listEvents({ ...at, issue_number: 1, headers: { 'if-none-match': first.headers.etag } });
    expect(changed.data.map((e) => e.event)).toEqual(['labeled', 'unlabeled']);
    expect(github.log.filter((e) => e.route === ROUTE).map((e) => [e.status, e.counted])).toEqual([
      [200, true],
      [304, false],
      [200, true],
    ]);
  });

  it('answer 404 for an issue that does not exist or was deleted, whose events went with it', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    services.createIssue(github, repo, mona, { title: 'Spam', labels: ['spam'] });
    expect(await failure(app.rest.issues.listEvents({ ...at, issue_number: 99 }))).toEqual({ status: 404 });
    services.deleteIssue(github, repo, mona, 1);
    expect(await failure(app.rest.issues.listEvents({ ...at, issue_number: 1 }))).toEqual({ status: 404 });
    expect(github.log.filter((e) => e.route === ROUTE).map((e) => e.status)).toEqual([404, 404]);
  });

  it('are recorded for a pull request’s issue too', async () => {
    const { github, app } = await useEmulator();
    const mona = github.as('mona').in('acme/app');
    mona.push({ 'README.md': 'hello' });
    mona.push({ 'a.txt': 'a' }, { branch: 'feature' });
    const pull = mona.openPullRequest({ title: 'Add a', head: 'feature', base: 'main' });
    mona.label(pull.number, 'review');
    await app.rest.issues.update({ ...at, issue_number: pull.number, title: 'Add a.txt' });
    const events = (await app.rest.issues.listEvents({ ...at, issue_number: pull.number })).data;
    expect(events.map((e) => [e.event, e.actor.login])).toEqual([
      ['labeled', 'mona'],
      ['renamed', 'ticket-sync[bot]'],
    ]);
  });

  it('are held to GitHub’s description, which rejects an event without its actor or with a text id', async () => {
    const { github, repo, app } = await useEmulator();
    services.createIssue(github, repo, github.world.user('mona'), { title: 'Checked', labels: ['bug'] });
    const served = (await app.rest.issues.listEvents({ ...at, issue_number: 1 })).data;
    expect(github.options.checkResponses).toBe(true);
    expect(github.violations).toEqual([]);

    const { operation } = github.contract.match('GET', '/repos/acme/app/issues/1/events')!;
    expect(operation.operationId).toBe('issues/list-events');
    expect(github.contract.checkResponse(operation, 200, served)).toBeUndefined();
    const { actor: _actor, ...withoutActor } = served[0]!;
    expect(github.contract.checkResponse(operation, 200, [withoutActor])).toMatch(/actor/);
    expect(github.contract.checkResponse(operation, 200, [{ ...served[0], id: String(served[0]!.id) }])).toMatch(/id/);
  });
});
