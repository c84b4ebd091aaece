/**
 * Pull request, check and commit status state changes, shared by the routes
 * and the people-driver. Each one changes the world and emits the webhooks
 * GitHub sends for it; refusals are GitHub's errors (HttpError), so the
 * routes pass them on as they are and a driver sees what a person would.
 *
 * Sources for the behaviour (quoted where it matters):
 * - pull_request webhook actions: docs.github.com/webhooks/webhook-events-and-payloads#pull_request
 * - merge refusals: the `pulls/merge` operation in GitHub's OpenAPI
 *   description (405 "Pull Request is not mergeable", 409 "Head branch was
 *   modified. Review and try the merge again."); a draft is refused with 405
 *   "Pull Request is still a draft" (as GitHub answers, quoted in
 *   github.com/lindell/multi-gitter/issues/622 and
 *   github.com/alexwlchan/auto_merge_my_pull_requests/issues/1).
 * - checks: docs.github.com/rest/guides/using-the-rest-api-to-interact-with-checks
 *   ("A check suite is a collection of the check runs created by a single
 *   GitHub App for a specific commit"; a push sends `check_suite` `requested`
 *   to apps with `checks:write`; "The check suite reports the highest priority
 *   check run conclusion"), and the `checks/create` description (annotations
 *   at most 50 per request, appended on each update).
 * - combined status: the `repos/get-combined-status-for-ref` description.
 */
import type { Emulator } from '../emulator.js';
import { HttpError } from '../http.js';
import { newIssueRecord } from '../issues/services.js';
import { branchHead, commitsBetween, moveBranch, reachable, resolveCommit, userForEmail, ZERO_SHA } from '../git/services.js';
import type { App, CheckRun, CheckSuite, Commit, CommitStatus, Issue, Repo, User, WorkflowRun, World } from '../state.js';
import { closeOnMerge, holdingClosings } from './closing.js';
import { openForkPullRequest, forkHead } from './forks.js';
import { mergeCommit, type MergeMethod } from './merge.js';
import {
  checkRunJson,
  checkSuiteJson,
  headRepo,
  pullRequestWebhookJson,
  pullsWithHead,
  statusCommitJson,
  workflowJson,
  workflowRunJson,
  type Annotation,
  type PullIssue,
  type Workflow,
} from './shapes.js';

// ---- pull requests ----

const notMergeable = () => new HttpError(405, 'Pull Request is not mergeable');
const customError = (message: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message }] });
const invalidField = (field: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field, code: 'invalid' }] });

/** The pull request with this number (404 when there is none, or it is an issue). */
export function findPull(repo: Repo, number: number): PullIssue {
  const issue = repo.issues.get(number);
  if (!issue?.pull) throw new HttpError(404, 'Not Found');
  return issue as PullIssue;
}

/** Pull requests being merged by `mergePullRequest`: the push its merge makes must not merge them a second time. */
const merging = new WeakSet<PullIssue>();

function emitPull(emu: Emulator, repo: Repo, sender: User, action: string, pr: PullIssue, extra: Record<string, unknown> = {}): void {
  emu.emitRepoEvent(repo, 'pull_request', sender, {
    action,
    number: pr.number,
    pull_request: pullRequestWebhookJson(emu, repo, pr),
    ...extra,
  });
}

function touch(emu: Emulator, pr: PullIssue): void {
  pr.updated_at = emu.clock.iso();
}

/** `owner:branch` or `branch` → the branch, for this repository's owner only (no forks here). */
function headBranch(repo: Repo, head: string): string {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  if (head.slice(0, colon).toLowerCase() !== repo.owner.login.toLowerCase()) throw invalidField('head');
  return head.slice(colon + 1);
}

/** A pull request's own part of its issue, as opened: not merged. */
export function openPull(emu: Emulator, head: PullIssue['pull']['head'], base: PullIssue['pull']['base'], draft: boolean): PullIssue['pull'] {
  return { id: emu.world.id(), head, base, draft, merged: false, merged_at: null, merge_commit_sha: null, merged_by: null };
}

