/**
 * Every change to Projects (v2), as `(emu, project, sender, input…)`: the
 * REST routes call these with the request's actor as sender (the app's bot
 * for installation tokens, so the app hears its own changes back, as it does
 * for issues), the people-driver with the person.
 *
 * Webhooks: `projects_v2_item` is "activity relating to an item on an
 * organization-level project", availability "Organizations" only, and "To
 * subscribe to this event, a GitHub App must have at least read-level access
 * for the "Projects" organization permission" (docs.github.com/webhooks/
 * webhook-events-and-payloads#projects_v2_item). So a user's project sends
 * none ("You cannot create webhooks for individual user accounts, or for
 * events that are specific to user resources", docs.github.com/webhooks/
 * types-of-webhooks), and an organization's goes to the app's installation on
 * that organization, with `organization`, `installation` and `sender`.
 *
 * A field change is `edited` with `changes.field_value { field_node_id,
 * field_type, field_name, project_number, from, to }` (the changelog of
 * 2024-06-27, "Using webhooks for project custom field changes", and the
 * webhook schema); for a single select, `from` and `to` are the options
 * `{id, name, color, description}`. A side without an option is left out:
 * GitHub's schema types `from`/`to` as `oneOf` string | integer | option |
 * iteration, which no `null` passes.
 */
import type { Emulator } from '../emulator.js';
import { notFound, validationFailed } from '../http.js';
import { nodeId, userJson } from '../shapes.js';
import type { Installation, Issue, Repo, User } from '../state.js';
import {
  builtInFields,
  nextProjectNumber,
  projectKey,
  selectedOption,
  type Project,
  type ProjectField,
  type ProjectItem,
} from './model.js';
import { fieldNodeId, organizationJson, webhookItemJson, webhookOptionJson } from './shapes.js';

export interface NewProject {
  title: string;
  /** The Status field's options, in order: GitHub's Todo / In Progress / Done when undefined, no Status field when null. */
  statusOptions?: readonly string[] | null;
}

/** Grants that let an installation read or write an organization's projects. */
export function projectsPermission(emu: Emulator): 'none' | 'read' | 'write' {
  const granted = emu.world.app.permissions.organization_projects;
  return granted === 'write' || granted === 'admin' ? 'write' : granted === 'read' ? 'read' : 'none';
}

/**
 * `creator` creates a project owned by `ownerLogin`: a user project when that
 * is the creator's own login, else an organization's (the account is made an
 * organization if the world knew it as a user: only organizations have
 * projects someone else creates). No webhook: the app subscribes to
 * `projects_v2_item`, not `projects_v2`.
 */
export function createProject(emu: Emulator, creator: User, ownerLogin: string, input: NewProject): Project {
  if (input.title.trim() === '') throw new Error('a project needs a title');
  const { world } = emu;
  const own = ownerLogin.toLowerCase() === creator.login.toLowerCase();
  const owner = own ? creator : world.user(ownerLogin, 'Organization');
  if (!own && owner.type === 'User') owner.type = 'Organization';
  const now = emu.clock.iso();
  const id = world.id();
  const project: Project = {
    id,
    number: nextProjectNumber(world, owner),
    ownerKind: own ? 'user' : 'organization',
    owner,
    creator,
    title: input.title,
    created_at: now,
    updated_at: now,
    fields: builtInFields(world, id, now, input.statusOptions),
    items: [],
  };
  world.projects.set(projectKey(owner.login, project.number), project);
  return project;
}

/** The installation that hears of an organization project's changes, if the app may. */
function listeningInstallation(emu: Emulator, project: Project): Installation | undefined {
  if (project.ownerKind !== 'organization') return undefined;
  if (!emu.world.app.events.includes('projects_v2_item') || projectsPermission(emu) === 'none') return undefined;
  return [...emu.world.installations.values()].find((i) => i.account === project.owner);
}

function itemEvent(emu: Emulator, project: Project, item: ProjectItem, action: string, sender: User, extra: Record<string, unknown> = {}): void {
  const installation = listeningInstallation(emu, project);
  if (!installation) return;
  emu.webhooks.emit('projects_v2_item', {
    action,
    ...extra,
    projects_v2_item: webhookItemJson(emu.urls, project, item),
    organization: organizationJson(emu.urls, project.owner),
    installation: { id: installation.id, node_id: nodeId('Installation', installation.id) },
    sender: userJson(emu.urls, sender),
  });
}

