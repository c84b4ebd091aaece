/**
 * The Octokit ticket-sync talks to GitHub with: `@octokit/rest` with the
 * throttling and retry plugins Probot uses, set up for a sync that writes in
 * bursts.
 *
 * - Writes are paced as the throttling plugin paces them (one at a time, a
 *   second apart, three seconds apart for issues and comments, which notify
 *   people), as GitHub asks of integrations that create content.
 * - A secondary rate limit (403 or 429 with `retry-after`) is waited out and
 *   retried, at most `secondaryLimitRetries` times and only when GitHub asks
 *   for no more than `maxRetryAfter` seconds.
 * - The primary rate limit is never waited for: its reset is up to an hour
 *   away, longer than a webhook handler or a CLI run should hang. The request
 *   fails at once with a {@link RateLimitError} saying when the limit resets.
 * - A 5xx (and any other status GitHub may answer differently next time) is
 *   retried three times, 1, 4 and 9 seconds apart. 4xx answers that will not
 *   change (and 429, which the throttling plugin owns) are not.
 * - Every request has a time limit (`requestTimeout`, else
 *   `GITHUB_REQUEST_TIMEOUT`, else 30 s; `request-timeout.ts`): a request
 *   GitHub does not answer fails with a {@link RequestTimeoutError} instead of
 *   hanging the run. It is not retried here.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { requestTimeoutOf, timedFetch } from './request-timeout.js';

export { RequestTimeoutError } from './request-timeout.js';

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/** Octokit's logger; Probot's pino logger fits. */
export interface OctokitLog {
  debug(message: string, ...rest: unknown[]): unknown;
  info(message: string, ...rest: unknown[]): unknown;
  warn(message: string, ...rest: unknown[]): unknown;
  error(message: string, ...rest: unknown[]): unknown;
}

/** A rate limit GitHub answered with, as `onRateLimit` hears of it before the wait or the failure. */
export interface RateLimitHit {
  kind: 'primary' | 'secondary';
  method: string;
  url: string;
  /** The seconds GitHub asks to wait (`retry-after`, or until `x-ratelimit-reset`). */
  retryAfter: number;
  /** How many times this request was already retried after a rate limit. */
  retryCount: number;
  /** Whether the request is retried after the wait; otherwise it fails with a {@link RateLimitError}. */
  retrying: boolean;
}

export interface CreateOctokitOptions {
  /** A token: an installation token, a personal access token or `GITHUB_TOKEN`. */
  auth: string;
  /** The REST base URL: `https://api.github.com` (the default) or GitHub Enterprise's `https://<host>/api/v3`. */
  baseUrl?: string;
  userAgent?: string;
  /** Where Octokit and its plugins log (Octokit's default: warnings and errors to the console). */
  log?: OctokitLog;
  /** Told of every rate limit answer; each is also logged as a warning. */
  onRateLimit?: (hit: RateLimitHit) => void;
  /** How many times one request is retried after a secondary rate limit (default 3). */
  secondaryLimitRetries?: number;
  /** The longest `retry-after`, in GitHub's seconds, that is waited out rather than failed (default 120). */
  maxRetryAfter?: number;
  /**
   * Test knob: real milliseconds waited per millisecond GitHub asks for or
   * the plugins choose (`retry-after`, 5xx backoff, write pacing). 1, the
   * default, in production. Against the emulator use `1 / clockSpeed`, so a
   * 60 s `retry-after` on a clock running 100 times faster takes 0.6 s and
   * still lands just after the emulated minute.
   */
  waitScale?: number;
  /** The time limit of one request, in ms (default: `GITHUB_REQUEST_TIMEOUT`, else 30 s). */
  requestTimeout?: number;
}

/** GitHub refused a request for a rate limit, and waiting it out was not an option. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';

  constructor(
    readonly kind: 'primary' | 'secondary',
    /** 403 or 429. */
    readonly status: number,
    /** When the primary limit resets (from `x-ratelimit-reset`). */
    readonly resetAt: Date | undefined,
    /** The seconds a secondary limit asked to wait (`retry-after`). */
    readonly retryAfter: number | undefined,
    options: { cause: unknown },
  ) {
    super(
      kind === 'primary'
        ? `GitHub's rate limit for this token is used up${resetAt ? `; it resets at ${resetAt.toISOString()}` : ''}`
        : `GitHub's secondary rate limit still refuses requests${retryAfter !== undefined ? `; it asks to wait ${retryAfter} s` : ''}`,
      options,
    );
  }
}

export type GitHubOctokit = InstanceType<typeof ThrottledOctokit>;

/** Pacing of the throttling plugin's groups (Bottleneck `minTime`, ms): its defaults. */
const PACING = { write: 1_000, notifications: 3_000, search: 2_000 } as const;

