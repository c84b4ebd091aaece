/**
 * Pull requests, check runs and suites, and commit statuses over REST. The
 * state changes are the services' (the same ones the people-driver uses);
 * these handlers parse, check permissions and render.
 *
 * An installation may write only what its app was granted: GitHub answers
 * 403 "Resource not accessible by integration" otherwise (ticket-sync asks
 * for `pull_requests: read` and `statuses: read`). Only GitHub Apps write
 * check runs ("OAuth apps and authenticated users are not able to create a
 * check suite", the `checks/create` description).
 */
import type { Emulator } from '../emulator.js';
import { commitChanges, resolveCommit } from '../git/services.js';
import { commitJson } from '../git/shapes.js';
import { onPullRequestIssueEvent } from '../issues/services.js';
import { HttpError, noContent, ok, paginate, validationFailed, type RequestContext } from '../http.js';
import type { CheckRun, Repo } from '../state.js';
import {
  closePullRequest,
  createCheckRun,
  editPullRequest,
  findPull,
  mergeBranch,
  mergePullRequest,
  openPullRequest,
  reopenPullRequest,
  setCommitStatus,
  updateCheckRun,
  afterPush,
  pullRequestIssueEvent,
} from './services.js';
import {
  annotationJson,
  checkRunJson,
  checkSuiteJson,
  combinedStatusJson,
  latestStatuses,
  pullRequestJson,
  pullRequestSimpleJson,
  statusJson,
  type Annotation,
  type PullIssue,
} from './shapes.js';
import { closingRoutes } from './closing.js';
import { commitPullsRoutes } from './commit-pulls.js';
import { forkRoutes } from './forks.js';
import { reviewRoutes } from './reviews.js';
import { rulesRoutes } from './rules.js';

const forbidden = () => new HttpError(403, 'Resource not accessible by integration');

function requireWrite(emu: Emulator, ctx: RequestContext, permission: string): void {
  if (ctx.actor.kind !== 'installation') return;
  const granted = emu.world.app.permissions[permission];
  if (granted !== 'write' && granted !== 'admin') throw forbidden();
}

function requireApp(ctx: RequestContext): void {
  if (ctx.actor.kind === 'user') throw new HttpError(403, 'Resource not accessible by personal access token');
}

