import { describe, expect, it } from 'vitest';
import { sign } from '../emulator/webhooks.js';
import { SECRET, startApp as start, ticket, writes } from '../support/app.js';

/** The App on acme/app, holding `files` before it starts. */
async function startApp(files: Record<string, string> = {}) {
  const app = await start({ files });
  return { ...app, fileOnMain: (path: string) => app.fileOn(path), commits: () => app.commits() };
}

describe('the GitHub App', () => {
  it('creates the issue of a pushed ticket and commits the link back, then falls silent', async () => {
    const { github, quiet, person, fileOnMain, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001', { status: 'in_progress' }) }, { message: 'Add a ticket' });
    await quiet();
    expect(failures).toEqual([]);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    expect(issue.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');
    expect(issue.labels).toContain('status: in progress');
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!).github).toMatchObject({ issue: 1 });
    const [latest] = commits();
    expect(latest!.message).toMatch(/^ticket-sync: TSK-0001 .*\(push [0-9a-f]{7} by @octocat\)$/);
    expect(latest!.author.name).toBe('ticket-sync[bot]');

    // Echo quiescence: the app's own commit and issue changes come back as webhooks and cause nothing.
    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('writes a person’s issue edit back into the ticket file as one commit, changing only that field', async () => {
    const { github, quiet, person, fileOnMain, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const before = fileOnMain('tickets/TSK-0001.json')!;
    const commitCount = commits().length;
    const logStart = github.log.length;
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').closeIssue(1);
    await quiet();
    expect(failures).toEqual([]);
    const after = fileOnMain('tickets/TSK-0001.json')!;
    // The ticket's update time is stamped, as the format's tool stamps it: the status and that value change, nothing else.
    const stampOf = (text: string) => (JSON.parse(text) as { updated_at: string }).updated_at;
    expect(Date.parse(stampOf(after))).toBeGreaterThanOrEqual(Date.parse(github.world.repo('acme/app')!.issues.get(1)!.closed_at!));
    expect(after).toBe(before.replace('"status": "open"', '"status": "done"').replace(stampOf(before), stampOf(after)));
    expect(commits()).toHaveLength(commitCount + 1);
    expect(commits()[0]!.message).toBe('ticket-sync: TSK-0001 status → done (#1 closed by @hubot)');
    // No blob is read: the ticket's content is cached by sha since the push (the App wrote it itself).
    expect(github.log.slice(logStart).filter((e) => e.route === '/repos/{owner}/{repo}/git/blobs/{file_sha}')).toEqual([]);
    // One commit: a tree (the file inline), a commit and the ref moved; nothing is written to the issue.
    expect(writes(github, logStart)).toEqual([
      'POST /repos/{owner}/{repo}/git/trees ticket-sync[bot]',
      'POST /repos/{owner}/{repo}/git/commits ticket-sync[bot]',
      'PATCH /repos/{owner}/{repo}/git/refs/{ref} ticket-sync[bot]',
    ]);
  });

  it('turns an issue a person opens into a new ticket file committed by the app, marks the issue, then falls silent', async () => {
    const { github, quiet, person, fileOnMain, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const commitCount = commits().length;
    github.clock.advance(2_000);
    const opened = github.as('hubot').in('acme/app').openIssue({ title: 'Dark mode', body: 'Please add one.', labels: ['type: issue', 'ui'] });
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOnMain('tickets/ISS-0001.json')!)).toMatchObject({
      id: 'ISS-0001',
      type: 'issue',
      title: 'Dark mode',
      description: 'Please add one.',
      labels: ['ui'],
      github: { issue: opened.number },
    });
    expect(commits()).toHaveLength(commitCount + 1);
    expect(commits()[0]!.message).toBe(`ticket-sync: ISS-0001 imported from #${opened.number} (#${opened.number} opened by @hubot)`);
    expect(commits()[0]!.author.name).toBe('ticket-sync[bot]');
    expect(github.world.repo('acme/app')!.issues.get(opened.number)!.body).toBe('Please add one.\n\n<!-- ticket-sync:id=ISS-0001 -->');

    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('keeps the issues born on GitHub of a repository without tickets as native tickets in tickets/', async () => {
    const { github, quiet, fileOnMain, failures } = await startApp({ 'README.md': '# app\n' });
    github.as('hubot').in('acme/app').openIssue({ title: 'First idea', body: 'Let us start.' });
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!)).toMatchObject({ title: 'First idea', description: 'Let us start.', github: { issue: 1 } });
    const before = github.log.length;
    await quiet();
    expect(writes(github, before)).toEqual([]);
  });

  it('brings a comment edit into the ticket even when the issue’s update time does not move', async () => {
    const { github, repo, quiet, person, fileOnMain, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    github.clock.advance(2_000);
    const hubot = github.as('hubot').in('acme/app');
    const comment = hubot.comment(1, 'First thoughts.');
    await quiet();
    const issue = repo.issues.get(1)!;
    const updatedBefore = issue.updated_at;
    github.clock.advance(2_000);
    hubot.editComment(comment.id, 'Second thoughts.');
    issue.updated_at = updatedBefore; // as if GitHub kept the issue's time on a comment edit
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!).comments).toEqual([
      expect.objectContaining({ id: `gh-${comment.id}`, author: 'hubot', body: 'Second thoughts.' }),
    ]);
  });

  it('never moves a ticket back to an older state when deliveries arrive out of order', async () => {
    const { github, quiet, person, fileOnMain, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    github.webhooks.hold();
    const hubot = github.as('hubot').in('acme/app');
    github.clock.advance(2_000);
    hubot.editIssue(1, { title: 'First rename' });
    github.clock.advance(2_000);
    hubot.editIssue(1, { title: 'Second rename' });
    github.webhooks.release('reverse');
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!).title).toBe('Second rename');
  });

  it('refuses a person’s issue edit signed with the wrong secret, changing nothing, though the same delivery signed right is written back', async () => {
    const { github, url, person, quiet, fileOnMain, commits } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    // The rename happens on GitHub, but its webhook never reaches the App on its own.
    github.webhooks.hold();
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed on GitHub' });
    const edited = github.webhooks.deliveries.at(-1)!;
    expect(`${edited.event}.${edited.action}`).toBe('issues.edited');
    github.webhooks.release([]);
    await quiet();
    const before = fileOnMain('tickets/TSK-0001.json');
    const commitCount = commits().length;
    const logStart = github.log.length;
    const post = ({ headers, body }: { headers: Record<string, string>; body: string }) => fetch(`${url}/api/github/webhooks`, { method: 'POST', headers, body });

    const forged = github.webhooks.request(edited, 'not-the-secret');
    expect(forged.headers['x-hub-signature-256']).not.toBe(sign(SECRET, forged.body));
    const refused = await post(forged);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    await quiet();
    expect(fileOnMain('tickets/TSK-0001.json')).toBe(before);
    expect(commits()).toHaveLength(commitCount);
    expect(github.log.slice(logStart)).toEqual([]);

    // The very same delivery, signed with the App's secret: it is acted on, so the refusal above was the signature's doing.
    const accepted = await post(github.webhooks.request(edited, SECRET));
    expect(accepted.status).toBe(200);
    await quiet();
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!).title).toBe('Renamed on GitHub');
    expect(commits()).toHaveLength(commitCount + 1);
    expect(commits()[0]!.message).toBe('ticket-sync: TSK-0001 title → "Renamed on GitHub" (#1 edited by @hubot)');
  });

  it('syncs the valid ticket of a push and annotates the broken one on the pushed commit, leaving its bytes alone', async () => {
    const { github, repo, quiet, person, fileOnMain, failures } = await startApp();
    const broken = '{\n  "id": "TSK-0002",\n  "title": "Half a ticket",\n';
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001'), 'tickets/TSK-0002.json': broken }, { message: 'Add two tickets' });
    const pushed = repo.git.refs.get('refs/heads/main')!;
    await quiet();
    expect(failures).toEqual([]);
    expect(repo.issues.get(1)!.body).toContain('<!-- ticket-sync:id=TSK-0001 -->');
    expect(repo.issues.size).toBe(1);
    expect(JSON.parse(fileOnMain('tickets/TSK-0001.json')!).github).toMatchObject({ issue: 1 });
    expect(fileOnMain('tickets/TSK-0002.json')).toBe(broken);
    const runs = [...repo.checkRuns.values()].filter((r) => r.head_sha === pushed);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'ticket-sync', status: 'completed', conclusion: 'failure', output: { title: '1 invalid ticket file not synced' } });
    expect(runs[0]!.output.summary).toContain('- tickets/TSK-0002.json:4:1: invalid JSON');
    expect(runs[0]!.output.annotations).toEqual([
      expect.objectContaining({ path: 'tickets/TSK-0002.json', start_line: 4, end_line: 4, start_column: 1, annotation_level: 'failure', message: expect.stringMatching(/^invalid JSON: .*the file ends too early/) }),
    ]);
  });

  it('fails the pushed commit’s check on an invalid configuration, naming the key and its line, and syncs nothing', async () => {
    const { repo, quiet, person, failures } = await startApp();
    person.push({ '.github/ticket-sync.yml': 'tickets:\n  format: xml\n', 'tickets/TSK-0001.json': ticket('TSK-0001') }, { message: 'Configure' });
    const pushed = repo.git.refs.get('refs/heads/main')!;
    await quiet();
    expect(failures).toEqual([]);
    expect(repo.issues.size).toBe(0);
    const runs = [...repo.checkRuns.values()].filter((r) => r.head_sha === pushed);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'ticket-sync', status: 'completed', conclusion: 'failure' });
    expect(runs[0]!.output.title).toContain('tickets.format');
    expect(runs[0]!.output.summary).toContain('`.github/ticket-sync.yml` line 2, column 11: tickets.format');
    expect(runs[0]!.output.annotations).toEqual([expect.objectContaining({ path: '.github/ticket-sync.yml', start_line: 2, start_column: 11 })]);
  });

  it('passes the check of a clean push, and makes no check run for an issue event', async () => {
    const { github, repo, quiet, person, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    const pushed = repo.git.refs.get('refs/heads/main')!;
    await quiet();
    expect(failures).toEqual([]);
    expect([...repo.checkRuns.values()].map((r) => [r.head_sha, r.name, r.conclusion, r.output.title])).toEqual([[pushed, 'ticket-sync', 'success', 'Tickets in sync']]);
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').closeIssue(1);
    await quiet();
    expect(failures).toEqual([]);
    expect(repo.checkRuns.size).toBe(1);
  });
});
