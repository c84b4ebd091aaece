import { run } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process in `cwd`, capturing its output. */
export async function cli(cwd: string, ...argv: string[]): Promise<CliResult> {
  return cliWith({}, cwd, ...argv);
}

/** Run the CLI in-process with an environment. */
export async function cliWith(env: Record<string, string>, cwd: string, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env,
    isTTY: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
