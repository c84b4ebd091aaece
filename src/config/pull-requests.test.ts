/** The pull-request, CI and project keys of the configuration: defaults, the off switch, and what they refuse. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { idPatternProblem, projectOf, pullRequestsOf } from './pull-requests.js';
import { Config } from './schema.js';

const DEFAULT_TRANSITIONS = {
  draft: 'in_progress',
  ready: 'review',
  changesRequested: 'in_progress',
  ciFailed: 'in_progress',
  ciPassed: 'review',
  merged: 'done',
  reverted: 'reopened',
};

function configOfText(text: string): Config {
  const result = parseConfig(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** The one problem a text gives: its key path (as a JSON pointer), line, column and message. */
function problemOf(text: string) {
  const result = parseConfig(text);
  expect(result.ok, text).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.problems, text).toHaveLength(1);
  const [problem] = result.problems;
  return { pointer: problem!.pointer, line: problem!.line, column: problem!.column, message: problem!.message };
}

describe('the pull-request settings', () => {
  it('are on with the default transitions when the file says nothing', () => {
    const config = Config.parse({});
    expect(config.pullRequests).toEqual({ doneBranches: [], transitions: DEFAULT_TRANSITIONS });
    expect(config.ci).toEqual({ requiredOnly: false, checks: [] });
    expect(config.project).toBeUndefined();
    expect(pullRequestsOf(config)).toEqual({ doneBranches: [], transitions: DEFAULT_TRANSITIONS, ci: { requiredOnly: false, checks: [] } });
  });

  it('are off when the file says pullRequests: false', () => {
    const config = configOfText('pullRequests: false\n');
    expect(config.pullRequests).toBe(false);
    expect(pullRequestsOf(config)).toBeUndefined();
  });

  it('keep the defaults of the transitions the file does not name, and turn off the ones set to false', () => {
    const config = configOfText('pullRequests:\n  transitions:\n    merged: review\n    ciFailed: false\n');
    expect(pullRequestsOf(config)?.transitions).toEqual({ ...DEFAULT_TRANSITIONS, merged: 'review', ciFailed: false });
  });

  it('compile the id pattern to match in any case, and carry the done branches and the CI keys', () => {
    const config = configOfText('pullRequests:\n  idPattern: "TSK-\\\\d+"\n  doneBranches: [main, "release/*"]\nci:\n  requiredOnly: true\n  checks: [build]\n');
    const settings = pullRequestsOf(config)!;
    expect(settings.idPattern?.source).toBe('TSK-\\d+');
    expect(settings.idPattern?.test('tsk-12')).toBe(true);
    expect(settings.doneBranches).toEqual(['main', 'release/*']);
    expect(settings.ci).toEqual({ requiredOnly: true, checks: ['build'] });
  });
});

describe('the project settings', () => {
  it('fill the owner type, the field and every column by default, each column a list of names', () => {
    const project = projectOf(configOfText('project:\n  owner: acme\n  number: 3\n'));
    expect(project).toEqual({
      owner: 'acme',
      number: 3,
      ownerType: 'organization',
      field: 'Status',
      columns: {
        open: ['Todo'],
        reopened: ['Todo'],
        in_progress: ['In Progress'],
        blocked: ['In Progress'],
        review: ['In Review', 'In Progress'],
        done: ['Done'],
        cancelled: ['Done'],
      },
    });
  });

  it('keep the columns the file names, a single name or a list, and default the others', () => {
    const project = projectOf(configOfText('project:\n  owner: ada\n  ownerType: user\n  number: 1\n  columns:\n    done: Shipped\n    review: [Review, Doing]\n'));
    expect(project?.ownerType).toBe('user');
    expect(project?.columns.done).toEqual(['Shipped']);
    expect(project?.columns.review).toEqual(['Review', 'Doing']);
    expect(project?.columns.open).toEqual(['Todo']);
  });

  it('is none when the file names no project', () => {
    expect(projectOf(Config.parse({}))).toBeUndefined();
  });
});

