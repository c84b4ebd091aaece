/**
 * Every change to issues, comments, labels, assignees and sub-issues, as
 * `(emu, repo, sender, input…)`. The routes call these with the request's
 * actor as sender (the app's bot for installation tokens, so the app hears
 * its own changes back, as on GitHub); the people-driver calls them directly.
 *
 * Each change bumps the issue's `updated_at` (a comment bumps its issue),
 * emits the webhook GitHub sends for it, and records the issue event GitHub
 * lists for it, where there is one (`events.ts`). A pull request's issue is announced
 * with `pull_request` events, not `issues` ones (GitHub's `issues` event is
 * "activity related to an issue"; labels, assignees, edits and state of a
 * pull request arrive as `pull_request` actions): the pulls group renders
 * those, through `onPullRequestIssueEvent`. Comments on pull requests are
 * `issue_comment` events, as on GitHub.
 *
 * Errors are thrown as `HttpError`s in GitHub's shapes, so the routes pass
 * them on as they are.
 */
import type { Emulator } from '../emulator.js';
import { HttpError, notFound, validationFailed } from '../http.js';
import { repoJson, userJson } from '../shapes.js';
import type { Issue, IssueComment, Label, Repo, User } from '../state.js';
import { recordIssueEvent } from './events.js';
import { commentJson, issueById, issueJson, labelJson } from './shapes.js';

/** GitHub: "body is too long (maximum is 65536 characters)" for issues and comments. */
export const MAX_BODY = 65_536;
/** GitHub: "Adds up to 10 assignees to an issue." (REST, Add assignees to an issue). */
export const MAX_ASSIGNEES = 10;
/**
 * GitHub: "You can add up to 100 sub-issues per parent issue and create up to
 * eight levels of nested sub-issues." (docs.github.com/issues/tracking-your-work-with-issues/using-issues/adding-sub-issues)
 */
export const MAX_SUB_ISSUES = 100;
export const MAX_SUB_ISSUE_LEVELS = 8;
/** The color GitHub gives a label it creates on the fly, or one created without a color. */
export const DEFAULT_LABEL_COLOR = 'ededed';

export type StateReason = 'completed' | 'not_planned' | 'duplicate' | 'reopened';

// ---- pull requests' issues ----

/** Announces a change made through the issues API to a pull request (GitHub sends a `pull_request` event). */
export type PullRequestIssueEvent = (repo: Repo, issue: Issue, action: string, sender: User, extra: Record<string, unknown>) => void;
const pullRequestEvents = new WeakMap<Emulator, PullRequestIssueEvent>();

/** The pulls group registers how a pull request's `labeled`, `assigned`, `edited`, `closed`… is delivered. */
export function onPullRequestIssueEvent(emu: Emulator, emit: PullRequestIssueEvent): void {
  pullRequestEvents.set(emu, emit);
}

// ---- lookups and checks ----

export function issueOf(repo: Repo, number: number): Issue {
  const issue = repo.issues.get(number);
  if (!issue) throw notFound();
  return issue;
}

export function commentOf(repo: Repo, id: number): IssueComment {
  const comment = repo.comments.get(id);
  if (!comment) throw notFound();
  return comment;
}

export function labelOf(repo: Repo, name: string): Label {
  const label = repo.labels.get(name.toLowerCase());
  if (!label) throw notFound();
  return label;
}

/** Whether a login may be assigned: an existing person, unless the world says otherwise (bots and organizations may not). */
export function assignable(emu: Emulator, login: string): boolean {
  const user = emu.world.users.get(login.toLowerCase());
  return user !== undefined && user.type === 'User' && !emu.world.unassignable.has(login.toLowerCase());
}

function checkBody(resource: string, body: string | null | undefined): void {
  if (body && body.length > MAX_BODY) {
    throw validationFailed(resource, 'body', 'custom', `body is too long (maximum is ${MAX_BODY} characters)`);
  }
}

/** Create and update answer 422 for a login that cannot be assigned (only the assignees endpoints drop them silently). */
function checkAssignees(emu: Emulator, logins: readonly string[]): void {
  for (const login of logins) {
    if (!assignable(emu, login)) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ value: login, resource: 'Issue', field: 'assignees', code: 'invalid' }] });
    }
  }
}

