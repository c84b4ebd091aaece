/**
 * The versions of a ticket's file in a working copy, newest first, for when
 * each field took its value (`SyncContext.ticketHistory`): the file as it is
 * now, then the commits that changed it (`git log`), each read with `git
 * show` only when the walk gets that far. No git, or a file git does not
 * know: the file as it is, alone.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { TicketFileVersion } from '../service/context.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import type { FileTimes } from './file-times.js';

const exec = promisify(execFile);

/** How many commits back a walk may read. */
const HISTORY_LIMIT = 30;

export function workingCopyHistory(workdir: string, folder: string, writer: string, times: FileTimes) {
  return async function* history(loaded: LoadedTicket): AsyncGenerator<TicketFileVersion> {
    const absolute = join(folder, loaded.path);
    const options = { cwd: workdir, maxBuffer: 64 * 1024 * 1024 };
    const text = await readFile(absolute, 'utf8').catch(() => null);
    yield { text, writer, at: (await times(absolute)) ?? new Date(0).toISOString() };
    const path = relative(workdir, absolute).split(sep).join('/');
    let log: string;
    try {
      log = (await exec('git', ['log', `-n${HISTORY_LIMIT}`, '--format=%H%x00%cI%x00%an', '--', path], options)).stdout;
    } catch {
      return;
    }
    for (const line of log.split('\n').filter(Boolean)) {
      const [sha, at, author] = line.split('\0') as [string, string, string];
      const shown = await exec('git', ['show', `${sha}:${path}`], options).then(
        (r) => r.stdout,
        () => null,
      );
      yield { text: shown, writer: author, at: new Date(at).toISOString() };
    }
  };
}
