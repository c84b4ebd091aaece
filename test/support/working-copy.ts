/** A working copy with tickets, the GitHub emulator, and the CLI bound to both: for end-to-end CLI tests. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../emulator/index.js';
import { useEmulator } from '../emulator/testing.js';
import { cliWith, type CliResult } from './cli.js';
import { tempDir } from './files.js';

export interface WorkingCopy {
  github: Emulator;
  root: string;
  run: (command: string, ...rest: string[]) => Promise<CliResult>;
  /** The writes GitHub counts as content creation, as `METHOD route`. */
  writes: () => string[];
}

/** A native ticket's file text: a task, open, medium, with the fields ticket-sync writes. */
export function nativeTicket(id: string, extra: Record<string, unknown> = {}): string {
  return (
    JSON.stringify(
      { id, type: 'task', title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium', assignees: [], labels: [], dependencies: [], comments: [], metadata: {}, ...extra },
      null,
      2,
    ) + '\n'
  );
}

/** A working copy of `acme/app` holding `files`, the emulator, and the CLI acting as `octocat`. */
export async function workingCopy(files: Record<string, string>, options: Parameters<typeof useEmulator>[0] = {}): Promise<WorkingCopy> {
  const { github } = await useEmulator(options);
  const root = tempDir(files);
  mkdirSync(join(root, '.git'));
  const token = github.world.personalToken('octocat');
  const flags = ['--repo', 'acme/app', '--api-url', github.apiUrl, '--token', token];
  return {
    github,
    root,
    // The emulator answers at once; the throttling plugin's pacing and waits shrink to match.
    run: (command, ...rest) => cliWith({ TICKET_SYNC_WAIT_SCALE: String(1 / (options.clockSpeed || 1000)) }, root, command, ...flags, ...rest),
    writes: () => github.log.filter((e) => e.createsContent).map((e) => `${e.method} ${e.route}`),
  };
}

/** `count` ticket ids `TSK-0001`, `TSK-0002`, …. */
export function ticketIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `TSK-${String(i + 1).padStart(4, '0')}`);
}
