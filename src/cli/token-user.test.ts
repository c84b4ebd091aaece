import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../store/keyv-store.js';
import type { StateStore } from '../store/types.js';
import { tokenUser } from './token-user.js';

const stores: StateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** An Octokit whose `GET /user` answers `login`, or fails with `status`; it counts its requests. */
function octokit(answer: { login: string } | { status: number }) {
  const asked: string[] = [];
  return {
    asked,
    request: (async (route: string) => {
      asked.push(route);
      if ('status' in answer) throw Object.assign(new Error('Resource not accessible by integration'), { status: answer.status });
      return { data: { login: answer.login } };
    }) as never,
  };
}

async function state() {
  const store = await openStateStore('memory:');
  stores.push(store);
  return store;
}

describe('the login the CLI’s token acts as', () => {
  it('is asked of GitHub once, then remembered under a fingerprint of the token, never the token', async () => {
    const store = await state();
    const client = octokit({ login: 'octocat' });
    expect(await tokenUser(client, store, 'ghp_secret')()).toBe('octocat');
    expect(await tokenUser(client, store, 'ghp_secret')()).toBe('octocat');
    expect(client.asked).toEqual(['GET /user']);
    const fingerprint = createHash('sha256').update('ghp_secret').digest('hex').slice(0, 32);
    expect(await store.getMeta('*', `token-login:${fingerprint}`)).toBe('octocat');
  });

  it('is what TICKET_SYNC_LOGIN names, without asking', async () => {
    const client = octokit({ login: 'octocat' });
    expect(await tokenUser(client, await state(), 't', { TICKET_SYNC_LOGIN: 'release-bot' })()).toBe('release-bot');
    expect(client.asked).toEqual([]);
  });

  it('is github-actions[bot] for an installation token in GitHub Actions, which acts as no user', async () => {
    expect(await tokenUser(octokit({ status: 403 }), await state(), 't', { GITHUB_ACTIONS: 'true' })()).toBe('github-actions[bot]');
  });

  it('asks for TICKET_SYNC_LOGIN for any other token that acts as no user', async () => {
    await expect(tokenUser(octokit({ status: 403 }), await state(), 't')()).rejects.toThrow(/set TICKET_SYNC_LOGIN/);
  });
});
