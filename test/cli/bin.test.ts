import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files.js';

const exec = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, '..', '..');

describe('the ticket-sync executable', () => {
  it('runs through npx after the package is installed, with exit codes', async () => {
    // `npm test` builds before it runs the suite; the installed bin is the built code.
    expect(existsSync(join(projectRoot, 'dist', 'cli', 'main.js')), 'dist/ is missing: run `npm run build`').toBe(true);
    const consumer = tempDir({
      'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { 'ticket-sync': `file:${projectRoot}` } }),
      'tickets/TSK-0001.json': JSON.stringify({ id: 'TSK-0001', title: 'Fine' }),
      'tickets/TSK-0002.json': '{"id": "TSK-0002", "title": ',
    });
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: consumer });

    const help = await exec('npx', ['--no-install', 'ticket-sync', 'validate', '--help'], { cwd: consumer });
    expect(help.stdout).toMatch(/Usage: ticket-sync validate \[options\]/);

    const failure = await exec('npx', ['--no-install', 'ticket-sync', 'validate', '--dir', 'tickets'], { cwd: consumer }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: 'tickets/TSK-0002.json:1:29: invalid JSON: a value was expected (the file ends too early)\n' });

    writeFileSync(join(consumer, 'tickets', 'TSK-0002.json'), '{"id": "TSK-0002", "title": "Fixed"}');
    const success = await exec('npx', ['--no-install', 'ticket-sync', 'validate', '--dir', 'tickets'], { cwd: consumer });
    expect(success.stderr).toMatch(/tickets \(ticket-sync JSON\): 2 tickets in 2 files, no problems/);
  }, 120_000);
});
