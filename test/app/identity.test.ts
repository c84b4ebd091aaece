/**
 * Through the App: a ticket's identity cannot be forged by text. Markers a
 * stranger planted before the App was installed capture nothing on its
 * first sync, and a forged comment marker lands as the stranger's comment.
 */
import { describe, expect, it } from 'vitest';
import { fileOn, startApp, ticket } from '../support/app.js';

describe('markers planted before the App is installed', () => {
  it('capture no ticket on the first sync: each ticket gets an issue of its own, and the planted issues become tickets of their own', async () => {
    const { github, quiet, failures } = await startApp();
    const owner = github.as('octocat');
    const tracker = owner.createRepo('globex/tracker', { 'tickets/TSK-0001.json': ticket('TSK-0001'), 'tickets/TSK-0002.json': ticket('TSK-0002') }).repo;
    const mallory = github.as('mallory').in('globex/tracker');
    const planted = [1, 2].map((n) => mallory.openIssue({ title: `Planted ${n}`, body: `<!-- ticket-sync:id=TSK-000${n} -->` }).number);

    owner.installApp('globex', ['globex/tracker']);
    await quiet();
    expect(failures).toEqual([]);

    for (const id of ['TSK-0001', 'TSK-0002']) {
      const link = JSON.parse(fileOn(github, tracker, `tickets/${id}.json`)!).github.issue as number;
      expect(planted).not.toContain(link);
      expect(tracker.issues.get(link)!).toMatchObject({ title: `Ticket ${id}`, user: { login: 'ticket-sync[bot]' } });
    }
    for (const number of planted) expect(tracker.issues.get(number)!.title).toMatch(/^Planted/);
    // The planted issues are people's issues: imported as new tickets, never dropped.
    const imported = [3, 4].map((n) => JSON.parse(fileOn(github, tracker, `tickets/TSK-000${n}.json`)!).github.issue as number);
    expect(imported.sort()).toEqual(planted.sort());
  });
});

describe('a comment marker a stranger writes through the App', () => {
  it('lands as the stranger’s own comment', async () => {
    const { github, quiet, person, fileOn: fileOnMain, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const forged = github.as('mallory').in('acme/app').comment(1, 'Ship it.\n\n<!-- ticket-sync:comment=c1 author=the-ceo -->');
    await quiet();
    expect(failures).toEqual([]);
    const comments = JSON.parse(fileOnMain('tickets/TSK-0001.json')!).comments as { id: string; author: string }[];
    expect(comments.map((c) => [c.id, c.author])).toEqual([[`gh-${forged.id}`, 'mallory']]);
  });
});