/** A ref (branch, tag, sha) as the `commits/{ref}/…` routes take it; 422 "No commit found" when it names nothing. */
function commitFor(emu: Emulator, repo: Repo, ref: string): string {
  const sha = resolveCommit(emu, repo, ref);
  if (sha === undefined) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function checkRun(ctx: RequestContext, repo: Repo): CheckRun {
  const run = repo.checkRuns.get(Number(ctx.params.check_run_id));
  if (!run) throw new HttpError(404, 'Not Found');
  return run;
}

function pullNumber(ctx: RequestContext): number {
  return Number(ctx.params.pull_number);
}

export function pullsRoutes(emu: Emulator): void {
  // Pushes move pull requests (synchronize, merges made outside GitHub) and request check suites.
  emu.onRepoEvent((repo, event, sender, payload) => {
    if (event === 'push') afterPush(emu, repo, sender, payload as { ref: string; before: string; after: string });
  });
  // Labels, assignees, edits and state changes made to a pull request through the issues API.
  onPullRequestIssueEvent(emu, (repo, issue, action, sender, extra) => pullRequestIssueEvent(emu, repo, issue as PullIssue, action, sender, extra));
  // After the pull requests have moved: closing keywords, pushes to forks; then reviews, rules, a commit's pull requests.
  closingRoutes(emu);
  forkRoutes(emu);
  reviewRoutes(emu);
  rulesRoutes(emu);
  commitPullsRoutes(emu);

  // ---- pull requests ----

  emu.route('GET', '/repos/{owner}/{repo}/pulls', (ctx) => {
    const repo = ctx.repo();
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) throw validationFailed('PullRequest', 'state', 'invalid');
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    const sort = ctx.query.get('sort') ?? 'created';
    // GitHub: direction defaults to desc when sort is created (or not given), otherwise asc.
    const direction = ctx.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    let pulls = [...repo.issues.values()].filter((i): i is PullIssue => i.pull !== undefined);
    if (state !== 'all') pulls = pulls.filter((p) => p.state === state);
    // `head` is `user:ref-name` or `organization:ref-name`; GitHub ignores a bare branch name and
    // lists as if no `head` were given (hub4j/github-api#538, mindersec/minder#1976, PyGithub/PyGithub#1566).
    if (head?.includes(':')) {
      const colon = head.indexOf(':');
      const owner = head.slice(0, colon);
      const branch = head.slice(colon + 1);
      // A fork's pull requests go by the fork's owner (`forks.ts`).
      const headOwner = (p: PullIssue) => p.pull.head.repo?.split('/')[0] ?? repo.owner.login;
      pulls = pulls.filter((p) => owner.toLowerCase() === headOwner(p).toLowerCase() && p.pull.head.ref === branch);
    }
    if (base) pulls = pulls.filter((p) => p.pull.base.ref === base);
    const key = (p: PullIssue): string | number => {
      if (sort === 'updated') return p.updated_at;
      if (sort === 'popularity') return [...repo.comments.values()].filter((c) => c.issueNumber === p.number).length;
      return p.created_at;
    };
    pulls.sort((a, b) => {
      const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number;
      return direction === 'desc' ? -order : order;
    });
    return paginate(ctx, pulls.map((p) => pullRequestSimpleJson(emu, repo, p)));
  });

  emu.route('POST', '/repos/{owner}/{repo}/pulls', (ctx) => {
    const repo = ctx.repo();
    requireWrite(emu, ctx, 'pull_requests');
    const body = ctx.body as { title?: string; head: string; base: string; body?: string; draft?: boolean; issue?: number };
    const pr = openPullRequest(emu, repo, ctx.actor.user, body);
    return ok(pullRequestJson(emu, repo, pr), 201, { location: `${emu.urls.api}/repos/${repo.fullName}/pulls/${pr.number}` });
  });

  emu.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
    const repo = ctx.repo();
    return ok(pullRequestJson(emu, repo, findPull(repo, pullNumber(ctx))));
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
    const repo = ctx.repo();
    requireWrite(emu, ctx, 'pull_requests');
    const number = pullNumber(ctx);
    findPull(repo, number);
    const body = (ctx.body ?? {}) as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
    const sender = ctx.actor.user;
    // GitHub sends `edited` before `closed`/`reopened` when one request does both.
    editPullRequest(emu, repo, sender, number, { title: body.title, body: body.body, base: body.base });
    if (body.state === 'closed') closePullRequest(emu, repo, sender, number);
    if (body.state === 'open') reopenPullRequest(emu, repo, sender, number);
    return ok(pullRequestJson(emu, repo, findPull(repo, number)));
  });

  emu.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', (ctx) => {
    const repo = ctx.repo();
    if (!findPull(repo, pullNumber(ctx)).pull.merged) throw new HttpError(404, 'Not Found');
    return noContent();
  });

  emu.route('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', (ctx) => {
    const repo = ctx.repo();
    // Fine-grained permission for "Merge a pull request": Contents, write.
    requireWrite(emu, ctx, 'contents');
    const body = (ctx.body ?? {}) as { sha?: string; commit_title?: string; commit_message?: string; merge_method?: 'merge' | 'squash' | 'rebase' };
    const result = mergePullRequest(emu, repo, ctx.actor.user, pullNumber(ctx), {
      sha: body.sha,
      commitTitle: body.commit_title,
      commitMessage: body.commit_message,
      mergeMethod: body.merge_method,
    });
    return ok(result);
  });

  // ---- merging a branch (GitHub files it under branches; it shares the pull requests' merge) ----

  /** 201 with the merge commit, 204 when there was nothing to merge, 404 / 409 as `mergeBranch` says. */
  emu.route('POST', '/repos/{owner}/{repo}/merges', (ctx) => {
    const repo = ctx.repo();
    // Fine-grained permission for "Merge a branch": Contents, write.
    requireWrite(emu, ctx, 'contents');
    const body = ctx.body as { base: string; head: string; commit_message?: string };
    const commit = mergeBranch(emu, repo, ctx.actor.user, { base: body.base, head: body.head, commitMessage: body.commit_message });
    if (!commit) return noContent();
    return ok(commitJson(emu, repo, commit, commitChanges(emu, repo, commit)), 201);
  });

  // ---- check runs and suites ----

  emu.route('POST', '/repos/{owner}/{repo}/check-runs', (ctx) => {
    const repo = ctx.repo();
    requireApp(ctx);
    requireWrite(emu, ctx, 'checks');
    const run = createCheckRun(emu, repo, emu.world.app, ctx.actor.user, ctx.body);
    return ok(checkRunJson(emu, repo, run), 201);
  });

  emu.route('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const repo = ctx.repo();
    return ok(checkRunJson(emu, repo, checkRun(ctx, repo)));
  });

  emu.route('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const repo = ctx.repo();
    requireApp(ctx);
    requireWrite(emu, ctx, 'checks');
    const run = checkRun(ctx, repo);
    // Only the app that made a check run may change it.
    if (run.app?.id !== emu.world.app.id) throw forbidden();
    return ok(checkRunJson(emu, repo, updateCheckRun(emu, repo, ctx.actor.user, run, ctx.body ?? {})));
  });

  emu.route('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', (ctx) => {
    const repo = ctx.repo();
    const run = checkRun(ctx, repo);
    return paginate(ctx, (run.output.annotations as Annotation[]).map((a) => annotationJson(emu.urls, repo, run, a)));
  });

  const listRuns = (ctx: RequestContext, repo: Repo, runs: CheckRun[]) => {
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    const appId = ctx.query.get('app_id');
    let found = runs.filter((r) => (!name || r.name === name) && (!status || r.status === status) && (!appId || String(r.app?.id) === appId));
    // filter=latest (the default): only the most recent run of each name per app.
    if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
      const newest = new Map<string, CheckRun>();
      for (const r of found) {
        const key = `${r.app?.id}:${r.name}`;
        if ((newest.get(key)?.id ?? -1) < r.id) newest.set(key, r);
      }
      found = [...newest.values()];
    }
    found.sort((a, b) => b.id - a.id);
    return paginate(ctx, found, (page) => ({ total_count: found.length, check_runs: page.map((r) => checkRunJson(emu, repo, r)) }));
  };

  emu.route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (ctx) => {
    const repo = ctx.repo();
    const sha = commitFor(emu, repo, ctx.params.ref!);
    return listRuns(ctx, repo, [...repo.checkRuns.values()].filter((r) => r.head_sha === sha));
  });

  emu.route('GET', '/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs', (ctx) => {
    const repo = ctx.repo();
    const id = Number(ctx.params.check_suite_id);
    if (!repo.checkSuites.has(id)) throw new HttpError(404, 'Not Found');
    return listRuns(ctx, repo, [...repo.checkRuns.values()].filter((r) => r.suiteId === id));
  });

  emu.route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-suites', (ctx) => {
    const repo = ctx.repo();
    const sha = commitFor(emu, repo, ctx.params.ref!);
    const appId = ctx.query.get('app_id');
    const name = ctx.query.get('check_name');
    const runs = [...repo.checkRuns.values()];
    const suites = [...repo.checkSuites.values()].filter(
      (s) => s.head_sha === sha && (!appId || String(s.app?.id) === appId) && (!name || runs.some((r) => r.suiteId === s.id && r.name === name)),
    );
    return paginate(ctx, suites, (page) => ({ total_count: suites.length, check_suites: page.map((s) => checkSuiteJson(emu, repo, s)) }));
  });

  emu.route('GET', '/repos/{owner}/{repo}/check-suites/{check_suite_id}', (ctx) => {
    const repo = ctx.repo();
    const suite = repo.checkSuites.get(Number(ctx.params.check_suite_id));
    if (!suite) throw new HttpError(404, 'Not Found');
    return ok(checkSuiteJson(emu, repo, suite));
  });

  // ---- commit statuses ----

  emu.route('POST', '/repos/{owner}/{repo}/statuses/{sha}', (ctx) => {
    const repo = ctx.repo();
    requireWrite(emu, ctx, 'statuses');
    const body = ctx.body as { state: 'error' | 'failure' | 'pending' | 'success'; context?: string; description?: string | null; target_url?: string | null };
    const status = setCommitStatus(emu, repo, ctx.actor.user, { sha: ctx.params.sha!, ...body });
    return ok(statusJson(emu.urls, repo, status), 201);
  });

  emu.route('GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', (ctx) => {
    const repo = ctx.repo();
    const sha = resolveCommit(emu, repo, ctx.params.ref!);
    // Newest first ("The first status in the list will be the latest one").
    const statuses = sha === undefined ? [] : repo.statuses.filter((s) => s.sha === sha).reverse();
    return paginate(ctx, statuses.map((s) => statusJson(emu.urls, repo, s)));
  });

  emu.route('GET', '/repos/{owner}/{repo}/commits/{ref}/status', (ctx) => {
    const repo = ctx.repo();
    const sha = resolveCommit(emu, repo, ctx.params.ref!);
    if (sha === undefined) throw new HttpError(404, 'Not Found');
    const latest = latestStatuses(repo, sha);
    return paginate(ctx, latest, (page) => combinedStatusJson(emu.urls, repo, sha, page, latest));
  });
}
