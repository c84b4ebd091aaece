import { describe, expect, it, onTestFinished } from 'vitest';
import type { Emulator } from '../emulator.js';
import type { Issue, Repo } from '../state.js';
import { useEmulator, webhookReceiver, type ReceivedWebhook } from '../testing.js';
import * as services from './services.js';
import { issueJson } from './shapes.js';

const owner = 'acme';
const repoName = 'app';
const at = { owner, repo: repoName };
const MINUTE = 60_000;

/**
 * Webhooks to a receiver that checks every signature, from now on: what the
 * setup emitted before is delivered first and forgotten. Closed after the test.
 */
async function listen(github: Emulator): Promise<ReceivedWebhook[]> {
  const receiver = await webhookReceiver('issues-secret');
  github.webhooks.target = { url: receiver.url, secret: 'issues-secret' };
  onTestFinished(() => receiver.close());
  github.webhooks.release();
  await github.settle({ quietMs: 10 });
  receiver.received.length = 0;
  return receiver.received;
}

/** Settle, check every signature, and name each delivery `event.action`. */
async function delivered(github: Emulator, received: ReceivedWebhook[]): Promise<string[]> {
  await github.settle({ quietMs: 30 });
  expect(received.every((r) => r.signatureValid)).toBe(true);
  return received.map((r) => `${r.event}.${r.payload.action}`);
}

/** The status (and message) of a request that is expected to fail. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; message?: string; errors?: unknown[] }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response?: { data?: { message?: string; errors?: unknown[] } } };
    return { status: e.status, message: e.response?.data?.message, errors: e.response?.data?.errors };
  }
  throw new Error('the request succeeded');
}

/** Issues made through the services, as the people-driver makes them. */
function seed(github: Emulator, repo: Repo, titles: string[], extra: Partial<services.NewIssue> = {}): Issue[] {
  const author = github.world.user('mona');
  return titles.map((title) => services.createIssue(github, repo, author, { title, ...extra }));
}

/** A pull request as the pulls group keeps it: an issue with `pull`. */
function pullRequest(github: Emulator, repo: Repo, title: string): Issue {
  const now = github.clock.iso();
  const issue = services.newIssueRecord(github, repo, github.world.user('mona'), title, null);
  issue.pull = {
    head: { ref: 'feature', sha: 'a'.repeat(40) },
    base: { ref: 'main', sha: 'b'.repeat(40) },
    draft: false,
    merged: true,
    merged_at: now,
    merge_commit_sha: 'c'.repeat(40),
    merged_by: github.world.user('mona'),
  };
  return issue;
}

