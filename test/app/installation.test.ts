import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTicketSyncApp } from '../../src/app/app.js';
import { openStateStore } from '../../src/store/keyv-store.js';
import { serveProbotApp, untilQuiet } from '../emulator/probot.js';
import { commitsOf, fileOn, manyTickets as tickets, SECRET, startApp, ticket, ticketId } from '../support/app.js';


describe('installing the App', () => {
  it('syncs a repository it is installed on for the first time, showing its progress in a check run on the branch head', async () => {
    const { github, quiet, failures } = await startApp();
    const tracker = github.as('octocat').createRepo('globex/tracker', tickets(12)).repo;
    const head = tracker.git.refs.get('refs/heads/main')!;
    const logStart = github.log.length;
    github.as('octocat').installApp('globex', ['globex/tracker']);
    await quiet();
    expect(failures).toEqual([]);

    expect(tracker.issues.size).toBe(12);
    for (let n = 1; n <= 12; n++) {
      const id = ticketId(n);
      const number = JSON.parse(fileOn(github, tracker, `tickets/${id}.json`)!).github.issue as number;
      expect(tracker.issues.get(number)!.body).toContain(`<!-- ticket-sync:id=${id} -->`);
    }
    const [latest] = commitsOf(github, tracker);
    expect(latest!.message).toMatch(/^ticket-sync: .*\(first sync\)$/);
    expect(latest!.author.name).toBe('ticket-sync[bot]');

    const runs = [...tracker.checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ head_sha: head, name: 'ticket-sync', status: 'completed', conclusion: 'success', output: { title: 'Tickets in sync' } });
    const titles = github.log
      .slice(logStart)
      .filter((e) => e.route.startsWith('/repos/{owner}/{repo}/check-runs'))
      .map((e) => (e.body as { output?: { title?: string } }).output?.title);
    // Opened, moved on at the first ticket and at the last (12 is less than one step of 25), completed.
    expect(titles).toEqual(['ticket-sync: importing tickets', 'ticket-sync: importing 1 of 12 tickets', 'ticket-sync: importing 12 of 12 tickets', 'Tickets in sync']);

    // Nothing more: the app's own issues and commit come back as webhooks and cause nothing.
    const before = github.log.length;
    await quiet();
    expect(github.log.slice(before).filter((e) => e.createsContent)).toEqual([]);
  });

  it('syncs a repository added to an installation', async () => {
    const { github, installation, quiet, failures } = await startApp();
    const tracker = github.as('octocat').createRepo('acme/tracker', tickets(2)).repo;
    github.as('octocat').changeInstallation(installation, { add: ['acme/tracker'] });
    await quiet();
    expect(failures).toEqual([]);
    expect(tracker.issues.size).toBe(2);
    expect(JSON.parse(fileOn(github, tracker, 'tickets/TSK-0002.json')!).github).toMatchObject({ issue: expect.any(Number) });
  });

  it('paces a first sync under GitHub’s secondary rate limit: it waits as told and goes on, with no issue made twice', async () => {
    let clock: () => number = () => Date.now();
    const { github, quiet, failures, deferred } = await startApp({
      emulator: { secondaryLimit: { perMinute: 6, perHour: 1000 } },
      deps: { now: () => new Date(clock()), sleep: async (ms) => github.clock.advance(ms) },
    });
    clock = () => github.clock.now();
    const tracker = github.as('octocat').createRepo('globex/tracker', tickets(9)).repo;
    github.as('octocat').installApp('globex', ['globex/tracker']);
    await quiet();
    expect(failures).toEqual([]);
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.every((e) => (e as { status?: number }).status === 403)).toBe(true);
    expect(tracker.issues.size).toBe(9);
    const markers = [...tracker.issues.values()].map((i) => /ticket-sync:id=(\S+) -->/.exec(i.body ?? '')?.[1]);
    expect(new Set(markers).size).toBe(9);
    for (let n = 1; n <= 9; n++) expect(JSON.parse(fileOn(github, tracker, `tickets/TSK-000${n}.json`)!).github).toMatchObject({ issue: expect.any(Number) });
    // One check run, taken up again after each wait, and completed.
    expect([...tracker.checkRuns.values()].map((r) => [r.status, r.conclusion])).toEqual([['completed', 'success']]);
  });
});

