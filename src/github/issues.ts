/**
 * The issues and comments of one repository on Octokit: {@link GitHubIssues}.
 *
 * Reads are conditional requests. Each page's ETag, with what the page held,
 * is kept in the state store's response cache; `If-None-Match` gets a 304
 * when nothing changed, which GitHub does not count against the rate limit,
 * and the cached page is used. A repeat listing of n unchanged issues costs
 * ⌈n/100⌉ requests, all 304.
 *
 * Writes are never applied twice when an answer is lost (a 5xx after GitHub
 * applied the write, as a proxy timing out; a network error; a timeout):
 *
 * - Creates (`createIssue`, `createComment`) are sent with the retry plugin
 *   off, which would otherwise send a POST again. After a lost answer the
 *   adapter looks for what the create made before sending it again, at most
 *   {@link MAX_CREATE_ATTEMPTS} sends in all: an issue by its id marker
 *   (`findByMarker`); a comment by its comment marker (`commentMarkerIn`),
 *   posted by ticket-sync's own account, or, for a body without a marker,
 *   by its exact text, posted by that account since the first send.
 * - Updates (`updateIssue`, `updateComment`) are PATCHes that set fields to
 *   given values: sending one again after a lost answer sets the same values
 *   again, which GitHub takes as no change (no second event, no
 *   notification). The retry plugin retries them, 1 to 9 s apart; what a
 *   person changed in those seconds, the repeat sets back, as any later
 *   write of the sync would.
 * - `deleteComment` sent again after a lost answer is answered 404: taken as
 *   done, which it is.
 *
 * Works with any Octokit that has `request` (`createOctokit`'s, Probot's).
 */
import type { Octokit } from '@octokit/rest';
import type { StateStore } from '../store/types.js';
import { commentMarkerIn, markerOf } from '../sync/mapping/markers.js';
import { bodyEdit } from './body-edit.js';
import { issueFields, toIssueChange, toRemoteComment, toRemoteIssue, type IssueJson } from './issue-json.js';
import { MAX_CREATE_ATTEMPTS, sendOnce } from './send-once.js';
import type { GitHubIssues, IssueWrite, RemoteComment, RemoteIssue, RepoRef } from './types.js';

/** Where ETags and the pages they stand for are kept (a `StateStore` will do). */
export type ResponseCache = Pick<StateStore, 'getCached' | 'setCached'>;

export type IssuesOctokit = Pick<Octokit, 'request' | 'graphql'>;

export interface GitHubIssuesOptions {
  /**
   * ticket-sync's own login (the `self` of the sync context): the author of
   * the comments it posts, which alone are taken for a comment whose answer
   * was lost. Without it the adapter asks `GET /user` (a personal token's
   * account); an installation token has no user, and then any author's
   * comment counts, but only one made since the first send.
   */
  self?: () => Promise<string>;
}

/**
 * The issue among `issues` that belongs to `ticket` by the one rule of
 * `markerOf` (the last valid id marker in its body, as `issueView` reads
 * it); the oldest when several do (a copy of a body quoted into a later issue
 * is not the one). A body that quotes another ticket's marker before its own
 * belongs to its own ticket only, and `TSK-0001` never finds the issue of
 * `TSK-00012`: the ids must be equal.
 */
export function issueWithMarker(issues: readonly RemoteIssue[], ticket: string): RemoteIssue | undefined {
  return issues.filter((issue) => markerOf(issue.body) === ticket).sort((a, b) => a.number - b.number)[0];
}

const PER_PAGE = 100;

/** One page of a listing as cached: its items (mapped), the `Link` rel=next, and whether it was full. */
interface Page<T> {
  items: T[];
  next: string | null;
  full: boolean;
}


/** How long before the first send a comment may be dated and still be taken for one the send made: this machine's clock and GitHub's differ. */
const CLOCK_SLACK_MS = 60_000;

