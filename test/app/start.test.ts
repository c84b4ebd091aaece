import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator/testing.js';
import { ticket } from '../support/app.js';
import { REDIS_URL, skipWithoutRedis } from '../support/redis.js';
import { emulatorEnv, rsaKey, spawnApp, untilHealthy } from './spawn-app.js';

// `npm test` builds dist/ before the tests run; `npm start` runs exactly this: probot run on the built entry.
describe('npm start', () => {
  it('runs the built App with probot run, pointed at a GitHub Enterprise host (the emulator) by GHE_HOST and GHE_PROTOCOL', async () => {
    const { github, repo } = await useEmulator();
    const app = spawnApp({ ...(await emulatorEnv(github)), RECONCILE_INTERVAL: '15m' });
    await untilHealthy(app);
    expect(await (await fetch(`${app.url}/healthz`)).json()).toMatchObject({ status: 'ok', store: expect.stringMatching(/^sqlite:\/\/.*state\.sqlite$/) });

    github.webhooks.target = { url: `${app.url}/api/github/webhooks`, secret: 'a-long-random-production-secret' };
    github.as('octocat').in('acme/app').push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await expect.poll(() => repo.issues.size, { timeout: 15_000, interval: 200 }).toBe(1);
    expect(repo.issues.get(1)!.body, app.output()).toContain('<!-- ticket-sync:id=TSK-0001 -->');
  }, 40_000);

  it('refuses to start in production with the development webhook secret', async () => {
    const app = spawnApp({ NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY: rsaKey(), WEBHOOK_SECRET: 'development', STORE_URL: 'memory:', PORT: '0' });
    expect(await app.exited).not.toBe(0);
    expect(app.output()).toContain('ticket-sync refuses to start: WEBHOOK_SECRET');
  }, 20_000);
});

/** The variables `.env.example` documents. */
const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);

/** A documented value of each variable the base environment (`emulatorEnv`) does not set; `PRIVATE_KEY` replaces `PRIVATE_KEY_PATH`. */
const examples: Record<string, (key: string) => Record<string, string>> = {
  PRIVATE_KEY: (pem) => ({ PRIVATE_KEY: pem.replace(/\n/g, '\\n'), PRIVATE_KEY_PATH: '' }),
  REDIS_URL: () => ({ REDIS_URL: `${REDIS_URL}/0` }),
  RECONCILE_INTERVAL: () => ({ RECONCILE_INTERVAL: '1h30m' }),
  GITHUB_REQUEST_TIMEOUT: () => ({ GITHUB_REQUEST_TIMEOUT: '10s' }),
};

describe('every environment variable .env.example documents', () => {
  it('is set either by the base environment of these tests or by one of them below', async () => {
    const { github } = await useEmulator();
    const base = Object.keys(await emulatorEnv(github));
    expect(documented.filter((name) => !base.includes(name) && !(name in examples))).toEqual([]);
  });

  it.each(Object.keys(examples))('starts the App with %s set, which then syncs a push', async (name) => {
    if (name === 'REDIS_URL' && (await skipWithoutRedis('starting the App with REDIS_URL'))) return;
    const { github, repo } = await useEmulator();
    const env = { ...(await emulatorEnv(github)), ...examples[name]!(github.world.app.privateKeyPem) };
    const app = spawnApp(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
    await untilHealthy(app);
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { store: string };
    if (name === 'REDIS_URL') expect(health.store).toMatch(/^redis:\/\//);

    github.webhooks.target = { url: `${app.url}/api/github/webhooks`, secret: env.WEBHOOK_SECRET! };
    github.as('octocat').in('acme/app').push({ 'tickets/TSK-0001.json': ticket('TSK-0001') });
    await expect.poll(() => repo.issues.size, { timeout: 15_000, interval: 200 }).toBe(1);
    expect(app.output()).not.toMatch(/"level":(50|60)|ERROR|FATAL/);
  }, 40_000);
});
