/**
 * The `ticket-sync` command line: parsing and exit codes. Each command lives
 * in `commands/`; this file only wires them.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { FORMAT_NAMES, type FormatName } from '../tickets/formats/index.js';
import { validate } from './commands/validate.js';
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
