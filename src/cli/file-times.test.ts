import { execFileSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/files.js';
import { fileTimes } from './file-times.js';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

describe('when a ticket file was last written', () => {
  it('is its last commit when unchanged since, and its modification time when changed or new', async () => {
    const root = tempDir({ 'tickets/a.json': '{}', 'tickets/b.json': '{}' });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'tickets');
    writeFileSync(join(root, 'tickets', 'b.json'), '{"changed": true}');
    writeFileSync(join(root, 'tickets', 'c.json'), '{}');
    const touched = new Date('2026-05-06T07:08:09Z');
    utimesSync(join(root, 'tickets', 'b.json'), touched, touched);
    utimesSync(join(root, 'tickets', 'c.json'), touched, touched);
    const times = fileTimes(root, join(root, 'tickets'));
    expect(await times(join(root, 'tickets', 'a.json'))).toBe('2026-01-02T03:04:05.000Z');
    expect(await times(join(root, 'tickets', 'b.json'))).toBe('2026-05-06T07:08:09.000Z');
    expect(await times(join(root, 'tickets', 'c.json'))).toBe('2026-05-06T07:08:09.000Z');
    expect(await times(join(root, 'tickets', 'gone.json'))).toBeUndefined();
  });

  it('is the modification time outside a git working copy', async () => {
    const root = tempDir({ 'a.json': '{}' });
    const touched = new Date('2026-05-06T07:08:09Z');
    utimesSync(join(root, 'a.json'), touched, touched);
    expect(await fileTimes(root, root)(join(root, 'a.json'))).toBe('2026-05-06T07:08:09.000Z');
  });
});
