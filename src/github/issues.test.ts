import { describe, expect, it } from 'vitest';
import type { CachedResponse } from '../store/types.js';
import type { EmulatorOptions } from '../../test/emulator/index.js';
import type { Repo } from '../../test/emulator/state.js';
import { useEmulator } from '../../test/emulator/testing.js';
import { commentMarker, ticketMarker } from '../sync/mapping/markers.js';
import { githubIssues, type GitHubIssuesOptions, type ResponseCache } from './issues.js';
import { createOctokit, RateLimitError, type CreateOctokitOptions, type RateLimitHit } from './octokit.js';

/** The response cache as a plain map, the way the state store keeps it (values round-trip through JSON). */
function memoryCache(): ResponseCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async getCached<T>(key: string) {
      const text = entries.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as CachedResponse<T>);
    },
    async setCached<T>(key: string, value: CachedResponse<T>) {
      entries.set(key, JSON.stringify(value));
    },
  };
}

/**
 * The emulator with `acme/app`, and the adapter on it as the app's
 * installation, through `createOctokit`. Waits are scaled to the emulated
 * clock (and a thousandfold shorter when it runs at real speed), so no test
 * sleeps for the seconds GitHub would ask for.
 */
async function connect(emulator: EmulatorOptions = {}, octokit: Partial<CreateOctokitOptions> = {}, options: GitHubIssuesOptions = {}) {
  const setup = await useEmulator(emulator);
  const { github, installation } = setup;
  const client = createOctokit({
    auth: github.installationToken(installation).token,
    baseUrl: github.apiUrl,
    waitScale: emulator.clockSpeed ? 1 / emulator.clockSpeed : 0.001,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    ...octokit,
  });
  const cache = memoryCache();
  const issues = githubIssues(client, { owner: 'acme', name: 'app' }, cache, options);
  let seen = github.log.length;
  /** The requests made since the last call, as `METHOD route status`. */
  const requests = () => {
    const entries = github.log.slice(seen);
    seen = github.log.length;
    return entries;
  };
  const made = () => requests().map((e) => `${e.method} ${e.route} ${e.status}`);
  const people = github.as('mona').in('acme/app');
  return { ...setup, issues, cache, requests, made, people };
}

const LIST = 'GET /repos/{owner}/{repo}/issues';

