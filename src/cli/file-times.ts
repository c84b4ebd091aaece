/**
 * When each ticket file was last written, for tickets that do not say: the
 * time of the last commit that touched the file when it is unchanged since,
 * else its modification time (an uncommitted change, or no git at all). One
 * `git log` and one `git status` for the whole folder, not one per file.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export type FileTimes = (absolutePath: string) => Promise<string | undefined>;

export function fileTimes(workdir: string, folder: string): FileTimes {
  let committed: Promise<{ times: Map<string, string>; changed: Set<string> } | undefined> | undefined;
  const load = async () => {
    try {
      const options = { cwd: workdir, maxBuffer: 64 * 1024 * 1024 };
      const log = await exec('git', ['log', '--format=%x00%cI', '--name-only', '--', folder], options);
      const times = new Map<string, string>();
      for (const block of log.stdout.split('\0').slice(1)) {
        const [date, ...files] = block.split('\n').filter(Boolean);
        for (const file of files) if (!times.has(resolve(workdir, file))) times.set(resolve(workdir, file), date!);
      }
      const status = await exec('git', ['status', '--porcelain', '-z', '--untracked-files=all', '--', folder], options);
      const changed = new Set(
        status.stdout
          .split('\0')
          .filter((entry) => entry.length > 3)
          .map((entry) => resolve(workdir, entry.slice(3))),
      );
      return { times, changed };
    } catch {
      return undefined;
    }
  };
  return async (path) => {
    committed ??= load();
    const git = await committed;
    const absolute = resolve(path);
    if (git && !git.changed.has(absolute) && git.times.has(absolute)) return new Date(git.times.get(absolute)!).toISOString();
    try {
      return (await stat(absolute)).mtime.toISOString();
    } catch {
      return undefined;
    }
  };
}

