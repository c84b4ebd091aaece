/**
 * An issue opened on GitHub is imported as a new ticket and marked, and the
 * commit of its ticket file loses the race for the branch: a person pushed
 * in between (the emulator's `beforeNext` runs the push just before the
 * App's ref update). The retry imports the issue again on the new head.
 */
import { describe, expect, it } from 'vitest';
import { startApp, ticket } from '../support/app.js';

const MARKER = /<!-- ticket-sync:id=(\S+) -->/g;
const REF_UPDATE = ['PATCH', '/repos/{owner}/{repo}/git/refs/{ref}'] as const;

describe('an import whose commit loses the race for the branch', () => {
  it('is imported again on the new head, which keeps the person’s commit: one ticket file and one marker for the issue', async () => {
    const { github, repo, quiet, person, fileOn, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') }, { message: 'Add TSK-0001' });
    await quiet();
    let pushed: string | undefined;
    github.beforeNext(...REF_UPDATE, () => {
      pushed = person.push({ 'README.md': '# app\n' }, { message: 'Add a README' }).sha;
    });
    github.clock.advance(2_000);
    const opened = github.as('hubot').in('acme/app').openIssue({ title: 'Dark mode', body: 'Please add one.' });
    await quiet();
    expect(failures).toEqual([]);

    const [latest, second] = commits();
    expect(latest!.message).toBe(`ticket-sync: TSK-0002 imported from #${opened.number} (#${opened.number} opened by @hubot)`);
    expect(latest!.parents).toEqual([pushed]);
    expect(second!.sha).toBe(pushed);
    expect(fileOn('README.md')).toBe('# app\n');
    expect(JSON.parse(fileOn('tickets/TSK-0002.json')!)).toMatchObject({ title: 'Dark mode', github: { issue: opened.number } });
    const files = [...github.world.files(repo, latest!.tree).keys()].filter((p) => p.startsWith('tickets/'));
    expect(files).toEqual(['tickets/TSK-0001.json', 'tickets/TSK-0002.json']);
    expect([...repo.issues.get(opened.number)!.body!.matchAll(MARKER)].map((m) => m[1])).toEqual(['TSK-0002']);
  });

  it('imports it again under a new id when the person pushed a ticket with the id the first attempt took, and gives that ticket its own issue', async () => {
    const { github, repo, quiet, person, fileOn, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') }, { message: 'Add TSK-0001' });
    await quiet();

    // The import takes the next id, TSK-0002; the person's push in between adds a TSK-0002 of their own.
    let pushed: string | undefined;
    github.beforeNext(...REF_UPDATE, () => {
      pushed = person.push({ 'tickets/TSK-0002.json': ticket('TSK-0002', { title: 'Written by hand' }) }, { message: 'Add TSK-0002 by hand' }).sha;
    });
    github.clock.advance(2_000);
    const logStart = github.log.length;
    const opened = github.as('hubot').in('acme/app').openIssue({ title: 'Dark mode', body: 'Please add one.' });
    await quiet();
    expect(failures).toEqual([]);
    expect(pushed).toBeDefined();
    // The first ref update lost (not a fast forward), the retry landed.
    expect(github.log.slice(logStart).filter((e) => e.method === REF_UPDATE[0] && e.route === REF_UPDATE[1]).map((e) => e.status)).toEqual([422, 200]);

    const files = [...github.world.files(repo, github.world.commit(repo, repo.git.refs.get('refs/heads/main')!)!.tree).keys()].filter((p) => p.startsWith('tickets/'));
    const tickets = files.map((p) => JSON.parse(fileOn(p)!) as { id: string; title: string; github?: { issue: number } });
    // Exactly one ticket for the issue, under an id nobody else has.
    const imported = tickets.filter((t) => t.github?.issue === opened.number);
    expect(imported).toEqual([expect.objectContaining({ id: 'TSK-0003', title: 'Dark mode' })]);
    expect(tickets.filter((t) => t.title === 'Dark mode')).toHaveLength(1);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
    // Exactly one marker on the issue, naming that ticket.
    expect([...repo.issues.get(opened.number)!.body!.matchAll(MARKER)].map((m) => m[1])).toEqual(['TSK-0003']);

    // The person's commit is kept, and their TSK-0002 is theirs: not paired with the issue the first attempt marked TSK-0002.
    expect(commits().map((c) => c.sha)).toContain(pushed);
    const byHand = tickets.find((t) => t.id === 'TSK-0002')!;
    expect(byHand.title).toBe('Written by hand');
    expect(byHand.github?.issue).not.toBe(opened.number);
    expect(repo.issues.get(byHand.github!.issue)!.body).toContain('<!-- ticket-sync:id=TSK-0002 -->');
    // Every issue carries one marker, each naming a different ticket.
    const markers = [...repo.issues.values()].map((i) => [...(i.body ?? '').matchAll(MARKER)].map((m) => m[1]));
    expect(markers.every((m) => m.length === 1)).toBe(true);
    expect(new Set(markers.flat()).size).toBe(markers.length);
  });
});