describe('the GitHub issues adapter', () => {
  it('lists a new issue with one request, answers the repeat with one uncounted 304, and sees an update', async () => {
    const { issues, requests, made } = await connect();
    const created = await issues.createIssue({ title: 'Add login rate limiting', body: 'Throttle failed logins.', labels: ['security'] });
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 201']);

    expect(await issues.listIssues()).toEqual([created]);
    expect(made()).toEqual([`${LIST} 200`]);

    expect(await issues.listIssues()).toEqual([created]);
    expect(requests().map((e) => [`${e.method} ${e.route} ${e.status}`, e.counted])).toEqual([[`${LIST} 304`, false]]);

    const updated = await issues.updateIssue(created.number, { title: 'Rate-limit logins', state: 'closed', state_reason: 'completed' });
    expect(updated).toMatchObject({ number: created.number, title: 'Rate-limit logins', state: 'closed', state_reason: 'completed', labels: ['security'] });
    expect(made()).toEqual(['PATCH /repos/{owner}/{repo}/issues/{issue_number} 200']);

    expect(await issues.listIssues()).toEqual([updated]);
    expect(made()).toEqual([`${LIST} 200`]);
  });

  it('reads an issue conditionally as a RemoteIssue, with no body as an empty one, and sets labels it never saw', async () => {
    const { github, issues, people, made } = await connect();
    const opened = people.openIssue({ title: 'No description' });
    people.assign(opened.number, 'mona');

    expect(await issues.getIssue(opened.number)).toEqual({
      number: opened.number,
      id: opened.id,
      url: `${github.rootUrl}/acme/app/issues/${opened.number}`,
      title: 'No description',
      body: '',
      state: 'open',
      state_reason: null,
      labels: [],
      assignees: ['mona'],
      author: 'mona',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      comments: 0,
    });
    expect((await issues.getIssue(opened.number))?.number).toBe(opened.number);
    const labelled = await issues.updateIssue(opened.number, { labels: ['never-seen-before'], assignees: [] });
    expect(labelled).toMatchObject({ labels: ['never-seen-before'], assignees: [] });
    expect(await issues.getIssue(999)).toBeUndefined();
    expect(made()).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number} 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number} 304',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number} 404',
    ]);
  });

  it('creates an issue that is already done as a closed issue, with the reason given', async () => {
    const { issues, made } = await connect();
    const created = await issues.createIssue({ title: 'Old work', state: 'closed', state_reason: 'not_planned' });
    expect(created).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 201', 'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200']);
  });

  it('lists 250 issues in three pages, repeats the listing with three 304s, and leaves pull requests out', async () => {
    const { github, issues, requests, made } = await connect();
    const people = github.as('octocat').in('acme/app');
    for (let i = 1; i <= 250; i++) people.openIssue({ title: `Issue ${i}` });
    people.push({ 'README.md': '# app\n' });
    people.push({ 'feature.txt': 'new\n' }, { branch: 'feature' });
    const pull = people.openPullRequest({ head: 'feature', title: 'Add the feature' });

    const listed = await issues.listIssues();
    expect(listed.map((i) => i.number)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(listed.some((i) => i.number === pull.number)).toBe(false);
    expect(made()).toEqual([`${LIST} 200`, `${LIST} 200`, `${LIST} 200`]);

    expect(await issues.listIssues()).toEqual(listed);
    expect(requests().map((e) => [e.status, e.counted])).toEqual([
      [304, false],
      [304, false],
      [304, false],
    ]);
  });

  it('finds a ticket’s issue by its marker right after creating it, and never the issue of a longer id', async () => {
    const { issues, made } = await connect();
    const longer = await issues.createIssue({ title: 'Export users', body: `Details.\n\n${ticketMarker('TSK-00012')}` });
    const wanted = await issues.createIssue({ title: 'Import users', body: `Details.\n\n${ticketMarker('TSK-0001')}` });
    made();

    expect((await issues.findByMarker('TSK-0001'))?.number).toBe(wanted.number);
    expect((await issues.findByMarker('TSK-00012'))?.number).toBe(longer.number);
    expect(await issues.findByMarker('TSK-0002')).toBeUndefined();
    // No search: the listing, fresh once and then answered 304.
    expect(made()).toEqual([`${LIST} 200`, `${LIST} 304`, `${LIST} 304`]);
  });

  it('finds the oldest issue when a marker was copied into a later one', async () => {
    const { issues, people } = await connect();
    const original = people.openIssue({ title: 'Original', body: ticketMarker('TSK-0007') });
    people.openIssue({ title: 'Quoting it', body: `As in #1:\n\n${ticketMarker('TSK-0007')}` });
    expect((await issues.findByMarker('TSK-0007'))?.number).toBe(original.number);
  });

  it('creates, edits, lists and deletes comments, answering an unchanged listing with a 304', async () => {
    const { issues, people, made } = await connect();
    const issue = people.openIssue({ title: 'Discuss' });
    people.comment(issue.number, 'First, by a person.');
    const mine = await issues.createComment(issue.number, 'Second, by ticket-sync.');
    expect(mine).toMatchObject({ author: 'ticket-sync[bot]', body: 'Second, by ticket-sync.' });

    const listed = await issues.listComments(issue.number);
    expect(listed.map((c) => [c.author, c.body])).toEqual([
      ['mona', 'First, by a person.'],
      ['ticket-sync[bot]', 'Second, by ticket-sync.'],
    ]);
    expect(await issues.listComments(issue.number)).toEqual(listed);

    const edited = await issues.updateComment(mine.id, 'Second, edited.');
    expect(edited).toMatchObject({ id: mine.id, body: 'Second, edited.' });
    await issues.deleteComment(listed[0]!.id);
    // Deleting what is already gone is what deleting it was for.
    await issues.deleteComment(listed[0]!.id);
    expect(await issues.listComments(issue.number)).toEqual([edited]);

    expect(made()).toEqual([
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 304',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200',
      'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} 204',
      'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} 404',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200',
    ]);
  });

  it('sees a new comment after a full first page that is itself unchanged', async () => {
    const { issues, people, made } = await connect();
    const issue = people.openIssue({ title: 'Busy' });
    for (let i = 1; i <= 100; i++) people.comment(issue.number, `Comment ${i}`);
    expect(await issues.listComments(issue.number)).toHaveLength(100);
    expect(made()).toEqual(['GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200']);

    people.comment(issue.number, 'Comment 101');
    const listed = await issues.listComments(issue.number);
    expect(listed.map((c) => c.body).slice(-2)).toEqual(['Comment 100', 'Comment 101']);
    expect(made()).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 304',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200',
    ]);
  });

  it('asks once per login whether it can be assigned', async () => {
    const { github, issues, made } = await connect();
    github.world.user('mona');
    github.world.user('outsider');
    github.world.unassignable.add('outsider');

    for (let round = 0; round < 2; round++) {
      expect(await issues.canAssign('mona')).toBe(true);
      expect(await issues.canAssign('MONA')).toBe(true);
      expect(await issues.canAssign('outsider')).toBe(false);
      expect(await issues.canAssign('nobody-at-all')).toBe(false);
    }
    expect(made()).toEqual([
      'GET /repos/{owner}/{repo}/assignees/{assignee} 204',
      'GET /repos/{owner}/{repo}/assignees/{assignee} 404',
      'GET /repos/{owner}/{repo}/assignees/{assignee} 404',
    ]);
  });
});

