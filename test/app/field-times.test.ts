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
    const editedAt = github.clock.iso();
    hubot.editIssue(1, { body: issue().body!.replace('About TSK-0001.', 'Edited on GitHub.') });
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
