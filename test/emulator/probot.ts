/**
 * A Probot app against the emulator: served by Probot's own webhook
 * middleware on a loopback port, with the emulator's signed webhooks pointed
 * at it. Octokit's retries and throttling are off (the function form of
 * `ProbotOctokit.defaults`), so tests see every answer as it is.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, ProbotOctokit, type ApplicationFunction } from 'probot';
import type { Emulator } from './emulator.js';

export async function serveProbotApp(github: Emulator, appFn: ApplicationFunction, secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const probot = new Probot({
    appId: github.world.app.id,
    privateKey: github.world.app.privateKeyPem,
    secret,
    baseUrl: github.apiUrl,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    logLevel: 'fatal',
  });
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  github.webhooks.target = { url: `${url}/api/github/webhooks`, secret };
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Until no webhook, request or queued app work is left: both sides are quiet. */
export async function untilQuiet(github: Emulator, idle: () => Promise<void>, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await github.settle({ quietMs: 150 });
    const idleNow = await Promise.race([idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10))]);
    if (idleNow && github.webhooks.pending === 0) return;
  }
  throw new Error('the app never went quiet');
}
