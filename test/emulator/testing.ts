/**
 * Helpers for tests that use the emulator: a started emulator with a
 * repository and an installation, Octokit clients as the app and as people,
 * and a webhook receiver that checks signatures. Every test that uses
 * `useEmulator()` fails when a request, response or webhook broke GitHub's
 * contract.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { verify } from '@octokit/webhooks-methods';
import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './index.js';
import type { Installation, Repo } from './state.js';

/** Octokit without retries or throttling: a test sees every answer as it is. */
export const TestOctokit = Octokit.defaults({ request: { retries: 0 } });

export interface EmulatorSetup {
  github: Emulator;
  repo: Repo;
  installation: Installation;
  /** Octokit acting as the app's installation on `repo`. */
  app: Octokit;
  /** Octokit acting as a person (`octocat` unless named). */
  person(login?: string): Octokit;
}

const running: Emulator[] = [];
afterEach(async () => {
  const emulators = running.splice(0);
  await Promise.all(emulators.map((e) => e.close()));
  for (const e of emulators) e.assertContract();
});

/** A started emulator with `acme/app` and the app installed on it; closed and contract-checked after the test. */
export async function useEmulator(options: EmulatorOptions & { baseUrl?: 'api' | 'root' } = {}): Promise<EmulatorSetup> {
  const github = await startEmulator(options);
  running.push(github);
  const repo = github.world.createRepo('acme/app');
  const installation = github.world.install('acme', ['acme/app']);
  const baseUrl = options.baseUrl === 'root' ? github.rootUrl : github.apiUrl;
  const app = new TestOctokit({
    baseUrl,
    authStrategy: createAppAuth,
    auth: { appId: github.world.app.id, privateKey: github.world.app.privateKeyPem, installationId: installation.id },
  });
  const person = (login = 'octocat') => new TestOctokit({ baseUrl, auth: github.world.personalToken(login) });
  return { github, repo, installation, app, person };
}

export interface ReceivedWebhook {
  event: string;
  delivery: string;
  signatureValid: boolean;
  payload: any;
}

/** An HTTP receiver for webhooks that verifies each signature with @octokit/webhooks-methods. */
export async function webhookReceiver(secret: string, answer = 200): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({
      event: String(req.headers['x-github-event']),
      delivery: String(req.headers['x-github-delivery']),
      signatureValid: await verify(secret, body, String(req.headers['x-hub-signature-256'])),
      payload: JSON.parse(body),
    });
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
