/**
 * Where the App writes ticket changes back (`writeBack` in the
 * configuration): the branch its commits go to, made ready before a batch,
 * and what follows each commit that landed there.
 *
 * - `commit`: the default branch; nothing before, nothing after (no requests).
 * - `pull_request` (for a protected default branch): the branch
 *   {@link UPDATES_BRANCH}, carried by one open pull request into the default
 *   branch. Before a batch, {@link writeBackTarget} makes the branch ready:
 *   - with an open pull request, it brings the branch up to date when the
 *     default branch moved on, by merging the default branch into it
 *     (`POST /merges`, a merge commit by the App). A merge conflict leaves the
 *     branch as it is and is reported in {@link WriteBackTarget.conflict},
 *     for a person to resolve in the pull request, with the paths the branch
 *     changed (the pull request's files) in {@link WriteBackTarget.held};
 *   - without one, the branch is created at the default branch's head, or
 *     reset there (forced) when everything on it was carried by the last pull
 *     request, merged or closed: nothing on it is pending. Commits on it that
 *     no pull request carried yet (a run that stopped between its commit and
 *     opening the pull request) are kept, merged up to date, and get their
 *     pull request at once.
 *
 *   After a commit landed, {@link WriteBackTarget.landed} opens the pull
 *   request if there is none. It is never edited afterwards: its commits are
 *   what it carries.
 *
 * Everything is done as the token's account (the App's bot): the branch, the
 * merge commits, the pull request.
 */
import type { Octokit } from '@octokit/rest';
import { pathsOfComparison } from './push-changes.js';
import type { RepoRef } from './types.js';

export type WriteBackOctokit = Pick<Octokit, 'request'>;

export type WriteBackMode = 'commit' | 'pull_request' | 'off';

/** The branch of `writeBack: pull_request`. */
export const UPDATES_BRANCH = 'ticket-sync/updates';

/** What {@link writeBackTarget} did to the branch before the batch. */
export type BranchPreparation =
  /** Nothing: the default branch (`commit`), or the updates branch already up to date. */
  | 'unchanged'
  /** The updates branch did not exist and was created at the default branch's head. */
  | 'created'
  /** The updates branch held nothing pending and was moved to the default branch's head. */
  | 'reset'
  /** The default branch was merged into the updates branch (a merge commit). */
  | 'merged'
  /** The default branch could not be merged into the updates branch; it was left as it was. */
  | 'conflict';

export interface OpenPullRequest {
  number: number;
  /** Its web address. */
  url: string;
}

export interface WriteBackTarget {
  readonly mode: 'commit' | 'pull_request';
  /** The branch the ticket files are read from and ticket changes are committed to. */
  readonly branch: string;
  readonly prepared: BranchPreparation;
  /**
   * Set when `prepared` is `conflict`: one line for the log, naming the
   * branches and the pull request. The branch could still take commits, but
   * it lacks the default branch's latest changes until a person resolves
   * the conflict (the App writes nothing back meanwhile: `syncRepository`).
   */
  readonly conflict: string | undefined;
  /**
   * Set when `prepared` is `conflict`: the paths (from the repository root)
   * the updates branch changed since it left the default branch, which are
   * its pull request's files; `'all'` when GitHub's comparison may not list
   * them all. Until a person resolves the conflict, neither branch has the
   * tickets in those files as they should be: the default branch lacks the
   * changes waiting in the pull request, the updates branch the default
   * branch's latest ones.
   */
  readonly held: ReadonlySet<string> | 'all' | undefined;
  /** The open pull request from `branch` (`pull_request` mode), once there is one. */
  readonly pullRequest: OpenPullRequest | undefined;
  /**
   * Called after a commit landed on `branch`. For `pull_request`: makes sure
   * exactly one open pull request from it into the default branch exists
   * (opening it names the commit); nothing for `commit`.
   */
  landed(commit: { sha: string; message: string }): Promise<void>;
}

