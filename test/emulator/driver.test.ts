import { describe, expect, it } from 'vitest';
import { TestOctokit, useEmulator, webhookReceiver } from './testing.js';

// The example in README ("Testing against the GitHub emulator"), kept here word for word so it stays true.
it('answers a repeated list with 304 and tells the app about an edit', async () => {
  // acme/app, the app installed on it, and Octokit as the app and as people;
  // closed and contract-checked after the test.
  const { github, app, person } = await useEmulator();
  const receiver = await webhookReceiver('secret');
  github.webhooks.target = { url: receiver.url, secret: 'secret' };

  const { data: issue } = await app.rest.issues.create({ owner: 'acme', repo: 'app', title: 'Hello' });
  const list = await app.rest.issues.listForRepo({ owner: 'acme', repo: 'app' });
  await expect(
    app.rest.issues.listForRepo({ owner: 'acme', repo: 'app', headers: { 'if-none-match': list.headers.etag } }),
  ).rejects.toMatchObject({ status: 304 });
  await person('octocat').rest.issues.update({ owner: 'acme', repo: 'app', issue_number: issue.number, title: 'Hi' });
  await github.settle();

  expect(receiver.received.map((d) => `${d.event}.${d.payload.action} by ${d.payload.sender.login}`)).toEqual([
    'issues.opened by ticket-sync[bot]',
    'issues.edited by octocat',
  ]);
  expect(github.log.filter((e) => e.counted)).toHaveLength(4); // token, create, list, edit: the 304 is free
});

describe('people acting through the driver', () => {
  it('push, open and work an issue, and ship a pull request, each action sending the webhooks GitHub sends', async () => {
    const { github, app } = await useEmulator();
    const receiver = await webhookReceiver('secret');
    github.webhooks.target = { url: receiver.url, secret: 'secret' };
    const octocat = github.as('octocat').in('acme/app');
    const hubot = github.as('hubot').in('acme/app');

    octocat.push({ 'tickets/TSK-0001.json': '{"id": "TSK-0001", "title": "First"}\n' }, { message: 'Add a ticket' });
    const issue = octocat.openIssue({ title: 'Crash on start', body: 'It crashes.' });
    hubot.label(issue.number, 'bug');
    hubot.assign(issue.number, 'hubot');
    const comment = hubot.comment(issue.number, 'On it.');
    hubot.editComment(comment.id, 'On it, fix coming.');
    const head = hubot.push({ 'src/fix.txt': 'fixed\n' }, { branch: 'fix-crash', message: 'Fix the crash' });
    const pr = hubot.openPullRequest({ head: 'fix-crash', title: 'Fix the crash', body: `Fixes #${issue.number}`, draft: true });
    hubot.markReady(pr.number);
    hubot.completeCheck(head.sha, 'test', 'success');
    octocat.merge(pr.number);
    octocat.closeIssue(issue.number);
    await github.settle();
    await receiver.close();

    const seen = receiver.received.map((d) => [d.event, d.payload.action ?? d.payload.ref, d.payload.sender.login, d.signatureValid]);
    expect(seen).toEqual([
      ['push', 'refs/heads/main', 'octocat', true],
      ['check_suite', 'requested', 'octocat', true],
      ['issues', 'opened', 'octocat', true],
      ['issues', 'labeled', 'hubot', true],
      ['issues', 'assigned', 'hubot', true],
      ['issue_comment', 'created', 'hubot', true],
      ['issue_comment', 'edited', 'hubot', true],
      ['push', 'refs/heads/fix-crash', 'hubot', true],
      ['check_suite', 'requested', 'hubot', true],
      ['pull_request', 'opened', 'hubot', true],
      ['pull_request', 'ready_for_review', 'hubot', true],
      // The app has checks permission and subscribes to check runs and suites, so it hears CI's too.
      ['check_run', 'created', 'hubot', true],
      ['check_run', 'completed', 'hubot', true],
      ['check_suite', 'completed', 'hubot', true],
      ['push', 'refs/heads/main', 'octocat', true],
      ['check_suite', 'requested', 'octocat', true],
      ['pull_request', 'closed', 'octocat', true],
      ['issues', 'closed', 'octocat', true],
    ]);
    const merged = receiver.received.find((d) => d.event === 'pull_request' && d.payload.action === 'closed')!;
    expect(merged.payload.pull_request.merged).toBe(true);

    // What people did is what the REST API shows the app.
    const { data } = await app.rest.issues.get({ owner: 'acme', repo: 'app', issue_number: issue.number });
    expect(data).toMatchObject({ state: 'closed', state_reason: 'completed', labels: [{ name: 'bug' }], assignees: [{ login: 'hubot' }], comments: 1 });
    const file = await app.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'src/fix.txt' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString()).toBe('fixed\n');
  });
});

describe('creating a repository and installing the app as a person', () => {
  it('makes a repository with files that the newly installed app can read, announced by installation.created only', async () => {
    const { github } = await useEmulator();
    const receiver = await webhookReceiver('secret');
    github.webhooks.target = { url: receiver.url, secret: 'secret' };
    const mona = github.as('mona');
    mona.createRepo('mona/tickets', { 'tickets/TSK-0001.json': '{"id": "TSK-0001", "title": "One"}\n', 'README.md': '# tickets\n' });
    const installation = mona.installApp('mona', ['mona/tickets']);
    await github.settle();
    await receiver.close();
    expect(receiver.received.map((d) => `${d.event}.${d.payload.action}`)).toEqual(['installation.created']);

    const app = new TestOctokit({ baseUrl: github.apiUrl, auth: github.installationToken(installation).token });
    const tree = await app.rest.git.getTree({ owner: 'mona', repo: 'tickets', tree_sha: 'main', recursive: 'true' });
    expect(tree.data.tree.filter((e) => e.type === 'blob').map((e) => e.path)).toEqual(['README.md', 'tickets/TSK-0001.json']);
  });
});

