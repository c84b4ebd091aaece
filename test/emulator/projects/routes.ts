/**
 * Projects (v2) over REST (docs.github.com/rest/projects: projects, fields,
 * items), for both owners: `/orgs/{org}/projectsV2/…` and
 * `/users/{username}/projectsV2/…`. The changes are the services'; these
 * handlers check access, parse and render.
 *
 * Access, as the reference's "Fine-grained access tokens" sections have it:
 * - organization projects: installation tokens need "Projects" organization
 *   permissions (read) to read and (write) to change ("Add item to
 *   organization owned project", "Update project item for organization", …);
 *   the app's permission is `organization_projects`. Without it: 403
 *   "Resource not accessible by integration". An installation reaches only
 *   its own organization's projects: another's is a 404.
 * - user projects: "This endpoint does not work with GitHub App user access
 *   tokens, GitHub App installation access tokens, or fine-grained personal
 *   access tokens." ("Get project for user", and so for each `/users/…`
 *   route): an installation token gets 403. People (classic tokens with the
 *   `project` scope) reach both.
 * - the app's JWT reaches none (403, as for repositories).
 *
 * Lists page with cursors (`before`, `after`, `per_page` up to 100), linked in
 * the `Link` header as GitHub does for these endpoints. Without `fields`, an
 * item carries the Title value only ("If not specified, the title field will
 * be returned."); `fields=1,2` picks fields by id.
 */
import type { Emulator } from '../emulator.js';
import { HttpError, noContent, notFound, ok, validationFailed, type Reply, type RequestContext } from '../http.js';
import type { Issue, Repo } from '../state.js';
import { itemFilter } from './filter.js';
import { fieldOf, itemOf, projectOf, type Project, type ProjectField } from './model.js';
import { addItem, deleteItem, optionFor, projectsPermission, setSingleSelect } from './services.js';
import { fieldJson, itemJson, itemSimpleJson, projectJson } from './shapes.js';

type Kind = Project['ownerKind'];
const forbidden = () => new HttpError(403, 'Resource not accessible by integration');

/** Refuse what the actor may not do; an installation's reach ends at its own organization. */
function checkAccess(emu: Emulator, ctx: RequestContext, kind: Kind, need: 'read' | 'write', ownerLogin: string): void {
  const { actor } = ctx;
  if (actor.kind === 'app') throw new HttpError(403, 'A JSON web token could not be used to access this resource.');
  if (actor.kind !== 'installation') return;
  if (kind === 'user') throw forbidden();
  const granted = projectsPermission(emu);
  if (granted === 'none' || (need === 'write' && granted !== 'write')) throw forbidden();
  if (actor.installation!.account.login.toLowerCase() !== ownerLogin.toLowerCase()) throw notFound();
}

function integer(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw notFound();
  return n;
}

const encodeCursor = (id: number) => Buffer.from(`cursor:${id}`).toString('base64url');
function decodeCursor(ctx: RequestContext, name: 'before' | 'after'): number | undefined {
  const value = ctx.query.get(name);
  if (value === null) return undefined;
  const match = /^cursor:(\d+)$/.exec(Buffer.from(value, 'base64url').toString());
  if (!match) throw validationFailed('Cursor', name, 'invalid');
  return Number(match[1]);
}

