import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../test/emulator/testing.js';
import { createOctokit } from './octokit.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTimeoutError, requestTimeoutOf } from './request-timeout.js';

const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

/** A server that answers with headers and half a JSON body, then says nothing more. */
async function stallingServer(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.write('[{"number": 1, "title": "half');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the time limit of a request to GitHub', () => {
  it('fails a request GitHub does not answer once the limit is up, without retrying it, and the next request goes through', async () => {
    const { github } = await useEmulator();
    const octokit = createOctokit({ auth: github.world.personalToken('octocat'), baseUrl: github.apiUrl, requestTimeout: 300 });
    github.fault('GET', '/repos/{owner}/{repo}', 'hang');
    const started = Date.now();
    const error = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ status: 500, message: expect.stringMatching(/^GitHub did not answer GET \S+\/repos\/acme\/app within 0\.3 s/) });
    expect(took).toBeGreaterThanOrEqual(290);
    // The retry plugin would have tried again after 1 s.
    expect(took).toBeLessThan(1_000);
    expect(github.log.filter((e) => e.route === '/repos/{owner}/{repo}').map((e) => e.status)).toEqual([-1]);
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'app' })).status).toBe(200);
  });

  it('fails a request whose answer stops halfway, instead of reading it as empty', async () => {
    const octokit = createOctokit({ auth: 'ghp_token', baseUrl: await stallingServer(), requestTimeout: 300 });
    await expect(octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'app' })).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('reads GITHUB_REQUEST_TIMEOUT as a duration, 30 s when unset, and refuses anything else', () => {
    expect(requestTimeoutOf({})).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '' })).toBe(30_000);
    expect(requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '10s' })).toBe(10_000);
    expect(requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '2m' })).toBe(120_000);
    expect(requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '45' })).toBe(45_000);
    expect(requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '500ms' })).toBe(500);
    expect(() => requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: '0' })).toThrow(/GITHUB_REQUEST_TIMEOUT: must be more than 0/);
    for (const bad of ['ten seconds', '-5s', '1.5m']) expect(() => requestTimeoutOf({ GITHUB_REQUEST_TIMEOUT: bad })).toThrow(/GITHUB_REQUEST_TIMEOUT: ".*" is not a duration/);
  });
});
