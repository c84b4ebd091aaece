/**
 * The built App as `npm start` runs it (`probot run ./dist/app/index.js`), in
 * a child process with the environment a test gives it, against the
 * emulator. `npm test` builds dist/ before the tests run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Emulator } from '../emulator/index.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A private key Probot accepts (it checks the key before it loads the app). */
export function rsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The production environment of an App against the emulator: its key in a file, a SQLite store in a fresh folder, a free port. */
export async function emulatorEnv(github: Emulator): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'ticket-sync-start-'));
  const keyPath = join(dir, 'app.pem');
  writeFileSync(keyPath, github.world.app.privateKeyPem);
  return {
    NODE_ENV: 'production',
    APP_ID: String(github.world.app.id),
    PRIVATE_KEY_PATH: keyPath,
    WEBHOOK_SECRET: 'a-long-random-production-secret',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    STORE_URL: `sqlite://${join(dir, 'state.sqlite')}`,
    GHE_HOST: new URL(github.apiUrl).host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'warn',
  };
}

export interface SpawnedApp {
  child: ChildProcess;
  /** `http://127.0.0.1:<PORT>`. */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its resident memory now and at its peak, in bytes (from /proc). */
  memory(): { rss: number; peak: number };
  exited: Promise<number | null>;
}

/** Start the built App with exactly `env` (and PATH). */
export function spawnApp(env: Record<string, string>): SpawnedApp {
  const child = spawn(process.execPath, ['node_modules/probot/bin/probot.js', 'run', './dist/app/index.js'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const kb = (status: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return {
    child,
    url: `http://127.0.0.1:${env.PORT}`,
    output: () => output,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return { rss: kb(status, 'VmRSS'), peak: kb(status, 'VmHWM') };
    },
    exited: new Promise((resolve) => child.on('exit', resolve)),
  };
}

/** Until the App's /healthz answers 200 (it failed to start if it exits first). */
export async function untilHealthy(app: SpawnedApp, timeout = 15_000): Promise<void> {
  let exited = false;
  void app.exited.then(() => (exited = true));
  await expect
    .poll(async () => (exited ? `exited: ${app.output()}` : fetch(`${app.url}/healthz`).then((r) => r.status, () => 0)), { timeout, interval: 200 })
    .toBe(200);
}
