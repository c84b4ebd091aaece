import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator/testing.js';
import { ticket } from '../support/app.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A private key Probot accepts (it checks the key before it loads the app). */
function rsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// `npm test` builds dist/ before the tests run; `npm start` runs exactly this: probot run on the built entry.
describe('npm start', () => {
  it('runs the built App with probot run, pointed at a GitHub Enterprise host (the emulator) by GHE_HOST and GHE_PROTOCOL', async () => {
    const { github, repo } = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'ticket-sync-start-'));
    const keyPath = join(dir, 'app.pem');
    writeFileSync(keyPath, github.world.app.privateKeyPem);
    const port = await freePort();
    const child = spawn(process.execPath, ['node_modules/probot/bin/probot.js', 'run', './dist/app/index.js'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        APP_ID: String(github.world.app.id),
        PRIVATE_KEY_PATH: keyPath,
        WEBHOOK_SECRET: 'a-long-random-production-secret',
        HOST: '127.0.0.1',
        PORT: String(port),
        STORE_URL: `sqlite://${join(dir, 'state.sqlite')}`,
        GHE_HOST: new URL(github.apiUrl).host,
        GHE_PROTOCOL: 'http',
        RECONCILE_INTERVAL: '15m',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => fetch(`${url}/healthz`).then((r) => r.status, () => 0), { timeout: 15_000, interval: 200 })
      .toBe(200);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok', store: expect.stringMatching(/^sqlite:\/\/.*state\.sqlite$/) });

    github.webhooks.target = { url: `${url}/api/github/webhooks`, secret: 'a-long-random-production-secret' };
    github.as('octocat').in('acme/app').push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await expect.poll(() => repo.issues.size, { timeout: 15_000, interval: 200 }).toBe(1);
    expect(repo.issues.get(1)!.body, output).toContain('<!-- ticket-sync:id=TSK-0001 -->');
  }, 40_000);

  it('refuses to start in production with the development webhook secret', async () => {
    const child = spawn(process.execPath, ['node_modules/probot/bin/probot.js', 'run', './dist/app/index.js'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY: rsaKey(), WEBHOOK_SECRET: 'development', STORE_URL: 'memory:', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toContain('ticket-sync refuses to start: WEBHOOK_SECRET');
  }, 20_000);
});
