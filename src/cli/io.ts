/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (progress bars and colour only then). */
  isTTY: boolean;
}

/** Exit codes, documented in README ("CLI"). */
export const EXIT = {
  /** Everything is in order. */
  ok: 0,
  /** The command ran and found problems (or some tickets could not be synced). */
  problems: 1,
  /** Bad usage or configuration: nothing was done. */
  usage: 2,
} as const;

/** A mistake in how the command was called or configured: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
