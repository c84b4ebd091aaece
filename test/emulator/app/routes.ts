/** App auth: the app itself, its installations, installation tokens and what they may see. */
import type { Emulator } from '../emulator.js';
import { HttpError, ok, paginate, type RequestContext } from '../http.js';
import { appJson, installationJson, repoJson, userJson } from '../shapes.js';

function requireApp(ctx: RequestContext): void {
  if (ctx.actor.kind !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
}

function requireInstallation(ctx: RequestContext) {
  if (ctx.actor.kind !== 'installation') throw new HttpError(403, 'You must authenticate with an installation access token in order to list repositories for an installation.');
  return ctx.actor.installation!;
}

export function appRoutes(emu: Emulator): void {
  const { world } = emu;
  const created = emu.clock.iso();
  const installation = (id: string) => {
    const found = world.installations.get(Number(id));
    if (!found) throw new HttpError(404, 'Not Found');
    return found;
  };

  emu.route('GET', '/app', (ctx) => {
    requireApp(ctx);
    return ok({ ...appJson(emu.urls, world.app, created), installations_count: world.installations.size });
  });

  emu.route('GET', '/app/installations', (ctx) => {
    requireApp(ctx);
    return paginate(ctx, [...world.installations.values()].map((i) => installationJson(emu.urls, world.app, i, created)));
  });

  emu.route('GET', '/app/installations/{installation_id}', (ctx) => {
    requireApp(ctx);
    return ok(installationJson(emu.urls, world.app, installation(ctx.params.installation_id!), created));
  });

  emu.route('POST', '/app/installations/{installation_id}/access_tokens', (ctx) => {
    requireApp(ctx);
    const found = installation(ctx.params.installation_id!);
    const { token, expires_at } = emu.installationToken(found);
    return ok({ token, expires_at, permissions: world.app.permissions, repository_selection: 'selected' }, 201);
  });

  emu.route('GET', '/installation/repositories', (ctx) => {
    const found = requireInstallation(ctx);
    const repos = [...found.repositories].map((name) => world.repo(name)).filter((r) => r !== undefined);
    return paginate(ctx, repos.map((r) => repoJson(emu.urls, r)), (page) => ({
      total_count: repos.length,
      repository_selection: 'selected',
      repositories: page,
    }));
  });

  emu.route('GET', '/repos/{owner}/{repo}/installation', (ctx) => {
    requireApp(ctx);
    const repo = world.repo(`${ctx.params.owner}/${ctx.params.repo}`);
    const found = repo && world.installationFor(repo);
    if (!found) throw new HttpError(404, 'Not Found');
    return ok(installationJson(emu.urls, world.app, found, created));
  });

  emu.route('GET', '/repos/{owner}/{repo}', (ctx) => ok(fullRepo(emu, ctx)));
}

function fullRepo(emu: Emulator, ctx: RequestContext) {
  const repo = ctx.repo();
  return {
    ...repoJson(emu.urls, repo),
    network_count: 0,
    subscribers_count: 0,
    temp_clone_token: null,
    custom_properties: {},
    security_and_analysis: null,
  };
}

/**
 * `GET /user`: the account a personal token acts as (GitHub: "Get the
 * authenticated user"), as the private view GitHub gives its owner. An
 * installation token has no user: 403, as on GitHub.
 */
export function userRoutes(emu: Emulator): void {
  const created = emu.clock.iso();
  emu.route('GET', '/user', (ctx) => {
    if (ctx.actor.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration');
    const user = ctx.actor.user;
    return ok({
      ...userJson(emu.urls, user),
      user_view_type: 'private',
      name: null,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: created,
      updated_at: created,
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
    });
  });
}
