import { createSign, generateKeyPairSync } from 'node:crypto';
import { verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { changeInstallationRepositories, installApp } from './app/services.js';
import { seedFiles } from './git/services.js';
import { ok } from './http.js';
import { TestOctokit, useEmulator, webhookReceiver } from './testing.js';

/** Answer status of a request that is expected to fail. */
async function statusOf(promise: Promise<unknown>): Promise<{ status: number; headers: Record<string, string>; message?: string }> {
  try {
    await promise;
    return { status: 200, headers: {} };
  } catch (error) {
    const e = error as { status: number; response?: { headers: Record<string, string>; data?: { message?: string } } };
    return { status: e.status, headers: e.response?.headers ?? {}, message: e.response?.data?.message };
  }
}

describe('the emulator core', () => {
  it.each(['api', 'root'] as const)('serves an installation its repository at the %s base, authenticated as the app', async (baseUrl) => {
    const { github, app } = await useEmulator({ baseUrl });
    const repo = await app.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(repo.data).toMatchObject({ full_name: 'acme/app', default_branch: 'main' });
    const repos = await app.rest.apps.listReposAccessibleToInstallation();
    expect(repos.data.repositories.map((r) => r.full_name)).toEqual(['acme/app']);
    expect(github.log.map((e) => `${e.method} ${e.route} ${e.status} ${e.actor}`)).toEqual([
      'POST /app/installations/{installation_id}/access_tokens 201 ticket-sync[bot]',
      'GET /repos/{owner}/{repo} 200 ticket-sync[bot]',
      'GET /installation/repositories 200 ticket-sync[bot]',
    ]);
  });

  it('answers a repeated GET with its ETag by 304, which does not count against the rate limit', async () => {
    const { github, app } = await useEmulator();
    const first = await app.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const again = await statusOf(app.rest.repos.get({ owner: 'acme', repo: 'app', headers: { 'if-none-match': first.headers.etag } }));
    expect(again.status).toBe(304);
    const reads = github.log.filter((e) => e.route === '/repos/{owner}/{repo}');
    expect(reads.map((e) => [e.status, e.counted])).toEqual([
      [200, true],
      [304, false],
    ]);
    // The token was minted on the app's own budget; this is the installation's first counted request.
    expect(first.headers['x-ratelimit-remaining']).toBe('4999');
  });

  it('pages lists with Link headers that stay on the base the client used', async () => {
    for (const baseUrl of ['api', 'root'] as const) {
      const { github, app, installation } = await useEmulator({ baseUrl });
      for (const name of ['acme/b', 'acme/c', 'acme/d', 'acme/e']) {
        github.world.createRepo(name);
        installation.repositories.add(name);
      }
      const page = await app.rest.apps.listReposAccessibleToInstallation({ per_page: 2 });
      const base = baseUrl === 'api' ? github.apiUrl : github.rootUrl;
      expect(page.headers.link).toBe(
        `<${base}/installation/repositories?per_page=2&page=2>; rel="next", <${base}/installation/repositories?per_page=2&page=3>; rel="last"`,
      );
      const all = await app.paginate(app.rest.apps.listReposAccessibleToInstallation, { per_page: 2 });
      expect(all.map((r) => r.full_name)).toEqual(['acme/app', 'acme/b', 'acme/c', 'acme/d', 'acme/e']);
    }
  });
});

describe('authentication', () => {
  it('refuses a token it never issued with 401 Bad credentials', async () => {
    const { github } = await useEmulator();
    const stranger = new TestOctokit({ baseUrl: github.apiUrl, auth: 'ghs_not-a-real-token' });
    expect(await statusOf(stranger.rest.repos.get({ owner: 'acme', repo: 'app' }))).toMatchObject({ status: 401, message: 'Bad credentials' });
  });

  it('refuses a JWT signed with another key', async () => {
    const { github } = await useEmulator();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const unsigned = [{ alg: 'RS256', typ: 'JWT' }, { iat: now, exp: now + 60, iss: github.world.app.id }]
      .map((o) => Buffer.from(JSON.stringify(o)).toString('base64url'))
      .join('.');
    const forged = `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
    const octokit = new TestOctokit({ baseUrl: github.apiUrl, auth: forged });
    expect((await statusOf(octokit.rest.apps.getAuthenticated())).status).toBe(401);
    const genuine = new TestOctokit({ baseUrl: github.apiUrl, auth: github.appJwt() });
    expect((await genuine.rest.apps.getAuthenticated()).data).toMatchObject({ id: github.world.app.id });
  });

  it('hides repositories the installation was not given, and refuses the app JWT on repository routes', async () => {
    const { github, app } = await useEmulator();
    github.world.createRepo('acme/secret');
    expect((await statusOf(app.rest.repos.get({ owner: 'acme', repo: 'secret' }))).status).toBe(404);
    const asApp = new TestOctokit({ baseUrl: github.apiUrl, auth: github.appJwt() });
    expect((await statusOf(asApp.rest.repos.get({ owner: 'acme', repo: 'app' }))).status).toBe(403);
  });
});

describe('rate limits', () => {
  it('refuses requests past the primary budget with 403, while 304s stay free', async () => {
    const { github, person } = await useEmulator({ primaryLimit: 3 });
    const octocat = person();
    const first = await octocat.rest.repos.get({ owner: 'acme', repo: 'app' });
    for (let i = 0; i < 5; i++) {
      expect((await statusOf(octocat.rest.repos.get({ owner: 'acme', repo: 'app', headers: { 'if-none-match': first.headers.etag } }))).status).toBe(304);
    }
    await octocat.rest.repos.get({ owner: 'acme', repo: 'app' });
    const third = await octocat.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(third.headers['x-ratelimit-remaining']).toBe('0');
    const refused = await statusOf(octocat.rest.repos.get({ owner: 'acme', repo: 'app' }));
    expect(refused).toMatchObject({ status: 403, message: expect.stringMatching(/^API rate limit exceeded/) });
    expect(github.log.filter((e) => e.counted)).toHaveLength(3);
  });

  it('answers content-creating requests past the secondary limits with 403 and retry-after, on a clock tests can move', async () => {
    const { github, installation } = await useEmulator({ secondaryLimit: { perMinute: 2, perHour: 3 } });
    const asApp = new TestOctokit({ baseUrl: github.apiUrl, auth: github.appJwt() });
    const mint = () => statusOf(asApp.rest.apps.createInstallationAccessToken({ installation_id: installation.id }));
    expect((await mint()).status).toBe(200);
    expect((await mint()).status).toBe(200);
    const perMinute = await mint();
    expect(perMinute).toMatchObject({ status: 403, message: expect.stringMatching(/secondary rate limit/) });
    expect(Number(perMinute.headers['retry-after'])).toBeGreaterThan(55);
    expect(Number(perMinute.headers['retry-after'])).toBeLessThanOrEqual(60);

    github.clock.advance(61_000);
    expect((await mint()).status).toBe(200);
    github.clock.advance(61_000);
    const perHour = await mint();
    expect(perHour.status).toBe(403);
    expect(Number(perHour.headers['retry-after'])).toBeGreaterThan(3_400);
    expect(github.log.filter((e) => e.createsContent).map((e) => e.status)).toEqual([201, 201, 403, 201, 403]);
  });
});

describe('faults on demand', () => {
  it('answers the next calls to a route with 502 or 409, then normally again', async () => {
    const { github, app } = await useEmulator();
    await app.rest.repos.get({ owner: 'acme', repo: 'app' });
    github.fault('GET', '/repos/{owner}/{repo}', 502, 2);
    github.fault('GET', '/repos/{owner}/{repo}', 409);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await statusOf(app.rest.repos.get({ owner: 'acme', repo: 'app' }))).status);
    expect(statuses).toEqual([502, 502, 409, 200]);
  });

  it('runs an action once just before the next call to a route is handled: a person’s push makes the app’s ref update lose the race', async () => {
    const { github, repo, app } = await useEmulator();
    const at = { owner: 'acme', repo: 'app' };
    const first = seedFiles(github, repo, { 'a.txt': 'one\n' });
    const { data: mine } = await app.rest.git.createCommit({ ...at, message: 'Mine', tree: first.tree, parents: [first.sha] });
    let pushed: string | undefined;
    github.beforeNext('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', () => {
      pushed = github.as('octocat').in('acme/app').push({ 'b.txt': 'theirs\n' }).sha;
    });
    const lost = await statusOf(app.rest.git.updateRef({ ...at, ref: 'heads/main', sha: mine.sha }));
    expect(lost).toMatchObject({ status: 422, message: 'Update is not a fast forward' });
    expect(repo.git.refs.get('refs/heads/main')).toBe(pushed);
    // Once: the next update is handled as it comes.
    const { data: rebased } = await app.rest.git.createCommit({ ...at, message: 'Mine again', tree: first.tree, parents: [pushed!] });
    expect((await app.rest.git.updateRef({ ...at, ref: 'heads/main', sha: rebased.sha })).status).toBe(200);
    expect(repo.git.refs.get('refs/heads/main')).toBe(rebased.sha);
  });

  it('leaves a hanging call unanswered until the client gives up', async () => {
    const { github, app } = await useEmulator();
    await app.rest.repos.get({ owner: 'acme', repo: 'app' });
    github.fault('GET', '/repos/{owner}/{repo}', 'hang');
    const started = Date.now();
    const result = await statusOf(app.rest.repos.get({ owner: 'acme', repo: 'app', request: { signal: AbortSignal.timeout(300) } }));
    expect(result.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await app.rest.repos.get({ owner: 'acme', repo: 'app' })).status).toBe(200);
  });
});

describe('GitHub’s contract', () => {
  it('records a route GitHub does not have, and answers 404', async () => {
    const { github, app } = await useEmulator();
    expect((await statusOf(app.request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'acme', repo: 'app' }))).status).toBe(404);
    expect(github.violations).toEqual([expect.objectContaining({ kind: 'unknown-route', where: 'GET /repos/acme/app/no-such-thing' })]);
    github.violations.length = 0;
  });

  it('records a request body that breaks the operation schema, and answers 422', async () => {
    const { github, installation } = await useEmulator();
    const asApp = new TestOctokit({ baseUrl: github.apiUrl, auth: github.appJwt() });
    const result = await statusOf(asApp.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: installation.id, repositories: 'acme/app' as unknown as string[] /* deliberately not a list */ }));
    expect(result.status).toBe(422);
    expect(github.violations).toEqual([
      expect.objectContaining({ kind: 'request-body', where: 'POST /app/installations/{installation_id}/access_tokens', message: '/repositories must be array' }),
    ]);
    github.violations.length = 0;
  });

  it('records request-body fields the description does not name, at any depth, and answers 422', async () => {
    const { github, app } = await useEmulator();
    const at = { owner: 'acme', repo: 'app' };
    expect((await statusOf(app.request('POST /repos/{owner}/{repo}/issues', { ...at, title: 'Hello', colour: 'red' }))).status).toBe(422);
    const check = { ...at, name: 'ci', head_sha: github.world.repo('acme/app')!.git.refs.get('refs/heads/main') ?? 'f'.repeat(40) };
    expect((await statusOf(app.request('POST /repos/{owner}/{repo}/check-runs', { ...check, output: { title: 'T', summary: 'S', note: 'n' } as { title: string; summary: string } /* deliberately unknown: note */ }))).status).toBe(422);
    expect(github.violations).toEqual([
      expect.objectContaining({ kind: 'request-body', where: 'POST /repos/{owner}/{repo}/issues', message: 'fields the description does not name: /colour' }),
      expect.objectContaining({ kind: 'request-body', where: 'POST /repos/{owner}/{repo}/check-runs', message: 'fields the description does not name: /output/note' }),
    ]);
    expect(github.world.repo('acme/app')!.issues.size).toBe(0);
    github.violations.length = 0;
  });

  it('records a query parameter the description does not name, or a value breaking its schema, and answers 422', async () => {
    const { github, app } = await useEmulator();
    const at = { owner: 'acme', repo: 'app' };
    expect((await statusOf(app.request('GET /repos/{owner}/{repo}/issues', { ...at, colour: 'red' }))).status).toBe(422);
    expect((await statusOf(app.request('GET /repos/{owner}/{repo}/issues', { ...at, state: 'sideways' as 'open' /* deliberately not a state */ }))).status).toBe(422);
    expect((await statusOf(app.request('GET /repos/{owner}/{repo}/issues', { ...at, per_page: 'many' as unknown as number /* deliberately not a number */ }))).status).toBe(422);
    expect(github.violations).toEqual([
      expect.objectContaining({ kind: 'request-query', where: 'GET /repos/{owner}/{repo}/issues', message: 'unknown query parameter colour' }),
      expect.objectContaining({ kind: 'request-query', message: expect.stringMatching(/^query parameter state="sideways": must be equal to one of the allowed values/) }),
      expect.objectContaining({ kind: 'request-query', message: expect.stringMatching(/^query parameter per_page="many": must be integer/) }),
    ]);
    github.violations.length = 0;
  });

  it('accepts named query parameters whose values fit, numbers, booleans and lists read from their text', async () => {
    const { github, app } = await useEmulator();
    const listed = await app.request('GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'app', state: 'all', per_page: 100, labels: 'a,b', since: '2026-01-01T00:00:00Z' });
    expect(listed.status).toBe(200);
    expect(github.violations).toEqual([]);
  });

  it('records a response of its own that does not match GitHub’s schema', async () => {
    const { github, app } = await useEmulator();
    github.route('GET', '/repos/{owner}/{repo}/topics', () => ok({ names: 'not-a-list' }));
    await app.request('GET /repos/{owner}/{repo}/topics', { owner: 'acme', repo: 'app' });
    expect(github.violations).toEqual([expect.objectContaining({ kind: 'response-body', where: 'GET /repos/{owner}/{repo}/topics 200', message: '/names must be array' })]);
    github.violations.length = 0;
  });

  it('records a webhook payload that does not match the webhook schema', async () => {
    const { github } = await useEmulator();
    github.webhooks.emit('issues', { action: 'opened' });
    expect(github.violations).toEqual([expect.objectContaining({ kind: 'webhook-payload', where: 'issues.opened' })]);
    github.violations.length = 0;
  });
});

describe('webhooks', () => {
  it('delivers installation events signed with the secret, verifiable by @octokit/webhooks-methods', async () => {
    const { github } = await useEmulator();
    const receiver = await webhookReceiver('s3cret');
    github.webhooks.target = { url: receiver.url, secret: 's3cret' };
    github.world.createRepo('octo/lib');
    const installation = installApp(github, github.world.user('octo'), 'octo', ['octo/lib']);
    github.world.createRepo('octo/more');
    changeInstallationRepositories(github, github.world.user('octo'), installation, { add: ['octo/more'] });
    await github.settle();
    await receiver.close();
    expect(receiver.received.map((r) => [r.event, r.payload.action, r.signatureValid])).toEqual([
      ['installation', 'created', true],
      ['installation_repositories', 'added', true],
    ]);
    expect(receiver.received[1]!.payload.repositories_added.map((r: { full_name: string }) => r.full_name)).toEqual(['octo/more']);
    const sent = github.webhooks.request(github.webhooks.deliveries[0]!, 's3cret');
    expect(await verify('s3cret', sent.body, sent.headers['x-hub-signature-256']!)).toBe(true);
    expect(await verify('wrong', sent.body, sent.headers['x-hub-signature-256']!)).toBe(false);
  });

  it('redelivers with the same delivery id, duplicates on request, and releases held deliveries in reverse', async () => {
    const { github } = await useEmulator();
    const receiver = await webhookReceiver('s');
    github.webhooks.target = { url: receiver.url, secret: 's' };
    const octo = github.world.user('octo');
    for (const name of ['octo/one', 'octo/two', 'octo/three']) github.world.createRepo(name);
    const installation = installApp(github, octo, 'octo', ['octo/one']);
    await github.settle();
    github.webhooks.redeliver(github.webhooks.deliveries[0]!.id);
    github.webhooks.duplicateNext();
    changeInstallationRepositories(github, octo, installation, { add: ['octo/two'] });
    await github.settle();
    github.webhooks.hold();
    changeInstallationRepositories(github, octo, installation, { add: ['octo/three'] });
    changeInstallationRepositories(github, octo, installation, { remove: ['octo/one'] });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(4);
    github.webhooks.release('reverse');
    await github.settle();
    await receiver.close();
    const ids = receiver.received.map((r) => r.delivery);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[3]).toBe(ids[2]);
    expect(receiver.received.map((r) => r.payload.action)).toEqual(['created', 'created', 'added', 'added', 'removed', 'added']);
  });

  it('settles when deliveries and requests stop, and reports an echo loop when they do not', async () => {
    const { github } = await useEmulator();
    const receiver = await webhookReceiver('s');
    github.webhooks.target = { url: receiver.url, secret: 's' };
    github.world.createRepo('octo/loop');
    const octo = github.world.user('octo');
    const installation = installApp(github, octo, 'octo', []);
    await github.settle({ quietMs: 50 });
    // A receiver that answers every delivery with another change: an echo loop.
    const loop = setInterval(() => {
      const remove = installation.repositories.has('octo/loop');
      changeInstallationRepositories(github, octo, installation, remove ? { remove: ['octo/loop'] } : { add: ['octo/loop'] });
    }, 10);
    await expect(github.settle({ quietMs: 50, timeoutMs: 400 })).rejects.toThrow(/did not settle within 400 ms/);
    clearInterval(loop);
    await github.settle({ quietMs: 50 });
    await receiver.close();
  });
});