export interface OpenPullRequestInput {
  head: string;
  /** The repository's default branch when omitted. */
  base?: string;
  title?: string;
  body?: string | null;
  draft?: boolean;
  /** Turn this issue into the pull request (its title and body are kept). */
  issue?: number;
}

/**
 * Open a pull request from `head` into `base`: `pull_request.opened` (a
 * draft is opened as a draft). GitHub's 422s: a missing branch, no commits
 * between them, or an open pull request for the same branches.
 */
export function openPullRequest(emu: Emulator, repo: Repo, sender: User, input: OpenPullRequestInput): PullIssue {
  const fork = forkHead(emu, repo, input.head);
  if (fork) return openForkPullRequest(emu, repo, sender, { ...input, fork: fork.fork, branch: fork.branch });
  const head = headBranch(repo, input.head);
  const base = input.base ?? repo.defaultBranch;
  const headSha = branchHead(repo, head);
  const baseSha = branchHead(repo, base);
  if (headSha === undefined) throw invalidField('head');
  if (baseSha === undefined) throw invalidField('base');
  const existing = [...repo.issues.values()].find((i) => i.pull && i.state === 'open' && i.pull.head.ref === head && i.pull.head.repo === undefined && i.pull.base.ref === base);
  if (existing) throw customError(`A pull request already exists for ${repo.owner.login}:${head}.`);
  if (commitsBetween(emu, repo, [baseSha], headSha).length === 0) throw customError(`No commits between ${base} and ${head}`);

  const now = emu.clock.iso();
  let issue: Issue;
  if (input.issue !== undefined) {
    const found = repo.issues.get(input.issue);
    if (!found || found.pull || found.state !== 'open') throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Issue', field: 'issue', code: 'invalid' }] });
    issue = found;
    issue.updated_at = now;
  } else {
    if (!input.title) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
    issue = newIssueRecord(emu, repo, sender, input.title, input.body ?? null);
  }
  issue.pull = openPull(emu, { ref: head, sha: headSha }, { ref: base, sha: baseSha }, input.draft ?? false);
  const pr = issue as PullIssue;
  emitPull(emu, repo, sender, 'opened', pr);
  return pr;
}

/** A draft is marked ready for review: `pull_request.ready_for_review` (GitHub has no REST endpoint for this). */
export function markReadyForReview(emu: Emulator, repo: Repo, sender: User, number: number): PullIssue {
  const pr = findPull(repo, number);
  if (pr.state !== 'open' || !pr.pull.draft) throw customError('Pull request is not a draft');
  pr.pull.draft = false;
  touch(emu, pr);
  emitPull(emu, repo, sender, 'ready_for_review', pr);
  return pr;
}

/** An open pull request goes back to draft: `pull_request.converted_to_draft`. */
export function convertToDraft(emu: Emulator, repo: Repo, sender: User, number: number): PullIssue {
  const pr = findPull(repo, number);
  if (pr.state !== 'open' || pr.pull.draft) throw customError('Pull request is already a draft');
  pr.pull.draft = true;
  touch(emu, pr);
  emitPull(emu, repo, sender, 'converted_to_draft', pr);
  return pr;
}

function close(emu: Emulator, repo: Repo, pr: PullIssue, sender: User): void {
  const now = emu.clock.iso();
  pr.state = 'closed';
  pr.closed_at = now;
  pr.closed_by = sender;
  pr.updated_at = now;
  pr.pull.base.sha = branchHead(repo, pr.pull.base.ref) ?? pr.pull.base.sha;
}

/** Close without merging: `pull_request.closed` with `merged: false`. Closing a closed one changes nothing. */
export function closePullRequest(emu: Emulator, repo: Repo, sender: User, number: number): PullIssue {
  const pr = findPull(repo, number);
  if (pr.state === 'closed') return pr;
  close(emu, repo, pr, sender);
  emitPull(emu, repo, sender, 'closed', pr);
  return pr;
}

