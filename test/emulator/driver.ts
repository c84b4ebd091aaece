/**
 * People acting on the emulated GitHub: `github.as('octocat').in('acme/app')`
 * pushes commits, opens and edits issues, comments, opens, readies and merges
 * pull requests, and completes checks. Each action changes the same state the
 * REST routes change, and emits the webhooks GitHub would, with the person as
 * sender.
 */
import { changeInstallationRepositories, installApp } from './app/services.js';
import type { Emulator } from './emulator.js';
import { commitFiles, seedFiles } from './git/services.js';
import * as issues from './issues/services.js';
import * as pulls from './pulls/services.js';
import * as forks from './pulls/forks.js';
import * as reviews from './pulls/reviews.js';
import { requireChecks } from './pulls/rules.js';
import * as projects from './projects/people.js';
import type { Commit, Installation, Issue, IssueComment, Repo, User } from './state.js';

export class Person {
  constructor(
    readonly github: Emulator,
    readonly user: User,
  ) {}

  /** This person's actions in one repository. */
  in(fullName: string): PersonInRepo {
    const repo = this.github.world.repo(fullName);
    if (!repo) throw new Error(`no repository ${fullName}`);
    return new PersonInRepo(this.github, this.user, repo);
  }

  /**
   * Create a repository holding `files` on its default branch (one commit by this person). No
   * webhook: the app hears of a repository when it is installed on it.
   */
  createRepo(fullName: string, files: Record<string, string> = {}, options: { defaultBranch?: string; private?: boolean } = {}): PersonInRepo {
    const repo = this.github.world.createRepo(fullName, options);
    if (Object.keys(files).length > 0) seedFiles(this.github, repo, files, { message: 'Initial commit' });
    return new PersonInRepo(this.github, this.user, repo);
  }

  /** Install the app on `account`'s repositories (`installation.created`). */
  installApp(account: string, repositories: string[]): Installation {
    return installApp(this.github, this.user, account, repositories);
  }

  /** Add or remove repositories of an installation (`installation_repositories`). */
  changeInstallation(installation: Installation, change: { add?: string[]; remove?: string[] }): void {
    changeInstallationRepositories(this.github, this.user, installation, change);
  }

  // ---- projects (v2): `projects/people.ts` ----

  /** Create a project owned by `owner` (this person's login: a user project; else an organization's). */
  createProject(owner: string, input: projects.NewProject): projects.Project {
    return projects.personCreatesProject(this.github, this.user, owner, input);
  }

  /** Add an issue or pull request (`owner/repo#number` or the issue) to a project: `projects_v2_item.created`. */
  addToProject(owner: string, number: number, issue: string | Issue): projects.ProjectItem {
    return projects.personAddsToProject(this.github, this.user, owner, number, issue);
  }

  /** Move a card to the Status column `optionName` (null: none): `projects_v2_item.edited`. */
  moveProjectItem(owner: string, number: number, item: projects.ItemRef, optionName: string | null): projects.ProjectItem {
    return projects.personMovesItem(this.github, this.user, owner, number, item, optionName);
  }

  /** Archive a card: `projects_v2_item.archived`. */
  archiveProjectItem(owner: string, number: number, item: projects.ItemRef): void {
    projects.personArchivesItem(this.github, this.user, owner, number, item);
  }

  /** Remove a card from the project: `projects_v2_item.deleted`. */
  removeFromProject(owner: string, number: number, item: projects.ItemRef): void {
    projects.personRemovesItem(this.github, this.user, owner, number, item);
  }

  /** The Status a card shows (null: none; undefined: not on the project). */
  projectStatus(owner: string, number: number, item: projects.ItemRef): string | null | undefined {
    return projects.projectStatus(this.github, owner, number, item);
  }
}

export class PersonInRepo {
  constructor(
    readonly github: Emulator,
    readonly user: User,
    readonly repo: Repo,
  ) {}

  // ---- commits ----

  /** Commit file changes (`null` deletes) to a branch, the default one unless named, and push them. */
  push(files: Record<string, string | null>, options: { message?: string; branch?: string; baseBranch?: string } = {}): Commit {
    return commitFiles(this.github, this.repo, this.user, {
      branch: options.branch ?? this.repo.defaultBranch,
      files,
      message: options.message ?? `Update ${Object.keys(files).join(', ')}`,
      baseBranch: options.baseBranch,
    });
  }

  // ---- issues ----

  openIssue(input: issues.NewIssue): Issue {
    return issues.createIssue(this.github, this.repo, this.user, input);
  }

  editIssue(number: number, patch: issues.IssuePatch): Issue {
    return issues.updateIssue(this.github, this.repo, this.user, number, patch);
  }

