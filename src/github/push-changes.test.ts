import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../test/emulator/testing.js';
import { moveBranch, seedFiles } from '../../test/emulator/git/services.js';
import {
  changedPaths,
  changedPathsOfPush,
  COMMIT_FILES_LIMIT,
  COMPARE_FILES_LIMIT,
  comparePaths,
  headOfPush,
  pathsOfComparison,
  PUSH_COMMITS_LIMIT,
  type PushPayload,
} from './push-changes.js';

const ZERO = '0'.repeat(40);
const BEFORE = 'a'.repeat(40);
const AFTER = 'b'.repeat(40);
const REPO = { owner: 'acme', name: 'app' };
/** The emulator logs a comparison under the description's `{base}...{head}` template. */
const COMPARE = 'GET /repos/{owner}/{repo}/compare/{base}...{head}';
/** The requests after `start` as `METHOD route status`, the app's token requests left out. */
const made = (log: readonly { method: string; route: string; status: number }[], start = 0) =>
  log.slice(start).filter((e) => !e.route.endsWith('/access_tokens')).map((e) => `${e.method} ${e.route} ${e.status}`);

function push(extra: Partial<PushPayload> = {}): PushPayload {
  return { before: BEFORE, after: AFTER, created: false, deleted: false, forced: false, commits: [], head_commit: { id: AFTER, tree_id: 'c'.repeat(40) }, ...extra };
}

const files = (n: number, prefix = 'tickets/TSK-') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}.json`);

describe('the paths a push payload changed', () => {
  it('are the sorted union of the added, modified and removed paths of its commits', () => {
    const payload = push({
      commits: [
        { added: ['tickets/TSK-0003.json'], modified: ['README.md', 'tickets/TSK-0001.json'], removed: [] },
        { added: [], modified: ['tickets/TSK-0001.json'], removed: ['tickets/TSK-0002.json'] },
      ],
    });
    expect(changedPathsOfPush(payload)).toEqual(['README.md', 'tickets/TSK-0001.json', 'tickets/TSK-0002.json', 'tickets/TSK-0003.json']);
  });

  it('cannot be told for a created or a deleted branch', () => {
    expect(changedPathsOfPush(push({ created: true, before: ZERO, commits: [{ added: ['a.json'] }] }))).toBeUndefined();
    expect(changedPathsOfPush(push({ deleted: true, after: ZERO, head_commit: null }))).toBeUndefined();
  });

  it('need a comparison for a forced push, whose commits say nothing of the commits it dropped', () => {
    expect(changedPathsOfPush(push({ forced: true, commits: [{ modified: ['tickets/TSK-0001.json'] }] }))).toBe('needs compare');
  });

  it(`need a comparison when the commits reach GitHub's limit of ${PUSH_COMMITS_LIMIT}, and not one below it`, () => {
    const commits = (n: number) => Array.from({ length: n }, (_, i) => ({ modified: [`tickets/TSK-${i}.json`] }));
    expect(changedPathsOfPush(push({ commits: commits(PUSH_COMMITS_LIMIT) }))).toBe('needs compare');
    expect(changedPathsOfPush(push({ commits: commits(PUSH_COMMITS_LIMIT - 1) }))).toHaveLength(PUSH_COMMITS_LIMIT - 1);
  });

  it(`need a comparison when a commit lists GitHub's limit of ${COMMIT_FILES_LIMIT} files, added, removed and modified together`, () => {
    const many = files(COMMIT_FILES_LIMIT);
    expect(changedPathsOfPush(push({ commits: [{ added: many.slice(0, 1000), removed: many.slice(1000, 2000), modified: many.slice(2000) }] }))).toBe('needs compare');
    expect(changedPathsOfPush(push({ commits: [{ added: many.slice(1) }] }))).toHaveLength(COMMIT_FILES_LIMIT - 1);
  });

  it('need a comparison when a branch moved with no commits listed', () => {
    expect(changedPathsOfPush(push({ commits: [] }))).toBe('needs compare');
  });
});

