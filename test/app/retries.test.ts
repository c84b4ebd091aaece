import { describe, expect, it } from 'vitest';
import type { Failure } from '../../src/app/jobs.js';
import { startApp, ticket } from '../support/app.js';

describe('a job failing on GitHub’s 5xx', () => {
  it('is tried 4 times in all, with a growing back-off, then dropped', async () => {
    // The queue's back-off waits move the App's fake clock instead of taking time.
    let clock = Date.now();
    const decided: Failure[] = [];
    const backOffs: number[] = [];
    const { github, quiet, person } = await startApp({
      deps: { now: () => new Date(clock), sleep: async (ms) => void (clock += ms), onError: (_, __, failure) => {
        decided.push(failure);
        if (failure.action === 'retry') backOffs.push(failure.notBefore.getTime() - clock);
      } },
    });
    // Every read of the configuration (each try's first request) fails with 502, more often than the App tries.
    github.fault('GET', '/repos/{owner}/{repo}/contents/{path}', 502, 10);
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();
    const tries = github.log.filter((e) => e.route === '/repos/{owner}/{repo}/contents/{path}');
    expect(tries.map((e) => e.status)).toEqual([502, 502, 502, 502]);
    expect(decided.map((f) => f.action)).toEqual(['retry', 'retry', 'retry', 'drop']);
    expect(backOffs).toEqual([5_000, 10_000, 20_000]);
    expect(decided.at(-1)).toMatchObject({ why: expect.stringContaining('gave up after 4 tries') });
    expect(github.world.repo('acme/app')!.issues.size).toBe(0);
  });
});

describe('a ticket whose issue write fails on GitHub’s 5xx while the others sync', () => {
  it('is tried again with the run, until its issue shows the change: the others’ writes are kept, nothing made twice', async () => {
    // The queue's back-off waits move the emulator's clock, which is the App's, instead of taking time.
    const { github, quiet, person, fileOn, failures } = await startApp({ deps: { sleep: async (ms) => github.clock.advance(ms) } });
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001'), 'tickets/TSK-0002.json': ticket('TSK-0002') });
    await quiet();
    const rename = (id: string, title: string) => ({ [`tickets/${id}.json`]: JSON.stringify({ ...JSON.parse(fileOn(`tickets/${id}.json`)!), title, updated_at: github.clock.iso() }, null, 2) + '\n' });

    github.clock.advance(2_000);
    github.fault('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', 502);
    person.push({ ...rename('TSK-0001', 'First, renamed'), ...rename('TSK-0002', 'Second, renamed') });
    await quiet();

    const issues = github.world.repo('acme/app')!.issues;
    expect([issues.get(1)!.title, issues.get(2)!.title]).toEqual(['First, renamed', 'Second, renamed']);
    expect(issues.size).toBe(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ status: 502 });
  });
});

describe('a push’s check run whose answer was lost (a 502 after GitHub made it)', () => {
  it('is made once: the job tried again finds it and updates it instead of making a second', async () => {
    const { github, quiet, person, failures } = await startApp({ deps: { sleep: async (ms) => github.clock.advance(ms) } });
    github.fault('POST', '/repos/{owner}/{repo}/check-runs', '502-after');
    const pushed = person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await quiet();

    expect(failures).toEqual([expect.objectContaining({ status: 502 })]);
    const runs = [...github.world.repo('acme/app')!.checkRuns.values()].filter((r) => r.head_sha === pushed.sha);
    expect(runs.map((r) => [r.name, r.status, r.conclusion])).toEqual([['ticket-sync', 'completed', 'success']]);
    expect(github.world.repo('acme/app')!.issues.size).toBe(1);
  });
});

describe('a job whose writes fail now and then, each try getting some through', () => {
  it('is tried until it is done, however many tries that takes: a try that wrote something does not count toward giving up', async () => {
    const { github, quiet, person, fileOn, failures } = await startApp({ deps: { sleep: async (ms) => github.clock.advance(ms) } });
    const ids = Array.from({ length: 16 }, (_, i) => `TSK-${String(i + 1).padStart(4, '0')}`);
    person.push(Object.fromEntries(ids.map((id) => [`tickets/${id}.json`, ticket(id)])));
    await quiet();
    const renamed = (id: string) => JSON.stringify({ ...JSON.parse(fileOn(`tickets/${id}.json`)!), title: `${id}, renamed`, updated_at: github.clock.iso() }, null, 2) + '\n';

    // Every issue write that gets through makes the next one fail with a 502: each try renames half of what is left.
    const PATCH_ISSUE = ['PATCH', '/repos/{owner}/{repo}/issues/{issue_number}'] as const;
    for (const _ of ids) github.beforeNext(...PATCH_ISSUE, () => github.fault(...PATCH_ISSUE, 502));
    github.clock.advance(2_000);
    person.push(Object.fromEntries(ids.map((id) => [`tickets/${id}.json`, renamed(id)])));
    await quiet();

    const issues = github.world.repo('acme/app')!.issues;
    expect(ids.map((_, i) => issues.get(i + 1)!.title)).toEqual(ids.map((id) => `${id}, renamed`));
    // 16, 8, 4, 2 and 1 renames left: four tries failed, each after getting half through, and the fifth finished.
    expect(failures).toHaveLength(4);
  });
});
