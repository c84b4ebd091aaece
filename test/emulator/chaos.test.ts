import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../support/chaos/random.js';
import { seedFiles } from './git/services.js';
import { useEmulator } from './testing.js';

/** Answer status of a request, failed or not. */
async function statusOf(promise: Promise<{ status: number }>): Promise<number> {
  try {
    return (await promise).status;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

/** A `random` that gives these numbers in turn, and counts how many it gave. */
function numbers(...values: number[]) {
  const random = Object.assign(() => {
    random.drawn++;
    return values.shift() ?? 0.999;
  }, { drawn: 0 });
  return random;
}

const at = { owner: 'acme', repo: 'app' };

describe('the chaos mode', () => {
  it('fails a share of the app’s writes, each with a kind drawn at random: 502 before the write, or after it', async () => {
    const { github, app, repo } = await useEmulator();
    // Per request: does it fail (< rate), then which kind (index into kinds).
    const random = numbers(0.01, 0.2, /* second: */ 0.5, /* third: */ 0.04, 0.7);
    const injected = github.chaos({ random, rules: [{ rate: 0.05, kinds: [502, '502-after'] }] });
    const statuses = [];
    for (const title of ['One', 'Two', 'Three']) statuses.push(await statusOf(app.rest.issues.create({ ...at, title })));
    expect(statuses).toEqual([502, 201, 502]);
    // The first failed before GitHub made the issue; the third after (its answer was lost).
    expect([...repo.issues.values()].map((i) => i.title)).toEqual(['Two', 'Three']);
    expect(injected.map((f) => `${f.method} ${f.route} ${f.kind}`)).toEqual(['POST /repos/{owner}/{repo}/issues 502', 'POST /repos/{owner}/{repo}/issues 502-after']);
  });

  it('leaves reads, a person’s token and the app’s JWT alone, and draws nothing for them', async () => {
    const { github, app, person } = await useEmulator();
    const random = numbers();
    github.chaos({ random: () => (random(), 0), rules: [{ rate: 1, kinds: [502] }] });
    await statusOf(app.rest.repos.get(at)); // the installation token is made with the JWT first
    expect(random.drawn).toBe(0);
    expect(await statusOf(person('octocat').rest.issues.create({ ...at, title: 'By a person' }))).toBe(201);
    github.as('hubot').in('acme/app').openIssue({ title: 'In the browser' });
    expect(random.drawn).toBe(0);
    expect(await statusOf(app.rest.issues.create({ ...at, title: 'By the app' }))).toBe(502);
  });

  it('answers 409 on one route only, for the methods a rule names', async () => {
    const { github, app, repo } = await useEmulator();
    const first = seedFiles(github, repo, { 'a.txt': 'one\n' });
    github.chaos({ random: () => 0, rules: [{ rate: 1, kinds: [409], methods: ['PATCH'], route: '/repos/{owner}/{repo}/git/refs/{ref}' }] });
    const { data: commit } = await app.rest.git.createCommit({ ...at, message: 'Next', tree: first.tree, parents: [first.sha] });
    expect(await statusOf(app.rest.git.updateRef({ ...at, ref: 'heads/main', sha: commit.sha }))).toBe(409);
    expect(repo.git.refs.get('refs/heads/main')).toBe(first.sha);
  });

  it('takes a fault set with fault() first, without a draw, and stops with chaos(false)', async () => {
    const { github, app } = await useEmulator();
    const random = numbers(0, 0);
    github.chaos({ random, rules: [{ rate: 0.5, kinds: [502] }] });
    github.fault('POST', '/repos/{owner}/{repo}/issues', 409);
    expect(await statusOf(app.rest.issues.create({ ...at, title: 'One' }))).toBe(409);
    expect(random.drawn).toBe(0);
    expect(await statusOf(app.rest.issues.create({ ...at, title: 'Two' }))).toBe(502);
    github.chaos(false);
    expect(await statusOf(app.rest.issues.create({ ...at, title: 'Three' }))).toBe(201);
  });

  it('fails the same requests again for the same seed', async () => {
    const run = async (seed: number) => {
      const { github, app } = await useEmulator();
      github.chaos({ random: mulberry32(seed).next, rules: [{ rate: 0.3, kinds: [502, '502-after'] }] });
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push(await statusOf(app.rest.issues.create({ ...at, title: `Issue ${i}` })));
      return statuses;
    };
    const once = await run(7);
    expect(once).toContain(502);
    expect(once).toContain(201);
    expect(await run(7)).toEqual(once);
  });
});
