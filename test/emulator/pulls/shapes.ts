/**
 * GitHub's JSON for pull requests (full, simple and minimal), check runs,
 * check suites, annotations, commit statuses, the combined status, and
 * GitHub Actions workflows and workflow runs. The contract checks every one
 * of them against GitHub's REST and webhook schemas.
 */
import type { Emulator } from '../emulator.js';
import { commitJson } from '../git/shapes.js';
import { authorAssociation, commentCount, issueLabels, labelJson } from '../issues/shapes.js';
import { appJson, nodeId, repoJson, userJson, type Urls } from '../shapes.js';
import type { App, CheckRun, CheckSuite, Commit, CommitStatus, Issue, PullRequest, Repo, WorkflowRun } from '../state.js';
import { pullStats } from './merge.js';

/** An annotation as the app sent it (GitHub's `check-annotation`, without `blob_href`). */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string | null;
  message: string;
  raw_details: string | null;
}

/** A pull request: an issue with `pull` set. */
export type PullIssue = Issue & { pull: PullRequest };

const api = (u: Urls, repo: Repo) => `${u.api}/repos/${repo.fullName}`;

export function pullId(issue: PullIssue): number {
  return issue.pull.id ?? issue.id;
}

const appCreated = new WeakMap<App, string>();
/** An app's JSON, with a creation date fixed on first use. */
export function integrationJson(emu: Emulator, app: App) {
  if (!appCreated.has(app)) appCreated.set(app, emu.clock.iso());
  const json = appJson(emu.urls, app, appCreated.get(app)!);
  return app.id === emu.world.app.id ? json : { ...json, description: `${app.name} (emulated)` };
}

/** The tip of a branch, or undefined. */
export function branchTip(repo: Repo, branch: string): string | undefined {
  return repo.git.refs.get(`refs/heads/${branch}`);
}

/** Where the base is: the branch's tip while the pull request is open, what it was when it closed after. */
function baseSha(repo: Repo, issue: PullIssue): string {
  return issue.state === 'open' ? (branchTip(repo, issue.pull.base.ref) ?? issue.pull.base.sha) : issue.pull.base.sha;
}

function pullCommon(emu: Emulator, repo: Repo, issue: PullIssue) {
  const u = emu.urls;
  const self = `${api(u, repo)}/pulls/${issue.number}`;
  const html = `${u.html}/${repo.fullName}/pull/${issue.number}`;
  const issueUrl = `${api(u, repo)}/issues/${issue.number}`;
  const statusesUrl = `${api(u, repo)}/statuses/${issue.pull.head.sha}`;
  const side = (ref: string, sha: string, home: Repo = repo) => ({
    label: `${home.owner.login}:${ref}`,
    ref,
    sha,
    user: userJson(u, home.owner),
    repo: home === repo ? repoJson(u, repo) : forkJson(u, home),
  });
  const assignees = issue.assignees.map((login) => userJson(u, emu.world.user(login)));
  return {
    url: self,
    id: pullId(issue),
    node_id: nodeId('PullRequest', pullId(issue)),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api(u, repo)}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statusesUrl,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: userJson(u, issue.user),
    body: issue.body,
    labels: issueLabels(repo, issue).map((label) => labelJson(u, repo, label)),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    merged_at: issue.pull.merged_at,
    merge_commit_sha: issue.pull.merge_commit_sha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: side(issue.pull.head.ref, issue.pull.head.sha, headRepo(emu, repo, issue)),
    base: side(issue.pull.base.ref, baseSha(repo, issue)),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api(u, repo)}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: statusesUrl },
    },
    author_association: authorAssociation(repo, issue.user),
    auto_merge: null,
    draft: issue.pull.draft,
  };
}

/** `pull-request-simple`: what the list shows. */
export function pullRequestSimpleJson(emu: Emulator, repo: Repo, issue: PullIssue) {
  return pullCommon(emu, repo, issue);
}

/**
 * `pull-request`: the single pull request, with mergeability and counts.
 * GitHub: `mergeable` is null once closed; `mergeable_state` is `draft` for a
 * draft, `dirty` for a conflict, `unstable` when a commit status or check
 * fails, else `clean` (docs: "Get a pull request", and the GraphQL
 * MergeStateStatus enum the REST field mirrors).
 */