export function githubIssues(octokit: IssuesOctokit, repo: RepoRef, cache: ResponseCache, options: GitHubIssuesOptions = {}): GitHubIssues {
  const at = { owner: repo.owner, repo: repo.name };
  /** Cache keys of this repository; `v1` names the shape of what is cached. */
  const key = (...parts: (string | number)[]) => ['github', 'v1', `${repo.owner}/${repo.name}`.toLowerCase(), ...parts].join(':');
  const assignable = new Map<string, Promise<boolean>>();

  /**
   * Open an issue exactly once. A 5xx may come after GitHub made the issue (a
   * proxy timing out after the write), so the retry plugin is off for this
   * request: before sending it again, look for the issue by its marker among
   * ticket-sync's own issues (a stranger's issue carrying the marker is never
   * taken for it).
   */
  async function createOnce(write: IssueWrite & { title: string }): Promise<RemoteIssue> {
    const ticket = markerOf(write.body ?? '');
    const firstSent = Date.now();
    /** The issue the send made: it carries the marker and is ticket-sync's own (or, when that is not known, new since the first send). */
    const made = async (): Promise<RemoteIssue | undefined> => {
      if (ticket === undefined) return undefined;
      const self = (await ownLogin())?.toLowerCase();
      const ours = (await issues.listIssues()).filter((issue) =>
        self !== undefined ? issue.author.toLowerCase() === self : Date.parse(issue.created_at) >= firstSent - CLOCK_SLACK_MS,
      );
      return issueWithMarker(ours, ticket);
    };
    return sendOnce(
      async () => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', {
          ...at,
          title: write.title,
          ...(write.body !== undefined ? { body: write.body } : {}),
          ...(write.labels !== undefined ? { labels: write.labels } : {}),
          ...(write.assignees !== undefined ? { assignees: write.assignees } : {}),
          request: { retries: 0 },
        });
        return toRemoteIssue(data);
      },
      made,
    );
  }

  /**
   * Post a comment exactly once, as `createOnce` opens an issue: after a lost
   * answer, the comment the send made is looked for among the issue's
   * comments before it is sent again. It is the oldest comment of
   * ticket-sync's own account that carries the body's comment marker (the
   * same comment id and author); a body without one is recognized by its
   * exact text, in a comment made since the first send. When the account is
   * not known, only comments made since the first send count.
   */
  async function createCommentOnce(issue: number, body: string): Promise<RemoteComment> {
    const firstSent = Date.now();
    const marker = commentMarkerIn(body, () => true);
    const sameMarker = (text: string) => {
      const found = commentMarkerIn(text, () => true);
      return found !== undefined && marker !== undefined && found.id === marker.id && found.author === marker.author;
    };
    return sendOnce(
      async () => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...at,
          issue_number: issue,
          body,
          request: { retries: 0 },
        });
        return toRemoteComment(data);
      },
      async () => {
        const self = (await ownLogin())?.toLowerCase();
        const recent = (comment: RemoteComment) => Date.parse(comment.created_at) >= firstSent - CLOCK_SLACK_MS;
        return (await issues.listComments(issue)).find(
          (comment) =>
            (self === undefined ? recent(comment) : comment.author.toLowerCase() === self) &&
            (marker ? sameMarker(comment.body) : comment.body === body && recent(comment)),
        );
      },
    );
  }

  /** ticket-sync's own login: `options.self`, else the account of the token (`GET /user`); undefined when neither tells. */
  async function ownLogin(): Promise<string | undefined> {
    try {
      return options.self ? await options.self() : (await octokit.request('GET /user')).data.login;
    } catch {
      // An installation token has no user (403): the caller then weighs comments by time alone.
      return undefined;
    }
  }

  /** GET `url` with `If-None-Match` from the cache; a 304 answers with what was cached (`fresh: false`). */
  async function conditionalGet<T>(cacheKey: string, url: string, read: (data: unknown, headers: Record<string, unknown>) => T): Promise<{ value: T; fresh: boolean }> {
    const cached = await cache.getCached<T>(cacheKey);
    try {
      const response = await octokit.request(`GET ${url}`, { headers: cached ? { 'if-none-match': cached.etag } : {} });
      const value = read(response.data, response.headers);
      const etag = response.headers.etag;
      if (etag) await cache.setCached(cacheKey, { etag, data: value });
      return { value, fresh: true };
    } catch (error) {
      if (cached && hasStatus(error, 304)) return { value: cached.data, fresh: false };
      throw error;
    }
  }

  /**
   * Every page of a listing, each a conditional request, following `Link`
   * rel=next (the cached one after a 304). When new items land at the end of
   * the listing (`growsAtEnd`), a full last page can stay unchanged (a 304)
   * while a new page follows it, so after a 304 on a full page with no next,
   * the page after it is asked for too.
   */
  async function listAll<J, T>(name: string, first: string, map: (item: J) => T | undefined, growsAtEnd: boolean): Promise<T[]> {
    const items: T[] = [];
    let url: string | null = first;
    for (let number = 1; url !== null; number++) {
      const requested: string = url;
      const { value: page, fresh } = await conditionalGet<Page<T>>(key(name, number), requested, (data, headers) => {
        const raw = data as J[];
        return { items: raw.map(map).filter((i) => i !== undefined), next: nextLink(headers.link), full: raw.length === PER_PAGE };
      });
      items.push(...page.items);
      url = page.next ?? (growsAtEnd && page.full && !fresh ? withPage(requested, number + 1) : null);
    }
    return items;
  }

  const firstPage = (route: string, params: Record<string, unknown>) =>
    octokit.request.endpoint(`GET ${route}`, { ...at, ...params, per_page: PER_PAGE }).url;

  const issues: GitHubIssues = {
    repo,

    async listIssues() {
      // Newest first (GitHub's default order): a new issue changes the first page, so a 304 on a
      // page that was the last can be trusted to still be the last.
      const first = firstPage('/repos/{owner}/{repo}/issues', { state: 'all', sort: 'created', direction: 'desc' });
      const listed = await listAll('issues', first, (item: IssueJson) => (item.pull_request ? undefined : toRemoteIssue(item)), false);
      // An issue created while the pages were read shifts the later pages: one may come twice.
      const byNumber = new Map(listed.map((issue) => [issue.number, issue]));
      return [...byNumber.values()].sort((a, b) => a.number - b.number);
    },

    async getIssue(number) {
      const url = octokit.request.endpoint('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...at, issue_number: number }).url;
      try {
        const { value } = await conditionalGet(key('issue', number), url, (data) => {
          const json = data as IssueJson;
          return json.pull_request ? null : toRemoteIssue(json);
        });
        return value ?? undefined;
      } catch (error) {
        // 404: no such issue; 410: deleted.
        if (hasStatus(error, 404) || hasStatus(error, 410)) return undefined;
        throw error;
      }
    },

    /**
     * Looked for in the issue listing, not with search: the listing reads
     * GitHub's issues themselves, so an issue created a moment ago is there,
     * while the search index can lag behind it by seconds to minutes (and a
     * missed marker means a duplicate issue). The listing is conditional, so
     * a lookup in a repository with n unchanged issues costs ⌈n/100⌉ requests
     * that GitHub answers 304 without counting them. Search would find only a
     * subset of what the listing finds, so it adds nothing as a fallback.
     */
    async findByMarker(ticket) {
      return issueWithMarker(await issues.listIssues(), ticket);
    },

    async createIssue(write) {
      const created = await createOnce(write);
      // An issue is opened open: closing it is a second write.
      if (write.state === 'closed') return issues.updateIssue(created.number, { state: 'closed', state_reason: write.state_reason });
      return created;
    },

    async updateIssue(number, write) {
      const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...at, issue_number: number, ...issueFields(write) });
      return toRemoteIssue(data);
    },

    async listComments(issue) {
      // Comments are listed oldest first: a new one lands on the last page.
      const first = firstPage('/repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: issue });
      return listAll(`comments:${issue}`, first, toRemoteComment, true);
    },

    async listChanges(issue) {
      // Events are listed oldest first: a new one lands on the last page.
      const first = firstPage('/repos/{owner}/{repo}/issues/{issue_number}/events', { issue_number: issue });
      return listAll(`events:${issue}`, first, toIssueChange, true);
    },

    createComment(issue, body) {
      return createCommentOnce(issue, body);
    },

    bodyEdit(issue) {
      return bodyEdit(octokit, repo, issue);
    },

    async updateComment(id, body) {
      const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...at, comment_id: id, body });
      return toRemoteComment(data);
    },

    async deleteComment(id) {
      try {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...at, comment_id: id });
      } catch (error) {
        // Already gone: what deleting it was for.
        if (!hasStatus(error, 404) && !hasStatus(error, 410)) throw error;
      }
    },

    canAssign(login) {
      const id = login.toLowerCase();
      let answer = assignable.get(id);
      if (!answer) {
        // 204: yes; 404: no. Anything else is an error and is asked again next time.
        answer = octokit.request('GET /repos/{owner}/{repo}/assignees/{assignee}', { ...at, assignee: login }).then(
          () => true,
          (error: unknown) => {
            if (hasStatus(error, 404)) return false;
            assignable.delete(id);
            throw error;
          },
        );
        assignable.set(id, answer);
      }
      return answer;
    },
  };
  return issues;
}

function hasStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === status;
}

/** The rel=next target of a `Link` header. */
function nextLink(link: unknown): string | null {
  return typeof link === 'string' ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
}

function withPage(url: string, page: number): string {
  const target = new URL(url);
  target.searchParams.set('page', String(page));
  return target.toString();
}
