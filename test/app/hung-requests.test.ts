import { describe, expect, it } from 'vitest';
import type { Failure } from '../../src/app/jobs.js';
import { startApp, ticket } from '../support/app.js';

/** As many hung repositories as the queue works on at once (4): before time limits, every repository waited for a restart. */
const SLOW = ['acme/slow-1', 'acme/slow-2', 'acme/slow-3', 'acme/slow-4'];

describe('a GitHub that never answers some requests', () => {
  it('holds no worker slot past the request time limit: another repository is synced meanwhile, and the hung jobs are tried again', async () => {
    // The queue's back-off waits move the App's fake clock instead of taking time.
    let clock = Date.now();
    const decided: { repo: string; failure: Failure }[] = [];
    const { github, installation, repo, quiet, person } = await startApp({
      deps: { requestTimeout: 1_000, now: () => new Date(clock), sleep: async (ms) => void (clock += ms), onError: (r, _, failure) => decided.push({ repo: r, failure }) },
    });
    for (const name of SLOW) {
      github.as('octocat').createRepo(name);
      installation.repositories.add(name);
    }
    // Each slow repository's first configuration read hangs: every worker slot is taken by a hung request.
    github.fault('GET', '/repos/{owner}/{repo}/contents/{path}', 'hang', SLOW.length);
    for (const name of SLOW) github.as('octocat').in(name).push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await expect.poll(() => github.log.filter((e) => e.status === -1).length, { timeout: 5_000 }).toBe(SLOW.length);

    const pushed = Date.now();
    person.push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await expect.poll(() => repo.issues.size, { timeout: 5_000, interval: 20 }).toBe(1);
    // At most one time limit's wait for a slot (and the sync itself), not until a restart.
    expect(Date.now() - pushed).toBeLessThan(4_000);

    await quiet();
    // Every hung job failed on the time limit, was tried again after a back-off, and then synced its repository.
    for (const name of SLOW) {
      expect(decided.find((d) => d.repo === name)?.failure, name).toMatchObject({
        action: 'retry',
        why: expect.stringMatching(new RegExp(`^GitHub did not answer GET \\S+/repos/${name}/contents/\\S+ within 1 s`)),
      });
    }
    expect(decided.filter((d) => d.failure.action !== 'retry')).toEqual([]);
    for (const name of SLOW) expect(github.world.repo(name)!.issues.size, name).toBe(1);
    expect(github.log.filter((e) => e.status === -1)).toHaveLength(SLOW.length);
  });
});
