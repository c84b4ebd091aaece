/**
 * A stateful GitHub over real HTTP on a loopback port: the REST routes
 * ticket-sync uses (at `/api/v3` like GitHub Enterprise, and at the root),
 * app and installation auth, primary and secondary rate limits, ETags and
 * 304s, faults on demand (or seeded, at random: `chaos`), signed webhooks,
 * and a request log to count requests by. Every request is held to GitHub's
 * OpenAPI description.
 *
 * Test and demo tooling: nothing in `src/` imports it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, createVerify, randomBytes, randomUUID, createSign } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { Clock } from './clock.js';
import { Contract, type Method, type Violation } from './contract.js';
import { HttpError, type Actor, type Handler, type LogEntry, type Reply, type RequestContext } from './http.js';
import { nodeId, repoJson, userJson, type Urls } from './shapes.js';
import { World, type Installation, type Repo, type User } from './state.js';
import { Webhooks } from './webhooks.js';
import { Person } from './driver.js';
import { GRAPHQL_KEY, graphqlHandler, graphqlMatch } from './graphql/route.js';

export interface EmulatorOptions {
  appId?: number;
  appSlug?: string;
  /** Requests per hour per token (GitHub: 5,000 for installations and users). */
  primaryLimit?: number;
  /** Content-creating requests allowed per minute and per hour (GitHub documents 80 and 500), or false for none. */
  secondaryLimit?: { perMinute: number; perHour: number } | false;
  /** Emulated milliseconds per real millisecond. */
  clockSpeed?: number;
  /** Check the emulator's own 2xx responses against the description (on by default). */
  checkResponses?: boolean;
}

/** 502, 409 or a hang instead of the answer; `'502-after'` does the work, then answers 502 (a proxy timing out after a write). */
export type FaultKind = 502 | 409 | 'hang' | '502-after';

/**
 * One rule of the chaos mode (`Emulator.chaos`): each request it matches gets
 * one of `kinds` with probability `rate`.
 */
export interface ChaosRule {
  /** 0 … 1: the share of matching requests that fail. */
  rate: number;
  /** What a failing request gets, one picked at random each time. */
  kinds: readonly FaultKind[];
  /** The methods it matches (default: the content-creating ones, POST, PATCH, PUT and DELETE). */
  methods?: readonly Method[];
  /** The one route template it matches (default: every route). */
  route?: string;
}

export interface ChaosOptions {
  /** Numbers in [0, 1): a seeded generator, so that a failing run can be replayed. */
  random: () => number;
  /** Tried in order; the first that fires decides the request's fault. */
  rules: readonly ChaosRule[];
}

/** A fault the chaos mode injected: which request got what. */
export interface ChaosFault {
  seq: number;
  method: Method;
  route: string;
  kind: FaultKind;
}

export type RepoEventListener = (repo: Repo, event: string, sender: User, payload: Record<string, unknown>) => void;

const CONTENT_CREATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const HOUR = 3_600_000;

interface Budget {
  used: number;
  resetAt: number;
  /** Times of content-creating requests (emulated ms) for the secondary limit. */
  writes: number[];
}

export class Emulator {
  readonly clock: Clock;
  readonly world: World;
  readonly contract = Contract.get();
  readonly violations: Violation[] = [];
  readonly log: LogEntry[] = [];
  readonly webhooks: Webhooks;
  readonly options: Required<EmulatorOptions>;
  /** Route handlers by `<method> <route>`; GraphQL's (`graphql/route.ts`) is built in. */
  private readonly handlers = new Map<string, Handler>([[GRAPHQL_KEY, graphqlHandler(this)]]);
  private readonly repoEventListeners: RepoEventListener[] = [];
  private readonly faults = new Map<string, FaultKind[]>();
  private readonly interludes = new Map<string, (() => void)[]>();
  private chaosMode: (ChaosOptions & { injected: ChaosFault[] }) | undefined;
  private readonly budgets = new Map<string, Budget>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private lastRequest = Date.now();
  private active = 0;
  urls: Urls = { api: '', html: '' };

