/**
 * The pieces every route uses: replies and errors in GitHub's shapes, the
 * handler context, pagination with `Link` headers, and the request log.
 */
import type { Installation, Repo, User } from './state.js';
import type { Method } from './contract.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Not counted against the primary rate limit (GitHub: `GET /rate_limit`). */
  uncounted?: boolean;
  /**
   * Bytes sent as they are instead of a JSON `body`, for a custom media type
   * (`application/vnd.github.raw` on `/contents/{path}`); not held to the
   * description, which describes the JSON answer only.
   */
  raw?: { bytes: Buffer; contentType: string };
}

/** Thrown by handlers; becomes GitHub's error body `{message, documentation_url, errors?}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = () => new HttpError(404, 'Not Found');
/** GitHub's 422 `Validation Failed` with one error entry. */
export const validationFailed = (resource: string, field: string, code: string, message?: string) =>
  new HttpError(422, 'Validation Failed', { errors: [{ resource, field, code, ...(message ? { message } : {}) }] });

export interface Actor {
  kind: 'app' | 'installation' | 'user';
  /** Who appears as `sender`/`user`: the person, or the app's bot. */
  user: User;
  installation?: Installation;
  /** The key rate limits are counted under. */
  budgetKey: string;
}

export interface RequestContext {
  method: Method;
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  actor: Actor;
  /** This request's URL on the `/api/v3` base, for links. */
  url: string;
  /** The request's `Accept` header (`''` without one): custom media types such as `application/vnd.github.raw`. */
  accept: string;
  /** The repository named by `{owner}/{repo}`, checked against what the actor may see. */
  repo(): Repo;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({ status, body, headers });
export const noContent = (): Reply => ({ status: 204 });

/** One page of `items` (GitHub's `per_page` default 30, maximum 100) with a `Link` header. */
export function paginate<T>(ctx: RequestContext, items: readonly T[], wrap?: (page: T[]) => unknown): Reply {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const target = new URL(ctx.url);
    for (const [k, v] of ctx.query) if (k !== 'page') target.searchParams.set(k, v);
    target.searchParams.set('page', String(p));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body: wrap ? wrap(slice) : slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

export interface LogEntry {
  seq: number;
  method: string;
  /** The documented path template, or the raw path when no operation matched. */
  route: string;
  path: string;
  status: number;
  /** Login of who made the request (the app's bot for installation tokens). */
  actor: string | null;
  /** Whether it counted against the primary rate limit (a 304 does not). */
  counted: boolean;
  /** Whether it was a content-creating request (POST, PATCH, PUT, DELETE), the kind secondary limits count. */
  createsContent: boolean;
  at: number;
  /** The request's JSON body, when it had one (to assert what was sent). */
  body?: unknown;
}
