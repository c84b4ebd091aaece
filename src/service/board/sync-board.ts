/**
 * The project board follows the tickets: every linked issue is an item of
 * the configured project, in the column its ticket's status maps to
 * (`project.columns`: the first option of the list that the field has).
 * The field and its options are read once and kept; an item is written only
 * when its column changes. A missing project, field, option or permission is
 * one message for the check run and the log; nothing else stops.
 */
import type { ProjectSettings } from '../../config/pull-requests.js';
import { addIssue, setOption, statusField, type ProjectsOctokit, type StatusField } from '../../github/projects.js';
import type { RepoRef } from '../../github/types.js';
import { boardField, boardItem, boardItems } from '../../store/records.js';
import type { StateStore } from '../../store/types.js';
import type { Status } from '../../tickets/vocabulary.js';

export interface BoardTicket {
  id: string;
  issue?: number;
  status: Status;
}

export interface BoardOptions {
  octokit: ProjectsOctokit;
  repo: RepoRef;
  installation: number;
  project: ProjectSettings;
  state: StateStore;
  tickets: readonly BoardTicket[];
}

/** Put every linked issue in its column; a problem that stopped it, as one line. */
export async function syncBoard(o: BoardOptions): Promise<string | undefined> {
  const repoName = `${o.repo.owner}/${o.repo.name}`;
  const key = `${o.project.owner}/${o.project.number}`;
  const where = `project ${key}`;
  try {
    const field = await fieldOf(o, repoName, key);
    if (field === undefined) return `${where} has no single-select field "${o.project.field}": the board is not kept`;
    const items = { ...((await boardItems.get(o.state, repoName, key)) ?? {}) };
    const missing = new Set<string>();
    let moved = false;
    for (const ticket of o.tickets) {
      if (ticket.issue === undefined) continue;
      const option = optionOf(field, o.project.columns[ticket.status]);
      if (option === undefined) {
        missing.add(`${ticket.status} (${o.project.columns[ticket.status].join(' or ')})`);
        continue;
      }
      const known = items[String(ticket.issue)];
      if (known?.option === option) continue;
      const item = known?.item ?? (await addIssue(o.octokit, o.project, o.repo, ticket.issue));
      if (known === undefined) await boardItem.set(o.state, '*', String(item), { repo: repoName, issue: ticket.issue, installation: o.installation });
      await setOption(o.octokit, o.project, item, field.id, option);
      items[String(ticket.issue)] = { item, option };
      moved = true;
    }
    if (moved) await boardItems.set(o.state, repoName, key, items);
    return missing.size > 0 ? `${where}'s field "${o.project.field}" has no column for ${[...missing].join(', ')}: those tickets stay where they are` : undefined;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) return `${where} cannot be reached (GitHub answered ${status}: ${status === 404 ? 'no such project' : 'the App lacks the organization_projects permission'}): the board is not kept`;
    throw error;
  }
}

/** The status a column stands for: the first status whose columns include it (`In Progress` → in_progress, not blocked). */
export function statusOfColumn(project: ProjectSettings, column: string): Status | undefined {
  const wanted = column.toLowerCase();
  return (Object.entries(project.columns) as [Status, string[]][]).find(([, names]) => names.some((n) => n.toLowerCase() === wanted))?.[0];
}

async function fieldOf(o: BoardOptions, repoName: string, key: string): Promise<StatusField | undefined> {
  const cached = await boardField.get(o.state, repoName, key);
  if (cached) return cached;
  const field = await statusField(o.octokit, o.project, o.project.field);
  if (field) await boardField.set(o.state, repoName, key, field);
  return field;
}

function optionOf(field: StatusField, names: readonly string[]): string | undefined {
  for (const name of names) {
    const option = field.options.find((opt) => opt.name.toLowerCase() === name.toLowerCase());
    if (option) return option.id;
  }
  return undefined;
}