describe('the Octokit ticket-sync uses', () => {
  it('retries an update that met two 502s and succeeds on the third request', async () => {
    const { github, issues, people, made } = await connect();
    const issue = people.openIssue({ title: 'Flaky' });
    github.fault('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', 502, 2);

    expect(await issues.updateIssue(issue.number, { title: 'Steady' })).toMatchObject({ title: 'Steady' });
    expect(made()).toEqual([
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 502',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 502',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200',
    ]);
  });

  it('never opens a second issue when GitHub made the first but answered 502', async () => {
    const { github, issues, made } = await connect({}, { waitScale: 0.001 });
    github.fault('POST', '/repos/{owner}/{repo}/issues', '502-after');
    const created = await issues.createIssue({ title: 'Once', body: `Body\n\n${ticketMarker('TSK-0007')}` });
    expect(github.world.repo('acme/app')!.issues.size).toBe(1);
    expect(created).toMatchObject({ number: 1, title: 'Once' });
    // An installation token has no user (403): then only an issue made since the first send counts.
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 502', 'GET /user 403', `${LIST} 200`]);
  });

  it('never takes a stranger’s issue carrying the marker for the one a lost create made', async () => {
    const { github, issues } = await connect({}, { waitScale: 0.001 }, { self: async () => 'ticket-sync[bot]' });
    github.as('mallory').in('acme/app').openIssue({ title: 'Planted', body: ticketMarker('TSK-0009') });
    github.fault('POST', '/repos/{owner}/{repo}/issues', 502);
    const created = await issues.createIssue({ title: 'Mine', body: ticketMarker('TSK-0009') });
    expect(created).toMatchObject({ number: 2, title: 'Mine' });
    expect(github.world.repo('acme/app')!.issues.size).toBe(2);
  });

  it('sends a create again after a 502 when the issue is not there', async () => {
    const { github, issues, made } = await connect({}, { waitScale: 0.001 });
    github.fault('POST', '/repos/{owner}/{repo}/issues', 502);
    await issues.createIssue({ title: 'Twice sent', body: ticketMarker('TSK-0008') });
    expect(github.world.repo('acme/app')!.issues.size).toBe(1);
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 502', 'GET /user 403', `${LIST} 200`, 'POST /repos/{owner}/{repo}/issues 201']);
  });

  it('waits out the secondary rate limit for as long as GitHub asks, and creates every issue', async () => {
    const hits: RateLimitHit[] = [];
    const { repo, issues, requests } = await connect(
      { secondaryLimit: { perMinute: 3, perHour: 100 }, clockSpeed: 100 },
      { onRateLimit: (hit) => hits.push(hit) },
    );
    const started = Date.now();
    for (let i = 1; i <= 5; i++) await issues.createIssue({ title: `Issue ${i}` });
    const elapsed = Date.now() - started;

    expect([...repo.issues.values()].map((i) => i.title)).toEqual(['Issue 1', 'Issue 2', 'Issue 3', 'Issue 4', 'Issue 5']);
    const answers = requests().map((e) => ({ status: e.status, at: e.at }));
    const statuses = answers.map((a) => a.status);
    // Three creates a minute: the later ones are refused at first (how many depends on the pace of the first).
    expect(statuses).toContain(403);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s !== 201 && s !== 403)).toEqual([]);
    // Each 403 was told to onRateLimit, waited out for as long as GitHub asked, and followed by a success.
    const refused = answers.flatMap((answer, i) => (answer.status === 403 ? [{ next: answers[i + 1]!.status, waited: answers[i + 1]!.at - answer.at }] : []));
    expect(hits).toEqual(refused.map(() => expect.objectContaining({ kind: 'secondary', method: 'POST', retrying: true })));
    refused.forEach((retry, i) => {
      expect(retry.next).toBe(201);
      expect(retry.waited).toBeGreaterThanOrEqual(hits[i]!.retryAfter * 1000 - 1000);
    });
    expect(elapsed).toBeLessThan(5_000);
  });

  it('gives up on a secondary rate limit that asks for longer than it will wait', async () => {
    const { issues, made } = await connect({ secondaryLimit: { perMinute: 1, perHour: 100 } }, { maxRetryAfter: 30 });
    await issues.createIssue({ title: 'First' });
    await expect(issues.createIssue({ title: 'Second' })).rejects.toMatchObject({ name: 'RateLimitError', kind: 'secondary', status: 403 });
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 201', 'POST /repos/{owner}/{repo}/issues 403']);
  });

  it('fails at once with a RateLimitError when the primary rate limit is used up', async () => {
    const hits: RateLimitHit[] = [];
    const { issues, made } = await connect({ primaryLimit: 2 }, { onRateLimit: (hit) => hits.push(hit) });
    await issues.createIssue({ title: 'One' });
    await issues.listIssues();

    const failure = await issues.listIssues().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ kind: 'primary', status: 403, message: expect.stringMatching(/rate limit for this token is used up; it resets at /) });
    expect((failure as RateLimitError).resetAt!.getTime()).toBeGreaterThan(Date.now());
    expect(hits).toEqual([expect.objectContaining({ kind: 'primary', retrying: false })]);
    expect(made()).toEqual(['POST /repos/{owner}/{repo}/issues 201', `${LIST} 200`, `${LIST} 403`]);
  });
});

