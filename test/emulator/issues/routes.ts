/**
 * Issues, their events, comments, labels, assignees, sub-issues and issue search. Every
 * change goes through `services.ts` with the request's actor as sender.
 */
import type { Emulator } from '../emulator.js';
import { HttpError, noContent, notFound, ok, paginate, validationFailed, type RequestContext } from '../http.js';
import { userJson } from '../shapes.js';
import type { Issue, Label, Repo } from '../state.js';
import { issueEventJson } from './events.js';
import { matches, namedRepos, parseQuery } from './search.js';
import * as services from './services.js';
import { commentJson, issueById, issueJson, labelJson, registerWorld } from './shapes.js';

/** Label items may be names or `{name}` objects. */
function labelNames(items: unknown): string[] {
  const list = Array.isArray(items) ? items : typeof items === 'string' ? [items] : [];
  return list.map((item) => (typeof item === 'string' ? item : String((item as { name?: unknown }).name ?? ''))).filter((n) => n !== '');
}

/** Assignee items may be logins or `{login}` objects. */
function logins(items: unknown): string[] {
  const list = Array.isArray(items) ? items : [];
  return list.map((item) => (typeof item === 'string' ? item : String((item as { login?: unknown }).login ?? ''))).filter((l) => l !== '');
}

function issueNumber(ctx: RequestContext): number {
  const number = Number(ctx.params.issue_number);
  if (!Number.isInteger(number)) throw notFound();
  return number;
}