/** Reopen a closed, unmerged pull request whose head branch still exists: `pull_request.reopened`. */
export function reopenPullRequest(emu: Emulator, repo: Repo, sender: User, number: number): PullIssue {
  const pr = findPull(repo, number);
  if (pr.state === 'open') return pr;
  if (pr.pull.merged) throw customError('state cannot be changed. The pull request cannot be reopened because it is merged.');
  const headSha = branchHead(headRepo(emu, repo, pr), pr.pull.head.ref);
  if (headSha === undefined) throw customError('state cannot be changed. The head branch was deleted.');
  pr.pull.head.sha = headSha;
  pr.state = 'open';
  pr.closed_at = null;
  pr.closed_by = null;
  touch(emu, pr);
  emitPull(emu, repo, sender, 'reopened', pr);
  return pr;
}

/** Change the title, body or base: `pull_request.edited` with what changed (nothing sent when nothing did). */
export function editPullRequest(
  emu: Emulator,
  repo: Repo,
  sender: User,
  number: number,
  edit: { title?: string; body?: string | null; base?: string },
): PullIssue {
  const pr = findPull(repo, number);
  const changes: Record<string, unknown> = {};
  if (edit.base !== undefined && edit.base !== pr.pull.base.ref) {
    if (pr.state !== 'open') throw customError('Cannot change the base branch of a closed pull request.');
    const sha = branchHead(repo, edit.base);
    if (sha === undefined) throw invalidField('base');
    changes.base = { ref: { from: pr.pull.base.ref }, sha: { from: pr.pull.base.sha } };
    pr.pull.base = { ref: edit.base, sha };
  }
  if (edit.title !== undefined && edit.title !== pr.title) {
    changes.title = { from: pr.title };
    pr.title = edit.title;
  }
  if (edit.body !== undefined && edit.body !== pr.body) {
    changes.body = { from: pr.body ?? '' };
    pr.body = edit.body;
  }
  if (Object.keys(changes).length === 0) return pr;
  touch(emu, pr);
  emitPull(emu, repo, sender, 'edited', pr, { changes });
  return pr;
}

export interface MergeInput {
  /** The head sha the merge expects (409 when the head moved). */
  sha?: string;
  commitTitle?: string;
  commitMessage?: string;
  mergeMethod?: MergeMethod;
}

/**
 * Merge as the merge button does: the base branch moves to a merge commit
 * (base and head as parents; or a squashed commit, or the head's commits
 * rebased), `push` is emitted for it, then `pull_request.closed` with
 * `merged: true`, `merged_at` and `merge_commit_sha`.
 */
export function mergePullRequest(emu: Emulator, repo: Repo, sender: User, number: number, input: MergeInput = {}): { sha: string; merged: true; message: string } {
  const pr = findPull(repo, number);
  if (pr.state !== 'open' || pr.pull.merged) throw notMergeable();
  if (pr.pull.draft) throw new HttpError(405, 'Pull Request is still a draft');
  if (input.sha !== undefined && input.sha !== pr.pull.head.sha) throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
  const baseSha = branchHead(repo, pr.pull.base.ref);
  if (baseSha === undefined) throw notMergeable();
  const method = input.mergeMethod ?? 'merge';
  // GitHub's default messages: "Merge pull request #N from owner/branch" + the title; "<title> (#N)" + the commits for a squash.
  const squashBody = commitsBetween(emu, repo, [baseSha], pr.pull.head.sha).map((c) => `* ${c.message}`).join('\n\n');
  const title = input.commitTitle ?? (method === 'squash' ? `${pr.title} (#${pr.number})` : `Merge pull request #${pr.number} from ${headRepo(emu, repo, pr).owner.login}/${pr.pull.head.ref}`);
  const detail = input.commitMessage ?? (method === 'squash' ? squashBody : pr.title);
  const commit = mergeCommit(emu, repo, {
    baseSha,
    headSha: pr.pull.head.sha,
    method,
    message: detail === '' ? title : `${title}\n\n${detail}`,
    merger: sender,
  });
  if (!commit) throw notMergeable();

  merging.add(pr);
  try {
    holdingClosings(repo, () => moveBranch(emu, repo, sender, pr.pull.base.ref, commit.sha));
  } finally {
    merging.delete(pr);
  }
  markMerged(emu, repo, sender, pr, commit.sha, baseSha);
  closeOnMerge(emu, repo, sender, pr, baseSha, commit.sha);
  return { sha: commit.sha, merged: true, message: 'Pull Request successfully merged' };
}

