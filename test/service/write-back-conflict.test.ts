/**
 * `syncRepository` with `writeBack: pull_request` while main cannot be
 * merged into `ticket-sync/updates` (a merge conflict): what the result
 * tells the App, which the App's end-to-end tests cannot see.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Config } from '../../src/config/schema.js';
import { createOctokit } from '../../src/github/octokit.js';
import { UPDATES_BRANCH } from '../../src/github/write-back.js';
import { syncRepository, type RepoSyncOptions } from '../../src/service/repo-sync.js';
import { openStateStore } from '../../src/store/keyv-store.js';
import type { StateStore } from '../../src/store/types.js';
import { seedFiles } from '../emulator/git/services.js';
import { useEmulator } from '../emulator/testing.js';

const REPO = { owner: 'acme', name: 'app' };

const stores: StateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function ticket(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium', ...extra }, null, 2) + '\n';
}

describe('a sync while main conflicts with the pull request of writeBack: pull_request', () => {
  it('writes nothing, reports the tickets the pull request changed as skipped, and names them in the conflict', async () => {
    const { github, repo, installation } = await useEmulator();
    github.world.app.permissions.pull_requests = 'write';
    seedFiles(github, repo, { 'tickets/TSK-0001.json': ticket('TSK-0001'), 'tickets/TSK-0002.json': ticket('TSK-0002') });
    const octokit = createOctokit({ auth: github.installationToken(installation).token, baseUrl: github.apiUrl, waitScale: 0.001, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const state = await openStateStore('memory:');
    stores.push(state);
    const sync = (writeBack: string, extra: Partial<RepoSyncOptions> = {}) =>
      syncRepository({ octokit, self: async () => github.world.app.bot.login, repo: REPO, branch: 'main', state, config: Config.parse({ writeBack }), cause: 'test', reason: 'test', now: () => new Date(github.clock.iso()), ...extra });
    const head = (branch: string) => repo.git.refs.get(`refs/heads/${branch}`);
    const person = github.as('octocat').in('acme/app');

    // Linked on main, then an issue closed and written back through the pull request.
    await sync('commit');
    github.clock.advance(2_000);
    person.closeIssue(1);
    const closed = await sync('pull_request', { githubWriter: 'octocat' });
    expect(closed.writeBack).toMatchObject({ branch: UPDATES_BRANCH, pullRequest: expect.any(Number) });
    const pr = closed.writeBack!.pullRequest!;
    const pending = head(UPDATES_BRANCH);

    // Main changes TSK-0001 too (a conflict) and TSK-0002 (which the pull request leaves alone).
    const onMain = (id: string) => JSON.parse(github.world.blob(repo, github.world.files(repo, github.world.commit(repo, head('main')!)!.tree).get(`tickets/${id}.json`)!)!.toString('utf8'));
    const pushed = person.push({
      'tickets/TSK-0001.json': JSON.stringify({ ...onMain('TSK-0001'), priority: 'high' }, null, 2) + '\n',
      'tickets/TSK-0002.json': JSON.stringify({ ...onMain('TSK-0002'), title: 'Renamed on main' }, null, 2) + '\n',
    });

    const result = await sync('pull_request', { githubWriter: 'octocat' });
    expect(result.commit).toBeUndefined();
    expect(head('main')).toBe(pushed.sha);
    expect(head(UPDATES_BRANCH)).toBe(pending);
    expect(result.report!.tickets.map((t) => [t.ticket, t.issue, t.outcome])).toEqual([
      ['TSK-0002', 2, 'pushed'],
      ['TSK-0001', 1, 'skipped'],
    ]);
    expect(result.report!.tickets[1]!.reason).toBe(`changed in pull request #${pr}, which cannot take main's changes (merge conflict): synced once that is resolved`);
    expect(result.writeBack).toEqual({
      mode: 'pull_request',
      branch: 'main',
      pullRequest: pr,
      conflict:
        `acme/app: main could not be merged into ${UPDATES_BRANCH} (merge conflict); the branch was left as it was: resolve the conflict in pull request #${pr} ` +
        `(${github.urls.html}/acme/app/pull/${pr}). Until then nothing is written back, and 1 ticket it changes was not synced (TSK-0001)`,
    });
    expect(repo.issues.get(1)).toMatchObject({ state: 'closed', labels: expect.arrayContaining(['priority: medium']) });
    expect(repo.issues.get(2)!.title).toBe('Renamed on main');

    // A push's scoped run that does not reach a held ticket says so.
    const scoped = await sync('pull_request', { changed: ['tickets/TSK-0002.json'] });
    expect(scoped.report!.tickets.map((t) => [t.ticket, t.outcome])).toEqual([['TSK-0002', 'in-sync']]);
    expect(scoped.writeBack!.conflict).toMatch(/\. Until then nothing is written back, and no ticket it changes was in this sync$/);
  });
});