/** One page of `items` by cursor, with `rel="next"` and `rel="prev"` links. */
function cursorPage<T>(ctx: RequestContext, items: readonly T[], idOf: (t: T) => number, render: (t: T) => unknown): Reply {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const after = decodeCursor(ctx, 'after');
  const before = decodeCursor(ctx, 'before');
  let start = 0;
  let end = items.length;
  if (after !== undefined) start = items.findIndex((t) => idOf(t) === after) + 1;
  if (before !== undefined) {
    const at = items.findIndex((t) => idOf(t) === before);
    end = at < 0 ? items.length : at;
    start = Math.max(after !== undefined ? start : 0, end - perPage);
  }
  const page = items.slice(start, Math.min(end, start + perPage));
  const link = (name: 'before' | 'after', id: number, rel: string) => {
    const target = new URL(ctx.url);
    for (const [k, v] of ctx.query) if (k !== 'before' && k !== 'after') target.searchParams.set(k, v);
    target.searchParams.set(name, encodeCursor(id));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page.length > 0 && start + page.length < items.length) links.push(link('after', idOf(page[page.length - 1]!), 'next'));
  if (page.length > 0 && start > 0) links.push(link('before', idOf(page[0]!), 'prev'));
  return { status: 200, body: page.map(render), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

/** The fields `fields=` names (ids, comma-separated), or the Title alone. */
function requestedFields(ctx: RequestContext, project: Project): ProjectField[] {
  const raw = ctx.query.get('fields');
  if (raw === null || raw.trim() === '') return project.fields.filter((f) => f.dataType === 'title');
  const ids = raw.split(',').map((s) => Number(s.trim()));
  for (const id of ids) {
    if (!project.fields.some((f) => f.id === id)) throw validationFailed('ProjectV2Field', 'fields', 'invalid', `The project has no field with id ${id}`);
  }
  return project.fields.filter((f) => ids.includes(f.id));
}

/** The issue or pull request `POST …/items` names, by id or by owner/repo/number. */
function content(emu: Emulator, body: { type: 'Issue' | 'PullRequest'; id?: number; owner?: string; repo?: string; number?: number }): { repo: Repo; issue: Issue } {
  const fits = (i: Issue) => (body.type === 'PullRequest' ? i.pull !== undefined : i.pull === undefined);
  if (body.id !== undefined) {
    for (const repo of emu.world.repos.values()) {
      for (const issue of repo.issues.values()) {
        const id = body.type === 'PullRequest' ? (issue.pull?.id ?? issue.id) : issue.id;
        if (id === body.id && fits(issue)) return { repo, issue };
      }
    }
    throw notFound();
  }
  const repo = emu.world.repo(`${body.owner}/${body.repo}`);
  const issue = repo?.issues.get(body.number ?? 0);
  if (!repo || !issue || !fits(issue)) throw notFound();
  return { repo, issue };
}

export function projectsRoutes(emu: Emulator): void {
  for (const [prefix, param, kind] of [
    ['/orgs/{org}', 'org', 'organization'],
    ['/users/{username}', 'username', 'user'],
  ] as const) {
    const base = `${prefix}/projectsV2/{project_number}`;
    /** The project the route names, after the access check. */
    const project = (ctx: RequestContext, need: 'read' | 'write') => {
      const owner = ctx.params[param]!;
      checkAccess(emu, ctx, kind, need, owner);
      return projectOf(emu.world, owner, integer(ctx.params.project_number), kind);
    };

    // `q` ("Limit results to projects of the specified type.") is matched against titles here, case-insensitively.
    emu.route('GET', `${prefix}/projectsV2`, (ctx) => {
      const owner = ctx.params[param]!;
      checkAccess(emu, ctx, kind, 'read', owner);
      const q = ctx.query.get('q')?.toLowerCase();
      const found = [...emu.world.projects.values()]
        .filter((p) => p.ownerKind === kind && p.owner.login.toLowerCase() === owner.toLowerCase())
        .filter((p) => !q || p.title.toLowerCase().includes(q))
        .sort((a, b) => a.number - b.number);
      return cursorPage(ctx, found, (p) => p.id, (p) => projectJson(emu.urls, p));
    });

    emu.route('GET', base, (ctx) => ok(projectJson(emu.urls, project(ctx, 'read'))));

    emu.route('GET', `${base}/fields`, (ctx) => {
      const found = project(ctx, 'read');
      return cursorPage(ctx, found.fields, (f) => f.id, (f) => fieldJson(emu.urls, found, f));
    });

    emu.route('GET', `${base}/fields/{field_id}`, (ctx) => {
      const found = project(ctx, 'read');
      return ok(fieldJson(emu.urls, found, fieldOf(found, integer(ctx.params.field_id))));
    });

    emu.route('GET', `${base}/items`, (ctx) => {
      const found = project(ctx, 'read');
      const fields = requestedFields(ctx, found);
      const keep = itemFilter(found, ctx.query.get('q'));
      return cursorPage(ctx, found.items.filter(keep), (i) => i.id, (i) => itemJson(emu, found, i, fields));
    });

    // 201 with the item, also for content already in the project (its existing item). The description's
    // `content` is `oneOf` issue | pull-request-simple | draft-issue, and every issue or pull request also
    // fits `projects-v2-draft-issue` (it names no other field), so no real content can pass: the emulator
    // leaves the optional `content` out here; `GET …/items/{item_id}` shows it.
    emu.route('POST', `${base}/items`, (ctx) => {
      const found = project(ctx, 'write');
      const target = content(emu, ctx.body as Parameters<typeof content>[1]);
      if (ctx.actor.kind === 'installation' && !ctx.actor.installation!.repositories.has(target.repo.fullName.toLowerCase())) throw notFound();
      const { item } = addItem(emu, found, ctx.actor.user, target.repo, target.issue);
      return ok(itemSimpleJson(emu, found, item), 201);
    });

    emu.route('GET', `${base}/items/{item_id}`, (ctx) => {
      const found = project(ctx, 'read');
      return ok(itemJson(emu, found, itemOf(found, integer(ctx.params.item_id)), requestedFields(ctx, found)));
    });

    // "Only text, number, date, single select, and iteration fields are supported." (the request body's
    // description); of those the emulator models single selects. Everything is checked before anything changes.
    emu.route('PATCH', `${base}/items/{item_id}`, (ctx) => {
      const found = project(ctx, 'write');
      const item = itemOf(found, integer(ctx.params.item_id));
      const updates = ((ctx.body as { fields: { id: number; value: string | number | null }[] }).fields ?? []).map(({ id, value }) => {
        const field = found.fields.find((f) => f.id === id);
        if (!field) throw validationFailed('ProjectV2ItemFieldValue', 'id', 'invalid', `The project has no field with id ${id}`);
        if (field.dataType !== 'single_select') {
          throw validationFailed('ProjectV2ItemFieldValue', 'id', 'invalid', `The ${field.name} field (${field.dataType}) cannot be updated through this endpoint`);
        }
        return { field, option: optionFor(field, value) };
      });
      for (const { field, option } of updates) setSingleSelect(emu, found, item, ctx.actor.user, field, option);
      const shown = found.fields.filter((f) => f.dataType === 'title' || updates.some((u) => u.field === f));
      return ok(itemJson(emu, found, item, shown));
    });

    emu.route('DELETE', `${base}/items/{item_id}`, (ctx) => {
      const found = project(ctx, 'write');
      deleteItem(emu, found, itemOf(found, integer(ctx.params.item_id)), ctx.actor.user);
      return noContent();
    });
  }
}