export interface MergeBranchInput {
  /** The branch that moves. */
  base: string;
  /** A branch or a commit sha to merge into it. */
  head: string;
  /** The merge commit's message; GitHub's default when omitted. */
  commitMessage?: string;
}

/**
 * Merge a branch into another, as `POST /repos/{owner}/{repo}/merges` does
 * (docs.github.com/rest/branches/branches#merge-a-branch): "The authenticated
 * user will be the author of any merges done through this endpoint."
 *
 * - `head` already in `base` (or the same commit): nothing happens, and the
 *   route answers 204 ("Response when already merged"): undefined here;
 * - otherwise a merge commit with `base` and `head` as parents, even when
 *   `base` could fast-forward (GitHub's merges never fast-forward), and
 *   `base` moves to it with `push` (so open pull requests from `base` get
 *   `synchronize`, like any push);
 * - 404 "Base does not exist" / "Head does not exist"; 409 "Merge conflict"
 *   when a path changed differently on both sides (`base` stays where it
 *   was). Unrelated histories are refused with the same 409 (an assumption:
 *   GitHub documents no other answer for them).
 *
 * The default message is `Merge <head> into <base>`.
 */
export function mergeBranch(emu: Emulator, repo: Repo, sender: User, input: MergeBranchInput): Commit | undefined {
  const baseSha = branchHead(repo, input.base);
  if (baseSha === undefined) throw new HttpError(404, 'Base does not exist');
  const headSha = resolveCommit(emu, repo, input.head);
  if (headSha === undefined) throw new HttpError(404, 'Head does not exist');
  if (emu.world.isAncestor(repo, headSha, baseSha)) return undefined;
  const commit = mergeCommit(emu, repo, {
    baseSha,
    headSha,
    method: 'merge',
    message: input.commitMessage ?? `Merge ${input.head} into ${input.base}`,
    merger: sender,
  });
  if (!commit) throw new HttpError(409, 'Merge conflict');
  moveBranch(emu, repo, sender, input.base, commit.sha);
  return commit;
}

function markMerged(emu: Emulator, repo: Repo, sender: User, pr: PullIssue, mergeSha: string, baseSha: string): void {
  const now = emu.clock.iso();
  Object.assign(pr.pull, { merged: true, merged_at: now, merge_commit_sha: mergeSha, merged_by: sender });
  pr.pull.base.sha = baseSha;
  pr.state = 'closed';
  pr.closed_at = now;
  pr.closed_by = sender;
  pr.updated_at = now;
  emitPull(emu, repo, sender, 'closed', pr);
}

/**
 * A change made through the issues API to a pull request's issue (labels,
 * assignees, title and body, state): GitHub announces it as a
 * `pull_request` event with the same action. Pull requests cannot be
 * deleted on GitHub, so `deleted` sends nothing.
 */
export function pullRequestIssueEvent(emu: Emulator, repo: Repo, pr: PullIssue, action: string, sender: User, extra: Record<string, unknown>): void {
  if (action === 'deleted') return;
  if (action === 'closed') pr.pull.base.sha = branchHead(repo, pr.pull.base.ref) ?? pr.pull.base.sha;
  if (action === 'reopened') pr.pull.head.sha = branchHead(headRepo(emu, repo, pr), pr.pull.head.ref) ?? pr.pull.head.sha;
  emitPull(emu, repo, sender, action, pr, extra);
}

/**
 * What GitHub does after a push to a branch: open pull requests from it get
 * the new head (`synchronize`, with `before` and `after`), or are closed when
 * it was deleted; open pull requests into it whose head is now in it are
 * merged (a merge made outside GitHub), or closed when it was deleted; and
 * an installed app with `checks:write` gets a check suite for the new commit
 * and `check_suite.requested`.
 */
