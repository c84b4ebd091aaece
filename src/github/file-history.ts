/**
 * The commits that changed one file, newest first, from a commit on: `GET
 * /repos/{owner}/{repo}/commits?sha=…&path=…` (one page, at most `limit`).
 * What GitHub answers is untrusted: an entry that does not read is skipped.
 */
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import type { RepoRef } from './types.js';

export interface FileCommit {
  sha: string;
  /** The commit's time (its committer's, else its author's). */
  at: string;
  /** Its author's name, else login. */
  author: string;
}

const CommitJson = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  commit: z.object({
    author: z.object({ name: z.string().optional(), date: z.string().optional() }).nullable().optional(),
    committer: z.object({ date: z.string().optional() }).nullable().optional(),
  }),
  author: z.object({ login: z.string() }).nullable().optional(),
});

export async function fileCommits(octokit: Pick<Octokit, 'request'>, repo: RepoRef, from: string, path: string, limit = 30): Promise<FileCommit[]> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits', { owner: repo.owner, repo: repo.name, sha: from, path, per_page: limit });
  const commits: FileCommit[] = [];
  for (const entry of data as unknown[]) {
    const read = CommitJson.safeParse(entry);
    if (!read.success) continue;
    const { sha, commit, author } = read.data;
    const at = commit.committer?.date ?? commit.author?.date;
    if (at === undefined) continue;
    commits.push({ sha, at, author: commit.author?.name ?? author?.login ?? 'unknown' });
  }
  return commits;
}
