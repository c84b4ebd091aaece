/**
 * A GitHub Project (v2) over REST: its single-select status field with its
 * options, adding an issue as an item, and setting the item's option.
 * Organization projects are `/orgs/{org}/projectsV2/{n}`, user projects
 * `/users/{username}/projectsV2/{n}` (which GitHub does not open to an
 * App's installation token: a 403, reported like any missing permission).
 */
import type { Octokit } from '@octokit/rest';
import type { RepoRef } from './types.js';

export type ProjectsOctokit = Pick<Octokit, 'request' | 'paginate'>;

export interface ProjectRef {
  owner: string;
  number: number;
  ownerType: 'organization' | 'user';
}

/** The single-select field the board's columns are. */
export interface StatusField {
  id: number;
  options: { id: string; name: string }[];
}

const base = (p: ProjectRef) => (p.ownerType === 'user' ? `/users/${encodeURIComponent(p.owner)}` : `/orgs/${encodeURIComponent(p.owner)}`) + `/projectsV2/${p.number}`;

/** The project's single-select field named `name` (any case); undefined when it has none. */
export async function statusField(octokit: ProjectsOctokit, project: ProjectRef, name: string): Promise<StatusField | undefined> {
  const fields = (await octokit.paginate(`GET ${base(project)}/fields`, { per_page: 100 })) as unknown as { id: number; name: string; data_type: string; options?: { id: string; name: string | { raw?: string } }[] }[];
  const field = fields.find((f) => f.data_type === 'single_select' && f.name.toLowerCase() === name.toLowerCase());
  if (field === undefined) return undefined;
  return { id: field.id, options: (field.options ?? []).map((o) => ({ id: String(o.id), name: typeof o.name === 'string' ? o.name : (o.name.raw ?? '') })) };
}

/** Add an issue to the project (GitHub answers with the existing item when it is there already); the item's id. */
export async function addIssue(octokit: ProjectsOctokit, project: ProjectRef, repo: RepoRef, issue: number): Promise<number> {
  const { data } = await octokit.request(`POST ${base(project)}/items`, { type: 'Issue', owner: repo.owner, repo: repo.name, number: issue });
  return Number((data as { id: number }).id);
}

/** Put an item in a column: its field set to the option. */
export async function setOption(octokit: ProjectsOctokit, project: ProjectRef, item: number, field: number, option: string): Promise<void> {
  await octokit.request(`PATCH ${base(project)}/items/{item_id}`, { item_id: item, fields: [{ id: field, value: option }] });
}
