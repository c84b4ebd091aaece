import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_BYTES } from '../../src/app/webhook-guard.js';
import { useEmulator } from '../emulator/testing.js';
import { sign } from '../emulator/webhooks.js';
import { emulatorEnv, spawnApp, untilHealthy, type SpawnedApp } from './spawn-app.js';

const MB = 1024 * 1024;

interface Sent {
  status: number;
  /** Bytes written when the answer arrived. */
  sentBeforeAnswer: number;
  /** How long /healthz took to answer while the body was being sent, in ms. */
  healthzMs: number;
}

/** POST `total` bytes to the webhook path, 1 MB at a time, with or without a content-length; stops sending once answered. */
function sendHuge(app: SpawnedApp, total: number, withLength: boolean): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `huge-${withLength}`, 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) };
    const req = request(`${app.url}/api/github/webhooks`, { method: 'POST', headers: withLength ? { ...headers, 'content-length': String(total) } : headers });
    let written = 0;
    let answer: { status: number; sentBeforeAnswer: number } | undefined;
    let healthz: Promise<number> | undefined;
    let wake = () => {};
    const finish = async () => {
      req.destroy();
      if (!answer) return reject(new Error(`no answer after ${written} bytes:\n${app.output().slice(-2000)}`));
      resolve({ ...answer, healthzMs: await (healthz ?? Promise.resolve(NaN)) });
    };
    req.on('response', (res) => {
      answer = { status: res.statusCode!, sentBeforeAnswer: written };
      wake();
      res.resume();
      res.on('end', () => void finish());
    });
    req.on('error', () => void (answer ? finish() : wake()));
    const chunk = Buffer.alloc(MB, 'a');
    void (async () => {
      while (written < total && !answer && !req.destroyed) {
        const ok = req.write(chunk.subarray(0, Math.min(MB, total - written)));
        written += Math.min(MB, total - written);
        if (written >= 2 * MB && !healthz) {
          const started = Date.now();
          healthz = fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => (expect(r.status).toBe(200), Date.now() - started));
        }
        await new Promise<void>((resume) => {
          wake = resume;
          if (ok) setTimeout(resume, 2);
          else req.once('drain', resume);
        });
      }
      if (!answer && !req.destroyed) req.end();
    })();
  });
}

/** The longest line of the App's log. */
const longestLine = (output: string) => Math.max(0, ...output.split('\n').map((line) => line.length));

describe('webhook bodies larger than GitHub sends', () => {
  it('refuses 26 MB with a content-length, and a chunked 64 MB once past 25 MB, with 413 before reading the rest; memory stays put, /healthz answers, and no log line holds the body', async () => {
    const { github } = await useEmulator();
    const app = spawnApp({ ...(await emulatorEnv(github)), LOG_LEVEL: 'trace' });
    await untilHealthy(app);
    const before = app.memory().rss;
    const total = MAX_WEBHOOK_BYTES + MB;

    const declared = await sendHuge(app, total, true);
    expect(declared.status).toBe(413);
    // Answered from the content-length: most of the body was never sent, let alone read.
    expect(declared.sentBeforeAnswer).toBeLessThan(total / 2);
    expect(declared.healthzMs).toBeLessThan(1_000);

    // Without a content-length (chunked), 64 MB: counted while streaming, answered once the cap is passed, long before the end.
    const chunked = await sendHuge(app, 64 * MB, false);
    expect(chunked.status).toBe(413);
    expect(chunked.sentBeforeAnswer).toBeGreaterThan(MAX_WEBHOOK_BYTES - 8 * MB);
    expect(chunked.sentBeforeAnswer).toBeLessThan(48 * MB);
    expect(chunked.healthzMs).toBeLessThan(1_000);

    expect(app.memory().peak - before).toBeLessThan(100 * MB);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(longestLine(app.output())).toBeLessThan(10_000);
    expect(app.output()).toContain('refused a webhook larger than');
  }, 60_000);

  it('refuses a body whose signature does not match with a 4xx and a log line that leaves the body out', async () => {
    const { github } = await useEmulator();
    const app = spawnApp({ ...(await emulatorEnv(github)), LOG_LEVEL: 'trace' });
    await untilHealthy(app);
    const body = JSON.stringify({ action: 'opened', padding: 'x'.repeat(2 * MB) });
    const response = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'forged', 'x-hub-signature-256': sign('not-the-secret', body) },
      body,
    });
    expect(response.status).toBe(400);
    await expect.poll(() => app.output()).toContain('signature does not match');
    expect(longestLine(app.output())).toBeLessThan(10_000);
  }, 30_000);
});