/**
 * The target of a batch of ticket changes for `mode`, made ready to take
 * commits; undefined for `off` (nothing is written back to the repository).
 *
 * Requests (`pull_request`): with the pull request open, a pulls list and a
 * comparison (2), plus a merge when the default branch moved on, and
 * `landed` makes none. Without one: a pulls list and the two branches' refs,
 * plus a ref creation or reset (4), and `landed` opens the pull request (1).
 */
export async function writeBackTarget(
  octokit: WriteBackOctokit,
  repo: RepoRef,
  defaultBranch: string,
  mode: WriteBackMode,
): Promise<WriteBackTarget | undefined> {
  if (mode === 'off') return undefined;
  if (mode === 'commit') {
    return { mode, branch: defaultBranch, prepared: 'unchanged', conflict: undefined, held: undefined, pullRequest: undefined, landed: async () => {} };
  }
  if (defaultBranch === UPDATES_BRANCH) throw new Error(`${repo.owner}/${repo.name}: writeBack: pull_request cannot work on a default branch named ${UPDATES_BRANCH}`);
  return new UpdatesBranch(octokit, repo, defaultBranch).prepare();
}

/** Where the updates branch stands against the default branch (`GET /compare/{default}...{updates}`). */
interface Comparison {
  aheadBy: number;
  behindBy: number;
  /** The message of the oldest commit on the updates branch not on the default branch. */
  firstMessage: string | undefined;
  /** The paths the updates branch changed since the merge base; undefined when GitHub's list may be cut short. */
  paths: string[] | undefined;
}

/** A pull request as the list reads it. */
interface ListedPull {
  number: number;
  html_url: string;
  state: string;
  head: { sha: string };
}

class UpdatesBranch implements WriteBackTarget {
  readonly mode = 'pull_request';
  readonly branch = UPDATES_BRANCH;
  prepared: BranchPreparation = 'unchanged';
  held: ReadonlySet<string> | 'all' | undefined;
  pullRequest: OpenPullRequest | undefined;
  private readonly at: { owner: string; repo: string };

  constructor(
    private readonly octokit: WriteBackOctokit,
    private readonly repo: RepoRef,
    private readonly defaultBranch: string,
  ) {
    this.at = { owner: repo.owner, repo: repo.name };
  }

