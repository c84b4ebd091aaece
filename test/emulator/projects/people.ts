/**
 * A person at a project's board, for the people-driver (`driver.ts`):
 * creating projects, adding issues, moving cards between Status columns,
 * archiving and removing them, each with the webhooks GitHub sends with the
 * person as sender; and `projectStatus`, a test's look at a card's column.
 */
import type { Emulator } from '../emulator.js';
import type { Issue, Repo, User } from '../state.js';
import { fieldNamed, projectOf, resolveItem, selectedOption, type ItemRef, type Project, type ProjectItem } from './model.js';
import { addItem, archiveItem, createProject, deleteItem, setSingleSelectByName, type NewProject } from './services.js';

export type { ItemRef, NewProject, Project, ProjectItem };

/** An issue named by `owner/repo#number`, or the issue itself (its repository found in the world). */
function issueFor(github: Emulator, ref: string | Issue): { repo: Repo; issue: Issue } {
  if (typeof ref === 'string') {
    const match = /^([^/]+\/[^#]+)#(\d+)$/.exec(ref);
    const repo = match ? github.world.repo(match[1]!) : undefined;
    const issue = repo?.issues.get(Number(match![2]));
    if (!repo || !issue) throw new Error(`no issue ${ref}`);
    return { repo, issue };
  }
  for (const repo of github.world.repos.values()) if (repo.issues.get(ref.number) === ref) return { repo, issue: ref };
  throw new Error(`issue #${ref.number} is in no repository of this emulator`);
}

function itemFor(project: Project, ref: ItemRef): ProjectItem {
  const item = resolveItem(project, ref);
  if (!item) throw new Error(`${typeof ref === 'object' ? `issue #${ref.number}` : String(ref)} is not on ${project.owner.login}'s project ${project.number}`);
  return item;
}

function statusField(project: Project) {
  const field = fieldNamed(project, 'Status');
  if (!field || field.dataType !== 'single_select') throw new Error(`${project.owner.login}'s project ${project.number} has no Status field`);
  return field;
}

export function personCreatesProject(github: Emulator, user: User, owner: string, input: NewProject): Project {
  return createProject(github, user, owner, input);
}

/** Add an issue or pull request (`owner/repo#number` or the issue): `projects_v2_item.created`; the existing item if it is there. */
export function personAddsToProject(github: Emulator, user: User, owner: string, number: number, ref: string | Issue): ProjectItem {
  const { repo, issue } = issueFor(github, ref);
  return addItem(github, projectOf(github.world, owner, number), user, repo, issue).item;
}

/** Drag a card to another Status column (by the option's name; null empties it): `projects_v2_item.edited` when it moved. */
export function personMovesItem(github: Emulator, user: User, owner: string, number: number, ref: ItemRef, optionName: string | null): ProjectItem {
  const project = projectOf(github.world, owner, number);
  const item = itemFor(project, ref);
  setSingleSelectByName(github, project, item, user, statusField(project), optionName);
  return item;
}

export function personArchivesItem(github: Emulator, user: User, owner: string, number: number, ref: ItemRef): void {
  const project = projectOf(github.world, owner, number);
  archiveItem(github, project, itemFor(project, ref), user);
}

export function personRemovesItem(github: Emulator, user: User, owner: string, number: number, ref: ItemRef): void {
  const project = projectOf(github.world, owner, number);
  deleteItem(github, project, itemFor(project, ref), user);
}

/**
 * The Status an item shows on a project: the option's name, null when it has
 * none, undefined when the issue is not on the project.
 */
export function projectStatus(github: Emulator, owner: string, number: number, ref: ItemRef): string | null | undefined {
  const project = projectOf(github.world, owner, number);
  const item = resolveItem(project, ref);
  return item ? (selectedOption(project, item, statusField(project))?.name ?? null) : undefined;
}
