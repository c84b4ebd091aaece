import { describe, expect, it } from 'vitest';
import { useEmulator } from '../testing.js';

const MINUTE = 60_000;
const at = { owner: 'acme', repo: 'app' };

/** The query the product sends: when an issue's body was last edited, and by whom. */
const LAST_EDIT = /* GraphQL */ `
  query ($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      issue(number: $number) { lastEditedAt editor { login } }
    }
  }
`;

interface LastEdit {
  repository: { issue: { lastEditedAt: string | null; editor: { login: string } | null } | null } | null;
}

/** What `octokit.graphql` threw: GitHub's `errors` and `data`, or the HTTP status of a request that failed as a whole. */
async function failure(promise: Promise<unknown>): Promise<{ status?: number; errors?: unknown[]; data?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; errors?: unknown[]; data?: unknown; message: string };
    return { status: e.status, errors: e.errors, data: e.data, message: e.message };
  }
  throw new Error('the query succeeded');
}

/** An emulator whose clock stands still unless advanced, with issue #1 opened by octocat. */
async function frozen(options: { baseUrl?: 'api' | 'root' } = {}) {
  const setup = await useEmulator({ clockSpeed: 0, ...options });
  await setup.person('octocat').rest.issues.create({ ...at, title: 'Login fails', body: 'On Safari.' });
  /** A minute on: the time of what happens next. */
  const later = (): string => {
    setup.github.clock.advance(MINUTE);
    return setup.github.clock.iso();
  };
  return { ...setup, later, graphqlRequests: () => setup.github.log.filter((e) => e.route === '/graphql') };
}

