/**
 * The `ticket-sync` command line: parsing and exit codes. Each command lives
 * in `commands/`; this file only wires them.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { FORMAT_NAMES, type FormatName } from '../tickets/formats/index.js';
import { validate } from './commands/validate.js';
import { runLog, runRestore } from './commands/log.js';
import { runStatus, runSync } from './commands/sync.js';
import type { SyncFlags } from './sync-context.js';
import { EXIT, UsageError, type CliIo } from './io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function formatOption(): Option {
  return new Option('--format <format>', 'ticket format (default: detected)').choices(FORMAT_NAMES);
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('ticket-sync')
    .description('Keep JSON ticket files and GitHub Issues in sync, both ways.')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('validate')
    .description(
      'Check ticket files: every problem is printed as path:line:col: message. Exit 0 when clean, 1 on problems, 2 on bad usage.',
    )
    .option('--dir <dir>', 'ticket folder to check (default: every ticket location of the working copy)')
    .addOption(formatOption())
    .option('--json', 'print a JSON report on stdout')
    .action(async (options: { dir?: string; format?: FormatName; json?: boolean }) => {
      setExit(await validate(io, options));
    });

  const syncCommand = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .option('--repo <owner/name>', 'the GitHub repository (default: the origin remote)')
      .option('--token <token>', 'a GitHub token (default: GITHUB_TOKEN)')
      .option('--api-url <url>', 'the REST API base, for GitHub Enterprise (default: GITHUB_API_URL, else from the origin remote)')
      .option('--dir <dir>', 'the tickets folder (default: detected in the working copy)')
      .addOption(formatOption())
      .option('--json', 'print a JSON report on stdout');

  for (const [name, direction, description] of [
    ['sync', 'both', 'Sync tickets and issues both ways: a field-level three-way merge; where both sides changed a field, the last writer wins and the loser is logged.'],
    ['push', 'push', 'Send ticket changes to GitHub (creating issues for new tickets); leave the ticket files alone.'],
    ['pull', 'pull', 'Bring issue changes into the ticket files; write nothing to GitHub.'],
  ] as const) {
    syncCommand(name, `${description} Exit 0 when every ticket is in sync, 1 when some could not be synced, 2 on bad usage.`)
      .option('--dry-run', 'print the plan; write nothing anywhere')
      .action(async (options: SyncFlags) => setExit(await runSync(io, direction, options)));
  }

  syncCommand('status', 'Show each ticket: its issue, and in sync / local ahead / GitHub ahead / conflict. Exit 0 when all are in sync, else 1.').action(
    async (options: SyncFlags) => setExit(await runStatus(io, options)),
  );

  syncCommand('log', 'Show the last-writer log: every write and every conflict, oldest first. Reads local state only: no token or remote needed.')
    .argument('[ticket]', 'only this ticket')
    .option('--conflicts', 'only conflicts')
    .action(async (ticket: string | undefined, options: SyncFlags & { conflicts?: boolean }) => setExit(await runLog(io, ticket, options)));

  syncCommand('restore', "Write a logged value again, to the ticket file and to GitHub: a conflict's losing value, else the value before that write.")
    .argument('<seq>', 'the log entry (its #number)')
    .option('--dry-run', 'print what would be written, and where; write nothing (reads local state only: no token or remote needed)')
    .action(async (seq: string, options: SyncFlags) => setExit(await runRestore(io, seq, options)));

  return program;
}

/** Run the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`ticket-sync: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
