import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../test/emulator/testing.js';
import { seedFiles } from '../../test/emulator/git/services.js';
import { annotationOf, createCheckRun } from './checks.js';
import { createOctokit } from './octokit.js';

async function connect() {
  const setup = await useEmulator();
  const { github, installation, repo } = setup;
  seedFiles(github, repo, { 'README.md': '# app\n' });
  const octokit = createOctokit({
    auth: github.installationToken(installation).token,
    baseUrl: github.apiUrl,
    waitScale: 0.001,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const head = repo.git.refs.get('refs/heads/main')!;
  return { ...setup, octokit, head };
}

describe('check runs', () => {
  it('sends more than 50 annotations as one creation and then updates of at most 50 each', async () => {
    const { github, repo, octokit, head } = await connect();
    const problems = Array.from({ length: 120 }, (_, i) => ({ path: `TSK-${i}.json`, line: i + 1, column: 3, pointer: '', code: 'schema' as const, message: `problem ${i}` }));
    const from = github.log.length;
    const id = await createCheckRun(octokit, { owner: 'acme', name: 'app' }, {
      head_sha: head,
      name: 'ticket-sync',
      conclusion: 'failure',
      title: '120 invalid ticket files',
      summary: 'See the annotations.',
      annotations: problems.map((p) => annotationOf(p, 'tickets/')),
    });
    expect(github.log.slice(from).map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /repos/{owner}/{repo}/check-runs 201',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} 200',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} 200',
    ]);
    const run = repo.checkRuns.get(id)!;
    expect(run).toMatchObject({ head_sha: head, status: 'completed', conclusion: 'failure', output: { title: '120 invalid ticket files' } });
    expect(run.output.annotations).toHaveLength(120);
    expect(run.output.annotations[119]).toMatchObject({ path: 'tickets/TSK-119.json', start_line: 120, end_line: 120, start_column: 3, end_column: 3, annotation_level: 'failure', message: 'problem 119' });
  });

  it('leaves the columns out of an annotation that spans several lines', async () => {
    const { repo, octokit, head } = await connect();
    const id = await createCheckRun(octokit, { owner: 'acme', name: 'app' }, {
      head_sha: head,
      name: 'ticket-sync',
      conclusion: 'failure',
      title: 'One problem',
      summary: 'See the annotation.',
      annotations: [{ path: 'a.json', start_line: 2, end_line: 4, start_column: 1, end_column: 5, annotation_level: 'failure', message: 'spans lines' }],
    });
    expect(repo.checkRuns.get(id)!.output.annotations).toEqual([expect.objectContaining({ start_line: 2, end_line: 4, start_column: null, end_column: null })]);
  });
});