export function pullRequestJson(emu: Emulator, repo: Repo, issue: PullIssue) {
  const common = pullCommon(emu, repo, issue);
  const stats = pullStats(emu, repo, common.base.sha, issue.pull.head.sha);
  const open = issue.state === 'open';
  let mergeableState = 'unknown';
  if (open) {
    if (!stats.mergeable) mergeableState = 'dirty';
    else if (issue.pull.draft) mergeableState = 'draft';
    else if (failing(repo, issue.pull.head.sha)) mergeableState = 'unstable';
    else mergeableState = 'clean';
  }
  return {
    ...common,
    merged: issue.pull.merged,
    mergeable: open ? stats.mergeable : null,
    rebaseable: open ? stats.mergeable : null,
    mergeable_state: mergeableState,
    merged_by: issue.pull.merged_by ? userJson(emu.urls, issue.pull.merged_by) : null,
    comments: commentCount(repo, issue),
    review_comments: 0,
    maintainer_can_modify: false,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

/** The pull request in webhook payloads: the full one plus the repository's merge settings. */
export function pullRequestWebhookJson(emu: Emulator, repo: Repo, issue: PullIssue) {
  return {
    ...pullRequestJson(emu, repo, issue),
    allow_auto_merge: false,
    allow_update_branch: false,
    delete_branch_on_merge: false,
    merge_commit_message: 'PR_TITLE',
    merge_commit_title: 'MERGE_MESSAGE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    use_squash_pr_title_as_default: false,
  };
}

/** A fork as a pull request's head shows it: the repository's JSON with `fork: true`. */
function forkJson(u: Urls, fork: Repo) {
  return { ...repoJson(u, fork), fork: true };
}

/** The repository a pull request's head branch lives in: a fork (`pulls/forks.ts`), or the repository itself. */
export function headRepo(emu: Emulator, repo: Repo, issue: PullIssue): Repo {
  return (issue.pull.head.repo && emu.world.repo(issue.pull.head.repo)) || repo;
}

/** `pull-request-minimal`: what check runs, check suites and workflow runs list. */
export function pullRequestMinimalJson(u: Urls, repo: Repo, issue: PullIssue) {
  const repoRef = { id: repo.id, url: api(u, repo), name: repo.name };
  return {
    id: pullId(issue),
    number: issue.number,
    url: `${api(u, repo)}/pulls/${issue.number}`,
    head: { ref: issue.pull.head.ref, sha: issue.pull.head.sha, repo: repoRef },
    base: { ref: issue.pull.base.ref, sha: baseSha(repo, issue), repo: repoRef },
  };
}

/** Open pull requests whose head is at `sha` (on `branch` when given), from forks too: what a check or a workflow run is for. */
export function pullsWithHead(repo: Repo, sha: string, branch?: string | null): PullIssue[] {
  return [...repo.issues.values()].filter(
    (i): i is PullIssue => i.pull !== undefined && i.state === 'open' && i.pull.head.sha === sha && (branch == null || i.pull.head.ref === branch),
  );
}

/**
 * Open pull requests whose head is at `sha` (on `branch` when given) and in
 * this repository: GitHub's match for the `pull_requests` of check runs,
 * check suites and workflow runs. A fork's head is left out ("The endpoints
 * to manage checks only look for pushes in the repository where the check
 * suite or check run were created. Pushes to a branch in a forked repository
 * are not detected and return an empty `pull_requests` array.", the
 * `checks/list-for-ref` description).
 */
export function pullsAt(repo: Repo, sha: string, branch?: string | null): PullIssue[] {
  return pullsWithHead(repo, sha, branch).filter((p) => p.pull.head.repo === undefined);
}

function failing(repo: Repo, sha: string): boolean {
  const state = combinedState(latestStatuses(repo, sha));
  const runs = [...repo.checkRuns.values()].filter((r) => r.head_sha === sha && r.status === 'completed');
  return state === 'failure' || runs.some((r) => ['failure', 'timed_out', 'cancelled', 'action_required'].includes(r.conclusion ?? ''));
}

// ---- checks ----

export function annotationJson(u: Urls, repo: Repo, run: CheckRun, annotation: Annotation) {
  return { ...annotation, blob_href: `${u.html}/${repo.fullName}/blob/${run.head_sha}/${annotation.path}` };
}

export function checkRunJson(emu: Emulator, repo: Repo, run: CheckRun) {
  const u = emu.urls;
  const suite = repo.checkSuites.get(run.suiteId);
  const url = `${api(u, repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.head_sha,
    external_id: run.external_id ?? '',
    url,
    html_url: `${u.html}/${repo.fullName}/runs/${run.id}`,
    details_url: run.details_url ?? (run.app ? `${u.html}/apps/${run.app.slug}` : ''),
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    check_suite: suite ? simpleCheckSuiteJson(emu, repo, suite) : null,
    app: run.app ? integrationJson(emu, run.app) : null,
    pull_requests: pullsAt(repo, run.head_sha, suite?.head_branch).map((p) => pullRequestMinimalJson(u, repo, p)),
  };
}

/** The suite inside a check run: what `check-run-with-simple-check-suite` holds. */
function simpleCheckSuiteJson(emu: Emulator, repo: Repo, suite: CheckSuite) {
  const u = emu.urls;
  return {
    id: suite.id,
    node_id: nodeId('CheckSuite', suite.id),
    head_branch: suite.head_branch,
    head_sha: suite.head_sha,
    status: suite.status,
    conclusion: suite.conclusion,
    url: `${api(u, repo)}/check-suites/${suite.id}`,
    before: parentOf(emu, repo, suite.head_sha),
    after: suite.head_sha,
    pull_requests: pullsAt(repo, suite.head_sha, suite.head_branch).map((p) => pullRequestMinimalJson(u, repo, p)),
    app: suite.app ? integrationJson(emu, suite.app) : null,
    created_at: suite.created_at,
    updated_at: suite.updated_at,
  };
}

function parentOf(emu: Emulator, repo: Repo, sha: string): string | null {
  return emu.world.commit(repo, sha)?.parents[0] ?? null;
}

export function simpleCommitJson(commit: Commit) {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message,
    timestamp: commit.committer.date,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

export function checkSuiteJson(emu: Emulator, repo: Repo, suite: CheckSuite) {
  const commit = emu.world.commit(repo, suite.head_sha);
  const runs = [...repo.checkRuns.values()].filter((r) => r.suiteId === suite.id);
  return {
    ...simpleCheckSuiteJson(emu, repo, suite),
    repository: repoJson(emu.urls, repo),
    head_commit: commit ? simpleCommitJson(commit) : null,
    latest_check_runs_count: new Set(runs.map((r) => r.name)).size,
    check_runs_url: `${api(emu.urls, repo)}/check-suites/${suite.id}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

// ---- commit statuses ----

export function statusJson(u: Urls, repo: Repo, status: CommitStatus) {
  return {
    url: `${api(u, repo)}/statuses/${status.sha}`,
    avatar_url: userJson(u, status.creator).avatar_url,
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.target_url,
    context: status.context,
    created_at: status.created_at,
    updated_at: status.updated_at,
    creator: userJson(u, status.creator),
  };
}

/** The latest status of each context (contexts are case-insensitive), newest first. */
export function latestStatuses(repo: Repo, sha: string): CommitStatus[] {
  const seen = new Set<string>();
  const latest: CommitStatus[] = [];
  for (const status of [...repo.statuses].reverse()) {
    if (status.sha !== sha || seen.has(status.context.toLowerCase())) continue;
    seen.add(status.context.toLowerCase());
    latest.push(status);
  }
  return latest;
}

/**
 * GitHub ("Get the combined status for a specific reference"): failure if any
 * context reports error or failure; pending if there are no statuses or one
 * is pending; success when the latest status of every context is success.
 */
export function combinedState(latest: readonly CommitStatus[]): 'failure' | 'pending' | 'success' {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export function combinedStatusJson(u: Urls, repo: Repo, sha: string, page: readonly CommitStatus[], all: readonly CommitStatus[]) {
  return {
    state: combinedState(all),
    statuses: page.map((s) => {
      const { creator: _creator, ...rest } = statusJson(u, repo, s);
      return rest;
    }),
    sha,
    total_count: all.length,
    repository: repoJson(u, repo),
    commit_url: `${api(u, repo)}/commits/${sha}`,
    url: `${api(u, repo)}/commits/${sha}/status`,
  };
}

/** The commit in a `status` webhook, as `GET /repos/{owner}/{repo}/commits/{ref}` shows it. */
export function statusCommitJson(emu: Emulator, repo: Repo, commit: Commit) {
  return commitJson(emu, repo, commit);
}

// ---- GitHub Actions ----

export interface Workflow {
  id: number;
  name: string;
  path: string;
  created_at: string;
}

export function workflowJson(u: Urls, repo: Repo, workflow: Workflow) {
  return {
    id: workflow.id,
    node_id: nodeId('Workflow', workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: 'active',
    created_at: workflow.created_at,
    updated_at: workflow.created_at,
    url: `${api(u, repo)}/actions/workflows/${workflow.id}`,
    html_url: `${u.html}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${u.html}/${repo.fullName}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

export function workflowRunJson(emu: Emulator, repo: Repo, run: WorkflowRun) {
  const u = emu.urls;
  const url = `${api(u, repo)}/actions/runs/${run.id}`;
  const commit = emu.world.commit(repo, run.head_sha);
  const repository = repoJson(u, repo);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    path: run.path,
    display_title: commit?.message.split('\n')[0] ?? run.name,
    run_number: run.run_number,
    run_attempt: run.run_attempt,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId('CheckSuite', run.checkSuiteId),
    url,
    html_url: `${u.html}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: pullsAt(repo, run.head_sha, run.head_branch).map((p) => pullRequestMinimalJson(u, repo, p)),
    created_at: run.created_at,
    updated_at: run.updated_at,
    actor: userJson(u, run.actor),
    triggering_actor: userJson(u, run.actor),
    run_started_at: run.run_started_at,
    referenced_workflows: [],
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${api(u, repo)}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${api(u, repo)}/actions/workflows/${run.workflowId}`,
    head_commit: commit
      ? simpleCommitJson(commit)
      : null,
    repository,
    head_repository: headOfRun(emu, repo, run),
  };
}

/** A workflow run's `head_repository`: the fork of the pull request it ran for, or the repository. */
function headOfRun(emu: Emulator, repo: Repo, run: WorkflowRun) {
  const fork = pullsWithHead(repo, run.head_sha, run.head_branch).find((p) => p.pull.head.repo !== undefined);
  const home = fork ? headRepo(emu, repo, fork) : repo;
  return home === repo ? repoJson(emu.urls, repo) : forkJson(emu.urls, home);
}