describe('restarting the App', () => {
  it('resumes the work a stopped instance had stored and not finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticket-sync-restart-'));
    const url = `sqlite://${join(dir, 'state.sqlite')}`;
    const first = await startApp({ state: await openStateStore(url) });
    const { github, repo } = first;
    // The first instance stores the push's job, then hangs on its first request and is never heard of again.
    github.fault('GET', '/repos/{owner}/{repo}/contents/{path}', 'hang');
    first.person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await github.settle({ quietMs: 150 });
    expect(github.log.some((e) => e.status === -1)).toBe(true);
    expect(repo.issues.size).toBe(0);
    await first.crash();

    // A new instance on the same store takes the job up.
    const state = await openStateStore(url);
    const failures: unknown[] = [];
    const second = createTicketSyncApp({ state, onError: (_, error) => failures.push(error) });
    const server = await serveProbotApp(github, second.appFn, SECRET);
    try {
      await untilQuiet(github, second.idle, 20);
      expect(failures).toEqual([]);
      expect(repo.issues.size).toBe(1);
      expect(JSON.parse(fileOn(github, repo, 'tickets/TSK-0001.json')!).github).toMatchObject({ issue: 1 });
    } finally {
      await second.stop();
      await server.close();
    }
  });
});

describe('the periodic reconcile', () => {
  it('catches an issue edit whose webhook never arrived', async () => {
    const { github, app, quiet, person, fileOn: file, commits, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    github.webhooks.hold();
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed on GitHub' });
    github.webhooks.release([]); // the delivery is lost
    await quiet();
    expect(JSON.parse(file('tickets/TSK-0001.json')!).title).toBe('Ticket TSK-0001');

    expect(await app.reconcile()).toBe(1);
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(file('tickets/TSK-0001.json')!).title).toBe('Renamed on GitHub');
    expect(commits()[0]!.message).toMatch(/\(reconcile\)$/);
  });

  it('catches a comment edit whose webhook never arrived, though the issue’s time did not move', async () => {
    const { github, app, quiet, person, fileOn: file, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const hubot = github.as('hubot').in('acme/app');
    const comment = hubot.comment(1, 'First thoughts.');
    await quiet();
    expect(JSON.parse(file('tickets/TSK-0001.json')!).comments.map((c: { body: string }) => c.body)).toEqual(['First thoughts.']);
    // The edit lands in the same second as the comment, so the issue's updated_at stays where the App saw it.
    const seenAt = github.world.repo('acme/app')!.issues.get(1)!.updated_at;
    github.webhooks.hold();
    hubot.editComment(comment.id, 'Second thoughts.');
    github.world.repo('acme/app')!.issues.get(1)!.updated_at = seenAt;
    github.webhooks.release([]); // the delivery is lost

    await app.reconcile();
    await quiet();
    expect(failures).toEqual([]);
    expect(JSON.parse(file('tickets/TSK-0001.json')!).comments.map((c: { body: string }) => c.body)).toEqual(['Second thoughts.']);
  });

  it('costs only unchanged conditional reads when nothing was missed', async () => {
    const { github, app, quiet, person, failures } = await startApp();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    await app.reconcile();
    await quiet();
    const logStart = github.log.length;
    await app.reconcile();
    await quiet();
    expect(failures).toEqual([]);
    const run = github.log.slice(logStart);
    expect(run.filter((e) => e.createsContent && !e.route.includes('access_tokens'))).toEqual([]);
    expect(run.filter((e) => e.route === '/repos/{owner}/{repo}/issues').map((e) => e.status)).toEqual([304]);
  });

  it('runs on its own every RECONCILE_INTERVAL', async () => {
    const { github, quiet, person, fileOn: file } = await startApp({ deps: { reconcileInterval: 300 } });
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    github.webhooks.hold();
    github.clock.advance(2_000);
    github.as('hubot').in('acme/app').editIssue(1, { title: 'Renamed while nobody listened' });
    github.webhooks.release([]);
    await expect.poll(() => JSON.parse(file('tickets/TSK-0001.json')!).title, { timeout: 5_000, interval: 100 }).toBe('Renamed while nobody listened');
  });
});