export function afterPush(emu: Emulator, repo: Repo, sender: User, push: { ref: string; before: string; after: string }): void {
  if (!push.ref.startsWith('refs/heads/')) return;
  const branch = push.ref.slice('refs/heads/'.length);
  const deleted = push.after === ZERO_SHA;
  for (const issue of [...repo.issues.values()]) {
    if (!issue.pull || issue.state !== 'open') continue;
    const pr = issue as PullIssue;
    if (merging.has(pr)) continue;
    // A fork's branch of the same name is another branch (`forks.ts` follows pushes to forks).
    if (pr.pull.head.ref === branch && pr.pull.head.repo === undefined) {
      if (deleted) {
        close(emu, repo, pr, sender);
        emitPull(emu, repo, sender, 'closed', pr);
        continue;
      }
      if (pr.pull.head.sha !== push.after) {
        const before = pr.pull.head.sha;
        pr.pull.head.sha = push.after;
        touch(emu, pr);
        emitPull(emu, repo, sender, 'synchronize', pr, { before, after: push.after });
      }
    }
    if (pr.pull.base.ref === branch) {
      if (deleted) {
        close(emu, repo, pr, sender);
        emitPull(emu, repo, sender, 'closed', pr);
      } else if (emu.world.isAncestor(repo, pr.pull.head.sha, push.after)) {
        markMerged(emu, repo, sender, pr, push.after, push.after);
      }
    }
  }
  if (!deleted) requestCheckSuite(emu, repo, sender, branch, push.after);
}

function requestCheckSuite(emu: Emulator, repo: Repo, sender: User, branch: string, sha: string): void {
  const app = emu.world.app;
  if (!emu.world.installationFor(repo) || app.permissions.checks !== 'write') return;
  if ([...repo.checkSuites.values()].some((s) => s.app?.id === app.id && s.head_sha === sha)) return;
  const suite = createSuite(emu, repo, app, sha, branch);
  emu.emitRepoEvent(repo, 'check_suite', sender, { action: 'requested', check_suite: checkSuiteJson(emu, repo, suite) });
}

// ---- checks ----

export type Conclusion = 'action_required' | 'cancelled' | 'failure' | 'neutral' | 'success' | 'skipped' | 'stale' | 'timed_out';
export type CheckStatus = CheckRun['status'];

/**
 * Highest priority first. GitHub documents only the example "timed_out,
 * success and neutral → timed_out"; the rest of the order is GitHub's as
 * apps observe it (action_required and failures above neutral and success,
 * skipped and stale last).
 */
const CONCLUSION_PRIORITY: readonly string[] = ['action_required', 'cancelled', 'timed_out', 'failure', 'neutral', 'success', 'skipped', 'stale'];

function createSuite(emu: Emulator, repo: Repo, app: App, sha: string, branch: string | null): CheckSuite {
  const now = emu.clock.iso();
  const suite: CheckSuite = {
    id: emu.world.id(),
    head_branch: branch,
    head_sha: sha,
    status: 'queued',
    conclusion: null,
    app,
    created_at: now,
    updated_at: now,
  };
  repo.checkSuites.set(suite.id, suite);
  return suite;
}

/** The branch a commit is for: an open pull request's head, else a branch at it (the default first), else null. */
function branchAt(repo: Repo, sha: string): string | null {
  const pull = pullsWithHead(repo, sha)[0];
  if (pull) return pull.pull.head.ref;
  if (branchHead(repo, repo.defaultBranch) === sha) return repo.defaultBranch;
  for (const [ref, at] of repo.git.refs) if (at === sha && ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  return null;
}

function requireCommit(emu: Emulator, repo: Repo, sha: string): void {
  if (!emu.world.commit(repo, sha)) throw new HttpError(422, `No commit found for SHA: ${sha}`);
}

export interface CheckRunInput {
  name: string;
  head_sha: string;
  status?: CheckStatus;
  conclusion?: Conclusion;
  started_at?: string;
  completed_at?: string;
  details_url?: string;
  external_id?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Partial<Annotation>[] };
}

function annotations(input: CheckRunInput['output']): Annotation[] {
  return (input?.annotations ?? []).map((a) => ({
    path: a.path!,
    start_line: a.start_line!,
    end_line: a.end_line!,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level!,
    title: a.title ?? null,
    message: a.message!,
    raw_details: a.raw_details ?? null,
  }));
}

