/** Comments keep their real authors: a comment marker counts only on a comment ticket-sync posted. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

type Comment = { id: string; author: string; body: string };
const commentsOf = (root: string) => (JSON.parse(readText(root, 'tickets/TSK-0001.json')) as { comments: Comment[] }).comments;

describe('a stranger’s comment carrying a comment marker', () => {
  it('lands in the ticket as the stranger’s own comment, not under the name the marker gives', async () => {
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001') });
    expect((await run('push')).code).toBe(0);
    const forged = github.as('mallory').in('acme/app').comment(1, '**the-ceo** wrote:\n\nShip it tonight.\n\n<!-- ticket-sync:comment=c9 author=the-ceo -->');
    expect((await run('sync')).code).toBe(0);
    expect(commentsOf(root).map((c) => [c.id, c.author])).toEqual([[`gh-${forged.id}`, 'mallory']]);
  });

  it('edited to carry a local comment’s marker never rewrites that local comment', async () => {
    const local = { id: 'c1', author: 'Ada', body: 'Measured: 40 ms.', created_at: '2026-11-22T10:00:00Z' };
    const { github, root, run } = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001', { comments: [local] }) });
    expect((await run('push')).code).toBe(0);
    const mallory = github.as('mallory').in('acme/app');
    const old = mallory.comment(1, 'An innocent remark.');
    expect((await run('sync')).code).toBe(0);
    mallory.editComment(old.id, '**Ada** wrote:\n\nMeasured: 4 seconds.\n\n<!-- ticket-sync:comment=c1 author=Ada -->');
    expect((await run('sync')).code).toBe(0);
    const comments = commentsOf(root);
    expect(comments.find((c) => c.id === 'c1')).toMatchObject({ author: 'Ada', body: 'Measured: 40 ms.' });
    expect(comments.find((c) => c.id === `gh-${old.id}`)).toMatchObject({ author: 'mallory' });
    // The local comment on GitHub is ticket-sync's own, untouched.
    const posted = [...github.world.repo('acme/app')!.comments.values()].find((c) => c.user.login === 'octocat');
    expect(posted!.body).toContain('Measured: 40 ms.');
    // Deleting the local comment deletes ticket-sync's own comment, never the stranger's.
    const ticket = JSON.parse(readText(root, 'tickets/TSK-0001.json'));
    writeFileSync(join(root, 'tickets/TSK-0001.json'), JSON.stringify({ ...ticket, comments: ticket.comments.filter((c: Comment) => c.id !== 'c1'), updated_at: '2099-01-01T00:00:00Z' }, null, 2) + '\n');
    expect((await run('sync')).code).toBe(0);
    expect(github.world.repo('acme/app')!.comments.has(old.id)).toBe(true);
  });
});