  private constructor(options: EmulatorOptions) {
    this.options = {
      appId: options.appId ?? 4242,
      appSlug: options.appSlug ?? 'ticket-sync',
      primaryLimit: options.primaryLimit ?? 5000,
      secondaryLimit: options.secondaryLimit ?? false,
      clockSpeed: options.clockSpeed ?? 1,
      checkResponses: options.checkResponses ?? true,
    };
    this.clock = new Clock(Date.now(), this.options.clockSpeed);
    this.world = new World(this.clock, { id: this.options.appId, slug: this.options.appSlug });
    this.webhooks = new Webhooks(this.contract, this.violations);
  }

  /** Start on an ephemeral loopback port. */
  static async start(options: EmulatorOptions = {}, register: ((emu: Emulator) => void)[] = []): Promise<Emulator> {
    const emu = new Emulator(options);
    for (const r of register) r(emu);
    const server = createServer((req, res) => void emu.handle(req, res));
    server.on('connection', (socket) => {
      emu.sockets.add(socket);
      socket.on('close', () => emu.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    emu.server = server;
    emu.urls = { api: `http://127.0.0.1:${port}/api/v3`, html: `http://127.0.0.1:${port}` };
    return emu;
  }

  /** REST base URL in the GitHub Enterprise style (`…/api/v3`). */
  get apiUrl(): string {
    return this.urls.api;
  }

  /** The same API at the root of the server. */
  get rootUrl(): string {
    return this.urls.html;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Register the handler of a documented route (`GET`, `/repos/{owner}/{repo}/issues`). */
  route(method: Method, template: string, handler: Handler): void {
    if (!this.contract.operations.some((op) => op.method === method && op.route === template)) {
      throw new Error(`${method} ${template} is not in GitHub's REST description`);
    }
    this.handlers.set(`${method} ${template}`, handler);
  }

  /** Make the next `count` calls to a route fail: 502, 409, or hang without an answer. */
  fault(method: Method, template: string, kind: FaultKind, count = 1): void {
    const key = `${method} ${template}`;
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...Array<FaultKind>(count).fill(kind)]);
  }

  /**
   * Seeded, probabilistic faults for soak tests, where `fault()` is exact:
   * from now on every request an installation token makes (an app at work;
   * never a person's token or the app's JWT, and a person's actions through
   * `as()` make no request at all) is matched against `rules`, and the first
   * rule that fires (`random() < rate`) gives it one of its `kinds`, as
   * `fault()` would. A request `fault()` already failed is not drawn for.
   * The draw comes after authentication and the contract checks, so a
   * request GitHub would refuse anyway is refused for that. Returns the
   * faults injected, in order, as they happen; `chaos(false)` stops it.
   *
   *   github.chaos({ random, rules: [{ rate: 0.05, kinds: [502, '502-after'] },
   *     { rate: 0.2, kinds: [409], methods: ['PATCH'], route: '/repos/{owner}/{repo}/git/refs/{ref}' }] });
   */
  chaos(options: ChaosOptions | false): ChaosFault[] {
    this.chaosMode = options === false ? undefined : { ...options, injected: [] };
    return this.chaosMode?.injected ?? [];
  }

  /** The chaos mode's draw for one request (see `chaos`). */
  private chaosFault(entry: LogEntry, method: Method, route: string, actor: Actor): FaultKind | undefined {
    const mode = this.chaosMode;
    if (!mode || actor.kind !== 'installation') return undefined;
    for (const rule of mode.rules) {
      const methods: ReadonlySet<string> = rule.methods ? new Set(rule.methods) : CONTENT_CREATING;
      if (!methods.has(method) || (rule.route !== undefined && rule.route !== route)) continue;
      if (mode.random() >= rule.rate) continue;
      const kind = rule.kinds[Math.floor(mode.random() * rule.kinds.length)]!;
      mode.injected.push({ seq: entry.seq, method, route, kind });
      return kind;
    }
    return undefined;
  }

  /**
   * Run `action` once, just before the next call to a route is handled:
   * after the call is authenticated and checked, before its handler reads
   * or changes anything. A person acting between two requests of a client,
   * deterministically: `github.beforeNext('PATCH',
   * '/repos/{owner}/{repo}/git/refs/{ref}', () => person.push(…))` makes the
   * app's next ref update lose the race for the branch (422, not a fast
   * forward). A call that faults does not run it.
   */
  beforeNext(method: Method, template: string, action: () => void): void {
    const key = `${method} ${template}`;
    this.interludes.set(key, [...(this.interludes.get(key) ?? []), action]);
  }

  /**
   * Deliver a repository event the way GitHub delivers to an app: only when
   * the app is installed on the repository and subscribes to the event, with
   * `repository`, `installation` and `sender` filled in.
   */
  emitRepoEvent(repo: Repo, event: string, sender: User, payload: Record<string, unknown>): void {
    const installation = this.world.installationFor(repo);
    if (installation && this.world.app.events.includes(event)) {
      this.webhooks.emit(event, {
        ...payload,
        repository: { ...repoJson(this.urls, repo), ...(payload.repository as object | undefined) },
        installation: { id: installation.id, node_id: nodeId('Installation', installation.id) },
        sender: userJson(this.urls, sender),
      });
    }
    for (const listener of this.repoEventListeners) listener(repo, event, sender, payload);
  }

  /**
   * Follow every repository event, delivered or not, after its delivery is queued: how one
   * route group reacts to another's changes (a push moves pull requests and requests check suites).
   */
  onRepoEvent(listener: RepoEventListener): void {
    this.repoEventListeners.push(listener);
  }

  /** A person acting on GitHub: `github.as('octocat').in('acme/app').openIssue({ title })`. */
  as(login: string): Person {
    return new Person(this, this.world.user(login));
  }

  /** Throw when any request, response or webhook broke GitHub's contract. */
  assertContract(): void {
    if (this.violations.length > 0) {
      throw new Error(`GitHub contract violations:\n${this.violations.map((v) => `- ${v.kind} ${v.where}: ${v.message}`).join('\n')}`);
    }
  }

  /**
   * Wait until no webhook is queued or in flight and no request has arrived
   * for `quietMs`. Throws after `timeoutMs`: something keeps talking (an echo loop).
   */
  async settle({ quietMs = 100, timeoutMs = 10_000 } = {}): Promise<void> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    for (;;) {
      await this.webhooks.drained();
      // Quiet is counted from the call at the earliest: what was set off just before it still gets its chance.
      const quietSince = Math.max(this.lastRequest, this.webhooks.lastActivity, started);
      const busy = this.active > 0 || this.webhooks.pending > 0;
      if (!busy && Date.now() - quietSince >= quietMs) return;
      if (Date.now() > deadline) {
        const recent = this.log.slice(-10).map((e) => `${e.method} ${e.route} ${e.status} by ${e.actor}`);
        throw new Error(`the emulator did not settle within ${timeoutMs} ms (an echo loop?); last requests:\n${recent.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, Math.min(quietMs, 20)));
    }
  }

  // ---- credentials ----

  /** A JWT for the app, signed with its private key (as @octokit/auth-app makes them). */
  appJwt(): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 30, exp: now + 540, iss: this.world.app.id })}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(this.world.app.privateKeyPem).toString('base64url');
    return `${unsigned}.${signature}`;
  }

  /** Mint an installation access token, as `POST /app/installations/{id}/access_tokens` does. */
  installationToken(installation: Installation): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expires = this.clock.now() + HOUR;
    installation.tokens.set(token, expires);
    return { token, expires_at: new Date(expires).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  private authenticate(header: string | undefined): Actor | undefined {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
    if (!match) return undefined;
    const credential = match[1]!;
    if (credential.split('.').length === 3) return this.verifyJwt(credential);
    for (const installation of this.world.installations.values()) {
      // Tokens stay valid while the emulator runs: a sped-up clock must not expire them under a client's cache.
      if (installation.tokens.has(credential)) {
        return { kind: 'installation', user: this.world.app.bot, installation, budgetKey: `installation:${installation.id}` };
      }
    }
    const login = this.world.personalTokens.get(credential);
    if (login) return { kind: 'user', user: this.world.user(login), budgetKey: `user:${login.toLowerCase()}` };
    return undefined;
  }

  private verifyJwt(jwt: string): Actor | undefined {
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(this.world.app.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; exp?: number };
    // JWT times are checked against real time: the client signs with its own clock.
    if (String(claims.iss) !== String(this.world.app.id) || (claims.exp ?? 0) * 1000 < Date.now()) return undefined;
    return { kind: 'app', user: this.world.app.bot, budgetKey: `app:${this.world.app.id}` };
  }

  // ---- the request pipeline ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.active++;
    this.lastRequest = Date.now();
    const url = new URL(req.url ?? '/', this.urls.html);
    const path = url.pathname.replace(/^\/api\/v3(?=\/|$)/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase() as Method;
    const entry: LogEntry = {
      seq: this.log.length + 1,
      method,
      route: path,
      path,
      status: 0,
      actor: null,
      counted: false,
      // A GraphQL POST is a query (the emulator answers no mutations): it creates no content.
      createsContent: CONTENT_CREATING.has(method) && !graphqlMatch(method, url.pathname),
      at: this.clock.now(),
    };
    this.log.push(entry);
    const headers: Record<string, string> = {
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
    };
    try {
      const raw = await readBody(req);
      // GraphQL (`/graphql`, `/api/graphql` as sent) is one more operation, checked against GitHub's GraphQL schema.
      const matched = graphqlMatch(method, url.pathname) ?? this.contract.match(method, path);
      if (!matched) {
        this.violations.push({ kind: 'unknown-route', where: `${method} ${path}`, message: 'no such operation in GitHub\'s REST description' });
        throw new HttpError(404, 'Not Found');
      }
      entry.route = matched.operation.route;
      const key = `${method} ${matched.operation.route}`;
      let fault = this.faults.get(key)?.shift();
      if (fault === 'hang') {
        this.hanging.add(res);
        entry.status = -1;
        return;
      }
      if (fault === 502 || fault === 409) throw new HttpError(fault, fault === 502 ? 'Server Error' : 'Conflict');

      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
          entry.body = body;
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      const actor = this.authenticate(req.headers.authorization);
      if (!actor) throw new HttpError(401, 'Bad credentials');
      entry.actor = actor.user.login;
      const problem = this.contract.checkRequest(matched.operation, body);
      if (problem) {
        this.violations.push({ kind: 'request-body', where: key, message: problem });
        throw new HttpError(422, 'Invalid request.', { errors: [problem] });
      }
      const queryProblem = this.contract.checkQuery(matched.operation, url.searchParams);
      if (queryProblem) {
        this.violations.push({ kind: 'request-query', where: key, message: queryProblem });
        throw new HttpError(422, 'Invalid request.', { errors: [queryProblem] });
      }
      if (fault === undefined) {
        fault = this.chaosFault(entry, method, matched.operation.route, actor);
        if (fault === 'hang') {
          this.hanging.add(res);
          entry.status = -1;
          return;
        }
        if (fault === 502 || fault === 409) throw new HttpError(fault, fault === 502 ? 'Server Error' : 'Conflict');
      }

      const budget = this.budget(actor.budgetKey);
      Object.assign(headers, this.rateHeaders(budget));
      if (budget.used >= this.options.primaryLimit) {
        throw new HttpError(403, `API rate limit exceeded for ${actor.kind} ID ${actor.user.id}.`, {}, { 'x-ratelimit-remaining': '0' });
      }
      if (entry.createsContent) this.checkSecondaryLimit(budget);

      const handler = this.handlers.get(key);
      if (!handler) throw new HttpError(501, `the emulator does not implement ${key}`);
      this.interludes.get(key)?.shift()?.();
      const ctx: RequestContext = {
        method,
        route: matched.operation.route,
        params: matched.params,
        query: url.searchParams,
        body,
        actor,
        url: `${this.urls.api}${path}${url.search}`,
        accept: String(req.headers.accept ?? ''),
        repo: () => this.repoFor(matched.params, actor),
      };
      const reply: Reply = await handler(ctx);
      if (fault === '502-after') throw new HttpError(502, 'Server Error');
      const replyHeaders = { ...headers, ...(reply.headers ?? {}) };
      if (reply.headers?.link) replyHeaders.link = rebase(reply.headers.link, url, this.urls.html);

      if (method === 'GET' && reply.status === 200) {
        const text = reply.raw ? reply.raw.bytes : JSON.stringify(reply.body);
        const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
        replyHeaders.etag = etag;
        if (req.headers['if-none-match'] === etag) {
          // GitHub: a 304 does not count against the primary rate limit.
          entry.status = 304;
          return send(res, 304, replyHeaders, undefined);
        }
      }
      if (!reply.uncounted) {
        budget.used++;
        entry.counted = true;
      }
      if (entry.createsContent) budget.writes.push(this.clock.now());
      Object.assign(replyHeaders, this.rateHeaders(budget));
      if (this.options.checkResponses && reply.status < 300 && reply.body !== undefined) {
        const wrong = this.contract.checkResponse(matched.operation, reply.status, reply.body);
        if (wrong) this.violations.push({ kind: 'response-body', where: `${key} ${reply.status}`, message: wrong });
      }
      entry.status = reply.status;
      if (reply.raw) sendRaw(res, reply.status, replyHeaders, reply.raw);
      else send(res, reply.status, replyHeaders, reply.body);
    } catch (error) {
      const http = error instanceof HttpError ? error : new HttpError(500, `emulator error: ${(error as Error).stack ?? error}`);
      entry.status = http.status;
      send(res, http.status, { ...headers, ...http.headers }, {
        message: http.message,
        documentation_url: 'https://docs.github.com/rest',
        ...http.extra,
      });
    } finally {
      this.active--;
      this.lastRequest = Date.now();
    }
  }

  private budget(key: string): Budget {
    let budget = this.budgets.get(key);
    const now = this.clock.now();
    if (!budget || now >= budget.resetAt) {
      budget = { used: 0, resetAt: now + HOUR, writes: budget?.writes ?? [] };
      this.budgets.set(key, budget);
    }
    return budget;
  }

  private rateHeaders(budget: Budget): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.options.primaryLimit),
      'x-ratelimit-remaining': String(Math.max(this.options.primaryLimit - budget.used, 0)),
      'x-ratelimit-used': String(budget.used),
      'x-ratelimit-reset': String(Math.ceil(budget.resetAt / 1000)),
      'x-ratelimit-resource': 'core',
    };
  }

  /** GitHub: at most 80 content-creating requests a minute and 500 an hour; past that 403 with retry-after. */
  private checkSecondaryLimit(budget: Budget): void {
    const limit = this.options.secondaryLimit;
    if (!limit) return;
    const now = this.clock.now();
    budget.writes = budget.writes.filter((t) => t > now - HOUR);
    const lastMinute = budget.writes.filter((t) => t > now - 60_000);
    let waitMs = 0;
    if (lastMinute.length >= limit.perMinute) waitMs = lastMinute[lastMinute.length - limit.perMinute]! + 60_000 - now;
    if (budget.writes.length >= limit.perHour) waitMs = Math.max(waitMs, budget.writes[budget.writes.length - limit.perHour]! + HOUR - now);
    if (waitMs > 0) {
      throw new HttpError(
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        {},
        { 'retry-after': String(Math.max(Math.ceil(waitMs / 1000), 1)) },
      );
    }
  }

  private repoFor(params: Record<string, string>, actor: Actor): Repo {
    const repo = this.world.repo(`${params.owner}/${params.repo}`);
    if (!repo) throw new HttpError(404, 'Not Found');
    if (actor.kind === 'installation' && !actor.installation!.repositories.has(repo.fullName.toLowerCase())) {
      throw new HttpError(404, 'Not Found');
    }
    if (actor.kind === 'app') throw new HttpError(403, 'A JSON web token could not be used to access this resource.');
    return repo;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) } : {}),
  });
  res.end(text);
}

function sendRaw(res: ServerResponse, status: number, headers: Record<string, string>, raw: { bytes: Buffer; contentType: string }): void {
  res.writeHead(status, { ...headers, 'content-type': raw.contentType, 'content-length': String(raw.bytes.length) });
  res.end(raw.bytes);
}

/** Links point back at the base the request came in on (`/api/v3` or the root). */
function rebase(link: string, request: URL, html: string): string {
  const onRoot = !request.pathname.startsWith('/api/v3');
  return onRoot ? link.replaceAll(`${html}/api/v3/`, `${html}/`) : link;
}