function checkRunEvent(emu: Emulator, repo: Repo, sender: User, action: 'created' | 'completed', run: CheckRun): void {
  emu.emitRepoEvent(repo, 'check_run', sender, { action, check_run: checkRunJson(emu, repo, run) });
}

/** Recompute a suite from its runs; `check_suite.completed` when the last run completes. */
function settleSuite(emu: Emulator, repo: Repo, sender: User, suite: CheckSuite): void {
  const runs = [...repo.checkRuns.values()].filter((r) => r.suiteId === suite.id);
  const was = suite.status;
  if (runs.length > 0 && runs.every((r) => r.status === 'completed')) {
    suite.status = 'completed';
    const rank = (c: string | null) => {
      const i = CONCLUSION_PRIORITY.indexOf(c ?? '');
      return i < 0 ? CONCLUSION_PRIORITY.length : i;
    };
    suite.conclusion = runs.map((r) => r.conclusion).sort((a, b) => rank(a) - rank(b))[0] ?? null;
  } else {
    suite.status = runs.some((r) => r.status !== 'queued') ? 'in_progress' : 'queued';
    suite.conclusion = null;
  }
  suite.updated_at = emu.clock.iso();
  if (suite.status === 'completed' && was !== 'completed') {
    emu.emitRepoEvent(repo, 'check_suite', sender, { action: 'completed', check_suite: checkSuiteJson(emu, repo, suite) });
  }
}

function validateCompletion(status: CheckStatus | undefined, conclusion: string | undefined, completedAt: string | undefined): void {
  if ((status === 'completed' || completedAt !== undefined) && conclusion === undefined) {
    throw new HttpError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
  }
  if (conclusion === 'stale') throw new HttpError(422, 'Invalid request.\n\nYou cannot change a check run conclusion to stale, only GitHub can set this.');
}

/**
 * An app creates a check run: it joins the app's check suite for the
 * commit (created when there is none), `check_run.created` is sent, and
 * `check_run.completed` too when it is created completed. A conclusion
 * makes the run completed (the `checks/create` description).
 */
export function createCheckRun(emu: Emulator, repo: Repo, app: App, sender: User, input: CheckRunInput, suite?: CheckSuite): CheckRun {
  requireCommit(emu, repo, input.head_sha);
  validateCompletion(input.status, input.conclusion, input.completed_at);
  const status: CheckStatus = input.conclusion !== undefined ? 'completed' : (input.status ?? 'queued');
  const now = emu.clock.iso();
  const home =
    suite ??
    [...repo.checkSuites.values()].find((s) => s.app?.id === app.id && s.head_sha === input.head_sha) ??
    createSuite(emu, repo, app, input.head_sha, branchAt(repo, input.head_sha));
  const run: CheckRun = {
    id: emu.world.id(),
    suiteId: home.id,
    name: input.name,
    head_sha: input.head_sha,
    status,
    conclusion: input.conclusion ?? null,
    started_at: input.started_at ?? now,
    completed_at: status === 'completed' ? (input.completed_at ?? now) : null,
    output: {
      title: input.output?.title ?? null,
      summary: input.output?.summary ?? null,
      text: input.output?.text ?? null,
      annotations: annotations(input.output),
    },
    external_id: input.external_id ?? null,
    details_url: input.details_url ?? null,
    app,
  };
  repo.checkRuns.set(run.id, run);
  checkRunEvent(emu, repo, sender, 'created', run);
  if (run.status === 'completed') checkRunEvent(emu, repo, sender, 'completed', run);
  settleSuite(emu, repo, sender, home);
  return run;
}

