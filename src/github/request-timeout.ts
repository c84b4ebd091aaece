/**
 * Every request to GitHub has a time limit (`GITHUB_REQUEST_TIMEOUT`, 30 s by
 * default): a request GitHub does not answer, or whose answer stops halfway,
 * fails instead of holding its caller (and, in the App, a worker slot)
 * forever.
 *
 * The limit is applied where Octokit calls `fetch` (`request.fetch`), under
 * its hooks: each try of a request (after a retry, after the throttling
 * plugin's wait in its queue) gets the full time, and an installation
 * token's creation is limited too. The answer is read whole within the
 * limit, so a body that stops halfway fails the request rather than being
 * read as empty (Octokit turns an unreadable body into `''`).
 *
 * A timed-out request fails with a {@link RequestTimeoutError}, which
 * Octokit hands on with status 500 (as it does an aborted fetch) and the
 * retry plugin leaves alone: the App's job queue retries the job with
 * back-off, as after GitHub's 5xx, and the worker slot is free meanwhile.
 */

/** The default time limit of one request to GitHub, in ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** GitHub gave no (whole) answer within the time limit. */
export class RequestTimeoutError extends Error {
  /** Named as an aborted `fetch` is: Octokit then fails the request with status 500 and its retry plugin does not retry it. */
  override readonly name = 'AbortError';
  readonly timeout = true;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly ms: number,
  ) {
    super(`GitHub did not answer ${method} ${url} within ${ms / 1000} s (GITHUB_REQUEST_TIMEOUT): timeout`);
  }
}

/**
 * A duration as the App's environment writes them: `30s`, `2m`, `1h30m`, a
 * bare number of seconds, or `500ms`. Throws naming `name` on anything else.
 */
export function parseDuration(name: string, text: string): number {
  const value = text.trim();
  const ms = /^(\d+)ms$/.exec(value);
  if (ms) return Number(ms[1]);
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) {
    throw new Error(`${name}: "${value}" is not a duration (write 15m, 1h, 1h30m, 90s)`);
  }
  const [, h = '0', m = '0', s = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/** `GITHUB_REQUEST_TIMEOUT` (`30s`, `2m`, `45`, `500ms`), else the default; throws on a value that is not a positive duration. */
export function requestTimeoutOf(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.GITHUB_REQUEST_TIMEOUT;
  if (text === undefined || text.trim() === '') return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = parseDuration('GITHUB_REQUEST_TIMEOUT', text);
  if (ms <= 0) throw new Error('GITHUB_REQUEST_TIMEOUT: must be more than 0 (every request to GitHub has a time limit)');
  return ms;
}

/** Statuses whose answer has no body (a `Response` refuses one). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** `fetch` with a time limit on each call, covering the whole answer; a caller's own `signal` still aborts it. */
export function timedFetch(ms: number, base: typeof fetch = (...args) => globalThis.fetch(...args)): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await base(input, { ...init, signal });
      const body = NO_BODY.has(response.status) ? null : await response.arrayBuffer();
      const whole = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      Object.defineProperty(whole, 'url', { value: response.url });
      return whole;
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted) throw new RequestTimeoutError(init?.method ?? 'GET', urlOf(input), ms);
      throw error;
    }
  };
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return url.replace(/\?.*$/, '');
}

/** What {@link withRequestTimeout} needs of an Octokit: its `request`, whose defaults can be extended. */
interface HasRequest {
  request: { defaults(options: { request: { fetch: typeof fetch } }): unknown };
}

const limited = new WeakSet<object>();

/**
 * Give an Octokit made elsewhere (Probot's app and installation clients) the
 * time limit on every request, the installation token's creation included.
 * Call it before the Octokit's first request; a second call does nothing.
 */
export function withRequestTimeout<T extends HasRequest>(octokit: T, ms: number): T {
  if (limited.has(octokit)) return octokit;
  limited.add(octokit);
  // Octokit's REST methods and pagination read `octokit.request` when first used; its hooks (auth, retry, throttling) stay.
  octokit.request = octokit.request.defaults({ request: { fetch: timedFetch(ms) } }) as T['request'];
  return octokit;
}
