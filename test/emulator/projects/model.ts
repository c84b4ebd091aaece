/**
 * GitHub Projects (v2) as the world holds them: projects owned by an
 * organization or a user, their fields, and their items (an issue or a pull
 * request, with the values of the project's own fields). Plain data, kept in
 * `World.projects`; `services.ts` changes it.
 *
 * The fields a new project gets mirror GitHub's built-in ones (REST, "List
 * project fields": `data_type` `title`, `assignees`, `single_select`,
 * `labels`, `milestone`, `repository`, …), with Status as the one single
 * select. A new project's Status options are Todo, In Progress and Done, as
 * a new board on github.com shows them (their colors and descriptions are the
 * web UI's, which the REST reference does not list; its example option is the
 * same `Done`, color `PURPLE`, "This has been completed"). Linked pull requests,
 * Reviewers, Parent issue and Sub-issues progress are left out, and so are
 * custom text, number, date and iteration fields.
 */
import { createHash } from 'node:crypto';
import { notFound } from '../http.js';
import type { Issue, Repo, User, World } from '../state.js';

/** The built-in fields the emulator models, in GitHub's order. */
export type FieldDataType = 'title' | 'assignees' | 'single_select' | 'labels' | 'milestone' | 'repository';

/** REST `projects-v2-field-single-select-option` colors. */
export type OptionColor = 'GRAY' | 'BLUE' | 'GREEN' | 'YELLOW' | 'ORANGE' | 'RED' | 'PINK' | 'PURPLE';

export interface SingleSelectOption {
  /** GitHub's option ids are short hex strings (`"47fc9ee4"` in the description's example). */
  id: string;
  name: string;
  color: OptionColor;
  description: string;
}

export interface ProjectField {
  id: number;
  name: string;
  dataType: FieldDataType;
  /** Single-select fields only. */
  options?: SingleSelectOption[];
  created_at: string;
  updated_at: string;
}

export interface ProjectItem {
  id: number;
  contentType: 'Issue' | 'PullRequest';
  repo: Repo;
  issue: Issue;
  creator: User;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  /** Single-select values: field id → option id. */
  values: Map<number, string>;
}

export interface Project {
  id: number;
  number: number;
  /** An organization's project or a user's: REST `/orgs/{org}/projectsV2/…` or `/users/{username}/projectsV2/…`. */
  ownerKind: 'organization' | 'user';
  owner: User;
  creator: User;
  title: string;
  created_at: string;
  updated_at: string;
  fields: ProjectField[];
  /** In the order they were added. */
  items: ProjectItem[];
}

/** GitHub's defaults for a new project's Status field. */
export const DEFAULT_STATUS_OPTIONS: readonly { name: string; color: OptionColor; description: string }[] = [
  { name: 'Todo', color: 'GREEN', description: "This item hasn't been started" },
  { name: 'In Progress', color: 'YELLOW', description: 'This is actively being worked on' },
  { name: 'Done', color: 'PURPLE', description: 'This has been completed' },
];

const COLORS: readonly OptionColor[] = ['GRAY', 'BLUE', 'GREEN', 'YELLOW', 'ORANGE', 'RED', 'PINK', 'PURPLE'];

/** `World.projects` key: `<owner login, lower-cased>/<number>`. */
export function projectKey(ownerLogin: string, number: number): string {
  return `${ownerLogin.toLowerCase()}/${number}`;
}

/** The project, or undefined; `kind` narrows to the organization or the user routes. */
export function findProject(world: World, ownerLogin: string, number: number, kind?: Project['ownerKind']): Project | undefined {
  const project = world.projects.get(projectKey(ownerLogin, number));
  return project && (kind === undefined || project.ownerKind === kind) ? project : undefined;
}

export function projectOf(world: World, ownerLogin: string, number: number, kind?: Project['ownerKind']): Project {
  const project = findProject(world, ownerLogin, number, kind);
  if (!project) throw notFound();
  return project;
}

export function nextProjectNumber(world: World, owner: User): number {
  let highest = 0;
  for (const p of world.projects.values()) if (p.owner === owner) highest = Math.max(highest, p.number);
  return highest + 1;
}

/** An option id as GitHub shapes them: eight hex digits, stable for a project and name. */
export function optionId(projectId: number, fieldId: number, name: string): string {
  return createHash('sha1').update(`${projectId}:${fieldId}:${name}`).digest('hex').slice(0, 8);
}

/**
 * A new project's fields: Title, Assignees, Status (`statusOptions`, GitHub's
 * defaults when undefined, no Status field when null), Labels, Milestone, Repository.
 */
export function builtInFields(world: World, projectId: number, now: string, statusOptions: readonly string[] | null | undefined): ProjectField[] {
  const field = (name: string, dataType: FieldDataType): ProjectField => ({ id: world.id(), name, dataType, created_at: now, updated_at: now });
  const fields = [field('Title', 'title'), field('Assignees', 'assignees')];
  if (statusOptions !== null) {
    const status = field('Status', 'single_select');
    const options =
      statusOptions === undefined
        ? DEFAULT_STATUS_OPTIONS
        : statusOptions.map((name, i) => ({ name, color: COLORS[i % COLORS.length]!, description: '' }));
    status.options = options.map((o) => ({ ...o, id: optionId(projectId, status.id, o.name) }));
    fields.push(status);
  }
  fields.push(field('Labels', 'labels'), field('Milestone', 'milestone'), field('Repository', 'repository'));
  return fields;
}

export function fieldOf(project: Project, id: number): ProjectField {
  const field = project.fields.find((f) => f.id === id);
  if (!field) throw notFound();
  return field;
}

/** The project's field of that name (any case), the way its filters name fields. */
export function fieldNamed(project: Project, name: string): ProjectField | undefined {
  return project.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

export function itemOf(project: Project, id: number): ProjectItem {
  const item = project.items.find((i) => i.id === id);
  if (!item) throw notFound();
  return item;
}

/** The option an item has for a single-select field, or undefined. */
export function selectedOption(project: Project, item: ProjectItem, field: ProjectField): SingleSelectOption | undefined {
  const id = item.values.get(field.id);
  return id === undefined ? undefined : field.options?.find((o) => o.id === id);
}

/**
 * How tests and people name an item: its id, or an issue's number when no
 * item has that id and exactly one item's issue has that number, or
 * `owner/repo#number`, or the issue itself.
 */
export type ItemRef = number | string | Issue;

export function resolveItem(project: Project, ref: ItemRef): ProjectItem | undefined {
  if (typeof ref === 'object') return project.items.find((i) => i.issue === ref);
  if (typeof ref === 'string') {
    const match = /^([^/]+\/[^#]+)#(\d+)$/.exec(ref);
    if (!match) throw new Error(`an item reference is an item id, an issue number or owner/repo#number, not ${ref}`);
    return project.items.find((i) => i.repo.fullName.toLowerCase() === match[1]!.toLowerCase() && i.issue.number === Number(match[2]));
  }
  const byId = project.items.find((i) => i.id === ref);
  if (byId) return byId;
  const byNumber = project.items.filter((i) => i.issue.number === ref);
  if (byNumber.length > 1) throw new Error(`issue number ${ref} names items of several repositories: use owner/repo#${ref}`);
  return byNumber[0];
}