describe('a wrong pull-request, CI or project key', () => {
  it('names an invalid regular expression at its key, line and column', () => {
    expect(problemOf('pullRequests:\n  idPattern: "TSK-(\\\\d+"\n')).toEqual({
      pointer: '/pullRequests/idPattern',
      line: 2,
      column: 14,
      message: expect.stringMatching(/^pullRequests\.idPattern: not a valid regular expression/),
    });
  });

  it('refuses an id pattern that matches the empty string', () => {
    expect(problemOf('pullRequests:\n  idPattern: "(TSK-\\\\d+)?"\n')).toEqual({
      pointer: '/pullRequests/idPattern',
      line: 2,
      column: 14,
      message: expect.stringMatching(/^pullRequests\.idPattern: .*empty string/),
    });
  });

  it('refuses a transition to a word that is not a status', () => {
    expect(problemOf('pullRequests:\n  transitions:\n    merged: finished\n')).toEqual({
      pointer: '/pullRequests/transitions/merged',
      line: 3,
      column: 13,
      message: expect.stringMatching(/^pullRequests\.transitions\.merged: expected a status .*or false/),
    });
  });

  it('refuses a negative or fractional project number', () => {
    expect(problemOf('project:\n  owner: acme\n  number: -3\n')).toMatchObject({ pointer: '/project/number', line: 3, column: 11 });
    expect(problemOf('project:\n  owner: acme\n  number: 2.5\n')).toMatchObject({ pointer: '/project/number', line: 3, column: 11 });
  });

  it('refuses unknown keys at every level, naming them', () => {
    expect(problemOf('pullRequests:\n  idPatern: "T-\\\\d+"\n')).toEqual({
      pointer: '/pullRequests',
      line: 2,
      column: 3,
      message: 'pullRequests: unknown key "idPatern"',
    });
    expect(problemOf('pullRequests:\n  transitions:\n    closed: done\n')).toMatchObject({ pointer: '/pullRequests/transitions', line: 3, message: 'pullRequests.transitions: unknown key "closed"' });
    expect(problemOf('ci:\n  required: true\n')).toMatchObject({ pointer: '/ci', line: 2, message: 'ci: unknown key "required"' });
    expect(problemOf('project:\n  owner: acme\n  number: 3\n  columns:\n    doing: Doing\n')).toMatchObject({ pointer: '/project/columns', line: 5, message: 'project.columns: unknown key "doing"' });
  });

  it('refuses values of the wrong type at their own key', () => {
    const cases: [string, string, number, number][] = [
      ['pullRequests: 3\n', '/pullRequests', 1, 15],
      ['pullRequests: true\n', '/pullRequests', 1, 15],
      ['pullRequests:\n  doneBranches: main\n', '/pullRequests/doneBranches', 2, 17],
      ['pullRequests:\n  idPattern: 12\n', '/pullRequests/idPattern', 2, 14],
      ['pullRequests:\n  transitions:\n    draft: true\n', '/pullRequests/transitions/draft', 3, 12],
      ['ci:\n  requiredOnly: "yes"\n', '/ci/requiredOnly', 2, 17],
      ['ci:\n  checks: [build, 3]\n', '/ci/checks/1', 2, 19],
      ['project:\n  owner: acme\n  number: "3"\n', '/project/number', 3, 11],
      ['project:\n  owner: acme\n  number: 3\n  ownerType: team\n', '/project/ownerType', 4, 14],
      ['project:\n  owner: acme\n  number: 3\n  columns:\n    done: []\n', '/project/columns/done', 5, 11],
      ['project:\n  number: 3\n', '/project/owner', 1, 1],
      ['project: acme/3\n', '/project', 1, 10],
    ];
    for (const [text, pointer, line, column] of cases) expect(problemOf(text), text).toMatchObject({ pointer, line, column });
  });
});

describe('an id pattern', () => {
  it('is fine when it compiles and cannot match nothing', () => {
    expect(idPatternProblem('TSK-\\d+')).toBeUndefined();
    expect(idPatternProblem('[a-z]+-\\d{1,4}')).toBeUndefined();
  });

  it('is wrong when it does not compile as a Unicode pattern, or matches the empty string', () => {
    expect(idPatternProblem('(')).toMatch(/not a valid regular expression/);
    expect(idPatternProblem('TSK\\-\\d+')).toMatch(/not a valid regular expression/);
    expect(idPatternProblem('x*')).toMatch(/empty string/);
    expect(idPatternProblem('a|')).toMatch(/empty string/);
  });
});