/** `since`, as GitHub takes it: an ISO 8601 timestamp; a wrong one is a 422. */
function since(ctx: RequestContext): number | undefined {
  const value = ctx.query.get('since');
  if (value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationFailed('Issue', 'since', 'invalid');
  return time;
}

function direction(ctx: RequestContext, fallback: 'asc' | 'desc'): 1 | -1 {
  const value = ctx.query.get('direction') ?? fallback;
  if (value !== 'asc' && value !== 'desc') throw validationFailed('Issue', 'direction', 'invalid');
  return value === 'asc' ? 1 : -1;
}

export function issuesRoutes(emu: Emulator): void {
  const { world } = emu;
  registerWorld(world);
  const sender = (ctx: RequestContext) => ctx.actor.user;
  const issue = (ctx: RequestContext) => ({ repo: ctx.repo(), number: issueNumber(ctx) });
  const render = (repo: Repo, i: Issue) => issueJson(emu.urls, repo, i, world);
  const renderLabels = (repo: Repo, labels: readonly Label[]) => labels.map((l) => labelJson(emu.urls, repo, l));

  // ---- issues ----
  // List: "GitHub's REST API considers every pull request an issue" (REST, List repository issues): pull requests are listed, with `pull_request`.

  emu.route('GET', '/repos/{owner}/{repo}/issues', (ctx) => {
    const repo = ctx.repo();
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) throw validationFailed('Issue', 'state', 'invalid');
    const labels = (ctx.query.get('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter((l) => l !== '');
    const after = since(ctx);
    const assignee = ctx.query.get('assignee');
    const creator = ctx.query.get('creator')?.toLowerCase();
    const sort = ctx.query.get('sort') ?? 'created';
    if (!['created', 'updated', 'comments'].includes(sort)) throw validationFailed('Issue', 'sort', 'invalid');
    const dir = direction(ctx, 'desc');
    const comments = new Map<number, number>();
    for (const c of repo.comments.values()) comments.set(c.issueNumber, (comments.get(c.issueNumber) ?? 0) + 1);
    const key = (i: Issue): number =>
      sort === 'comments' ? (comments.get(i.number) ?? 0) : Date.parse(sort === 'updated' ? i.updated_at : i.created_at);
    const found = [...repo.issues.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.some((n) => n.toLowerCase() === l)))
      .filter((i) => after === undefined || Date.parse(i.updated_at) >= after)
      .filter((i) => creator === undefined || i.user.login.toLowerCase() === creator)
      .filter((i) =>
        assignee === null
          ? true
          : assignee === 'none'
            ? i.assignees.length === 0
            : assignee === '*'
              ? i.assignees.length > 0
              : i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase()),
      )
      .sort((a, b) => dir * (key(a) - key(b) || a.number - b.number));
    return paginate(ctx, found.map((i) => render(repo, i)));
  });

  emu.route('POST', '/repos/{owner}/{repo}/issues', (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { title: string | number; body?: string; labels?: unknown; assignees?: string[]; assignee?: string | null; milestone?: unknown };
    if (body.milestone !== undefined && body.milestone !== null) throw validationFailed('Issue', 'milestone', 'invalid');
    const created = services.createIssue(emu, repo, sender(ctx), {
      title: String(body.title),
      body: body.body ?? null,
      labels: labelNames(body.labels),
      assignees: [...(body.assignees ?? []), ...(body.assignee ? [body.assignee] : [])],
    });
    return ok(render(repo, created), 201);
  });

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}', (ctx) => {
    const { repo, number } = issue(ctx);
    return ok(render(repo, services.issueOf(repo, number)));
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', (ctx) => {
    const { repo, number } = issue(ctx);
    const body = (ctx.body ?? {}) as {
      title?: string | number | null;
      body?: string | null;
      state?: 'open' | 'closed';
      state_reason?: services.StateReason | null;
      labels?: unknown;
      assignees?: string[];
      assignee?: string | null;
      milestone?: unknown;
    };
    if (body.milestone !== undefined && body.milestone !== null) throw validationFailed('Issue', 'milestone', 'invalid');
    const patch: services.IssuePatch = {};
    if (body.title !== undefined && body.title !== null) patch.title = String(body.title);
    if (body.body !== undefined) patch.body = body.body;
    if (body.state !== undefined) patch.state = body.state;
    if (body.state_reason !== undefined) patch.state_reason = body.state_reason;
    if (body.labels !== undefined) patch.labels = labelNames(body.labels);
    if (body.assignees !== undefined) patch.assignees = body.assignees;
    else if (body.assignee !== undefined) patch.assignees = body.assignee === null ? [] : [body.assignee];
    return ok(render(repo, services.updateIssue(emu, repo, sender(ctx), number, patch)));
  });

  // ---- events ----
  // "Lists all events for an issue." (REST, List issue events), oldest first, paged like every list.

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/events', (ctx) => {
    const { repo, number } = issue(ctx);
    const target = services.issueOf(repo, number);
    return paginate(ctx, target.events.map((e) => issueEventJson(emu, repo, e)));
  });

  // ---- comments ----

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const { repo, number } = issue(ctx);
    const target = services.issueOf(repo, number);
    const after = since(ctx);
    // "Issue comments are ordered by ascending ID." (REST, List issue comments)
    const found = [...repo.comments.values()]
      .filter((c) => c.issueNumber === number && (after === undefined || Date.parse(c.updated_at) >= after))
      .sort((a, b) => a.id - b.id);
    return paginate(ctx, found.map((c) => commentJson(emu.urls, repo, c, target)));
  });

  emu.route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => {
    const { repo, number } = issue(ctx);
    const comment = services.createComment(emu, repo, sender(ctx), number, String((ctx.body as { body: string }).body));
    return ok(commentJson(emu.urls, repo, comment, repo.issues.get(number)), 201);
  });

  emu.route('GET', '/repos/{owner}/{repo}/issues/comments', (ctx) => {
    const repo = ctx.repo();
    const after = since(ctx);
    // "By default, issue comments are ordered by ascending ID"; `direction` is "Ignored without the `sort` parameter." (REST, List issue comments for a repository)
    const sort = ctx.query.get('sort');
    if (sort !== null && sort !== 'created' && sort !== 'updated') throw validationFailed('IssueComment', 'sort', 'invalid');
    const dir = sort === null ? 1 : direction(ctx, 'asc');
    const key = (c: { created_at: string; updated_at: string }) => Date.parse(sort === 'updated' ? c.updated_at : c.created_at);
    const found = [...repo.comments.values()]
      .filter((c) => after === undefined || Date.parse(c.updated_at) >= after)
      .sort((a, b) => (sort === null ? a.id - b.id : dir * (key(a) - key(b) || a.id - b.id)));
    return paginate(ctx, found.map((c) => commentJson(emu.urls, repo, c, repo.issues.get(c.issueNumber))));
  });

  const commentId = (ctx: RequestContext) => {
    const id = Number(ctx.params.comment_id);
    if (!Number.isInteger(id)) throw notFound();
    return id;
  };

  emu.route('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    const repo = ctx.repo();
    const comment = services.commentOf(repo, commentId(ctx));
    return ok(commentJson(emu.urls, repo, comment, repo.issues.get(comment.issueNumber)));
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    const repo = ctx.repo();
    const comment = services.updateComment(emu, repo, sender(ctx), commentId(ctx), String((ctx.body as { body: string }).body));
    return ok(commentJson(emu.urls, repo, comment, repo.issues.get(comment.issueNumber)));
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (ctx) => {
    services.deleteComment(emu, ctx.repo(), sender(ctx), commentId(ctx));
    return noContent();
  });

  // ---- repository labels ----

  emu.route('GET', '/repos/{owner}/{repo}/labels', (ctx) => {
    const repo = ctx.repo();
    const labels = [...repo.labels.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    return paginate(ctx, renderLabels(repo, labels));
  });

  emu.route('POST', '/repos/{owner}/{repo}/labels', (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { name: string; color?: string; description?: string };
    return ok(labelJson(emu.urls, repo, services.createLabel(emu, repo, sender(ctx), body)), 201);
  });

  emu.route('GET', '/repos/{owner}/{repo}/labels/{name}', (ctx) => {
    const repo = ctx.repo();
    return ok(labelJson(emu.urls, repo, services.labelOf(repo, ctx.params.name!)));
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/labels/{name}', (ctx) => {
    const repo = ctx.repo();
    const body = (ctx.body ?? {}) as { new_name?: string; color?: string; description?: string };
    return ok(labelJson(emu.urls, repo, services.updateLabel(emu, repo, sender(ctx), ctx.params.name!, body)));
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/labels/{name}', (ctx) => {
    services.deleteLabel(emu, ctx.repo(), sender(ctx), ctx.params.name!);
    return noContent();
  });

  // ---- labels on an issue ----

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const { repo, number } = issue(ctx);
    const target = services.issueOf(repo, number);
    const labels = target.labels.map((n) => repo.labels.get(n.toLowerCase())).filter((l) => l !== undefined);
    return paginate(ctx, renderLabels(repo, labels));
  });

  /** The body of add and set: `{labels: [...]}`, or (documented as an alternative) the array itself or one name. */
  const labelsBody = (ctx: RequestContext) => labelNames(Array.isArray(ctx.body) || typeof ctx.body === 'string' ? ctx.body : (ctx.body as { labels?: unknown } | undefined)?.labels);

  emu.route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const { repo, number } = issue(ctx);
    return ok(renderLabels(repo, services.addLabels(emu, repo, sender(ctx), number, labelsBody(ctx))));
  });

  emu.route('PUT', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const { repo, number } = issue(ctx);
    return ok(renderLabels(repo, services.setLabels(emu, repo, sender(ctx), number, labelsBody(ctx))));
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const { repo, number } = issue(ctx);
    services.removeAllLabels(emu, repo, sender(ctx), number);
    return noContent();
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', (ctx) => {
    const { repo, number } = issue(ctx);
    return ok(renderLabels(repo, services.removeLabel(emu, repo, sender(ctx), number, ctx.params.name!)));
  });

  // ---- assignees ----

  emu.route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', (ctx) => {
    const { repo, number } = issue(ctx);
    const changed = services.addAssignees(emu, repo, sender(ctx), number, logins((ctx.body as { assignees?: unknown } | undefined)?.assignees));
    return ok(render(repo, changed), 201);
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', (ctx) => {
    const { repo, number } = issue(ctx);
    const changed = services.removeAssignees(emu, repo, sender(ctx), number, logins((ctx.body as { assignees?: unknown }).assignees));
    return ok(render(repo, changed));
  });

  // "If the `assignee` can be assigned to this issue, a `204` status code with no content is returned. Otherwise a `404`." (REST, Check if a user can be assigned to a issue)
  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/assignees/{assignee}', (ctx) => {
    const { repo, number } = issue(ctx);
    services.issueOf(repo, number);
    if (!services.assignable(emu, ctx.params.assignee!)) throw notFound();
    return noContent();
  });

  emu.route('GET', '/repos/{owner}/{repo}/assignees/{assignee}', (ctx) => {
    ctx.repo();
    if (!services.assignable(emu, ctx.params.assignee!)) throw notFound();
    return noContent();
  });

  emu.route('GET', '/repos/{owner}/{repo}/assignees', (ctx) => {
    ctx.repo();
    const people = [...world.users.values()].filter((u) => services.assignable(emu, u.login)).sort((a, b) => a.id - b.id);
    return paginate(ctx, people.map((u) => userJson(emu.urls, u)));
  });

  // ---- sub-issues (REST, Sub-issues: docs.github.com/rest/issues/sub-issues) ----

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues', (ctx) => {
    const { repo, number } = issue(ctx);
    const parent = services.issueOf(repo, number);
    const subs = parent.subIssues.map((id) => issueById(world, repo, id)).filter((s) => s !== undefined);
    return paginate(ctx, subs.map((s) => issueJson(emu.urls, s.repo, s.issue, world)));
  });

  /** The sub-issue must be one the actor can see; an installation sees only its repositories. */
  const visibleSubIssue = (ctx: RequestContext, repo: Repo, id: number) => {
    const found = issueById(world, repo, id);
    if (found && ctx.actor.kind === 'installation' && !ctx.actor.installation!.repositories.has(found.repo.fullName.toLowerCase())) {
      throw validationFailed('Issue', 'sub_issue_id', 'invalid', `No issue has the id ${id}`);
    }
  };

  // Answers with the parent issue, its `sub_issues_summary` updated. The description's example is a generic issue;
  // the `Location` header it documents names the parent's sub-issues.
  emu.route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues', (ctx) => {
    const { repo, number } = issue(ctx);
    const body = ctx.body as { sub_issue_id: number; replace_parent?: boolean };
    visibleSubIssue(ctx, repo, body.sub_issue_id);
    const parent = services.addSubIssue(emu, repo, sender(ctx), number, body.sub_issue_id, body.replace_parent === true);
    return ok(render(repo, parent), 201, { location: `${emu.urls.api}/repos/${repo.fullName}/issues/${number}/sub_issues` });
  });

  emu.route('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issue', (ctx) => {
    const { repo, number } = issue(ctx);
    const body = ctx.body as { sub_issue_id: number };
    const parent = services.removeSubIssue(emu, repo, sender(ctx), number, body.sub_issue_id);
    return ok(render(repo, parent), 200, { location: `${emu.urls.api}/repos/${repo.fullName}/issues/${number}/sub_issue` });
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority', (ctx) => {
    const { repo, number } = issue(ctx);
    const body = ctx.body as { sub_issue_id: number; after_id?: number; before_id?: number };
    return ok(render(repo, services.reprioritizeSubIssue(emu, repo, sender(ctx), number, body)));
  });

  emu.route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/parent', (ctx) => {
    const { repo, number } = issue(ctx);
    const child = services.issueOf(repo, number);
    const parent = child.parent !== undefined ? issueById(world, repo, child.parent) : undefined;
    if (!parent) throw notFound();
    return ok(issueJson(emu.urls, parent.repo, parent.issue, world));
  });

  // ---- search ----

  emu.route('GET', '/search/issues', (ctx) => {
    const q = ctx.query.get('q');
    if (q === null || q.trim() === '') throw validationFailed('Search', 'q', 'missing');
    const parsed = parseQuery(q);
    const visible = (r: Repo) => ctx.actor.kind !== 'installation' || ctx.actor.installation!.repositories.has(r.fullName.toLowerCase());
    const named = namedRepos(parsed);
    if (named?.some((name) => !world.repo(name) || !visible(world.repo(name)!))) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            message: 'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
            resource: 'Search',
            field: 'q',
            code: 'invalid',
          },
        ],
      });
    }
    const repos = [...world.repos.values()].filter(visible);
    const found: { repo: Repo; issue: Issue }[] = [];
    for (const repo of repos) {
      const comments = new Map<number, string[]>();
      for (const c of repo.comments.values()) comments.set(c.issueNumber, [...(comments.get(c.issueNumber) ?? []), c.body]);
      for (const i of repo.issues.values()) if (matches(parsed, repo, i, comments.get(i.number) ?? [])) found.push({ repo, issue: i });
    }
    // Without `sort`, GitHub orders by best match; every hit scores the same here, newest first.
    const sort = ctx.query.get('sort');
    const order = ctx.query.get('order') === 'asc' ? 1 : -1;
    const commentCount = (r: Repo, i: Issue) => [...r.comments.values()].filter((c) => c.issueNumber === i.number).length;
    const key = (f: { repo: Repo; issue: Issue }) =>
      sort === 'updated' ? Date.parse(f.issue.updated_at) : sort === 'comments' ? commentCount(f.repo, f.issue) : Date.parse(f.issue.created_at);
    if (sort !== null && !['created', 'updated', 'comments'].includes(sort)) throw new HttpError(501, `the emulator does not implement sort=${sort} for search`);
    found.sort((a, b) => (sort === null ? -1 : order) * (key(a) - key(b) || a.issue.id - b.issue.id));
    // The search result item's `body` is a string, not nullable: an issue without a body has none here.
    const items = found.map((f) => {
      const { body, ...rest } = issueJson(emu.urls, f.repo, f.issue, world);
      return { ...rest, ...(body === null ? {} : { body }), score: 1 };
    });
    return paginate(ctx, items, (page) => ({ total_count: items.length, incomplete_results: false, items: page, search_type: 'lexical' }));
  });
}