describe('a write whose answer was lost', () => {
  const POST_COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
  const COMMENTS = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
  const BOT = 'ticket-sync[bot]';
  /** The comments on an issue as GitHub holds them, as `[author, body]`, oldest first. */
  const commentsOn = (repo: Repo, issue: number) => [...repo.comments.values()].filter((c) => c.issueNumber === issue).map((c) => [c.user.login, c.body]);

  it('never posts a comment twice when GitHub made it but answered 502, and answers with the comment it made', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 });
    const issue = people.openIssue({ title: 'Discuss' });
    const body = `Looks good.\n\n${commentMarker('c1', 'ada')}`;
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '502-after');

    const posted = await issues.createComment(issue.number, body);
    expect(commentsOn(repo, issue.number)).toEqual([[BOT, body]]);
    expect(posted).toMatchObject({ id: [...repo.comments.keys()][0], author: BOT, body });
    // An installation token has no user (403): the comment made since the first send is the one.
    expect(made()).toEqual([`${POST_COMMENT} 502`, 'GET /user 403', `${COMMENTS} 200`]);
  });

  it('sends a comment again after a 502 when GitHub did not make it, and posts it once', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 }, { self: async () => BOT });
    const issue = people.openIssue({ title: 'Discuss' });
    const body = `Looks good.\n\n${commentMarker('c1', 'ada')}`;
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 502);

    expect(await issues.createComment(issue.number, body)).toMatchObject({ author: BOT, body });
    expect(commentsOn(repo, issue.number)).toEqual([[BOT, body]]);
    expect(made()).toEqual([`${POST_COMMENT} 502`, `${COMMENTS} 200`, `${POST_COMMENT} 201`]);
  });

  it('sends a comment again after a timeout when GitHub did not make it', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001, requestTimeout: 300 }, { self: async () => BOT });
    const issue = people.openIssue({ title: 'Discuss' });
    const body = `Looks good.\n\n${commentMarker('c1', 'ada')}`;
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'hang');

    expect(await issues.createComment(issue.number, body)).toMatchObject({ author: BOT, body });
    expect(commentsOn(repo, issue.number)).toEqual([[BOT, body]]);
    expect(made()).toEqual([`${POST_COMMENT} -1`, `${COMMENTS} 200`, `${POST_COMMENT} 201`]);
  });

  it('gives up on a comment after four sends that all met a 502, having looked for it after each', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 }, { self: async () => BOT });
    const issue = people.openIssue({ title: 'Discuss' });
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 502, 4);

    await expect(issues.createComment(issue.number, `Hello.\n\n${commentMarker('c1', 'ada')}`)).rejects.toMatchObject({ status: 502 });
    expect(commentsOn(repo, issue.number)).toEqual([]);
    expect(made()).toEqual([
      `${POST_COMMENT} 502`,
      `${COMMENTS} 200`,
      `${POST_COMMENT} 502`,
      `${COMMENTS} 304`,
      `${POST_COMMENT} 502`,
      `${COMMENTS} 304`,
      `${POST_COMMENT} 502`,
      `${COMMENTS} 304`,
    ]);
  });

  it('takes only a comment of its own account for the one it made, never a stranger’s copy of its marker', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 }, { self: async () => BOT });
    const issue = people.openIssue({ title: 'Discuss' });
    const body = `Looks good.\n\n${commentMarker('c1', 'ada')}`;
    people.comment(issue.number, `Forged.\n\n${commentMarker('c1', 'ada')}`);
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 502);

    expect(await issues.createComment(issue.number, body)).toMatchObject({ author: BOT, body });
    expect(commentsOn(repo, issue.number)).toEqual([
      ['mona', `Forged.\n\n${commentMarker('c1', 'ada')}`],
      [BOT, body],
    ]);
    expect(made()).toEqual([`${POST_COMMENT} 502`, `${COMMENTS} 200`, `${POST_COMMENT} 201`]);
  });

  it('recognizes a comment without a marker by its exact text, posted since the first send', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 }, { self: async () => BOT });
    const issue = people.openIssue({ title: 'Discuss' });
    // The same text, by the same account, two minutes before: an earlier comment, not the one being sent.
    github.clock.advance(-120_000);
    await issues.createComment(issue.number, 'Thanks!');
    github.clock.advance(120_000);
    made();
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '502-after');

    const posted = await issues.createComment(issue.number, 'Thanks!');
    expect(commentsOn(repo, issue.number)).toEqual([
      [BOT, 'Thanks!'],
      [BOT, 'Thanks!'],
    ]);
    expect(posted.id).toBe([...repo.comments.keys()][1]);
    expect(made()).toEqual([`${POST_COMMENT} 502`, `${COMMENTS} 200`]);
  });

  it('takes no copy of its marker made before the first send when its own account is not known', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 });
    const issue = people.openIssue({ title: 'Discuss' });
    const body = `Looks good.\n\n${commentMarker('c1', 'ada')}`;
    github.clock.advance(-120_000);
    people.comment(issue.number, `Forged.\n\n${commentMarker('c1', 'ada')}`);
    github.clock.advance(120_000);
    github.fault('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 502);

    expect(await issues.createComment(issue.number, body)).toMatchObject({ author: BOT, body });
    expect(commentsOn(repo, issue.number)).toEqual([
      ['mona', `Forged.\n\n${commentMarker('c1', 'ada')}`],
      [BOT, body],
    ]);
    expect(made()).toEqual([`${POST_COMMENT} 502`, 'GET /user 403', `${COMMENTS} 200`, `${POST_COMMENT} 201`]);
  });

  it('sends an issue update again after a 502 that came after GitHub applied it, and GitHub records the change once', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 });
    const issue = people.openIssue({ title: 'Flaky' });
    const events: string[] = [];
    github.onRepoEvent((_repo, event, _sender, payload) => events.push(`${event}.${String(payload.action)}`));
    github.fault('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', '502-after');

    const updated = await issues.updateIssue(issue.number, { title: 'Steady', labels: ['bug'], state: 'closed', state_reason: 'completed' });
    expect(updated).toMatchObject({ title: 'Steady', labels: ['bug'], state: 'closed', state_reason: 'completed' });
    expect(made()).toEqual(['PATCH /repos/{owner}/{repo}/issues/{issue_number} 502', 'PATCH /repos/{owner}/{repo}/issues/{issue_number} 200']);
    expect(events.filter((e) => e.startsWith('issues.'))).toEqual(['issues.edited', 'issues.labeled', 'issues.closed']);
  });

  it('takes a comment delete answered 502 after GitHub applied it as done', async () => {
    const { github, repo, issues, people, made } = await connect({}, { waitScale: 0.001 });
    const issue = people.openIssue({ title: 'Discuss' });
    const mine = await issues.createComment(issue.number, 'Outdated.');
    made();
    github.fault('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}', '502-after');

    await issues.deleteComment(mine.id);
    expect(commentsOn(repo, issue.number)).toEqual([]);
    expect(made()).toEqual(['DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} 502', 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} 404']);
  });
});
