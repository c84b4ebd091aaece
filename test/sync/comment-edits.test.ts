/** A comment edited on GitHub reaches the next sync, whether or not the time moved. */
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

const commentsOf = (root: string) => (JSON.parse(readText(root, 'tickets/TSK-0001.json')) as { comments: { id: string; body: string }[] }).comments;

describe('a comment edited on GitHub', () => {
  it('reaches the ticket on the next sync, even within the second of the last one', async () => {
    // The emulated clock stands still: the edit leaves the updated_at where the last sync saw it.
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') }, { clockSpeed: 0 });
    expect((await run('push')).code).toBe(0);
    const person = github.as('hubot').in('acme/app');
    const comment = person.comment(1, 'First thoughts.');
    expect((await run('sync')).code).toBe(0);
    expect(commentsOf(root).map((c) => c.body)).toEqual(['First thoughts.']);

    person.editComment(comment.id, 'Second thoughts.');
    expect((await run('sync')).code).toBe(0);
    expect(commentsOf(root).map((c) => [c.id, c.body])).toEqual([[`gh-${comment.id}`, 'Second thoughts.']]);
  });

  it('costs one conditional read answered 304 per issue with comments when nothing changed', async () => {
    const { github, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await run('push')).code).toBe(0);
    github.as('hubot').in('acme/app').comment(1, 'A thought.');
    expect((await run('sync')).code).toBe(0);
    expect((await run('sync')).code).toBe(0);
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    expect(github.log.slice(before).map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues 304',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments 304',
    ]);
  });
});