function canonicalLogin(emu: Emulator, login: string): string {
  return emu.world.users.get(login.toLowerCase())?.login ?? login;
}

function touch(emu: Emulator, issue: Issue): void {
  issue.updated_at = emu.clock.iso();
}

function uniqueCaseless(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

// ---- events ----

function issueEvent(emu: Emulator, repo: Repo, issue: Issue, action: string, sender: User, extra: Record<string, unknown> = {}): void {
  if (issue.pull) {
    pullRequestEvents.get(emu)?.(repo, issue, action, sender, extra);
    return;
  }
  emu.emitRepoEvent(repo, 'issues', sender, { action, issue: issueJson(emu.urls, repo, issue, emu.world), ...extra });
}

function commentEvent(emu: Emulator, repo: Repo, issue: Issue, comment: IssueComment, action: string, sender: User, extra: Record<string, unknown> = {}): void {
  emu.emitRepoEvent(repo, 'issue_comment', sender, {
    action,
    ...extra,
    issue: issueJson(emu.urls, repo, issue, emu.world),
    comment: commentJson(emu.urls, repo, comment, issue),
  });
}

function labelEvent(emu: Emulator, repo: Repo, label: Label, action: string, sender: User, extra: Record<string, unknown> = {}): void {
  emu.emitRepoEvent(repo, 'label', sender, { action, label: labelJson(emu.urls, repo, label), ...extra });
}

// ---- repository labels ----

function checkLabelFields(name: string | undefined, color: string | undefined, description: string | null | undefined): void {
  if (name !== undefined && name.trim() === '') throw validationFailed('Label', 'name', 'missing_field');
  if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed('Label', 'color', 'invalid');
  if (description && description.length > 100) {
    throw validationFailed('Label', 'description', 'custom', 'description is too long (maximum is 100 characters)');
  }
}

export function createLabel(
  emu: Emulator,
  repo: Repo,
  sender: User,
  input: { name: string; color?: string; description?: string | null },
): Label {
  checkLabelFields(input.name, input.color, input.description);
  if (repo.labels.has(input.name.toLowerCase())) throw validationFailed('Label', 'name', 'already_exists');
  const label: Label = {
    id: emu.world.id(),
    name: input.name,
    color: (input.color ?? DEFAULT_LABEL_COLOR).toLowerCase(),
    description: input.description ?? null,
    default: false,
  };
  repo.labels.set(label.name.toLowerCase(), label);
  labelEvent(emu, repo, label, 'created', sender);
  return label;
}

/** Rename, recolor or describe a label; issues keep it under its new name. */
export function updateLabel(
  emu: Emulator,
  repo: Repo,
  sender: User,
  name: string,
  input: { new_name?: string; color?: string; description?: string | null },
): Label {
  const label = labelOf(repo, name);
  checkLabelFields(input.new_name, input.color, input.description);
  const changes: Record<string, { from: string }> = {};
  if (input.new_name !== undefined && input.new_name !== label.name) {
    const clash = repo.labels.get(input.new_name.toLowerCase());
    if (clash && clash !== label) throw validationFailed('Label', 'name', 'already_exists');
    changes.name = { from: label.name };
    repo.labels.delete(label.name.toLowerCase());
    for (const issue of repo.issues.values()) {
      issue.labels = issue.labels.map((n) => (n.toLowerCase() === label.name.toLowerCase() ? input.new_name! : n));
    }
    label.name = input.new_name;
    repo.labels.set(label.name.toLowerCase(), label);
  }
  if (input.color !== undefined && input.color.toLowerCase() !== label.color) {
    changes.color = { from: label.color };
    label.color = input.color.toLowerCase();
  }
  if (input.description !== undefined && input.description !== label.description) {
    changes.description = { from: label.description ?? '' };
    label.description = input.description;
  }
  labelEvent(emu, repo, label, 'edited', sender, { changes });
  return label;
}

/** Delete a label; GitHub takes it off every issue that had it. */
export function deleteLabel(emu: Emulator, repo: Repo, sender: User, name: string): void {
  const label = labelOf(repo, name);
  repo.labels.delete(label.name.toLowerCase());
  for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((n) => n.toLowerCase() !== label.name.toLowerCase());
  labelEvent(emu, repo, label, 'deleted', sender);
}

/** The repository's label of that name (any case), created as GitHub creates a label a writer uses before it exists. */
export function ensureLabel(emu: Emulator, repo: Repo, sender: User, name: string): Label {
  return repo.labels.get(name.toLowerCase()) ?? createLabel(emu, repo, sender, { name });
}

// ---- issues ----

export interface NewIssue {
  title: string;
  body?: string | null;
  labels?: string[];
  assignees?: string[];
}

/** A new open issue (or a pull request's issue) with the repository's next number, stored; no webhook. */
export function newIssueRecord(emu: Emulator, repo: Repo, user: User, title: string, body: string | null): Issue {
  const now = emu.clock.iso();
  const issue: Issue = {
    id: emu.world.id(),
    number: repo.nextNumber++,
    title,
    body,
    state: 'open',
    state_reason: null,
    labels: [],
    assignees: [],
    user,
    created_at: now,
    updated_at: now,
    closed_at: null,
    closed_by: null,
    lastEditedAt: null,
    editor: null,
    locked: false,
    subIssues: [],
    events: [],
  };
  repo.issues.set(issue.number, issue);
  return issue;
}

/** Open an issue: `issues.opened`, then `labeled` and `assigned` for what it was created with. */
export function createIssue(emu: Emulator, repo: Repo, sender: User, input: NewIssue): Issue {
  if (input.title.trim() === '') throw validationFailed('Issue', 'title', 'missing_field');
  checkBody('Issue', input.body);
  const assignees = uniqueCaseless((input.assignees ?? []).map((l) => canonicalLogin(emu, l)));
  checkAssignees(emu, assignees);
  const labels = uniqueCaseless(input.labels ?? []).map((name) => ensureLabel(emu, repo, sender, name));
  const issue = newIssueRecord(emu, repo, sender, input.title, input.body ?? null);
  issueEvent(emu, repo, issue, 'opened', sender);
  for (const label of labels) label_(emu, repo, issue, label, sender);
  for (const login of assignees) assign(emu, repo, issue, login, sender);
  return issue;
}

function label_(emu: Emulator, repo: Repo, issue: Issue, label: Label, sender: User): void {
  issue.labels.push(label.name);
  recordIssueEvent(emu, issue, sender, { event: 'labeled', label: { name: label.name, color: label.color } });
  issueEvent(emu, repo, issue, 'labeled', sender, { label: labelJson(emu.urls, repo, label) });
}

function unlabel(emu: Emulator, repo: Repo, issue: Issue, name: string, sender: User): void {
  const label = repo.labels.get(name.toLowerCase());
  issue.labels = issue.labels.filter((n) => n.toLowerCase() !== name.toLowerCase());
  recordIssueEvent(emu, issue, sender, { event: 'unlabeled', label: { name: label?.name ?? name, color: label?.color ?? DEFAULT_LABEL_COLOR } });
  issueEvent(emu, repo, issue, 'unlabeled', sender, label ? { label: labelJson(emu.urls, repo, label) } : {});
}

function assign(emu: Emulator, repo: Repo, issue: Issue, login: string, sender: User): void {
  issue.assignees.push(login);
  recordIssueEvent(emu, issue, sender, { event: 'assigned', assignee: emu.world.user(login) });
  issueEvent(emu, repo, issue, 'assigned', sender, { assignee: userJson(emu.urls, emu.world.user(login)) });
}

function unassign(emu: Emulator, repo: Repo, issue: Issue, login: string, sender: User): void {
  issue.assignees = issue.assignees.filter((l) => l.toLowerCase() !== login.toLowerCase());
  recordIssueEvent(emu, issue, sender, { event: 'unassigned', assignee: emu.world.user(login) });
  issueEvent(emu, repo, issue, 'unassigned', sender, { assignee: userJson(emu.urls, emu.world.user(login)) });
}

function hasLabel(issue: Issue, name: string): boolean {
  return issue.labels.some((n) => n.toLowerCase() === name.toLowerCase());
}

function isAssigned(issue: Issue, login: string): boolean {
  return issue.assignees.some((l) => l.toLowerCase() === login.toLowerCase());
}

export interface IssuePatch {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  /** Ignored unless `state` changes (GitHub: "Ignored unless `state` is changed."). */
  state_reason?: StateReason | null;
  /** Replaces the issue's labels. */
  labels?: string[];
  /** Replaces the issue's assignees. */
  assignees?: string[];
}

/**
 * Edit an issue as `PATCH /issues/{n}` does. Everything is checked before
 * anything changes; then `edited` (with `changes.title`/`changes.body` for
 * what really changed), `unlabeled`/`labeled`, `unassigned`/`assigned`, and
 * `closed`/`reopened`, each as GitHub sends them.
 */
export function updateIssue(emu: Emulator, repo: Repo, sender: User, number: number, patch: IssuePatch): Issue {
  const issue = issueOf(repo, number);
  if (patch.title !== undefined && patch.title.trim() === '') throw validationFailed('Issue', 'title', 'missing_field');
  checkBody('Issue', patch.body);
  const assignees = patch.assignees && uniqueCaseless(patch.assignees.map((l) => canonicalLogin(emu, l)));
  if (assignees) checkAssignees(emu, assignees);
  const closing = patch.state === 'closed' && issue.state === 'open';
  const reopening = patch.state === 'open' && issue.state === 'closed';
  if (closing && patch.state_reason === 'reopened') throw validationFailed('Issue', 'state_reason', 'invalid');

  const labelsChange =
    patch.labels !== undefined &&
    [...new Set(patch.labels.map((n) => n.toLowerCase()))].sort().join('\n') !== [...new Set(issue.labels.map((n) => n.toLowerCase()))].sort().join('\n');
  const assigneesChange =
    assignees !== undefined && assignees.map((l) => l.toLowerCase()).sort().join('\n') !== issue.assignees.map((l) => l.toLowerCase()).sort().join('\n');
  const changesAnything =
    (patch.title !== undefined && patch.title !== issue.title) ||
    (patch.body !== undefined && patch.body !== issue.body) ||
    labelsChange ||
    assigneesChange ||
    closing ||
    reopening;
  if (changesAnything) touch(emu, issue);

  const changes: Record<string, { from: string }> = {};
  if (patch.title !== undefined && patch.title !== issue.title) {
    changes.title = { from: issue.title };
    recordIssueEvent(emu, issue, sender, { event: 'renamed', rename: { from: issue.title, to: patch.title } });
    issue.title = patch.title;
  }
  if (patch.body !== undefined && patch.body !== issue.body) {
    changes.body = { from: issue.body ?? '' };
    issue.body = patch.body;
    // GraphQL's `lastEditedAt`/`editor` (and `userContentEdits`) follow the
    // issue's content, its body: a title change is a `RenamedTitleEvent` in
    // the timeline (REST: a `renamed` issue event) and leaves them as they are.
    issue.lastEditedAt = emu.clock.iso();
    issue.editor = sender;
  }
  if (Object.keys(changes).length > 0) issueEvent(emu, repo, issue, 'edited', sender, { changes });

  if (patch.labels) {
    const wanted = uniqueCaseless(patch.labels).map((name) => ensureLabel(emu, repo, sender, name));
    for (const name of [...issue.labels]) if (!wanted.some((l) => l.name.toLowerCase() === name.toLowerCase())) unlabel(emu, repo, issue, name, sender);
    for (const label of wanted) if (!hasLabel(issue, label.name)) label_(emu, repo, issue, label, sender);
  }
  if (assignees) {
    for (const login of [...issue.assignees]) if (!assignees.some((l) => l.toLowerCase() === login.toLowerCase())) unassign(emu, repo, issue, login, sender);
    for (const login of assignees) if (!isAssigned(issue, login)) assign(emu, repo, issue, login, sender);
  }

  if (closing) {
    issue.state = 'closed';
    issue.state_reason = patch.state_reason ?? 'completed';
    issue.closed_at = emu.clock.iso();
    issue.closed_by = sender;
    recordIssueEvent(emu, issue, sender, { event: 'closed', state_reason: issue.state_reason });
    issueEvent(emu, repo, issue, 'closed', sender);
  } else if (reopening) {
    issue.state = 'open';
    issue.state_reason = 'reopened';
    issue.closed_at = null;
    issue.closed_by = null;
    recordIssueEvent(emu, issue, sender, { event: 'reopened' });
    issueEvent(emu, repo, issue, 'reopened', sender);
  }
  return issue;
}

export function closeIssue(emu: Emulator, repo: Repo, sender: User, number: number, reason: 'completed' | 'not_planned' | 'duplicate' = 'completed'): Issue {
  return updateIssue(emu, repo, sender, number, { state: 'closed', state_reason: reason });
}

export function reopenIssue(emu: Emulator, repo: Repo, sender: User, number: number): Issue {
  return updateIssue(emu, repo, sender, number, { state: 'open' });
}

/**
 * Delete an issue (GitHub offers this in the web UI and GraphQL only, not
 * REST): `issues.deleted`. Its comments go with it, and it leaves its parent
 * and its sub-issues without further events.
 */
export function deleteIssue(emu: Emulator, repo: Repo, sender: User, number: number): void {
  const issue = issueOf(repo, number);
  const payload = issueJson(emu.urls, repo, issue, emu.world);
  if (issue.parent !== undefined) {
    const parent = issueById(emu.world, repo, issue.parent);
    if (parent) parent.issue.subIssues = parent.issue.subIssues.filter((id) => id !== issue.id);
  }
  for (const id of issue.subIssues) {
    const child = issueById(emu.world, repo, id);
    if (child) delete child.issue.parent;
  }
  repo.issues.delete(number);
  for (const [id, comment] of repo.comments) if (comment.issueNumber === number) repo.comments.delete(id);
  if (issue.pull) {
    pullRequestEvents.get(emu)?.(repo, issue, 'deleted', sender, {});
    return;
  }
  emu.emitRepoEvent(repo, 'issues', sender, { action: 'deleted', issue: payload });
}

// ---- labels on an issue ----

/** Add labels (creating unknown ones); `labeled` for each one the issue did not have. Returns the issue's labels. */
export function addLabels(emu: Emulator, repo: Repo, sender: User, number: number, names: readonly string[]): Label[] {
  const issue = issueOf(repo, number);
  const labels = uniqueCaseless(names).map((name) => ensureLabel(emu, repo, sender, name));
  const added = labels.filter((l) => !hasLabel(issue, l.name));
  if (added.length > 0) touch(emu, issue);
  for (const label of added) label_(emu, repo, issue, label, sender);
  return labelsOf(repo, issue);
}

/** Replace the issue's labels. Returns the issue's labels. */
export function setLabels(emu: Emulator, repo: Repo, sender: User, number: number, names: readonly string[]): Label[] {
  updateIssue(emu, repo, sender, number, { labels: [...names] });
  return labelsOf(repo, issueOf(repo, number));
}

/** Remove one label (any case); 404 "Label does not exist" when the issue does not have it. Returns the remaining labels. */
export function removeLabel(emu: Emulator, repo: Repo, sender: User, number: number, name: string): Label[] {
  const issue = issueOf(repo, number);
  if (!hasLabel(issue, name)) throw new HttpError(404, 'Label does not exist');
  touch(emu, issue);
  unlabel(emu, repo, issue, name, sender);
  return labelsOf(repo, issue);
}

export function removeAllLabels(emu: Emulator, repo: Repo, sender: User, number: number): void {
  updateIssue(emu, repo, sender, number, { labels: [] });
}

function labelsOf(repo: Repo, issue: Issue): Label[] {
  return issue.labels.map((n) => repo.labels.get(n.toLowerCase())).filter((l): l is Label => l !== undefined);
}

// ---- assignees ----

/**
 * Add assignees, keeping those already assigned. Logins that cannot be
 * assigned, and any past the tenth assignee, are dropped silently, as the
 * endpoint documents ("Assignees are silently ignored otherwise"; "Adds up to 10 assignees").
 */
export function addAssignees(emu: Emulator, repo: Repo, sender: User, number: number, logins: readonly string[]): Issue {
  const issue = issueOf(repo, number);
  const wanted = uniqueCaseless(logins.map((l) => canonicalLogin(emu, l))).filter((l) => assignable(emu, l) && !isAssigned(issue, l));
  const room = Math.max(MAX_ASSIGNEES - issue.assignees.length, 0);
  const added = wanted.slice(0, room);
  if (added.length > 0) touch(emu, issue);
  for (const login of added) assign(emu, repo, issue, login, sender);
  return issue;
}

/** Remove assignees; logins not assigned are ignored. */
export function removeAssignees(emu: Emulator, repo: Repo, sender: User, number: number, logins: readonly string[]): Issue {
  const issue = issueOf(repo, number);
  const removed = uniqueCaseless(logins).filter((l) => isAssigned(issue, l));
  if (removed.length > 0) touch(emu, issue);
  for (const login of removed) unassign(emu, repo, issue, issue.assignees.find((a) => a.toLowerCase() === login.toLowerCase())!, sender);
  return issue;
}

// ---- comments ----

function checkCommentBody(body: string): void {
  if (body.trim() === '') throw validationFailed('IssueComment', 'body', 'missing_field');
  checkBody('IssueComment', body);
}

/** Comment on an issue or pull request: `issue_comment.created`; the issue's `updated_at` moves. */
export function createComment(emu: Emulator, repo: Repo, sender: User, number: number, body: string): IssueComment {
  const issue = issueOf(repo, number);
  checkCommentBody(body);
  const now = emu.clock.iso();
  const comment: IssueComment = { id: emu.world.id(), issueNumber: number, body, user: sender, created_at: now, updated_at: now };
  repo.comments.set(comment.id, comment);
  touch(emu, issue);
  commentEvent(emu, repo, issue, comment, 'created', sender);
  return comment;
}

/** Edit a comment: `issue_comment.edited` with `changes.body.from`. */
export function updateComment(emu: Emulator, repo: Repo, sender: User, id: number, body: string): IssueComment {
  const comment = commentOf(repo, id);
  const issue = issueOf(repo, comment.issueNumber);
  checkCommentBody(body);
  const from = comment.body;
  comment.body = body;
  comment.updated_at = emu.clock.iso();
  touch(emu, issue);
  commentEvent(emu, repo, issue, comment, 'edited', sender, { changes: { body: { from } } });
  return comment;
}

export function deleteComment(emu: Emulator, repo: Repo, sender: User, id: number): void {
  const comment = commentOf(repo, id);
  const issue = issueOf(repo, comment.issueNumber);
  repo.comments.delete(id);
  touch(emu, issue);
  commentEvent(emu, repo, issue, comment, 'deleted', sender);
}

// ---- sub-issues ----

function subIssueEvents(emu: Emulator, added: boolean, parent: { repo: Repo; issue: Issue }, child: { repo: Repo; issue: Issue }, sender: User): void {
  const parentJson = issueJson(emu.urls, parent.repo, parent.issue, emu.world);
  const childJson = issueJson(emu.urls, child.repo, child.issue, emu.world);
  emu.emitRepoEvent(parent.repo, 'sub_issues', sender, {
    action: added ? 'sub_issue_added' : 'sub_issue_removed',
    sub_issue_id: child.issue.id,
    sub_issue: childJson,
    sub_issue_repo: repoJson(emu.urls, child.repo),
    parent_issue_id: parent.issue.id,
    parent_issue: parentJson,
  });
  emu.emitRepoEvent(child.repo, 'sub_issues', sender, {
    action: added ? 'parent_issue_added' : 'parent_issue_removed',
    parent_issue_id: parent.issue.id,
    parent_issue: parentJson,
    parent_issue_repo: repoJson(emu.urls, parent.repo),
    sub_issue_id: child.issue.id,
    sub_issue: childJson,
  });
}

/** Levels from the top of `issue`'s tree down to it (an issue without a parent is level 1). */
function level(emu: Emulator, repo: Repo, issue: Issue): number {
  let levels = 1;
  for (let at = issue; at.parent !== undefined; levels++) {
    const up = issueById(emu.world, repo, at.parent);
    if (!up) break;
    at = up.issue;
  }
  return levels;
}

/** Levels in `issue`'s own tree (1 without sub-issues). */
function height(emu: Emulator, repo: Repo, issue: Issue): number {
  let deepest = 0;
  for (const id of issue.subIssues) {
    const child = issueById(emu.world, repo, id);
    if (child) deepest = Math.max(deepest, height(emu, child.repo, child.issue));
  }
  return deepest + 1;
}

function isAncestor(emu: Emulator, repo: Repo, candidate: Issue, of: Issue): boolean {
  for (let at: Issue | undefined = of; at; ) {
    if (at.id === candidate.id) return true;
    at = at.parent !== undefined ? issueById(emu.world, repo, at.parent)?.issue : undefined;
  }
  return false;
}

/**
 * Make the issue with id `subIssueId` (its id, not its number; any repository
 * of the same owner) a sub-issue of `parentNumber`. An issue has one parent:
 * 422 when it has one already, unless `replaceParent` (then it leaves the old
 * parent first, with the removal events). 422 past 100 sub-issues or eight
 * levels, for the issue itself, a duplicate, or a cycle.
 * Emits `sub_issues.sub_issue_added` (parent's repository) and
 * `parent_issue_added` (sub-issue's repository). Returns the parent.
 */
export function addSubIssue(emu: Emulator, repo: Repo, sender: User, parentNumber: number, subIssueId: number, replaceParent = false): Issue {
  const parent = issueOf(repo, parentNumber);
  const child = issueById(emu.world, repo, subIssueId);
  if (!child) {
    throw validationFailed('Issue', 'sub_issue_id', 'invalid', `No issue has the id ${subIssueId} (sub_issue_id is an issue's id, not its number)`);
  }
  const fail = (message: string) => validationFailed('Issue', 'sub_issue_id', 'invalid', message);
  if (child.issue.id === parent.id) throw fail('An issue cannot be a sub-issue of itself');
  if (parent.subIssues.includes(child.issue.id)) throw fail('Issue is already a sub-issue of this issue');
  if (child.issue.parent !== undefined && !replaceParent) throw fail('Issue may not contain duplicate sub-issues and may only have one parent');
  if (isAncestor(emu, repo, child.issue, parent)) throw fail('An issue cannot be a sub-issue of its own sub-issue');
  if (parent.subIssues.length >= MAX_SUB_ISSUES) throw fail(`Parent issue cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
  if (level(emu, repo, parent) + height(emu, child.repo, child.issue) > MAX_SUB_ISSUE_LEVELS) {
    throw fail(`Sub-issues cannot be nested more than ${MAX_SUB_ISSUE_LEVELS} levels deep`);
  }
  if (child.issue.parent !== undefined) {
    const old = issueById(emu.world, repo, child.issue.parent);
    if (old) removeSubIssue(emu, old.repo, sender, old.issue.number, child.issue.id);
  }
  parent.subIssues.push(child.issue.id);
  child.issue.parent = parent.id;
  touch(emu, parent);
  touch(emu, child.issue);
  subIssueEvents(emu, true, { repo, issue: parent }, child, sender);
  return parent;
}

/** Take a sub-issue (by id) off its parent: `sub_issue_removed` and `parent_issue_removed`. Returns the parent. */
export function removeSubIssue(emu: Emulator, repo: Repo, sender: User, parentNumber: number, subIssueId: number): Issue {
  const parent = issueOf(repo, parentNumber);
  const child = issueById(emu.world, repo, subIssueId);
  if (!child || !parent.subIssues.includes(subIssueId)) throw notFound();
  parent.subIssues = parent.subIssues.filter((id) => id !== subIssueId);
  delete child.issue.parent;
  touch(emu, parent);
  touch(emu, child.issue);
  subIssueEvents(emu, false, { repo, issue: parent }, child, sender);
  return parent;
}

/** Move a sub-issue to just after `after_id` or just before `before_id` (exactly one of them). Returns the parent. No webhook: GitHub has none for it. */
export function reprioritizeSubIssue(
  emu: Emulator,
  repo: Repo,
  _sender: User,
  parentNumber: number,
  input: { sub_issue_id: number; after_id?: number; before_id?: number },
): Issue {
  const parent = issueOf(repo, parentNumber);
  if (!parent.subIssues.includes(input.sub_issue_id)) throw notFound();
  if ((input.after_id === undefined) === (input.before_id === undefined)) {
    throw validationFailed('Issue', 'after_id', 'invalid', 'Either after_id or before_id must be given, not both');
  }
  const anchor = (input.after_id ?? input.before_id)!;
  if (anchor === input.sub_issue_id || !parent.subIssues.includes(anchor)) {
    throw validationFailed('Issue', input.after_id !== undefined ? 'after_id' : 'before_id', 'invalid', `${anchor} is not another sub-issue of this issue`);
  }
  const rest = parent.subIssues.filter((id) => id !== input.sub_issue_id);
  const at = rest.indexOf(anchor) + (input.after_id !== undefined ? 1 : 0);
  rest.splice(at, 0, input.sub_issue_id);
  parent.subIssues = rest;
  touch(emu, parent);
  return parent;
}
