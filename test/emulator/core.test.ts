import { describe, expect, it } from 'vitest';
import { useEmulator } from './testing.js';

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
});
