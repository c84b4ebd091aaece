/**
 * The versions of a ticket's file on a branch, newest first, for when each
 * field took its value (`SyncContext.ticketHistory`): the commits that
 * changed the file, and the file at each, read one at a time so that a walk
 * that has found what it needs stops reading.
 */
import { fileCommits } from '../../github/file-history.js';
import type { RepoFiles, RepoFilesOctokit } from '../../github/repo-files.js';
import type { RepoRef } from '../../github/types.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';
import type { TicketFileVersion } from '../context.js';

export function branchTicketHistory(octokit: RepoFilesOctokit, files: RepoFiles, repo: RepoRef, head: string, dir: string) {
  return async function* history(loaded: LoadedTicket): AsyncGenerator<TicketFileVersion> {
    const path = dir === '' || dir === '.' ? loaded.path : `${dir}/${loaded.path}`;
    for (const commit of await fileCommits(octokit, repo, head, path)) {
      const text = (await files.readFiles(commit.sha, [path])).get(path);
      yield { text: text == null ? null : text.toString('utf8'), writer: commit.author, at: commit.at };
    }
  };
}
