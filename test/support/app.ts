/**
 * The App end to end for tests: the emulator, and the app served by Probot's
 * own middleware on a loopback port, receiving the emulator's signed
 * webhooks; helpers to read the default branch and count what was written.
 */
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { parse } from 'yaml';
import { createTicketSyncApp, type AppDeps } from '../../src/app/app.js';
import { openStateStore } from '../../src/store/keyv-store.js';
import type { StateStore } from '../../src/store/types.js';
import type { Emulator, EmulatorOptions } from '../emulator/index.js';
import { seedFiles } from '../emulator/git/services.js';
import { serveProbotApp, untilQuiet } from '../emulator/probot.js';
import type { Repo } from '../emulator/state.js';
import { useEmulator } from '../emulator/testing.js';
import { sign } from '../emulator/webhooks.js';

export const SECRET = 'webhook-secret';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

export function ticket(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, type: 'task', title: `Ticket ${id}`, description: `About ${id}.`, status: 'open', priority: 'medium', ...extra }, null, 2) + '\n';
}

/** `TSK-0007` for 7. */
export const ticketId = (n: number) => `TSK-${String(n).padStart(4, '0')}`;

/** Native tickets TSK-0001 … TSK-<n> in tickets/, by path. */
export function manyTickets(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`tickets/${ticketId(i + 1)}.json`, ticket(ticketId(i + 1))]));
}

export interface StartOptions {
  /** Files on acme/app's default branch before the app starts. */
  files?: Record<string, string>;
  emulator?: EmulatorOptions;
  /** The state store (default: a new in-memory one). */
  state?: StateStore;
  /** More of the app's dependencies (a clock, a reconcile interval). */
  deps?: Partial<AppDeps>;
}

/** The App's manifest: the permissions and events GitHub grants and sends it. */
const MANIFEST = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as { default_permissions: Record<string, string>; default_events: string[] };

export async function startApp(options: StartOptions = {}) {
  const { github, repo, installation } = await useEmulator(options.emulator);
  // GitHub grants the App what its manifest asks for, and sends it the events it subscribes to.
  github.world.app.permissions = { ...MANIFEST.default_permissions };
  github.world.app.events = [...MANIFEST.default_events];
  if (options.files && Object.keys(options.files).length > 0) seedFiles(github, repo, options.files);
  const state = options.state ?? (await openStateStore('memory:'));
  /** Runs that failed for good or will be retried; `deferred`: runs waiting out a rate limit (pacing, not failure). */
  const failures: unknown[] = [];
  const deferred: unknown[] = [];
  // The App's clock is GitHub's: what it stamps into tickets compares with the issues' times.
  const app = createTicketSyncApp({ state, now: () => github.clock.date(), onError: (_, error, failure) => (failure.action === 'defer' ? deferred : failures).push(error), ...options.deps });
  const server = await serveProbotApp(github, app.appFn, SECRET);
  const instance = { close: async () => (await app.stop(), await server.close()) };
  running.push(instance);
  /** As if the process died: the server goes away, the app's jobs are left as they are (running or stored). */
  const crash = async () => {
    running.splice(running.indexOf(instance), 1);
    await server.close();
  };
  const quiet = () => untilQuiet(github, app.idle, 20);
  const person = github.as('octocat').in('acme/app');
  return { github, repo, installation, state, app, crash, url: server.url, quiet, person, failures, deferred, fileOn: (path: string, r: Repo = repo) => fileOn(github, r, path), commits: (r: Repo = repo) => commitsOf(github, r) };
}

/** A file's text on a repository's default branch. */
export function fileOn(github: Emulator, repo: Repo, path: string): string | undefined {
  const head = repo.git.refs.get(`refs/heads/${repo.defaultBranch}`)!;
  const sha = github.world.files(repo, github.world.commit(repo, head)!.tree).get(path);
  return sha === undefined ? undefined : github.world.blob(repo, sha)!.toString('utf8');
}

/** The default branch's commits, newest first (first parents). */
export function commitsOf(github: Emulator, repo: Repo) {
  const list = [];
  for (let sha = repo.git.refs.get(`refs/heads/${repo.defaultBranch}`); sha; sha = github.world.commit(repo, sha)?.parents[0]) list.push(github.world.commit(repo, sha)!);
  return list;
}

/** The content-creating requests since log entry `from`: `METHOD route actor`. */
export function writes(github: Emulator, from = 0): string[] {
  return github.log.slice(from).filter((e) => e.createsContent).map((e) => `${e.method} ${e.route} ${e.actor}`);
}

/** POST a signed webhook the way GitHub would, with any payload; the App's answer's status. */
export async function deliverWebhook(url: string, event: string, payload: unknown, id: string): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, 'x-hub-signature-256': sign(SECRET, body) },
    body,
  });
  return response.status;
}
