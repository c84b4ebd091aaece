/**
 * The demo's pull-request chapter: a pull request's life moves its ticket
 * in the file, on the issue and on the project board — opened as a draft,
 * marked ready, CI fails, a fix passes, merged.
 */
import type { Emulator } from '../test/emulator/index.js';
import { findPull } from '../test/emulator/pulls/services.js';
import type { Issue, Repo } from '../test/emulator/state.js';

export interface ChapterTools {
  github: Emulator;
  repo: Repo;
  /** One step: act, wait for the app to go quiet, print the app's commits. */
  act: (title: string, action: () => void) => Promise<void>;
  print: (line: string) => void;
  /** The ticket file's status on main. */
  statusOf: (id: string) => string;
  issueOf: (id: string) => Issue | undefined;
  /** Push files to main as a person. */
  configure: (files: Record<string, string>) => Promise<void>;
}

/** What the chapter showed at each step: the ticket's status and its board column. */
export type ChapterSteps = { status: string; column: string | null | undefined }[];

export async function pullRequestChapter(t: ChapterTools, ticket: string, branch: string): Promise<ChapterSteps> {
  const { github, repo } = t;
  const owner = repo.owner.login;
  const octocat = github.as('octocat');
  const ada = github.as('ada').in(repo.fullName);
  const project = octocat.createProject(owner, { title: 'Tracker board', statusOptions: ['Todo', 'In Progress', 'In Review', 'Done'] });
  await t.configure({ '.github/ticket-sync.yml': `project:\n  owner: ${owner}\n  number: ${project.number}\n` });
  const steps: ChapterSteps = [];
  const show = () => {
    const issue = t.issueOf(ticket);
    const column = issue ? octocat.projectStatus(owner, project.number, `${repo.fullName}#${issue.number}`) : undefined;
    const status = t.statusOf(ticket);
    steps.push({ status, column });
    t.print(`   ${ticket}: file status ${JSON.stringify(status)}; issue #${issue?.number} ${issue?.state}, labels [${issue?.labels.join(', ')}]; board column ${JSON.stringify(column ?? null)}`);
  };
  t.print(`   @octocat made the project "Tracker board" (${owner}/${project.number}) and configured it; ${ticket} is on it:`);
  show();

  let number = 0;
  await t.act(`@ada opens a draft pull request from ${branch}`, () => {
    ada.push({ 'src/login.ts': 'export const MAX_PASSWORD = 64;\n' }, { branch, baseBranch: repo.defaultBranch, message: 'Start on long passwords' });
    github.clock.advance(1_000);
    number = ada.openPullRequest({ head: branch, title: 'Accept long passwords', draft: true }).number;
  });
  show();
  await t.act(`@ada marks pull request #${number} ready for review`, () => void ada.markReady(number));
  show();
  const head = () => findPull(repo, number).pull.head.sha;
  await t.act(`CI fails on pull request #${number}'s head`, () => void ada.completeCheck(head(), 'build', 'failure'));
  show();
  await t.act(`@ada pushes a fix; CI passes on the new head`, () => {
    ada.push({ 'src/login.ts': 'export const MAX_PASSWORD = 1024;\n' }, { branch, message: 'Fix the limit' });
    github.clock.advance(1_000);
    ada.completeCheck(head(), 'build', 'success');
  });
  show();
  await t.act(`@octocat merges pull request #${number}`, () => void octocat.in(repo.fullName).merge(number));
  show();
  return steps;
}