/** The app updates its check run; annotations are appended; `check_run.completed` when it completes. */
export function updateCheckRun(emu: Emulator, repo: Repo, sender: User, run: CheckRun, input: Partial<CheckRunInput>): CheckRun {
  validateCompletion(input.status, input.conclusion, input.completed_at);
  const wasCompleted = run.status === 'completed';
  const now = emu.clock.iso();
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.details_url = input.details_url;
  if (input.external_id !== undefined) run.external_id = input.external_id;
  if (input.started_at !== undefined) run.started_at = input.started_at;
  if (input.conclusion !== undefined) {
    run.status = 'completed';
    run.conclusion = input.conclusion;
    run.completed_at = input.completed_at ?? now;
  } else if (input.status !== undefined) {
    run.status = input.status;
    if (input.status !== 'completed') {
      run.conclusion = null;
      run.completed_at = null;
    }
  }
  if (input.output) {
    if (input.output.title !== undefined) run.output.title = input.output.title;
    if (input.output.summary !== undefined) run.output.summary = input.output.summary;
    if (input.output.text !== undefined) run.output.text = input.output.text;
    run.output.annotations.push(...annotations(input.output));
  }
  if (run.status === 'completed' && !wasCompleted) checkRunEvent(emu, repo, sender, 'completed', run);
  const suite = repo.checkSuites.get(run.suiteId);
  if (suite) settleSuite(emu, repo, sender, suite);
  return run;
}

// ---- GitHub Actions: a CI app with a synthetic workflow ----

const actionsApps = new WeakMap<World, App>();

