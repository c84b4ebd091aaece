/** Shared setup for the projects tests: `acme` (an organization, the app installed on it) with a board. */
import { commitFiles, seedFiles } from '../git/services.js';
import { openPullRequest } from '../pulls/services.js';
import { useEmulator } from '../testing.js';
import type { Delivery } from '../webhooks.js';
import type { Project } from './model.js';

export const ORG = 'acme';
export const FOUR_COLUMNS = ['Todo', 'In Progress', 'In Review', 'Done'];

/** `octocat` creates acme's project 1 with the given Status options (Todo / In Progress / In Review / Done unless told; `'default'`: GitHub's). */
export async function withBoard(options: string[] | null | 'default' = FOUR_COLUMNS) {
  const statusOptions = options === 'default' ? undefined : options;
  const setup = await useEmulator();
  const { github } = setup;
  const octocat = github.as('octocat');
  const project: Project = octocat.createProject(ORG, { title: 'Roadmap', statusOptions });
  const issue = octocat.in('acme/app').openIssue({ title: 'Ship the importer' });
  const base = { org: ORG, project_number: project.number };
  return { ...setup, octocat, project, issue, base };
}

/** A pull request in acme/app (a branch `feature` with one commit). */
export function pullRequest(setup: Awaited<ReturnType<typeof withBoard>>) {
  const { github, repo } = setup;
  const octocat = github.world.user('octocat');
  seedFiles(github, repo, { 'a.txt': 'a\n' });
  commitFiles(github, repo, octocat, { branch: 'feature', files: { 'b.txt': 'b\n' }, message: 'Add b' });
  return openPullRequest(github, repo, octocat, { head: 'feature', title: 'Add b' });
}

/** The payloads of the `projects_v2_item` deliveries so far. */
export function itemEvents(deliveries: readonly Delivery[]): any[] {
  return deliveries.filter((d) => d.event === 'projects_v2_item').map((d) => d.payload);
}