  async prepare(): Promise<this> {
    // Newest first: the open one, if any, and the last one that closed. GitHub ignores `head` without its owner.
    const { data: pulls } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
      ...this.at,
      head: `${this.repo.owner}:${UPDATES_BRANCH}`,
      base: this.defaultBranch,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 10,
    });
    const open = pulls.find((p) => p.state === 'open');
    if (open) {
      // An open pull request's head branch exists: GitHub closes the pull request when it is deleted.
      this.pullRequest = { number: open.number, url: open.html_url };
      const comparison = await this.compare();
      if (comparison.behindBy > 0) await this.mergeDefaultBranch(comparison);
      return this;
    }

    const [branchSha, defaultSha] = await Promise.all([this.refSha(UPDATES_BRANCH), this.refSha(this.defaultBranch)]);
    if (defaultSha === undefined) throw new Error(`${this.repo.owner}/${this.repo.name}: the default branch ${this.defaultBranch} does not exist`);
    if (branchSha === undefined) {
      await this.octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...this.at, ref: `refs/heads/${UPDATES_BRANCH}`, sha: defaultSha });
      this.prepared = 'created';
      return this;
    }
    if (branchSha === defaultSha) return this;

    const last = pulls[0] as ListedPull | undefined;
    const carried = last !== undefined && last.head.sha === branchSha;
    const pending = carried ? undefined : await this.compare();
    if (pending === undefined || pending.aheadBy === 0) {
      await this.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...this.at, ref: `heads/${UPDATES_BRANCH}`, sha: defaultSha, force: true });
      this.prepared = 'reset';
      return this;
    }
    // Commits no pull request carried yet: keep them, bring them up to date, and open their pull request now.
    if (pending.behindBy > 0) await this.mergeDefaultBranch(pending);
    await this.openPullRequest(pending.firstMessage);
    return this;
  }

  async landed(commit: { sha: string; message: string }): Promise<void> {
    if (this.pullRequest) return;
    await this.openPullRequest(commit.message);
  }

  /**
   * Where the updates branch stands against the default branch, and the
   * paths it changed since their merge base (`undefined` when the list may be
   * cut short). One page of one commit: GitHub lists the files on the first page.
   */
  private async compare(): Promise<Comparison> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      ...this.at,
      basehead: `${this.defaultBranch}...${UPDATES_BRANCH}`,
      per_page: 1,
    });
    return { aheadBy: data.ahead_by, behindBy: data.behind_by, firstMessage: data.commits[0]?.commit.message, paths: pathsOfComparison(data) };
  }

  private async refSha(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...this.at, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * The default branch merged into the updates branch: 201 merged, 204
   * nothing to merge, 409 a conflict (reported with the paths the branch
   * holds, from `comparison`; nothing forced).
   */
  private async mergeDefaultBranch(comparison: Comparison): Promise<void> {
    try {
      const { status } = await this.octokit.request('POST /repos/{owner}/{repo}/merges', {
        ...this.at,
        base: UPDATES_BRANCH,
        head: this.defaultBranch,
        commit_message: `Merge ${this.defaultBranch} into ${UPDATES_BRANCH}`,
        // A conflict stays a conflict: not retried (the retry plugin would retry a 409 three times).
        request: { retries: 0 },
      });
      if (status === 201) this.prepared = 'merged';
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      this.prepared = 'conflict';
      this.held = comparison.paths === undefined ? 'all' : new Set(comparison.paths);
    }
  }

  get conflict(): string | undefined {
    if (this.prepared !== 'conflict') return undefined;
    // Named once it is known: commits a stopped run left get their pull request after the merge was tried.
    const where = this.pullRequest ? ` in pull request #${this.pullRequest.number} (${this.pullRequest.url})` : '';
    return (
      `${this.repo.owner}/${this.repo.name}: ${this.defaultBranch} could not be merged into ${UPDATES_BRANCH} (merge conflict); ` +
      `the branch was left as it was: resolve the conflict${where}`
    );
  }

  private async openPullRequest(firstMessage: string | undefined): Promise<void> {
    try {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/pulls', {
        ...this.at,
        head: UPDATES_BRANCH,
        base: this.defaultBranch,
        title: 'ticket-sync: ticket changes from GitHub Issues',
        body: pullRequestBody(this.defaultBranch, firstMessage),
      });
      this.pullRequest = { number: data.number, url: data.html_url };
    } catch (error) {
      // Someone (another instance of the App) opened it in between: that one carries the commits.
      if (!isAlreadyOpen(error)) throw error;
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...this.at,
        head: `${this.repo.owner}:${UPDATES_BRANCH}`,
        base: this.defaultBranch,
        state: 'open',
      });
      if (data[0]) this.pullRequest = { number: data[0].number, url: data[0].html_url };
    }
  }
}

function pullRequestBody(defaultBranch: string, firstMessage: string | undefined): string {
  return [
    `ticket-sync writes the changes people make in GitHub Issues back into the ticket files. This repository has them ` +
      `come through a pull request (\`writeBack: pull_request\` in \`.github/ticket-sync.yml\`), so they wait here on ` +
      `\`${UPDATES_BRANCH}\`, one commit per batch, each naming its tickets and its cause.`,
    ...(firstMessage ? [`It opened with:\n\n> ${firstMessage.split('\n')[0]}`] : []),
    `Later changes are added to this pull request as they happen, and \`${defaultBranch}\` is merged into the branch ` +
      `when it moves on. Merge the pull request to apply the changes; close it to drop them (the next change starts ` +
      `the branch afresh from \`${defaultBranch}\`, with a new pull request).`,
  ].join('\n\n');
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number } | null)?.status;
}

/** GitHub's 422 for a second open pull request between the same branches. */
function isAlreadyOpen(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: { message?: unknown; errors?: { message?: unknown }[] } } }).response?.data;
  return [data?.message, ...(data?.errors ?? []).map((e) => e.message)].some((m) => /already exists/i.test(String(m ?? '')));
}