/** The "GitHub Actions" app of this world (not `world.app`); it never authenticates, so it has no key of its own. */
export function actionsApp(world: World): App {
  let app = actionsApps.get(world);
  if (!app) {
    app = {
      id: 15368,
      slug: 'github-actions',
      name: 'GitHub Actions',
      owner: world.user('github', 'Organization'),
      bot: world.user('github-actions[bot]', 'Bot'),
      privateKeyPem: '',
      publicKey: world.app.publicKey,
      permissions: { actions: 'write', checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
      events: ['check_run', 'check_suite', 'pull_request', 'push', 'workflow_run'],
    };
    actionsApps.set(world, app);
  }
  return app;
}

const workflows = new WeakMap<Repo, Workflow>();

/** The repository's one synthetic workflow, `CI` in `.github/workflows/ci.yml`. */
export function ciWorkflow(emu: Emulator, repo: Repo): Workflow {
  let workflow = workflows.get(repo);
  if (!workflow) {
    workflow = { id: emu.world.id(), name: 'CI', path: '.github/workflows/ci.yml', created_at: repo.created_at };
    workflows.set(repo, workflow);
  }
  return workflow;
}

function emitWorkflowRun(emu: Emulator, repo: Repo, action: 'requested' | 'in_progress' | 'completed', run: WorkflowRun): void {
  emu.emitRepoEvent(repo, 'workflow_run', run.actor, {
    action,
    workflow: workflowJson(emu.urls, repo, ciWorkflow(emu, repo)),
    workflow_run: workflowRunJson(emu, repo, run),
  });
}

/**
 * GitHub Actions starts a job of the `CI` workflow on a commit: a workflow
 * run with its own check suite (Actions makes one suite per workflow run),
 * `workflow_run.requested`, the job's check run (`check_run.created`), and
 * `workflow_run.in_progress`. `sender` is who triggered it: the commit's
 * author when that is an account and no sender is given, else the Actions bot.
 */
export function startCheck(emu: Emulator, repo: Repo, input: { sha: string; name: string; sender?: User }): CheckRun {
  requireCommit(emu, repo, input.sha);
  const app = actionsApp(emu.world);
  const sender = input.sender ?? userForEmail(emu, emu.world.commit(repo, input.sha)!.author.email) ?? app.bot;
  const branch = branchAt(repo, input.sha);
  const suite = createSuite(emu, repo, app, input.sha, branch);
  const workflow = ciWorkflow(emu, repo);
  const runs = (repo.workflowRuns ??= new Map());
  const now = emu.clock.iso();
  const workflowRun: WorkflowRun = {
    id: emu.world.id(),
    workflowId: workflow.id,
    name: workflow.name,
    path: workflow.path,
    run_number: [...runs.values()].filter((r) => r.workflowId === workflow.id).length + 1,
    run_attempt: 1,
    event: pullsWithHead(repo, input.sha).length > 0 ? 'pull_request' : 'push',
    head_branch: branch,
    head_sha: input.sha,
    checkSuiteId: suite.id,
    status: 'queued',
    conclusion: null,
    actor: sender,
    created_at: now,
    updated_at: now,
    run_started_at: now,
  };
  runs.set(workflowRun.id, workflowRun);
  emitWorkflowRun(emu, repo, 'requested', workflowRun);
  const run = createCheckRun(emu, repo, app, sender, { name: input.name, head_sha: input.sha, status: 'in_progress' }, suite);
  workflowRun.status = 'in_progress';
  workflowRun.updated_at = emu.clock.iso();
  emitWorkflowRun(emu, repo, 'in_progress', workflowRun);
  return run;
}

/**
 * GitHub Actions finishes a job: the unfinished Actions check run of that
 * name on the commit (started here when there is none) completes with
 * `conclusion`: `check_run.completed`, `check_suite.completed`, and
 * `workflow_run.completed` with the suite's conclusion.
 */
export function completeCheck(
  emu: Emulator,
  repo: Repo,
  input: { sha: string; name: string; conclusion: Conclusion; sender?: User; output?: CheckRunInput['output'] },
): CheckRun {
  const app = actionsApp(emu.world);
  const open = [...repo.checkRuns.values()].find((r) => r.app?.id === app.id && r.head_sha === input.sha && r.name === input.name && r.status !== 'completed');
  const run = open ?? startCheck(emu, repo, input);
  const workflowRun = [...(repo.workflowRuns?.values() ?? [])].find((w) => w.checkSuiteId === run.suiteId);
  const sender = workflowRun?.actor ?? input.sender ?? app.bot;
  updateCheckRun(emu, repo, sender, run, { conclusion: input.conclusion, ...(input.output ? { output: input.output } : {}) });
  const suite = repo.checkSuites.get(run.suiteId)!;
  if (workflowRun && suite.status === 'completed') {
    workflowRun.status = 'completed';
    workflowRun.conclusion = suite.conclusion;
    workflowRun.updated_at = emu.clock.iso();
    emitWorkflowRun(emu, repo, 'completed', workflowRun);
  }
  return run;
}

// ---- commit statuses ----

export interface StatusInput {
  sha: string;
  state: CommitStatus['state'];
  /** `default` when omitted (GitHub's default). */
  context?: string;
  description?: string | null;
  target_url?: string | null;
}

/** Branches whose history holds `sha` (at most 10, as the `status` webhook lists them). */
function branchesWith(emu: Emulator, repo: Repo, sha: string) {
  const branches: { name: string; commit: { sha: string; url: string }; protected: boolean }[] = [];
  for (const [ref, tip] of repo.git.refs) {
    if (!ref.startsWith('refs/heads/') || !reachable(emu, repo, [tip]).has(sha)) continue;
    branches.push({ name: ref.slice('refs/heads/'.length), commit: { sha: tip, url: `${emu.urls.api}/repos/${repo.fullName}/commits/${tip}` }, protected: false });
    if (branches.length === 10) break;
  }
  return branches;
}

/** Someone (a CI, a person) sets a commit status: `status`. */
export function setCommitStatus(emu: Emulator, repo: Repo, sender: User, input: StatusInput): CommitStatus {
  requireCommit(emu, repo, input.sha);
  const context = input.context ?? 'default';
  const now = emu.clock.iso();
  const status: CommitStatus = {
    id: emu.world.id(),
    sha: input.sha,
    state: input.state,
    context,
    description: input.description ?? null,
    target_url: input.target_url ?? null,
    creator: sender,
    created_at: now,
    updated_at: now,
  };
  repo.statuses.push(status);
  const commit = emu.world.commit(repo, input.sha)!;
  emu.emitRepoEvent(repo, 'status', sender, {
    id: status.id,
    sha: status.sha,
    name: repo.fullName,
    target_url: status.target_url,
    avatar_url: null,
    context: status.context,
    description: status.description,
    state: status.state,
    commit: statusCommitJson(emu, repo, commit),
    branches: branchesWith(emu, repo, input.sha),
    created_at: now,
    updated_at: now,
  });
  return status;
}
