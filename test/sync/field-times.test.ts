/**
 * Last writer wins by when each side changed the field, not by the issue's
 * `updated_at`: any comment moves that, so an older GitHub change would beat
 * a newer file change. GitHub's issue events tell when a title, a label, an
 * assignee or the state changed; where nothing tells (a body edit seen by the
 * CLI), the log marks the time approximate.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/files.js';
import { nativeTicket, workingCopy } from '../support/working-copy.js';

const EVENTS = '/repos/{owner}/{repo}/issues/{issue_number}/events';
const GRAPHQL = '/graphql';

async function synced() {
  const copy = await workingCopy({ 'tickets/TSK-0001.json': nativeTicket('TSK-0001'), 'tickets/TSK-0002.json': nativeTicket('TSK-0002') });
  expect((await copy.run('push')).code).toBe(0);
  const edit = (change: Record<string, unknown>, at: string) =>
    writeFileSync(join(copy.root, 'tickets/TSK-0001.json'), JSON.stringify({ ...JSON.parse(readText(copy.root, 'tickets/TSK-0001.json')), ...change, updated_at: at }, null, 2) + '\n');
  const person = copy.github.as('hubot').in('acme/app');
  return { ...copy, edit, person, issue: () => copy.github.world.repo('acme/app')!.issues.get(1)! };
}

/**
 * A field changed on GitHub (`onGitHub`), a minute later in the file (`inFile`), and a minute later a
 * comment on the issue, which moves its `updated_at` past both.
 */
async function changedOnBothSides(onGitHub: (person: Awaited<ReturnType<typeof synced>>['person'], body: string) => void, inFile: Record<string, unknown>) {
  const copy = await synced();
  const { github, edit, person, issue } = copy;
  github.clock.advance(60_000);
  onGitHub(person, issue().body ?? '');
  // GitHub's own time of the change (the clock runs on: a time read before the change may be a second early).
  const githubAt = issue().updated_at;
  github.clock.advance(60_000);
  const fileAt = github.clock.iso();
  edit(inFile, fileAt);
  github.clock.advance(60_000);
  person.comment(1, 'A comment moves the issue time.');
  github.clock.advance(1_000);
  return { ...copy, githubAt, fileAt, commentedAt: issue().updated_at };
}

describe('a field changed on both sides, with a comment on the issue after both', () => {
  it('goes to the file’s newer title though the comment made the issue newer, and the log names GitHub’s rename time', async () => {
    const { github, root, run, issue, githubAt: renamedAt, fileAt: editedAt } = await changedOnBothSides((p) => p.editIssue(1, { title: 'Renamed on GitHub' }), { title: 'Renamed in the file' });
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    expect(issue().title).toBe('Renamed in the file');
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).title).toBe('Renamed in the file');
    // The events were asked for once, for the one issue with a conflict the issue's time alone would decide.
    expect(github.log.slice(before).filter((r) => r.route === EVENTS)).toHaveLength(1);

    const log = JSON.parse((await run('log', 'TSK-0001', '--conflicts', '--json')).stdout) as { field: string; at: string; approximate?: boolean; conflict: { writer: string; at: string; approximate?: boolean } }[];
    expect(log).toEqual([expect.objectContaining({ field: 'title', at: editedAt, conflict: expect.objectContaining({ writer: 'hubot', at: renamedAt, value: 'Renamed on GitHub' }) })]);
    expect(log[0]).not.toHaveProperty('approximate');
    expect(log[0]!.conflict).not.toHaveProperty('approximate');
  });

  it('goes to the file’s newer status though GitHub closed the issue earlier and a comment came after both', async () => {
    const { root, run, issue } = await changedOnBothSides((p) => p.closeIssue(1, 'not_planned'), { status: 'in_progress' });
    expect((await run('sync')).code).toBe(0);
    expect(issue()).toMatchObject({ state: 'open' });
    expect(issue().labels).toContain('status: in progress');
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).status).toBe('in_progress');
  });

  /** A body edited on GitHub, then the description in the file, then a comment on the issue. */
  const bodyEditedOnBothSides = async () => {
    const both = await changedOnBothSides((p, body) => p.editIssue(1, { body: `${body}\n\nEdited on GitHub.` }), { description: 'Edited in the file.' });
    return { ...both, bodyEditedAt: both.githubAt, fileEditedAt: both.fileAt };
  };

  it('goes to the file’s newer description: GraphQL tells when the body was last edited, which no issue event does', async () => {
    const { github, root, run, issue, bodyEditedAt, fileEditedAt } = await bodyEditedOnBothSides();
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    expect(github.log.slice(before).filter((r) => r.route === GRAPHQL)).toHaveLength(1);
    expect(github.log.slice(before).filter((r) => r.route === EVENTS)).toHaveLength(0);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).description).toBe('Edited in the file.');
    expect(issue().body).not.toContain('Edited on GitHub.');
    const log = JSON.parse((await run('log', 'TSK-0001', '--conflicts', '--json')).stdout) as unknown[];
    expect(log).toEqual([
      expect.objectContaining({ field: 'description', side: 'github', at: fileEditedAt, conflict: expect.objectContaining({ writer: 'hubot', at: bodyEditedAt }) }),
    ]);
  });

  it('is decided by the issue’s time where GitHub does not tell when the body changed (GraphQL refused), and the log says the time is approximate', async () => {
    const { github, root, run, commentedAt } = await bodyEditedOnBothSides();
    // Refused every time, the client's own retries included (a 409 is retried).
    github.fault('POST', GRAPHQL, 409, 10);
    const before = github.log.length;
    expect((await run('sync')).code).toBe(0);
    expect(github.log.slice(before).filter((r) => r.route === GRAPHQL).every((r) => r.status === 409)).toBe(true);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json')).description).toContain('Edited on GitHub.');
    const log = JSON.parse((await run('log', 'TSK-0001', '--conflicts', '--json')).stdout) as unknown[];
    expect(log).toEqual([expect.objectContaining({ field: 'description', at: commentedAt, approximate: true, writer: 'github' })]);
    expect((await run('log', 'TSK-0001', '--conflicts')).stdout).toContain(`~${commentedAt}`);
  });
});

describe('a title renamed and committed in the working copy, then renamed on GitHub, then another field edited in the file', () => {
  it('goes to GitHub’s newer title: the file’s git history dates the rename, which the ticket’s update time (moved by the later edit) does not', async () => {
    const { github, root, run, edit, person, issue } = await synced();
    // A real git repository in place of the working copy's bare `.git` folder.
    rmSync(join(root, '.git'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' } });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'tickets');
    github.clock.advance(60_000);
    const fileRenamedAt = github.clock.iso();
    edit({ title: 'Renamed in the file' }, fileRenamedAt);
    git('commit', '-q', '-am', 'rename');
    github.clock.advance(60_000);
    person.editIssue(1, { title: 'Renamed on GitHub' });
    const githubRenamedAt = issue().updated_at;
    github.clock.advance(60_000);
    edit({ priority: 'high' }, github.clock.iso());
    github.clock.advance(1_000);

    expect((await run('sync')).code).toBe(0);
    expect(JSON.parse(readText(root, 'tickets/TSK-0001.json'))).toMatchObject({ title: 'Renamed on GitHub', priority: 'high' });
    expect(issue().title).toBe('Renamed on GitHub');
    const log = JSON.parse((await run('log', 'TSK-0001', '--conflicts', '--json')).stdout) as unknown[];
    expect(log).toEqual([expect.objectContaining({ field: 'title', side: 'local', at: githubRenamedAt, conflict: expect.objectContaining({ writer: 'Ada', at: fileRenamedAt }) })]);
  });
});