  closeIssue(number: number, reason: 'completed' | 'not_planned' | 'duplicate' = 'completed'): Issue {
    return issues.closeIssue(this.github, this.repo, this.user, number, reason);
  }

  reopenIssue(number: number): Issue {
    return issues.reopenIssue(this.github, this.repo, this.user, number);
  }

  deleteIssue(number: number): void {
    issues.deleteIssue(this.github, this.repo, this.user, number);
  }

  label(number: number, ...names: string[]): void {
    issues.addLabels(this.github, this.repo, this.user, number, names);
  }

  unlabel(number: number, name: string): void {
    issues.removeLabel(this.github, this.repo, this.user, number, name);
  }

  assign(number: number, ...logins: string[]): Issue {
    return issues.addAssignees(this.github, this.repo, this.user, number, logins);
  }

  unassign(number: number, ...logins: string[]): Issue {
    return issues.removeAssignees(this.github, this.repo, this.user, number, logins);
  }

  comment(number: number, body: string): IssueComment {
    return issues.createComment(this.github, this.repo, this.user, number, body);
  }

  editComment(id: number, body: string): IssueComment {
    return issues.updateComment(this.github, this.repo, this.user, id, body);
  }

  deleteComment(id: number): void {
    issues.deleteComment(this.github, this.repo, this.user, id);
  }

  /** Make issue `child` a sub-issue of `parent` (both by number). */
  addSubIssue(parent: number, child: number): Issue {
    return issues.addSubIssue(this.github, this.repo, this.user, parent, issues.issueOf(this.repo, child).id);
  }

  // ---- pull requests and CI ----

  openPullRequest(input: pulls.OpenPullRequestInput): Issue {
    return pulls.openPullRequest(this.github, this.repo, this.user, input);
  }

  markReady(number: number): Issue {
    return pulls.markReadyForReview(this.github, this.repo, this.user, number);
  }

  convertToDraft(number: number): Issue {
    return pulls.convertToDraft(this.github, this.repo, this.user, number);
  }

  merge(number: number, input: pulls.MergeInput = {}): { sha: string } {
    return pulls.mergePullRequest(this.github, this.repo, this.user, number, input);
  }

  /** Merge `head` (a branch or a sha) into the branch `base` with a merge commit, as `POST /merges` does; undefined when there was nothing to merge. */
  mergeBranch(base: string, head: string, commitMessage?: string): Commit | undefined {
    return pulls.mergeBranch(this.github, this.repo, this.user, { base, head, commitMessage });
  }

  closePullRequest(number: number): Issue {
    return pulls.closePullRequest(this.github, this.repo, this.user, number);
  }

  /** Review a pull request (`pull_request_review.submitted`); GitHub's 422s for one's own pull request and a missing body. */
  review(number: number, event: reviews.ReviewEvent, body?: string): reviews.Review {
    return reviews.submitReview(this.github, this.repo, this.user, number, { event, body });
  }

  /** Dismiss an approval or a change request (`pull_request_review.dismissed`). */
  dismissReview(number: number, reviewId: number, message: string): reviews.Review {
    return reviews.dismissReview(this.github, this.repo, this.user, number, reviewId, message);
  }

  /**
   * Commit `files` to `branch` of `fork`'s fork of this repository (made on first use) and open a pull
   * request from it into this repository's default branch: `pull_request.opened` here.
   */
  openForkPullRequest(input: { fork: string; branch: string; files: Record<string, string | null>; title: string; body?: string; draft?: boolean; message?: string }): Issue {
    const fork = forks.forkOf(this.github, this.repo, input.fork);
    commitFiles(this.github, fork, this.user, { branch: input.branch, files: input.files, message: input.message ?? `Update ${Object.keys(input.files).join(', ')}` });
    return forks.openForkPullRequest(this.github, this.repo, this.user, { fork: input.fork, branch: input.branch, title: input.title, body: input.body, draft: input.draft });
  }

  /** Push more commits to a fork pull request's branch (in the fork): its head moves, `pull_request.synchronize` here. */
  pushToFork(number: number, files: Record<string, string | null>, message?: string): Commit {
    return forks.pushToFork(this.github, this.repo, this.user, number, files, message);
  }

  /** Require status checks (`contexts`; none removes the rule) on `branch` with a ruleset, as a repository admin does. */
  requireChecks(branch: string, contexts: string[]): void {
    requireChecks(this.github, this.repo, branch, contexts);
  }

  /** CI (GitHub Actions) finishes a check on a commit with a conclusion, as this person's workflow run. */
  completeCheck(sha: string, name: string, conclusion: Parameters<typeof pulls.completeCheck>[2]['conclusion']) {
    return pulls.completeCheck(this.github, this.repo, { sha, name, conclusion, sender: this.user });
  }
}