describe('issues', () => {
  it('are created, read, edited, closed as not planned and reopened, each change delivered as its webhook', async () => {
    const { github, person } = await useEmulator();
    const received = await listen(github);
    const octocat = person('octocat');

    const created = await octocat.rest.issues.create({ ...at, title: 'Login fails', body: 'Steps to reproduce' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ number: 1, title: 'Login fails', body: 'Steps to reproduce', state: 'open', user: { login: 'octocat' } });

    const read = await octocat.rest.issues.get({ ...at, issue_number: 1 });
    expect(read.data).toMatchObject({ id: created.data.id, html_url: `${github.rootUrl}/acme/app/issues/1`, comments: 0 });
    expect(read.data.pull_request).toBeUndefined();

    github.clock.advance(MINUTE);
    const edited = await octocat.rest.issues.update({ ...at, issue_number: 1, title: 'Login fails on Safari', body: 'Steps, again' });
    expect(edited.data.updated_at > created.data.updated_at).toBe(true);

    const closed = await octocat.rest.issues.update({ ...at, issue_number: 1, state: 'closed', state_reason: 'not_planned' });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned', closed_by: { login: 'octocat' } });
    expect(closed.data.closed_at).not.toBeNull();

    const reopened = await octocat.rest.issues.update({ ...at, issue_number: 1, state: 'open' });
    expect(reopened.data).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null, closed_by: null });

    expect(await delivered(github, received)).toEqual(['issues.opened', 'issues.edited', 'issues.closed', 'issues.reopened']);
    const [opened, edit, close] = received;
    expect(edit!.payload.changes).toEqual({ title: { from: 'Login fails' }, body: { from: 'Steps to reproduce' } });
    expect(edit!.payload.issue.title).toBe('Login fails on Safari');
    expect(close!.payload.issue.state_reason).toBe('not_planned');
    expect(received.map((r) => r.payload.sender.login)).toEqual(['octocat', 'octocat', 'octocat', 'octocat']);
    expect(opened!.payload.repository.full_name).toBe('acme/app');
  });

  it('answer an edit that changes nothing without an event or a new updated_at, and refuse an empty title with 422', async () => {
    const { github, repo, person } = await useEmulator();
    const [issue] = seed(github, repo, ['Steady']);
    const received = await listen(github);
    github.clock.advance(MINUTE);
    const same = await person().rest.issues.update({ ...at, issue_number: issue!.number, title: 'Steady', state: 'open' });
    expect(same.data.updated_at).toBe(issue!.created_at);
    expect(await failure(person().rest.issues.update({ ...at, issue_number: issue!.number, title: ' ' }))).toMatchObject({
      status: 422,
      errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
    });
    expect(await failure(person().rest.issues.get({ ...at, issue_number: 99 }))).toMatchObject({ status: 404 });
    expect(await delivered(github, received)).toEqual([]);
  });

  it('are listed open by default, filtered by state and by every label given, sorted, and walked over three pages by Link', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const issues = seed(github, repo, ['one', 'two', 'three', 'four', 'five', 'six', 'seven']);
    services.addLabels(github, repo, mona, issues[1]!.number, ['bug', 'ui']);
    services.addLabels(github, repo, mona, issues[2]!.number, ['bug']);
    services.addLabels(github, repo, mona, issues[3]!.number, ['BUG', 'UI']);
    services.closeIssue(github, repo, mona, issues[6]!.number);
    services.createComment(github, repo, mona, issues[4]!.number, 'first');
    services.createComment(github, repo, mona, issues[4]!.number, 'second');
    services.createComment(github, repo, mona, issues[0]!.number, 'only');

    const firstPage = await app.rest.issues.listForRepo({ ...at, per_page: 3 });
    expect(firstPage.data.map((i) => i.title)).toEqual(['six', 'five', 'four']);
    expect(firstPage.headers.link).toBe(
      `<${github.apiUrl}/repos/acme/app/issues?per_page=3&page=2>; rel="next", <${github.apiUrl}/repos/acme/app/issues?per_page=3&page=2>; rel="last"`,
    );
    const all = await app.paginate(app.rest.issues.listForRepo, { ...at, state: 'all', per_page: 3 });
    expect(all.map((i) => i.title)).toEqual(['seven', 'six', 'five', 'four', 'three', 'two', 'one']);
    const pages = github.log.filter((e) => e.route === '/repos/{owner}/{repo}/issues' && e.path === '/repos/acme/app/issues');
    expect(pages).toHaveLength(4);

    const closed = await app.rest.issues.listForRepo({ ...at, state: 'closed' });
    expect(closed.data.map((i) => i.title)).toEqual(['seven']);
    const labelled = await app.rest.issues.listForRepo({ ...at, labels: 'Bug,ui' });
    expect(labelled.data.map((i) => i.title)).toEqual(['four', 'two']);
    const oldest = await app.rest.issues.listForRepo({ ...at, direction: 'asc', per_page: 2 });
    expect(oldest.data.map((i) => i.title)).toEqual(['one', 'two']);
    const discussed = await app.rest.issues.listForRepo({ ...at, sort: 'comments', per_page: 2 });
    expect(discussed.data.map((i) => [i.title, i.comments])).toEqual([
      ['five', 2],
      ['one', 1],
    ]);
  });

  it('answer a repeated list with 304 for its ETag, which is not counted, and a changed list with 200', async () => {
    const { github, repo, app } = await useEmulator();
    seed(github, repo, ['cached']);
    const first = await app.rest.issues.listForRepo(at);
    const again = await failure(app.rest.issues.listForRepo({ ...at, headers: { 'if-none-match': first.headers.etag } }));
    expect(again.status).toBe(304);
    seed(github, repo, ['new']);
    const changed = await app.rest.issues.listForRepo({ ...at, headers: { 'if-none-match': first.headers.etag } });
    expect(changed.data.map((i) => i.title)).toEqual(['new', 'cached']);
    const lists = github.log.filter((e) => e.route === '/repos/{owner}/{repo}/issues');
    expect(lists.map((e) => [e.status, e.counted])).toEqual([
      [200, true],
      [304, false],
      [200, true],
    ]);
  });

  it('are listed since a time: those updated at or after it, a comment counting as an update', async () => {
    const { github, repo, app } = await useEmulator();
    const [old, touched] = seed(github, repo, ['old', 'touched']);
    github.clock.advance(10 * MINUTE);
    const cut = github.clock.iso();
    seed(github, repo, ['fresh']);
    services.createComment(github, repo, github.world.user('mona'), touched!.number, 'still relevant');
    const recent = await app.rest.issues.listForRepo({ ...at, since: cut });
    expect(recent.data.map((i) => i.title)).toEqual(['fresh', 'touched']);
    expect(old!.updated_at < cut).toBe(true);
    expect(await failure(app.rest.issues.listForRepo({ ...at, since: 'yesterday' }))).toMatchObject({ status: 422 });
    // A time that is not one breaks the description's `date-time`: the contract check records it.
    expect(github.violations).toEqual([expect.objectContaining({ kind: 'request-query', message: expect.stringContaining('since="yesterday"') })]);
    github.violations.length = 0;
  });

  it('include pull requests in the issue list with their pull_request key, as GitHub does', async () => {
    const { github, repo, app } = await useEmulator();
    seed(github, repo, ['an issue']);
    const pull = pullRequest(github, repo, 'a pull request');
    const listed = await app.rest.issues.listForRepo(at);
    expect(listed.data.map((i) => i.title)).toEqual(['a pull request', 'an issue']);
    const [pr, issue] = listed.data;
    const html = `${github.rootUrl}/acme/app/pull/${pull.number}`;
    expect(pr!.pull_request).toEqual({
      url: `${github.apiUrl}/repos/acme/app/pulls/${pull.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pull.pull!.merged_at,
    });
    expect(pr!.html_url).toBe(html);
    expect(issue!.pull_request).toBeUndefined();

    // The pulls group renders pull requests' issues with issueJson(urls, repo, issue): assignees resolve without the world.
    services.addAssignees(github, repo, github.world.user('mona'), pull.number, ['mona']);
    expect(issueJson(github.urls, repo, pull).assignees.map((a) => [a.login, a.id])).toEqual([['mona', github.world.user('mona').id]]);
  });
});

describe('comments', () => {
  it('are created, read, edited and deleted, each delivered with the issue, and each moves the issue updated_at', async () => {
    const { github, repo, person } = await useEmulator();
    const [issue] = seed(github, repo, ['Discuss']);
    const received = await listen(github);
    const octocat = person('octocat');

    github.clock.advance(MINUTE);
    const created = await octocat.rest.issues.createComment({ ...at, issue_number: issue!.number, body: 'First!' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ body: 'First!', user: { login: 'octocat' }, issue_url: `${github.apiUrl}/repos/acme/app/issues/1` });
    const afterCreate = issue!.updated_at;
    expect(afterCreate > issue!.created_at).toBe(true);

    const read = await octocat.rest.issues.getComment({ ...at, comment_id: created.data.id });
    expect(read.data.body).toBe('First!');

    github.clock.advance(MINUTE);
    const edited = await octocat.rest.issues.updateComment({ ...at, comment_id: created.data.id, body: 'Second thoughts' });
    expect(edited.data.updated_at > edited.data.created_at).toBe(true);
    expect(issue!.updated_at > afterCreate).toBe(true);

    const listed = await octocat.rest.issues.listComments({ ...at, issue_number: issue!.number });
    expect(listed.data.map((c) => c.body)).toEqual(['Second thoughts']);
    expect((await octocat.rest.issues.get({ ...at, issue_number: issue!.number })).data.comments).toBe(1);

    const deleted = await octocat.rest.issues.deleteComment({ ...at, comment_id: created.data.id });
    expect(deleted.status).toBe(204);
    expect(await failure(octocat.rest.issues.getComment({ ...at, comment_id: created.data.id }))).toMatchObject({ status: 404 });
    expect(await failure(octocat.rest.issues.createComment({ ...at, issue_number: 42, body: 'nowhere' }))).toMatchObject({ status: 404 });

    expect(await delivered(github, received)).toEqual(['issue_comment.created', 'issue_comment.edited', 'issue_comment.deleted']);
    expect(received[1]!.payload.changes).toEqual({ body: { from: 'First!' } });
    expect(received[1]!.payload.comment.body).toBe('Second thoughts');
    expect(received[2]!.payload.issue.number).toBe(issue!.number);
  });

  it('are listed for the whole repository by id, or sorted by update in either direction, and since a time', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const [a, b] = seed(github, repo, ['a', 'b']);
    const first = services.createComment(github, repo, mona, a!.number, 'a1');
    github.clock.advance(MINUTE);
    services.createComment(github, repo, mona, b!.number, 'b1');
    github.clock.advance(MINUTE);
    const cut = github.clock.iso();
    services.createComment(github, repo, mona, a!.number, 'a2');
    github.clock.advance(MINUTE);
    services.updateComment(github, repo, mona, first.id, 'a1, edited');

    const byId = await app.rest.issues.listCommentsForRepo(at);
    expect(byId.data.map((c) => c.body)).toEqual(['a1, edited', 'b1', 'a2']);
    const byUpdate = await app.rest.issues.listCommentsForRepo({ ...at, sort: 'updated', direction: 'desc' });
    expect(byUpdate.data.map((c) => c.body)).toEqual(['a1, edited', 'a2', 'b1']);
    const ignoredDirection = await app.rest.issues.listCommentsForRepo({ ...at, direction: 'desc' });
    expect(ignoredDirection.data.map((c) => c.body)).toEqual(['a1, edited', 'b1', 'a2']);
    const recent = await app.rest.issues.listCommentsForRepo({ ...at, since: cut });
    expect(recent.data.map((c) => c.body)).toEqual(['a1, edited', 'a2']);
    const onA = await app.rest.issues.listComments({ ...at, issue_number: a!.number, since: cut });
    expect(onA.data.map((c) => c.body)).toEqual(['a1, edited', 'a2']);
  });
});

describe('labels', () => {
  it('are created, read, renamed and deleted on the repository, by names of any case, with label webhooks when subscribed', async () => {
    const { github, repo, app } = await useEmulator();
    github.world.app.events.push('label');
    const received = await listen(github);
    const created = await app.rest.issues.createLabel({ ...at, name: 'Bug', color: 'D73A4A', description: 'Something is broken' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'Bug', color: 'd73a4a', description: 'Something is broken', default: false });
    expect(await failure(app.rest.issues.createLabel({ ...at, name: 'BUG', color: '000000' }))).toMatchObject({
      status: 422,
      errors: [{ resource: 'Label', field: 'name', code: 'already_exists' }],
    });
    expect((await app.rest.issues.getLabel({ ...at, name: 'bug' })).data.name).toBe('Bug');

    const [issue] = seed(github, repo, ['labelled'], { labels: ['bug'] });
    expect(issue!.labels).toEqual(['Bug']);
    const renamed = await app.rest.issues.updateLabel({ ...at, name: 'BUG', new_name: 'defect', color: '00ff00' });
    expect(renamed.data).toMatchObject({ name: 'defect', color: '00ff00' });
    expect(await failure(app.rest.issues.getLabel({ ...at, name: 'Bug' }))).toMatchObject({ status: 404 });
    const onIssue = await app.rest.issues.listLabelsOnIssue({ ...at, issue_number: issue!.number });
    expect(onIssue.data.map((l) => l.name)).toEqual(['defect']);

    await app.rest.issues.createLabel({ ...at, name: 'area: ui', color: 'aaaaaa' });
    expect((await app.rest.issues.listLabelsForRepo(at)).data.map((l) => l.name)).toEqual(['area: ui', 'defect']);
    expect((await app.rest.issues.deleteLabel({ ...at, name: 'DEFECT' })).status).toBe(204);
    expect((await app.rest.issues.listLabelsForRepo(at)).data.map((l) => l.name)).toEqual(['area: ui']);
    expect(repo.issues.get(issue!.number)!.labels).toEqual([]);

    expect((await delivered(github, received)).filter((e) => e.startsWith('label.'))).toEqual([
      'label.created',
      'label.edited',
      'label.created',
      'label.deleted',
    ]);
    expect(received.find((r) => r.payload.action === 'edited')!.payload.changes).toEqual({ name: { from: 'Bug' }, color: { from: 'd73a4a' } });
  });

  it('used on an issue before they exist are created, match existing ones in any case, and are added, set and removed with webhooks', async () => {
    const { github, repo, app } = await useEmulator();
    const [issue] = seed(github, repo, ['Needs triage']);
    const received = await listen(github);
    const number = issue!.number;
    await app.rest.issues.createLabel({ ...at, name: 'Bug', color: 'd73a4a' });

    const added = await app.rest.issues.addLabels({ ...at, issue_number: number, labels: ['bug', 'needs review'] });
    expect(added.data.map((l) => l.name)).toEqual(['Bug', 'needs review']);
    expect(repo.labels.get('needs review')).toMatchObject({ color: services.DEFAULT_LABEL_COLOR });
    const again = await app.rest.issues.addLabels({ ...at, issue_number: number, labels: ['BUG'] });
    expect(again.data.map((l) => l.name)).toEqual(['Bug', 'needs review']);
    expect([...repo.labels.keys()]).toEqual(['bug', 'needs review']);

    const set = await app.rest.issues.setLabels({ ...at, issue_number: number, labels: ['NEEDS REVIEW', 'p1'] });
    expect(set.data.map((l) => l.name)).toEqual(['needs review', 'p1']);
    const removed = await app.rest.issues.removeLabel({ ...at, issue_number: number, name: 'P1' });
    expect(removed.data.map((l) => l.name)).toEqual(['needs review']);
    expect(await failure(app.rest.issues.removeLabel({ ...at, issue_number: number, name: 'p1' }))).toMatchObject({
      status: 404,
      message: 'Label does not exist',
    });
    expect((await app.rest.issues.removeAllLabels({ ...at, issue_number: number })).status).toBe(204);
    expect((await app.rest.issues.listLabelsOnIssue({ ...at, issue_number: number })).data).toEqual([]);

    expect(await delivered(github, received)).toEqual([
      'issues.labeled',
      'issues.labeled',
      'issues.unlabeled',
      'issues.labeled',
      'issues.unlabeled',
      'issues.unlabeled',
    ]);
    expect(received.map((r) => r.payload.label.name)).toEqual(['Bug', 'needs review', 'Bug', 'p1', 'p1', 'needs review']);
    expect(received.every((r) => r.payload.sender.login === 'ticket-sync[bot]')).toBe(true);
  });

  it('given when an issue is created are created too, and delivered as labeled after opened', async () => {
    const { github, app } = await useEmulator();
    const received = await listen(github);
    const created = await app.rest.issues.create({ ...at, title: 'With labels', labels: ['ticket', { name: 'P2' }] });
    expect(created.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['ticket', 'P2']);
    expect(await delivered(github, received)).toEqual(['issues.opened', 'issues.labeled', 'issues.labeled']);
  });
});

describe('assignees', () => {
  it('are added and removed with assigned and unassigned webhooks; logins that cannot be assigned are dropped silently', async () => {
    const { github, repo, app } = await useEmulator();
    const [issue] = seed(github, repo, ['Who takes it']);
    const number = issue!.number;
    for (const login of ['hubot', 'octocat', 'outsider']) github.world.user(login);
    github.world.unassignable.add('outsider');
    const received = await listen(github);

    github.clock.advance(MINUTE);
    const added = await app.rest.issues.addAssignees({ ...at, issue_number: number, assignees: ['Hubot', 'octocat', 'outsider', 'ghost'] });
    expect(added.status).toBe(201);
    expect(added.data.assignees!.map((a) => a.login)).toEqual(['hubot', 'octocat']);
    expect(added.data.assignee!.login).toBe('hubot');
    expect(added.data.updated_at > issue!.created_at).toBe(true);

    const check = await app.rest.issues.checkUserCanBeAssignedToIssue({ ...at, issue_number: number, assignee: 'octocat' });
    expect(check.status).toBe(204);
    expect(await failure(app.rest.issues.checkUserCanBeAssignedToIssue({ ...at, issue_number: number, assignee: 'outsider' }))).toMatchObject({
      status: 404,
    });

    const removed = await app.rest.issues.removeAssignees({ ...at, issue_number: number, assignees: ['HUBOT', 'nobody'] });
    expect(removed.data.assignees!.map((a) => a.login)).toEqual(['octocat']);

    expect(await delivered(github, received)).toEqual(['issues.assigned', 'issues.assigned', 'issues.unassigned']);
    expect(received.map((r) => r.payload.assignee.login)).toEqual(['hubot', 'octocat', 'hubot']);
  });

  it('that cannot be assigned make creating or editing an issue fail with 422, changing nothing', async () => {
    const { github, repo, app } = await useEmulator();
    github.world.user('octocat');
    expect(await failure(app.rest.issues.create({ ...at, title: 'x', assignees: ['ghost'] }))).toMatchObject({
      status: 422,
      errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'ghost' }],
    });
    expect(repo.issues.size).toBe(0);
    const created = await app.rest.issues.create({ ...at, title: 'y', assignees: ['octocat'] });
    expect(created.data.assignees!.map((a) => a.login)).toEqual(['octocat']);
    expect(await failure(app.rest.issues.update({ ...at, issue_number: created.data.number, title: 'z', assignees: ['ghost'] }))).toMatchObject({
      status: 422,
    });
    expect(repo.issues.get(created.data.number)).toMatchObject({ title: 'y', assignees: ['octocat'] });
    const replaced = await app.rest.issues.update({ ...at, issue_number: created.data.number, assignees: [] });
    expect(replaced.data.assignees).toEqual([]);
  });
});

describe('sub-issues', () => {
  it('are added by the sub-issue id, not its number, listed in order, reprioritized, and have one parent unless replace_parent', async () => {
    const { github, repo, app } = await useEmulator();
    const [epic, other, a, b, c] = seed(github, repo, ['epic', 'other epic', 'a', 'b', 'c']);
    const add = (parent: Issue, sub: number, replace_parent?: boolean) =>
      app.rest.issues.addSubIssue({ ...at, issue_number: parent.number, sub_issue_id: sub, ...(replace_parent === undefined ? {} : { replace_parent }) });

    expect(await failure(add(epic!, a!.number))).toMatchObject({ status: 422 });
    const added = await add(epic!, a!.id);
    expect(added.status).toBe(201);
    expect(added.data).toMatchObject({ number: epic!.number, sub_issues_summary: { total: 1, completed: 0, percent_completed: 0 } });
    await add(epic!, b!.id);
    await add(epic!, c!.id);
    services.closeIssue(github, repo, github.world.user('mona'), c!.number);

    const listed = await app.rest.issues.listSubIssues({ ...at, issue_number: epic!.number });
    expect(listed.data.map((i) => i.title)).toEqual(['a', 'b', 'c']);
    expect((await app.rest.issues.get({ ...at, issue_number: epic!.number })).data.sub_issues_summary).toEqual({
      total: 3,
      completed: 1,
      percent_completed: 33,
    });
    const parent = await app.rest.issues.getParent({ ...at, issue_number: a!.number });
    expect(parent.data.number).toBe(epic!.number);
    expect((await app.rest.issues.get({ ...at, issue_number: a!.number })).data.parent_issue_url).toBe(
      `${github.apiUrl}/repos/acme/app/issues/${epic!.number}`,
    );
    expect(await failure(app.rest.issues.getParent({ ...at, issue_number: epic!.number }))).toMatchObject({ status: 404 });

    await app.rest.issues.reprioritizeSubIssue({ ...at, issue_number: epic!.number, sub_issue_id: c!.id, before_id: a!.id });
    await app.rest.issues.reprioritizeSubIssue({ ...at, issue_number: epic!.number, sub_issue_id: a!.id, after_id: b!.id });
    expect((await app.rest.issues.listSubIssues({ ...at, issue_number: epic!.number })).data.map((i) => i.title)).toEqual(['c', 'b', 'a']);

    expect(await failure(add(other!, a!.id))).toMatchObject({ status: 422 });
    expect(await failure(add(other!, a!.id, false))).toMatchObject({ status: 422 });
    expect(await failure(add(a!, epic!.id))).toMatchObject({ status: 422 });
    expect(await failure(add(epic!, epic!.id))).toMatchObject({ status: 422 });
    await add(other!, a!.id, true);
    expect(a!.parent).toBe(other!.id);
    expect(epic!.subIssues).toEqual([c!.id, b!.id]);

    const removed = await app.rest.issues.removeSubIssue({ ...at, issue_number: other!.number, sub_issue_id: a!.id });
    expect(removed.data.sub_issues_summary).toEqual({ total: 0, completed: 0, percent_completed: 0 });
    expect(a!.parent).toBeUndefined();
    expect(await failure(app.rest.issues.removeSubIssue({ ...at, issue_number: other!.number, sub_issue_id: a!.id }))).toMatchObject({
      status: 404,
    });
  });

  it('number at most 100 per parent', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const [epic] = seed(github, repo, ['epic']);
    const subs = seed(github, repo, Array.from({ length: 101 }, (_, i) => `task ${i + 1}`));
    for (const sub of subs.slice(0, 99)) services.addSubIssue(github, repo, mona, epic!.number, sub.id);
    const hundredth = await app.rest.issues.addSubIssue({ ...at, issue_number: epic!.number, sub_issue_id: subs[99]!.id });
    expect(hundredth.data.sub_issues_summary!.total).toBe(100);
    expect(await failure(app.rest.issues.addSubIssue({ ...at, issue_number: epic!.number, sub_issue_id: subs[100]!.id }))).toMatchObject({
      status: 422,
    });
    expect(subs[100]!.parent).toBeUndefined();
    const all = await app.paginate(app.rest.issues.listSubIssues, { ...at, issue_number: epic!.number, per_page: 100 });
    expect(all).toHaveLength(100);
  });

  it('are delivered as sub_issue_added, parent_issue_added and their removals to an app subscribed to sub_issues', async () => {
    const { github, repo, app } = await useEmulator();
    github.world.app.events.push('sub_issues');
    const [epic, task, next] = seed(github, repo, ['epic', 'task', 'next epic']);
    const received = await listen(github);
    await app.rest.issues.addSubIssue({ ...at, issue_number: epic!.number, sub_issue_id: task!.id });
    await app.rest.issues.addSubIssue({ ...at, issue_number: next!.number, sub_issue_id: task!.id, replace_parent: true });
    expect(await delivered(github, received)).toEqual([
      'sub_issues.sub_issue_added',
      'sub_issues.parent_issue_added',
      'sub_issues.sub_issue_removed',
      'sub_issues.parent_issue_removed',
      'sub_issues.sub_issue_added',
      'sub_issues.parent_issue_added',
    ]);
    expect(received[0]!.payload).toMatchObject({ sub_issue_id: task!.id, parent_issue_id: epic!.id, sub_issue: { number: task!.number } });
    expect(received[5]!.payload).toMatchObject({ parent_issue_id: next!.id, parent_issue: { number: next!.number } });
    expect(received[0]!.payload.sender.login).toBe('ticket-sync[bot]');
  });
});

describe('issue search', () => {
  it('finds the issue holding a hidden marker in its body, and not one whose id merely starts the same', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    services.createIssue(github, repo, mona, { title: 'Import users', body: 'Details\n\n<!-- ticket-sync:id=TSK-0001 -->' });
    services.createIssue(github, repo, mona, { title: 'Export users', body: '<!-- ticket-sync:id=TSK-00012 -->' });
    pullRequest(github, repo, 'Mentions ticket-sync:id=TSK-0001 in its title');
    const other = github.world.createRepo('acme/other');
    services.createIssue(github, other, mona, { title: 'Elsewhere', body: '<!-- ticket-sync:id=TSK-0001 -->' });

    const found = await app.rest.search.issuesAndPullRequests({ q: 'repo:acme/app is:issue in:body "ticket-sync:id=TSK-0001"' });
    expect(found.data).toMatchObject({ total_count: 1, incomplete_results: false });
    expect(found.data.items.map((i) => i.title)).toEqual(['Import users']);
    const bare = await app.rest.search.issuesAndPullRequests({ q: 'TSK-0001 repo:acme/app' });
    expect(bare.data.items.map((i) => i.title)).toEqual(['Mentions ticket-sync:id=TSK-0001 in its title', 'Import users']);
    const pulls = await app.rest.search.issuesAndPullRequests({ q: 'TSK-0001 repo:acme/app is:pr in:title' });
    expect(pulls.data.items.map((i) => i.pull_request?.html_url)).toEqual([`${github.rootUrl}/acme/app/pull/3`]);
  });

  it('filters by state and label, and refuses a repository it cannot see or an empty query with 422', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const [open, closed] = seed(github, repo, ['open bug', 'closed bug'], { labels: ['Bug'] });
    seed(github, repo, ['open chore']);
    services.closeIssue(github, repo, mona, closed!.number);
    const openBugs = await app.rest.search.issuesAndPullRequests({ q: 'repo:acme/app is:open label:bug' });
    expect(openBugs.data.items.map((i) => i.number)).toEqual([open!.number]);
    const closedOnes = await app.rest.search.issuesAndPullRequests({ q: 'repo:acme/app is:closed' });
    expect(closedOnes.data.items.map((i) => i.number)).toEqual([closed!.number]);
    const titled = await app.rest.search.issuesAndPullRequests({ q: 'repo:acme/app in:title "open chore"' });
    expect(titled.data.items.map((i) => i.title)).toEqual(['open chore']);
    const unlabelled = await app.rest.search.issuesAndPullRequests({ q: 'repo:acme/app -label:BUG' });
    expect(unlabelled.data.items.map((i) => i.title)).toEqual(['open chore']);
    github.world.createRepo('acme/secret');
    expect(await failure(app.rest.search.issuesAndPullRequests({ q: 'repo:acme/secret bug' }))).toMatchObject({ status: 422 });
    expect(await failure(app.rest.search.issuesAndPullRequests({ q: '' }))).toMatchObject({ status: 422 });
  });
});

describe('the app and its own changes', () => {
  it('hears an edit made with its own installation token, with its bot as sender', async () => {
    const { github, repo, app } = await useEmulator();
    const [issue] = seed(github, repo, ['Synced from a ticket']);
    const received = await listen(github);
    await app.rest.issues.update({ ...at, issue_number: issue!.number, body: 'Rewritten by the app' });
    expect(await delivered(github, received)).toEqual(['issues.edited']);
    expect(received[0]!.payload.sender).toMatchObject({ login: 'ticket-sync[bot]', type: 'Bot' });
    expect(received[0]!.payload.changes).toEqual({ body: { from: '' } });
    expect(received[0]!.payload.installation.id).toBeGreaterThan(0);
  });

  it('sees updated_at move with each labeling, assignment, closing and comment made by the people-driver', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const [issue] = seed(github, repo, ['Busy']);
    const number = issue!.number;
    const stamps = [issue!.updated_at];
    const steps = [
      () => services.addLabels(github, repo, mona, number, ['busy']),
      () => services.addAssignees(github, repo, mona, number, ['mona']),
      () => services.removeAssignees(github, repo, mona, number, ['mona']),
      () => services.removeLabel(github, repo, mona, number, 'BUSY'),
      () => services.createComment(github, repo, mona, number, 'noted'),
      () => services.closeIssue(github, repo, mona, number, 'completed'),
      () => services.reopenIssue(github, repo, mona, number),
    ];
    for (const step of steps) {
      github.clock.advance(MINUTE);
      step();
      stamps.push((await app.rest.issues.get({ ...at, issue_number: number })).data.updated_at);
    }
    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('hears a deleted issue as issues.deleted, and the issue and its comments are gone', async () => {
    const { github, repo, app } = await useEmulator();
    const mona = github.world.user('mona');
    const [issue] = seed(github, repo, ['Spam']);
    services.createComment(github, repo, mona, issue!.number, 'more spam');
    const received = await listen(github);
    services.deleteIssue(github, repo, mona, issue!.number);
    expect(await delivered(github, received)).toEqual(['issues.deleted']);
    expect(received[0]!.payload.issue.number).toBe(issue!.number);
    expect(await failure(app.rest.issues.get({ ...at, issue_number: issue!.number }))).toMatchObject({ status: 404 });
    expect(repo.comments.size).toBe(0);
  });
});
