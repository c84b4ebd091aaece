/**
 * Issues, comments and labels as GitHub's REST API and webhooks show them.
 * One issue shape serves both: the webhook schemas (`@octokit/openapi-webhooks`)
 * additionally require `author_association`, `active_lock_reason`, `body` and
 * `reactions`, which the REST `issue` schema allows.
 */
import { nodeId, userJson, type Urls } from '../shapes.js';
import type { Issue, IssueComment, Label, Repo, User, World } from '../state.js';

/**
 * The worlds of running emulators, so that `issueJson(urls, repo, issue)`
 * can resolve assignees and sub-issues without being handed the world
 * (`issuesRoutes` registers its emulator's world here).
 */
const worlds: WeakRef<World>[] = [];

export function registerWorld(world: World): void {
  for (let i = worlds.length - 1; i >= 0; i--) if (worlds[i]!.deref() === undefined) worlds.splice(i, 1);
  worlds.push(new WeakRef(world));
}

/** The world that holds this repository, when its emulator registered the issues routes. */
export function worldOf(repo: Repo): World | undefined {
  for (const ref of worlds) {
    const world = ref.deref();
    if (world?.repos.get(repo.fullName.toLowerCase()) === repo) return world;
  }
  return undefined;
}

/** An issue by its id (not its number), in any repository of the world with the same owner as `repo`. */
export function issueById(world: World, repo: Repo, id: number): { repo: Repo; issue: Issue } | undefined {
  for (const candidate of world.repos.values()) {
    if (candidate.owner !== repo.owner) continue;
    for (const issue of candidate.issues.values()) if (issue.id === id) return { repo: candidate, issue };
  }
  return undefined;
}

/** GitHub's `author_association`: the owner, the app's bot (no association), anyone else as a collaborator. */
export function authorAssociation(repo: Repo, user: User): 'OWNER' | 'COLLABORATOR' | 'NONE' {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return 'OWNER';
  return user.type === 'Bot' ? 'NONE' : 'COLLABORATOR';
}

export function reactionsJson(url: string) {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

export function labelJson(u: Urls, repo: Repo, label: Label) {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${u.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

/** The labels of an issue, resolved by their case-insensitive names, in the order they were added. */
export function issueLabels(repo: Repo, issue: Issue): Label[] {
  return issue.labels.map((name) => repo.labels.get(name.toLowerCase())).filter((l): l is Label => l !== undefined);
}

export function commentCount(repo: Repo, issue: Issue): number {
  let count = 0;
  for (const comment of repo.comments.values()) if (comment.issueNumber === issue.number) count++;
  return count;
}

/**
 * The REST `issue` object (also the `issue` of webhooks). A pull request's
 * issue carries `pull_request` with url/html_url/diff_url/patch_url/merged_at,
 * as GitHub shows pull requests in issue lists.
 */
export function issueJson(u: Urls, repo: Repo, issue: Issue, world: World | undefined = worldOf(repo)) {
  const api = `${u.api}/repos/${repo.fullName}`;
  const html = `${u.html}/${repo.fullName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  const assignees: User[] = issue.assignees.map((login) => world?.users.get(login.toLowerCase()) ?? { id: 0, login, type: 'User' });
  const subIssues = world ? issue.subIssues.map((id) => issueById(world, repo, id)?.issue).filter((i): i is Issue => i !== undefined) : [];
  const completed = subIssues.filter((i) => i.state === 'closed').length;
  const parent = world && issue.parent !== undefined ? issueById(world, repo, issue.parent) : undefined;
  return {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequestIssue' : 'Issue', issue.id),
    url: `${api}/issues/${issue.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${issue.number}/labels{/name}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    events_url: `${api}/issues/${issue.number}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason,
    title: issue.title,
    body: issue.body,
    user: userJson(u, issue.user),
    labels: issueLabels(repo, issue).map((l) => labelJson(u, repo, l)),
    assignee: assignees[0] ? userJson(u, assignees[0]) : null,
    assignees: assignees.map((a) => userJson(u, a)),
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: commentCount(repo, issue),
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: issue.pull.merged_at,
          },
          draft: issue.pull.draft,
        }
      : {}),
    closed_at: issue.closed_at,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_by: issue.closed_by ? userJson(u, issue.closed_by) : null,
    author_association: authorAssociation(repo, issue.user),
    performed_via_github_app: null,
    timeline_url: `${api}/issues/${issue.number}/timeline`,
    reactions: reactionsJson(`${api}/issues/${issue.number}/reactions`),
    sub_issues_summary: {
      total: subIssues.length,
      completed,
      percent_completed: subIssues.length === 0 ? 0 : Math.floor((completed * 100) / subIssues.length),
    },
    ...(parent ? { parent_issue_url: `${u.api}/repos/${parent.repo.fullName}/issues/${parent.issue.number}` } : {}),
  };
}

export function commentJson(u: Urls, repo: Repo, comment: IssueComment, issue: Issue | undefined) {
  const api = `${u.api}/repos/${repo.fullName}`;
  const kind = issue?.pull ? 'pull' : 'issues';
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${u.html}/${repo.fullName}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(u, comment.user),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: authorAssociation(repo, comment.user),
    performed_via_github_app: null,
    reactions: reactionsJson(`${api}/issues/comments/${comment.id}/reactions`),
  };
}
