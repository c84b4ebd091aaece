import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator/testing.js';
import { cliWith } from '../support/cli.js';
import { readText, tempDir } from '../support/files.js';

const exec = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, '..', '..');
const bin = join(projectRoot, 'dist', 'cli', 'main.js');

/** The environment of a shell with no token, no API base and no store set. */
function bareEnv(): NodeJS.ProcessEnv {
  const { GITHUB_TOKEN: _t, GITHUB_API_URL: _a, STORE_URL: _s, ...rest } = process.env;
  return rest;
}

/** The built CLI in `cwd`, with no token: its exit code and output. */
async function builtCli(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...argv], { cwd, env: bareEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ticket = (id: string) => JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium' }, null, 2) + '\n';

/** A git working copy without a remote, synced once with acme/app (through --repo and --token), then a title changed on GitHub and pulled. */
async function syncedWorkingCopy() {
  const { github } = await useEmulator();
  const root = tempDir({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
  await exec('git', ['init', '-q'], { cwd: root });
  const flags = ['--repo', 'acme/app', '--api-url', github.apiUrl, '--token', github.world.personalToken('octocat')];
  const sync = (command: string) => cliWith({ TICKET_SYNC_WAIT_SCALE: '0.001' }, root, command, ...flags);
  expect((await sync('push')).code).toBe(0);
  github.clock.advance(2_000);
  github.as('hubot').in('acme/app').editIssue(1, { title: 'From GitHub' });
  expect((await sync('pull')).code).toBe(0);
  return { github, root };
}

describe('ticket-sync log and restore --dry-run, which read local state only', () => {
  it('run from the built CLI with no token and no git remote: the log, then what a restore would write, writing nothing', async () => {
    expect(existsSync(bin), 'dist/ is missing: run `npm run build`').toBe(true);
    const { github, root } = await syncedWorkingCopy();
    const stateFile = join(root, '.ticket-sync', 'state.sqlite');
    const before = { ticket: readText(root, 'tickets/TSK-0001.json'), state: readFileSync(stateFile), requests: github.log.length };
    expect(JSON.parse(before.ticket).title).toBe('From GitHub');

    const log = await builtCli(root, 'log', 'TSK-0001', '--json');
    expect(log).toMatchObject({ code: 0, stderr: '' });
    const entries = JSON.parse(log.stdout) as { seq: number; repo: string; field: string; side: string; before: unknown; after: unknown }[];
    const pulled = entries.find((e) => e.field === 'title' && e.after === 'From GitHub')!;
    expect(pulled).toMatchObject({ repo: 'acme/app', side: 'local', before: 'Ticket TSK-0001' });

    const plan = await builtCli(root, 'restore', String(pulled.seq), '--dry-run');
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toBe(`TSK-0001 title → "Ticket TSK-0001" would be written to tickets/TSK-0001.json and to #1 on acme/app (restore:${pulled.seq}; dry run: nothing written)\n`);
    const json = await builtCli(root, 'restore', String(pulled.seq), '--dry-run', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ dryRun: true, seq: pulled.seq, repo: 'acme/app', ticket: 'TSK-0001', field: 'title', value: 'Ticket TSK-0001', file: 'tickets/TSK-0001.json', issue: 1 });

    // Nothing was written anywhere, and GitHub was never asked.
    expect(readText(root, 'tickets/TSK-0001.json')).toBe(before.ticket);
    expect(readFileSync(stateFile).equals(before.state)).toBe(true);
    expect(github.log.length).toBe(before.requests);
    expect(github.world.repo('acme/app')!.issues.get(1)!.title).toBe('From GitHub');
  });

  it('say which entry a dry run cannot restore, with exit 1', async () => {
    const { root } = await syncedWorkingCopy();
    expect(await builtCli(root, 'restore', '99', '--dry-run')).toMatchObject({ code: 1, stderr: 'ticket-sync: restore 99: no log entry 99 for acme/app\n' });
  });

  it('ask for --repo when neither a remote nor a ticket’s link names the repository, with exit 2', async () => {
    const root = tempDir({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await exec('git', ['init', '-q'], { cwd: root });
    const result = await builtCli(root, 'log');
    expect(result).toMatchObject({ code: 2, stderr: 'ticket-sync: no origin remote, and no ticket links to an issue: pass --repo owner/name\n' });
    expect(await builtCli(root, 'log', '--repo', 'acme/app')).toMatchObject({ code: 0, stderr: 'the log is empty\n' });
    expect(existsSync(join(root, '.ticket-sync'))).toBe(false);
  });

  it('still need a token for a real restore', async () => {
    const { root } = await syncedWorkingCopy();
    expect(await builtCli(root, 'restore', '1', '--repo', 'acme/app')).toMatchObject({ code: 2, stderr: expect.stringMatching(/no token/) });
  });
});
