import { describe, expect, it } from 'vitest';
import { parseRemote } from './local-state.js';

describe('the repository and API of an origin remote', () => {
  it.each([
    ['https://github.com/acme/app.git', 'acme/app', 'https://api.github.com'],
    ['https://github.com/acme/app', 'acme/app', 'https://api.github.com'],
    ['https://token@github.com/acme/app.git', 'acme/app', 'https://api.github.com'],
    ['git@github.com:acme/app.git', 'acme/app', 'https://api.github.com'],
    ['ssh://git@github.com/acme/app.git', 'acme/app', 'https://api.github.com'],
    ['git@GitHub.com:acme/app.git', 'acme/app', 'https://api.github.com'],
    ['https://git.example.com/team/tickets.git', 'team/tickets', 'https://git.example.com/api/v3'],
    ['ssh://git@git.example.com:2222/team/tickets.git', 'team/tickets', 'https://git.example.com/api/v3'],
  ])('reads %s as %s on %s', (url, repo, apiUrl) => {
    expect(parseRemote(url)).toEqual({ repo, apiUrl });
  });

  it.each(['/srv/git/app.git', 'https://github.com/acme', 'not a url', ''])('finds nothing in %j', (url) => {
    expect(parseRemote(url)).toBeUndefined();
  });
});