function touch(emu: Emulator, project: Project, item?: ProjectItem): void {
  const now = emu.clock.iso();
  project.updated_at = now;
  if (item) item.updated_at = now;
}

/**
 * Add an issue or pull request: `projects_v2_item.created`. Content already
 * in the project returns its item unchanged, without a webhook ("If you try
 * to add an item that already exists, the existing item ID is returned
 * instead.", docs.github.com/issues/planning-and-tracking-with-projects/
 * automating-your-project/using-the-api-to-manage-projects).
 */
export function addItem(emu: Emulator, project: Project, sender: User, repo: Repo, issue: Issue): { item: ProjectItem; created: boolean } {
  const existing = project.items.find((i) => i.issue === issue);
  if (existing) return { item: existing, created: false };
  const now = emu.clock.iso();
  const item: ProjectItem = {
    id: emu.world.id(),
    contentType: issue.pull ? 'PullRequest' : 'Issue',
    repo,
    issue,
    creator: sender,
    created_at: now,
    updated_at: now,
    archived_at: null,
    values: new Map(),
  };
  project.items.push(item);
  touch(emu, project);
  itemEvent(emu, project, item, 'created', sender);
  return { item, created: true };
}

/** The option of a single-select field named by its id (REST) — 422 when the field has none such. */
export function optionFor(field: ProjectField, value: unknown): string | null {
  if (value === null) return null;
  const option = field.options?.find((o) => o.id === value);
  if (!option) throw validationFailed('ProjectV2ItemFieldValue', 'value', 'invalid', `${JSON.stringify(value)} is not an option of the field ${field.name}`);
  return option.id;
}

/**
 * Set (or, with null, clear) a single-select value: `projects_v2_item.edited`
 * with `changes.field_value`, when it changed. Returns whether it did.
 */
export function setSingleSelect(emu: Emulator, project: Project, item: ProjectItem, sender: User, field: ProjectField, optionId: string | null): boolean {
  if (field.dataType !== 'single_select') throw new Error(`${field.name} is not a single-select field`);
  const before = selectedOption(project, item, field);
  if ((before?.id ?? null) === optionId) return false;
  if (optionId === null) item.values.delete(field.id);
  else item.values.set(field.id, optionId);
  const after = selectedOption(project, item, field);
  touch(emu, project, item);
  itemEvent(emu, project, item, 'edited', sender, {
    changes: {
      field_value: {
        field_node_id: fieldNodeId(field),
        field_type: 'single_select',
        field_name: field.name,
        project_number: project.number,
        ...(before ? { from: webhookOptionJson(before) } : {}),
        ...(after ? { to: webhookOptionJson(after) } : {}),
      },
    },
  });
  return true;
}

/** Set a single-select value by the option's name, as a person picks it on the board. */
export function setSingleSelectByName(emu: Emulator, project: Project, item: ProjectItem, sender: User, field: ProjectField, name: string | null): boolean {
  if (name === null) return setSingleSelect(emu, project, item, sender, field, null);
  const option = field.options?.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!option) throw new Error(`the field ${field.name} has no option ${name} (it has ${field.options?.map((o) => o.name).join(', ') || 'none'})`);
  return setSingleSelect(emu, project, item, sender, field, option.id);
}

/**
 * Archive an item (the web UI's "Archive"; the REST API has no endpoint for
 * it): `projects_v2_item.archived` with `changes.archived_at { from, to }`.
 */
export function archiveItem(emu: Emulator, project: Project, item: ProjectItem, sender: User): void {
  if (item.archived_at !== null) return;
  const now = emu.clock.iso();
  item.archived_at = now;
  touch(emu, project, item);
  itemEvent(emu, project, item, 'archived', sender, { changes: { archived_at: { from: null, to: now } } });
}

/** Delete an item from the project: `projects_v2_item.deleted`. The issue itself stays. */
export function deleteItem(emu: Emulator, project: Project, item: ProjectItem, sender: User): void {
  const at = project.items.indexOf(item);
  if (at < 0) throw notFound();
  project.items.splice(at, 1);
  touch(emu, project);
  itemEvent(emu, project, item, 'deleted', sender);
}
