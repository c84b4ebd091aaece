/**
 * Pull requests from forks. As on GitHub:
 *
 * - a fork is `<login>/<name>` with `fork: true`, made from the repository's
 *   branches, and shares its git objects (a fork network has one object store:
 *   a fork's commits can be read through the parent by sha);
 * - the pull request lives in the parent; its `head.repo` is the fork and
 *   `head.label` is `<login>:<branch>`; GitHub keeps the head in the parent
 *   as `refs/pull/<number>/head` (docs.github.com, "Checking out pull
 *   requests locally": fetch `pull/ID/head` from the base repository), so
 *   compare, merge and the checks APIs of the parent work on the head sha;
 * - a push to the fork's branch moves the pull request's head:
 *   `pull_request.synchronize` in the parent;
 * - checks and workflow runs for the head sha are made in the parent (CI on
 *   `pull_request`), and their `pull_requests` arrays leave the pull request
 *   out ("Pushes to a branch in a forked repository are not detected and
 *   return an empty pull_requests array", the `checks/list-for-ref`
 *   description): `pullsAt` in `shapes.ts`.
 *
 * Not emulated: check suites requested from the app for a fork's pushes (the
 * app hears only `pull_request`), `maintainer_can_modify`, and a fork's own
 * webhooks (the app is not installed on forks here).
 */
import type { Emulator } from '../emulator.js';
import { branchHead, commitFiles, commitsBetween, ZERO_SHA } from '../git/services.js';
import { HttpError } from '../http.js';
import { newIssueRecord } from '../issues/services.js';
import type { Commit, Repo, User } from '../state.js';
import { findPull, openPull } from './services.js';
import { pullRequestWebhookJson, type PullIssue } from './shapes.js';

const customError = (message: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message }] });

/** `login`'s fork of `repo`, made on first use from the repository's branches. */
export function forkOf(emu: Emulator, repo: Repo, login: string): Repo {
  const name = `${login}/${repo.name}`;
  const existing = emu.world.repo(name);
  if (existing) {
    if (existing.parent !== repo) throw new Error(`${name} exists and is not a fork of ${repo.fullName}`);
    return existing;
  }
  const fork = emu.world.createRepo(name, { defaultBranch: repo.defaultBranch, private: repo.private });
  fork.parent = repo;
  fork.git.objects = repo.git.objects;
  for (const [ref, sha] of repo.git.refs) if (ref.startsWith('refs/heads/')) fork.git.refs.set(ref, sha);
  return fork;
}

/** `owner:branch` naming an existing fork of `repo` (another owner than the repository's), or undefined. */
export function forkHead(emu: Emulator, repo: Repo, head: string): { fork: string; branch: string } | undefined {
  const colon = head.indexOf(':');
  if (colon < 0) return undefined;
  const owner = head.slice(0, colon);
  if (owner.toLowerCase() === repo.owner.login.toLowerCase()) return undefined;
  const fork = emu.world.repo(`${owner}/${repo.name}`);
  return fork?.parent === repo ? { fork: fork.owner.login, branch: head.slice(colon + 1) } : undefined;
}

export interface ForkPullRequestInput {
  /** The fork's owner. */
  fork: string;
  /** The fork's branch. */
  branch: string;
  /** The parent's branch; its default branch when omitted. */
  base?: string;
  title?: string;
  body?: string | null;
  draft?: boolean;
}

function emitPull(emu: Emulator, repo: Repo, sender: User, action: string, pr: PullIssue, extra: Record<string, unknown> = {}): void {
  emu.emitRepoEvent(repo, 'pull_request', sender, { action, number: pr.number, pull_request: pullRequestWebhookJson(emu, repo, pr), ...extra });
}

/**
 * Open a pull request in `repo` from a fork's branch: `pull_request.opened`
 * in `repo`, and `refs/pull/<n>/head` at the head. GitHub's 422s as for any
 * pull request: a missing branch, no commits between, one already open.
 */
export function openForkPullRequest(emu: Emulator, repo: Repo, sender: User, input: ForkPullRequestInput): PullIssue {
  const fork = forkOf(emu, repo, input.fork);
  const base = input.base ?? repo.defaultBranch;
  const headSha = branchHead(fork, input.branch);
  const baseSha = branchHead(repo, base);
  if (headSha === undefined) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
  if (baseSha === undefined) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }] });
  const existing = [...repo.issues.values()].find(
    (i) => i.pull && i.state === 'open' && i.pull.head.repo === fork.fullName && i.pull.head.ref === input.branch && i.pull.base.ref === base,
  );
  if (existing) throw customError(`A pull request already exists for ${fork.owner.login}:${input.branch}.`);
  if (commitsBetween(emu, repo, [baseSha], headSha).length === 0) throw customError(`No commits between ${base} and ${fork.owner.login}:${input.branch}`);
  if (!input.title) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });

  const issue = newIssueRecord(emu, repo, sender, input.title, input.body ?? null);
  issue.pull = openPull(emu, { ref: input.branch, sha: headSha, repo: fork.fullName }, { ref: base, sha: baseSha }, input.draft ?? false);
  const pr = issue as PullIssue;
  repo.git.refs.set(`refs/pull/${pr.number}/head`, headSha);
  emitPull(emu, repo, sender, 'opened', pr);
  return pr;
}

/** A person pushes to the branch of a fork pull request (in the fork): its head moves, `synchronize` follows. */
export function pushToFork(emu: Emulator, repo: Repo, sender: User, number: number, files: Record<string, string | null>, message?: string): Commit {
  const pr = findPull(repo, number);
  const fork = pr.pull.head.repo === undefined ? undefined : emu.world.repo(pr.pull.head.repo);
  if (!fork) throw new Error(`pull request #${number} is not from a fork`);
  return commitFiles(emu, fork, sender, { branch: pr.pull.head.ref, files, message: message ?? `Update ${Object.keys(files).join(', ')}` });
}

/** Pushes to a fork's branch move the open pull requests from it in the parent (`synchronize`, with `before` and `after`). */
export function forkRoutes(emu: Emulator): void {
  emu.onRepoEvent((fork, event, sender, payload) => {
    const push = payload as { ref?: string; after?: string };
    const parent = fork.parent;
    if (event !== 'push' || !parent || !push.ref?.startsWith('refs/heads/') || !push.after || push.after === ZERO_SHA) return;
    const branch = push.ref.slice('refs/heads/'.length);
    for (const issue of parent.issues.values()) {
      if (!issue.pull || issue.state !== 'open' || issue.pull.head.repo !== fork.fullName || issue.pull.head.ref !== branch) continue;
      const pr = issue as PullIssue;
      const before = pr.pull.head.sha;
      if (before === push.after) continue;
      pr.pull.head.sha = push.after;
      pr.updated_at = emu.clock.iso();
      parent.git.refs.set(`refs/pull/${pr.number}/head`, push.after);
      emitPull(emu, parent, sender, 'synchronize', pr, { before, after: push.after });
    }
  });
}
