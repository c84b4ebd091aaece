/**
 * The App weighs a field changed on both sides by when each side changed
 * that field: a body edit's time comes from the `issues.edited` webhook's
 * `changes` as it arrives, so a comment made after it (which moves the
 * issue's `updated_at`) does not make an older GitHub text beat a newer file
 * text.
 */
import { describe, expect, it } from 'vitest';
import { startApp, ticket } from '../support/app.js';

const GRAPHQL = '/graphql';

describe('a description changed in the file after a person edited the issue body, with a comment after both', () => {
  it('keeps the file’s newer description on both sides, the edit’s time told by its webhook, with no further request', async () => {
    const { github, quiet, person, fileOn, failures, state } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const hubot = github.as('hubot').in('acme/app');
    const issue = () => github.world.repo('acme/app')!.issues.get(1)!;

    github.webhooks.hold();
    github.clock.advance(60_000);
    hubot.editIssue(1, { body: issue().body!.replace('About TSK-0001.', 'Edited on GitHub.') });
    const editedAt = issue().updated_at;
    github.clock.advance(60_000);
    const pushedAt = github.clock.iso();
    person.push({ 'tickets/TSK-0001.json': JSON.stringify({ ...JSON.parse(fileOn('tickets/TSK-0001.json')!), description: 'Edited in the file.', updated_at: pushedAt }, null, 2) + '\n' });
    github.clock.advance(60_000);
    hubot.comment(1, 'A comment moves the issue time.');
    const before = github.log.length;
    github.webhooks.release('fifo');
    await quiet();

    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!).description).toBe('Edited in the file.');
    expect(issue().body).toContain('Edited in the file.');
    expect(issue().body).not.toContain('Edited on GitHub.');
    expect(github.log.slice(before).filter((r) => r.route === GRAPHQL)).toHaveLength(0);
    expect(await state.readLog('acme/app', { conflicts: true })).toEqual([
      expect.objectContaining({ field: 'description', side: 'github', at: pushedAt, conflict: expect.objectContaining({ writer: 'hubot', at: editedAt, value: 'Edited on GitHub.' }) }),
    ]);
  });
});

describe('a title renamed in the file, then on GitHub, then another field of the file changed, before the App looks', () => {
  it('goes to GitHub’s newer title: the file’s history dates its rename, which the ticket’s update time (moved by the later edit) does not', async () => {
    const { github, quiet, person, fileOn, failures, state } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    /** Push an edit of the file stamped with the clock's time; returns that time. */
    const edit = (change: Record<string, unknown>) => {
      const at = github.clock.iso();
      person.push({ 'tickets/TSK-0001.json': JSON.stringify({ ...JSON.parse(fileOn('tickets/TSK-0001.json')!), ...change, updated_at: at }, null, 2) + '\n' });
      return at;
    };

    github.webhooks.hold();
    github.clock.advance(60_000);
    const fileRenamedAt = edit({ title: 'Renamed in the file' });
    github.clock.advance(60_000);
    const githubRenamedAt = github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed on GitHub' }).updated_at;
    github.clock.advance(60_000);
    edit({ priority: 'high' });
    github.webhooks.release('reverse');
    await quiet();

    expect(failures).toEqual([]);
    expect(JSON.parse(fileOn('tickets/TSK-0001.json')!)).toMatchObject({ title: 'Renamed on GitHub', priority: 'high' });
    expect(github.world.repo('acme/app')!.issues.get(1)!).toMatchObject({ title: 'Renamed on GitHub' });
    expect(await state.readLog('acme/app', { conflicts: true })).toEqual([
      expect.objectContaining({ field: 'title', side: 'local', writer: 'hubot', at: githubRenamedAt, conflict: expect.objectContaining({ at: fileRenamedAt, value: 'Renamed in the file' }) }),
    ]);
  });
});
