/**
 * A repository with synced tickets and a person's feature branch, for the
 * pull-request tests: the ticket file, its issue and the log at each step.
 */
import { expect } from 'vitest';
import type { PersonInRepo } from '../../emulator/driver.js';
import { startApp, ticket, type StartOptions } from '../../support/app.js';

export const CONFIG = '.github/ticket-sync.yml';

export async function linkedRepo(options: StartOptions & { tickets?: number } = {}) {
  const n = options.tickets ?? 3;
  const files = Object.fromEntries(Array.from({ length: n }, (_, i) => [`tickets/TSK-000${i + 1}.json`, ticket(`TSK-000${i + 1}`)]));
  const started = await startApp(options);
  started.person.push({ ...files, ...(options.files ?? {}) });
  await started.quiet();
  expect(started.failures).toEqual([]);
  const ada = started.github.as('ada').in('acme/app');
  const statusOf = (id: string) => JSON.parse(started.fileOn(`tickets/${id}.json`)!).status as string;
  const issueOf = (id: string) => started.repo.issues.get(JSON.parse(started.fileOn(`tickets/${id}.json`)!).github.issue as number)!;
  const statusLabel = (id: string) => issueOf(id).labels.filter((l) => l.startsWith('status: '));
  /** A feature branch with one commit, and a pull request from it. */
  const openPull = (p: PersonInRepo, input: { branch: string; title: string; body?: string; draft?: boolean; base?: string }) => {
    p.push({ [`src/${input.branch.replace(/\W+/g, '-')}.txt`]: `work on ${input.branch}\n` }, { branch: input.branch, baseBranch: input.base ?? 'main' });
    started.github.clock.advance(1_000);
    return p.openPullRequest({ head: input.branch, title: input.title, ...(input.body !== undefined ? { body: input.body } : {}), ...(input.draft ? { draft: true } : {}), ...(input.base ? { base: input.base } : {}) });
  };
  const step = async () => {
    started.github.clock.advance(2_000);
    await started.quiet();
    expect(started.failures).toEqual([]);
  };
  return { ...started, ada, statusOf, issueOf, statusLabel, openPull, step };
}