export function createOctokit(options: CreateOctokitOptions): GitHubOctokit {
  const scale = options.waitScale ?? 1;
  const secondaryRetries = options.secondaryLimitRetries ?? 3;
  const maxRetryAfter = options.maxRetryAfter ?? 120;

  const decide = (kind: RateLimitHit['kind'], retryAfter: number, request: { method: string; url: string }, retryCount: number, octokit: { log: OctokitLog }) => {
    const retrying = kind === 'secondary' && retryCount < secondaryRetries && retryAfter <= maxRetryAfter;
    const hit: RateLimitHit = { kind, method: request.method, url: request.url, retryAfter, retryCount, retrying };
    octokit.log.warn(
      `GitHub's ${kind} rate limit on ${hit.method} ${hit.url}: ${retrying ? `retrying in ${retryAfter} s` : `giving up (GitHub asks to wait ${retryAfter} s)`}`,
    );
    options.onRateLimit?.(hit);
    return retrying;
  };

  const throttle: ThrottlingOptions = {
    retryAfterBaseValue: 1_000 * scale,
    onSecondaryRateLimit: (retryAfter, request, octokit, retryCount) => decide('secondary', retryAfter, request, retryCount, octokit),
    onRateLimit: (retryAfter, request, octokit, retryCount) => decide('primary', retryAfter, request, retryCount, octokit),
    ...(scale === 1
      ? {}
      : {
          write: pacedGroup(PACING.write * scale),
          notifications: pacedGroup(PACING.notifications * scale),
          search: pacedGroup(PACING.search * scale),
        }),
  };

  const octokit = new ThrottledOctokit({
    auth: options.auth,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.log ? { log: quietNotModified(options.log) } : {}),
    request: { fetch: timedFetch(options.requestTimeout ?? requestTimeoutOf(process.env)) },
    throttle,
    retry: { retryAfterBaseValue: 1_000 * scale, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
  octokit.hook.error('request', (error) => {
    throw asRateLimitError(error) ?? error;
  });
  return octokit;
}

/**
 * Octokit's request log reports a 304 as an error (Octokit throws on it), yet a
 * 304 is the answer conditional requests hope for: those lines are dropped.
 */
function quietNotModified(log: OctokitLog): OctokitLog {
  return {
    ...log,
    error: (message: string, ...rest: unknown[]) => {
      if (typeof message === 'string' && / - 304 with id /.test(message)) return;
      (log.error as (m: string, ...r: unknown[]) => void)(message, ...rest);
    },
  };
}

interface ResponseError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** A 403/429 rate limit answer as a {@link RateLimitError}; anything else as undefined. */
function asRateLimitError(error: unknown): RateLimitError | undefined {
  const { status, message = '', response } = (error ?? {}) as ResponseError;
  if (status !== 403 && status !== 429) return undefined;
  const headers = response?.headers ?? {};
  if (/\bsecondary rate\b/i.test(message)) {
    const retryAfter = Number(headers['retry-after']);
    return new RateLimitError('secondary', status, undefined, Number.isFinite(retryAfter) ? retryAfter : undefined, { cause: error });
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return new RateLimitError('primary', status, Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined, undefined, { cause: error });
  }
  return undefined;
}

type Group = NonNullable<ThrottlingOptionsWithGroups['write']>;
type ThrottlingOptionsWithGroups = Extract<ThrottlingOptions, { onRateLimit: unknown }>;

/**
 * A stand-in for the Bottleneck group the throttling plugin paces writes and
 * searches with, for when waits are scaled: per key, one job at a time, each
 * starting at least `minTime` ms after the one before. The plugin only calls
 * `group.key(id).schedule(options, job)` on these groups. The plugin's own
 * groups are shared by the whole process and cannot be given another pace.
 */
function pacedGroup(minTime: number): Group {
  const keys = new Map<string, { schedule: (...args: unknown[]) => Promise<unknown> }>();
  const limiter = () => {
    let next = 0;
    let queue: Promise<unknown> = Promise.resolve();
    return {
      schedule(...args: unknown[]): Promise<unknown> {
        const [job, ...jobArgs] = typeof args[0] === 'function' ? args : args.slice(1);
        const run = async () => {
          const wait = next - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          next = Date.now() + minTime;
          return (job as (...a: unknown[]) => unknown)(...jobArgs);
        };
        const result = queue.then(run, run);
        queue = result.catch(() => undefined);
        return result;
      },
    };
  };
  const group = {
    key(id = '') {
      let found = keys.get(id);
      if (!found) keys.set(id, (found = limiter()));
      return found;
    },
  };
  return group as unknown as Group;
}
