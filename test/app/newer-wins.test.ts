/**
 * A newer change is never overwritten by an older one, with no fault
 * injected: the App's commit loses the race for the branch after the run
 * wrote an issue, and the retry must not take that write for a person's
 * newer change.
 */
import { describe, expect, it } from 'vitest';
import { startApp, ticket } from '../support/app.js';

const REF_UPDATE = ['PATCH', '/repos/{owner}/{repo}/git/refs/{ref}'] as const;

describe('a run whose commit loses the race after it wrote an issue', () => {
  it('keeps the person’s newer push: the retry starts from a base that holds the run’s own issue write', async () => {
    const { github, quiet, person, fileOn, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001'), 'tickets/TSK-0002.json': ticket('TSK-0002') });
    await quiet();
    const edit = (title: string, at: string) => ({ ...JSON.parse(fileOn('tickets/TSK-0002.json')!), title, updated_at: at });

    // A person renames TSK-0002 in the file; the push's webhook is lost, so the next full run carries it to #2.
    github.clock.advance(2_000);
    github.webhooks.hold();
    person.push({ 'tickets/TSK-0002.json': JSON.stringify(edit('First rename', github.clock.iso()), null, 2) + '\n' });
    github.webhooks.release([]);
    // While that run commits TSK-0001's change, the person renames TSK-0002 again (edited a moment before it was pushed).
    let second: string | undefined;
    github.beforeNext(...REF_UPDATE, () => {
      const editedAt = new Date(github.clock.now() - 500).toISOString();
      second = person.push({ 'tickets/TSK-0002.json': JSON.stringify(edit('Second rename', editedAt), null, 2) + '\n' }).sha;
    });
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed on GitHub' });
    await quiet();
    expect(failures).toEqual([]);
    expect(second).toBeDefined();

    expect(JSON.parse(fileOn('tickets/TSK-0002.json')!).title).toBe('Second rename');
    expect(github.world.repo('acme/app')!.issues.get(2)!.title).toBe('Second rename');
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!).title).toBe('Renamed on GitHub');
  });
});

describe('a run whose commit loses the race while a comment and a label added on GitHub wait to go into the file', () => {
  it('keeps them on GitHub and brings them into the file: the retry reads them as GitHub’s additions, not as the file’s removals', async () => {
    const { github, quiet, person, fileOn, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const hubot = github.as('hubot').in('acme/app');

    github.webhooks.hold();
    hubot.comment(1, 'Seen on GitHub.');
    hubot.label(1, 'urgent');
    github.clock.advance(2_000);
    const file = JSON.parse(fileOn('tickets/TSK-0001.json')!);
    person.push({
      'tickets/TSK-0001.json': JSON.stringify({ ...file, comments: [{ id: 'c1', author: 'Ada', body: 'Seen in the file.', created_at: github.clock.iso() }], updated_at: github.clock.iso() }, null, 2) + '\n',
    });
    // The run's first commit loses the race for the branch: someone pushes an unrelated file just before.
    github.beforeNext(...REF_UPDATE, () => person.push({ 'README.md': 'x\n' }));
    github.webhooks.release();
    await quiet();

    expect(failures).toEqual([]);
    const issue = github.world.repo('acme/app')!.issues.get(1)!;
    const comments = [...github.world.repo('acme/app')!.comments.values()].filter((c) => c.issueNumber === 1).map((c) => c.body);
    expect(comments).toEqual([expect.stringContaining('Seen on GitHub.'), expect.stringContaining('Seen in the file.')]);
    expect(issue.labels).toContain('urgent');
    const synced = JSON.parse(fileOn('tickets/TSK-0001.json')!);
    expect(synced.labels).toEqual(['urgent']);
    expect(synced.comments.map((c: { body: string }) => c.body).sort()).toEqual(['Seen in the file.', 'Seen on GitHub.']);
  });
});