describe('the GraphQL endpoint', () => {
  it('answers an issue whose body was never edited with no lastEditedAt and no editor, at /api/graphql where Octokit posts for an /api/v3 base', async () => {
    const { app, graphqlRequests } = await frozen();
    const answer = await app.graphql<LastEdit>(LAST_EDIT, { ...at, number: 1 });
    expect(answer).toEqual({ repository: { issue: { lastEditedAt: null, editor: null } } });
    expect(graphqlRequests()).toMatchObject([
      { method: 'POST', route: '/graphql', path: '/api/graphql', status: 200, actor: 'ticket-sync[bot]', counted: true, createsContent: false },
    ]);
  });

  it('answers at /graphql for a base URL at the root, as for api.github.com', async () => {
    const { app, graphqlRequests } = await frozen({ baseUrl: 'root' });
    const answer = await app.graphql<LastEdit>(LAST_EDIT, { ...at, number: 1 });
    expect(answer.repository?.issue).toEqual({ lastEditedAt: null, editor: null });
    expect(graphqlRequests()).toMatchObject([{ method: 'POST', route: '/graphql', path: '/graphql', status: 200 }]);
  });

  it('answers a body edit with the time it was made and the person who made it', async () => {
    const { app, person, later } = await frozen();
    const edited = later();
    await person('hubot').rest.issues.update({ ...at, issue_number: 1, body: 'On Safari 17 only.' });
    later();
    const answer = await app.graphql<LastEdit>(LAST_EDIT, { ...at, number: 1 });
    expect(answer).toEqual({ repository: { issue: { lastEditedAt: edited, editor: { login: 'hubot' } } } });
  });

  it('leaves lastEditedAt and editor as they were when only the title changes', async () => {
    const { app, person, later } = await frozen();
    await person('mona').rest.issues.update({ ...at, issue_number: 1, title: 'Login fails on Safari' });
    expect(await app.graphql<LastEdit>(LAST_EDIT, { ...at, number: 1 })).toEqual({ repository: { issue: { lastEditedAt: null, editor: null } } });

    const edited = later();
    await person('hubot').rest.issues.update({ ...at, issue_number: 1, body: 'On Safari 17 only.' });
    const renamed = later();
    await person('mona').rest.issues.update({ ...at, issue_number: 1, title: 'Login fails on Safari 17' });
    const answer = await app.graphql<{ repository: { issue: Record<string, unknown> } }>(
      `query ($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) {
          issue(number: $number) { title updatedAt lastEditedAt editor { login } }
        }
      }`,
      { ...at, number: 1 },
    );
    expect(answer.repository.issue).toEqual({ title: 'Login fails on Safari 17', updatedAt: renamed, lastEditedAt: edited, editor: { login: 'hubot' } });
  });

  it("names the app's bot as GraphQL names it, a Bot without REST's [bot] suffix, and the issue's author and fields from the same state REST shows", async () => {
    const { app, later } = await frozen();
    const edited = later();
    const rest = await app.rest.issues.update({ ...at, issue_number: 1, body: '' });
    const answer = await app.graphql<{ repository: { issue: Record<string, unknown> } }>(
      `query ($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) {
          issue(number: $number) {
            number title body createdAt updatedAt lastEditedAt
            editor { __typename login }
            author { __typename login ... on User { login } }
          }
        }
      }`,
      { ...at, number: 1 },
    );
    expect(answer.repository.issue).toEqual({
      number: 1,
      title: 'Login fails',
      body: '',
      createdAt: rest.data.created_at,
      updatedAt: edited,
      lastEditedAt: edited,
      editor: { __typename: 'Bot', login: 'ticket-sync' },
      author: { __typename: 'User', login: 'octocat' },
    });
    expect(rest.data.updated_at).toBe(edited);
  });

  it("answers a query for a field GitHub's schema does not have with errors and no data, as GitHub does, and records it as a contract violation", async () => {
    const { github, app, graphqlRequests } = await frozen();
    const refused = await failure(
      app.graphql(`query ($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) { issue(number: $number) { lastEditedAt bodyEditedAt } }
      }`, { ...at, number: 1 }),
    );
    const message = 'Cannot query field "bodyEditedAt" on type "Issue". Did you mean "lastEditedAt" or "bodyText"?';
    expect(refused.errors).toEqual([{ locations: [{ line: 2, column: 88 }], message }]);
    expect(refused.data).toBeUndefined();
    expect(graphqlRequests()).toMatchObject([{ route: '/graphql', status: 200 }]);
    // The test would fail on it after the test (`useEmulator`): taken out once seen.
    expect(github.violations.splice(0)).toEqual([
      { kind: 'request-body', where: 'POST /graphql', message: `GraphQL: ${message}` },
    ]);
  });

  it('refuses variables the query does not accept, and a document that does not parse, the same way', async () => {
    const { github, app } = await frozen();
    const badVariable = await failure(app.graphql(LAST_EDIT, { ...at, number: 'one' }));
    expect(badVariable.errors).toMatchObject([{ message: expect.stringContaining('Int cannot represent non-integer value: "one"') }]);
    const unparsable = await failure(app.graphql('query { repository(owner: "acme", name: "app") { issue(number: 1) { title }', {}));
    expect(unparsable.errors).toMatchObject([{ message: expect.stringContaining('Syntax Error') }]);
    expect(github.violations.splice(0).map((v) => `${v.kind} ${v.where}`)).toEqual(['request-body POST /graphql', 'request-body POST /graphql']);
  });

  it('answers an issue that does not exist, and a pull request, with a null issue and a NOT_FOUND error where GitHub puts it', async () => {
    const { github, app } = await frozen();
    const missing = await failure(app.graphql(LAST_EDIT, { ...at, number: 99 }));
    expect(missing.data).toEqual({ repository: { issue: null } });
    expect(missing.errors).toEqual([
      { type: 'NOT_FOUND', path: ['repository', 'issue'], locations: [{ line: 4, column: 7 }], message: 'Could not resolve to an Issue with the number of 99.' },
    ]);
    const octocat = github.as('octocat').in('acme/app');
    octocat.push({ 'README.md': 'App\n' });
    octocat.push({ 'fix.txt': 'Fixed\n' }, { branch: 'fix', baseBranch: 'main' });
    expect(octocat.openPullRequest({ title: 'Fix', head: 'fix' }).number).toBe(2);
    const pull = await failure(app.graphql(LAST_EDIT, { ...at, number: 2 }));
    expect(pull.errors).toMatchObject([{ type: 'NOT_FOUND', message: 'Could not resolve to an Issue with the number of 2.' }]);
  });

  it('answers a repository that does not exist, or that the installation may not see, with null and NOT_FOUND, while a person sees it as in REST', async () => {
    const { github, app, person } = await frozen();
    const missing = await failure(app.graphql(LAST_EDIT, { owner: 'acme', repo: 'nope', number: 1 }));
    expect(missing.data).toEqual({ repository: null });
    expect(missing.errors).toEqual([
      { type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 3, column: 5 }], message: "Could not resolve to a Repository with the name 'acme/nope'." },
    ]);

    github.world.createRepo('acme/other');
    github.as('octocat').in('acme/other').openIssue({ title: 'Elsewhere' });
    const hidden = await failure(app.graphql(LAST_EDIT, { owner: 'acme', repo: 'other', number: 1 }));
    expect(hidden.errors).toMatchObject([{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'acme/other'." }]);
    expect(await person('octocat').graphql<LastEdit>(LAST_EDIT, { owner: 'acme', repo: 'other', number: 1 })).toEqual({
      repository: { issue: { lastEditedAt: null, editor: null } },
    });
  });

  it('refuses a field of the schema the emulator does not answer with 501, as an unimplemented REST route, rather than with nulls', async () => {
    const { app, graphqlRequests } = await frozen();
    const refused = await failure(app.graphql('query { repository(owner: "acme", name: "app") { issue(number: 1) { id title } } }'));
    expect(refused.status).toBe(501);
    expect(refused.message).toContain('the emulator does not implement Issue.id over GraphQL');
    expect(graphqlRequests()).toMatchObject([{ status: 501 }]);
  });

  it('fails and hands over as fault() and beforeNext() say, by the route /graphql, and counts each query against the budget', async () => {
    const { github, app, person, later, graphqlRequests } = await frozen();
    github.fault('POST', '/graphql', 502);
    expect((await failure(app.graphql(LAST_EDIT, { ...at, number: 1 }))).status).toBe(502);

    const edited = later();
    github.beforeNext('POST', '/graphql', () => github.as('hubot').in('acme/app').editIssue(1, { body: 'Edited in between.' }));
    const answer = await app.graphql<LastEdit>(LAST_EDIT, { ...at, number: 1 });
    expect(answer.repository?.issue).toEqual({ lastEditedAt: edited, editor: { login: 'hubot' } });

    expect(graphqlRequests().map((e) => [e.status, e.counted])).toEqual([
      [502, false],
      [200, true],
    ]);
    // The path `octokit.graphql` posts to, with the answer's headers in sight.
    const query = () => person('octocat').request(`POST ${github.rootUrl}/api/graphql`, { query: LAST_EDIT, variables: { ...at, number: 1 } });
    const first = await query();
    const second = await query();
    expect(Number(second.headers['x-ratelimit-used'])).toBe(Number(first.headers['x-ratelimit-used']) + 1);
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(5000 - Number(second.headers['x-ratelimit-used']));
  });
});
