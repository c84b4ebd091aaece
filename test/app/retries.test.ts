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