describe('the paths a comparison lists', () => {
  it('name a renamed file under both its names', () => {
    expect(
      pathsOfComparison({
        files: [
          { filename: 'tickets/TSK-0002.json' },
          { filename: 'tickets/done/TSK-0001.json', previous_filename: 'tickets/TSK-0001.json' },
        ],
      }),
    ).toEqual(['tickets/TSK-0001.json', 'tickets/TSK-0002.json', 'tickets/done/TSK-0001.json']);
  });

  it(`cannot be trusted at GitHub's cap of ${COMPARE_FILES_LIMIT} files, or when the list is missing`, () => {
    expect(pathsOfComparison({ files: files(COMPARE_FILES_LIMIT).map((filename) => ({ filename })) })).toBeUndefined();
    expect(pathsOfComparison({ files: files(COMPARE_FILES_LIMIT - 1).map((filename) => ({ filename })) })).toHaveLength(COMPARE_FILES_LIMIT - 1);
    expect(pathsOfComparison({})).toBeUndefined();
  });
});

describe('the head of a push', () => {
  it('is its after commit with that commit’s tree and the head it replaced; none for a deleted branch', () => {
    expect(headOfPush(push())).toEqual({ sha: AFTER, tree: 'c'.repeat(40), before: BEFORE });
    expect(headOfPush(push({ deleted: true, after: ZERO, head_commit: null }))).toBeUndefined();
  });
});

describe('the paths a push changed, on GitHub', () => {
  it('come from the payload alone when it lists every commit’s files', async () => {
    const { github, repo, app } = await useEmulator();
    seedFiles(github, repo, { 'README.md': '# app\n', 'tickets/TSK-0001.json': '{}\n' });
    github.as('octocat').in('acme/app').push({ 'tickets/TSK-0001.json': '{"v": 2}\n', 'tickets/TSK-0002.json': '{}\n' });
    const payload = github.webhooks.deliveries.filter((d) => d.event === 'push').at(-1)!.payload as unknown as PushPayload;
    const start = github.log.length;

    expect(await changedPaths(app, REPO, payload)).toEqual(['tickets/TSK-0001.json', 'tickets/TSK-0002.json']);
    expect(made(github.log, start)).toEqual([]);
  });

  it('of a forced push come from comparing both ways, so the files of the dropped commits are among them', async () => {
    const { github, repo, app } = await useEmulator();
    const base = seedFiles(github, repo, { 'tickets/TSK-0001.json': '{}\n', 'tickets/TSK-0002.json': '{}\n' });
    // A rewrite of main's history, made on another branch from the same base.
    const rewrite = seedFiles(github, repo, { 'tickets/TSK-0002.json': '{"v": "rewritten"}\n' }, { branch: 'rewrite' });
    expect(rewrite.parents).toEqual([base.sha]);
    const dropped = github.as('octocat').in('acme/app').push({ 'tickets/TSK-0001.json': '{"v": "dropped"}\n' });
    moveBranch(github, repo, github.world.user('octocat'), 'main', rewrite.sha, { force: true });
    const payload = github.webhooks.deliveries.filter((d) => d.event === 'push').at(-1)!.payload as unknown as PushPayload;
    expect(payload).toMatchObject({ before: dropped.sha, after: rewrite.sha, forced: true });
    expect(changedPathsOfPush(payload)).toBe('needs compare');
    const start = github.log.length;

    expect(await changedPaths(app, REPO, payload)).toEqual(['tickets/TSK-0001.json', 'tickets/TSK-0002.json']);
    expect(made(github.log, start)).toEqual([`${COMPARE} 200`, `${COMPARE} 200`]);
  });

  it(`cannot be told from a comparison that lists ${COMPARE_FILES_LIMIT} files, nor from one GitHub cannot make`, async () => {
    const { github, repo, app } = await useEmulator();
    const base = seedFiles(github, repo, { 'README.md': '# app\n' });
    const person = github.as('octocat').in('acme/app');
    const below = person.push(Object.fromEntries(files(COMPARE_FILES_LIMIT - 1).map((path) => [path, '{}\n'])));
    const at = person.push({ ...Object.fromEntries(files(COMPARE_FILES_LIMIT - 1).map((path) => [path, '{"v": 2}\n'])), 'tickets/extra.json': '{}\n' });

    expect(await comparePaths(app, REPO, base.sha, below.sha)).toEqual(files(COMPARE_FILES_LIMIT - 1));
    expect(await comparePaths(app, REPO, below.sha, at.sha)).toBeUndefined();
    expect(await comparePaths(app, REPO, 'f'.repeat(40), at.sha)).toBeUndefined();
    expect(made(github.log)).toEqual([`${COMPARE} 200`, `${COMPARE} 200`, `${COMPARE} 404`]);
  });
});
