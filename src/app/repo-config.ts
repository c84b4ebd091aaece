/**
 * A repository's configuration as the App reads it: the text of
 * `.github/ticket-sync.yml` through the contents API, where Probot's config
 * plugin looks for it (the repository, else its owner's `.github`
 * repository: two reads when neither has one), checked by the same
 * `parseConfig` as the CLI's, so problems name the key, line and column.
 */
import { CONFIG_PATH, configOf, type ConfigResult } from '../config/load.js';
import type { RepoFilesOctokit } from '../github/repo-files.js';
import type { RepoRef } from '../github/types.js';

export interface RepoConfig {
  result: ConfigResult;
  /** The repository the file was found in (`acme/.github` for the owner's), when one was found. */
  from?: string;
}

/** The text of `path` on `repo`'s default branch, or undefined when it is not there. */
async function fileText(octokit: RepoFilesOctokit, owner: string, repo: string, path: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, mediaType: { format: 'raw' } });
    // The raw bytes come as text or, without a charset, as an ArrayBuffer; a folder or a submodule answers JSON: no file.
    if (typeof data === 'string') return data;
    return data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : undefined;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

export async function readRepoConfig(octokit: RepoFilesOctokit, repo: RepoRef): Promise<RepoConfig> {
  const places = repo.name === '.github' ? [repo.name] : [repo.name, '.github'];
  for (const name of places) {
    const text = await fileText(octokit, repo.owner, name, CONFIG_PATH);
    if (text !== undefined) return { result: configOf(text), from: `${repo.owner}/${name}` };
  }
  return { result: configOf(undefined) };
}
