/**
 * `npm run demo`: the GitHub App against the GitHub emulator, offline.
 *
 * Starts the emulator, seeds two repositories (`demo/tracker` with native
 * tickets in `tickets/`, `demo/planner` with task-master's
 * `.taskmaster/tasks/tasks.json`), installs the app on both, serves the app
 * with Probot on a loopback port on the SQLite state store, and plays a short
 * story: a push, a title edit, a comment and a close on GitHub, then the same
 * for task-master, then a pull request's life moving a ticket on its issue and
 * the project board (`pull-request-chapter.ts`). After each step it prints both sides.
 *
 * `runDemo()` is the story itself; `test/demo.test.ts` runs it in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTicketSyncApp } from '../src/app/app.js';
import { openStateStore } from '../src/store/keyv-store.js';
import { seedFiles } from '../test/emulator/git/services.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { serveProbotApp, untilQuiet } from '../test/emulator/probot.js';
import type { Commit, Issue, Repo } from '../test/emulator/state.js';
import { pullRequestChapter, type ChapterSteps } from './pull-request-chapter.js';

const SECRET = 'demo-webhook-secret';
const BOT = 'ticket-sync[bot]';
const TRACKER = 'demo/tracker';
const PLANNER = 'demo/planner';
const TASKS = '.taskmaster/tasks/tasks.json';

export interface DemoOptions {
  /** Where each line goes; `console.log` unless told. */
  print?: (line: string) => void;
}

/** What the story left behind on both sides, for the test to check. */
export interface DemoOutcome {
  tracker: {
    /** The pushed native ticket, as its file on `main` reads at the end. */
    ticket: Record<string, any>;
    issue: Issue;
    issueComments: string[];
    /** The commit messages the app wrote into `demo/tracker`, oldest first. */
    appCommits: string[];
  };
  planner: {
    /** The pushed task-master task, as `tasks.json` on `main` reads at the end. */
    task: Record<string, any>;
    issue: Issue;
  };
  /** The pull-request chapter: BUG-0002's status and board column after each step. */
  pullRequest: ChapterSteps;
  requests: { total: number; notModified: number };
  /** The app's failed repository jobs (none in a good run). */
  failures: string[];
}

function nativeTicket(id: string, title: string, fields: Record<string, unknown> = {}): string {
  const ticket = {
    id,
    type: 'task',
    title,
    description: `${title}.`,
    status: 'open',
    priority: 'medium',
    assignees: [],
    labels: [],
    comments: [],
    created_at: '2026-11-23T09:00:00Z',
    updated_at: '2026-11-23T09:00:00Z',
    metadata: {},
    ...fields,
  };
  return JSON.stringify(ticket, null, 2) + '\n';
}

function taskmasterTask(id: number, title: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, title, description: `${title}.`, status: 'pending', dependencies: [], priority: 'medium', details: '', testStrategy: '', subtasks: [], ...fields };
}

function tasksFile(tasks: Record<string, unknown>[]): string {
  return JSON.stringify({ master: { tasks, metadata: { created: '2026-11-23T09:00:00.000Z', description: 'Demo tasks' } } }, null, 2) + '\n';
}

/** The demo's view of one repository on the emulated GitHub: files on the default branch, commits, issues. */
class RepoView {
  constructor(
    readonly github: Emulator,
    readonly repo: Repo,
  ) {}

  head(): string | undefined {
    return this.repo.git.refs.get(`refs/heads/${this.repo.defaultBranch}`);
  }

  file(path: string): string | undefined {
    const head = this.head();
    if (head === undefined) return undefined;
    const files = this.github.world.files(this.repo, this.github.world.commit(this.repo, head)!.tree);
    const sha = files.get(path);
    return sha === undefined ? undefined : this.github.world.blob(this.repo, sha)!.toString('utf8');
  }

  /** Commits on the default branch after `since` (exclusive), oldest first, following first parents. */
  commitsSince(since: string | undefined): Commit[] {
    const list: Commit[] = [];
    for (let sha = this.head(); sha && sha !== since; sha = this.github.world.commit(this.repo, sha)?.parents[0]) {
      list.push(this.github.world.commit(this.repo, sha)!);
    }
    return list.reverse();
  }

  /** The issue whose body carries the ticket's marker. */
  issueOf(ticketId: string): Issue | undefined {
    return [...this.repo.issues.values()].find((i) => !i.pull && (i.body ?? '').includes(`<!-- ticket-sync:id=${ticketId} -->`));
  }

  comments(issue: Issue): { author: string; body: string }[] {
    return [...this.repo.comments.values()].filter((c) => c.issueNumber === issue.number).map((c) => ({ author: c.user.login, body: c.body }));
  }
}

/** Serve the app with Probot's own middleware on a loopback port and point the emulator's webhooks at it. */
async function serveApp(github: Emulator, stateUrl: string, failures: string[]) {
  const state = await openStateStore(stateUrl);
  const { appFn, idle } = createTicketSyncApp({
    state,
    onError: (repo, error) => failures.push(`${repo}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const server = await serveProbotApp(github, appFn, SECRET);
  const url = server.url;

  /** Until no webhook, request or queued sync is left: the app is quiet. */
  const quiet = () => untilQuiet(github, idle);
  const close = async () => {
    await idle();
    await server.close();
    await state.close();
  };
  return { url, state, quiet, close };
}

const quote = (s: string) => JSON.stringify(s);
const oneLine = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');

export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const print = options.print ?? ((line: string) => console.log(line));
  const stateDir = mkdtempSync(join(tmpdir(), 'ticket-sync-demo-'));
  const failures: string[] = [];
  const github = await startEmulator();
  let app: Awaited<ReturnType<typeof serveApp>> | undefined;
  let finished = false;
  try {
    // ---- the two repositories, seeded and installed ----
    const trackerRepo = github.world.createRepo(TRACKER);
    seedFiles(github, trackerRepo, {
      'README.md': '# tracker\n',
      'tickets/TSK-0001.json': nativeTicket('TSK-0001', 'Write the onboarding guide', { status: 'in_progress', labels: ['docs'] }),
      'tickets/BUG-0002.json': nativeTicket('BUG-0002', 'Login page rejects long passwords', { type: 'bug', priority: 'high' }),
    }, { message: 'Initial commit' });
    const plannerRepo = github.world.createRepo(PLANNER);
    seedFiles(github, plannerRepo, {
      'README.md': '# planner\n',
      [TASKS]: tasksFile([
        taskmasterTask(1, 'Set up the database', { status: 'done' }),
        taskmasterTask(2, 'Design the REST API', { status: 'in-progress', dependencies: [1] }),
      ]),
    }, { message: 'Initial commit' });
    const tracker = new RepoView(github, trackerRepo);
    const planner = new RepoView(github, plannerRepo);

    app = await serveApp(github, `sqlite://${join(stateDir, 'state.sqlite')}`, failures);
    print(`GitHub emulator at ${github.apiUrl}; the app (Probot) at ${app.url}; state in ${app.state.location}`);
    print(`${TRACKER}: native tickets in tickets/ (TSK-0001, BUG-0002); ${PLANNER}: task-master ${TASKS} (tasks 1, 2)`);

    const ada = github.as('ada');
    const octocat = github.as('octocat');
    let step = 0;

    // ---- 0. installing the app: the first sync of each repository, its progress in a check run ----
    print('');
    print(`── ${step}. @octocat installs the app on ${TRACKER} and ${PLANNER}: each one's first sync`);
    const installStart = github.log.length;
    octocat.installApp('demo', [TRACKER, PLANNER]);
    await app.quiet();
    for (const view of [tracker, planner]) {
      const titles = github.log
        .slice(installStart)
        .filter((e) => e.route.startsWith('/repos/{owner}/{repo}/check-runs') && e.path.startsWith(`/repos/${view.repo.fullName}/`))
        .map((e) => (e.body as { output?: { title?: string } } | undefined)?.output?.title)
        .filter((t): t is string => t !== undefined);
      print(`   ${view.repo.fullName}: check run "ticket-sync" on main: ${titles.map(quote).join(' → ')}`);
      for (const c of view.commitsSince(undefined).filter((c) => c.author.name === BOT)) print(`     ${c.sha.slice(0, 7)} ${c.message}`);
    }

    /** One step of the story: act, wait for the app to go quiet, then show what the app did. */
    const act = async (title: string, view: RepoView, action: () => void) => {
      step += 1;
      print('');
      print(`── ${step}. ${title}`);
      const before = view.head();
      // Each person acts a moment after the last write, as people do: the last writer is clear.
      github.clock.advance(2_000);
      action();
      await app!.quiet();
      const commits = view.commitsSince(before).filter((c) => c.author.name === BOT);
      print(`   app commits:${commits.length === 0 ? ' none' : ''}`);
      for (const c of commits) print(`     ${c.sha.slice(0, 7)} ${c.message}`);
    };

    const showIssue = (view: RepoView, issue: Issue | undefined) => {
      if (!issue) return print(`   issue:  none`);
      const marker = /<!-- ticket-sync:id=([^ ]+) -->/.exec(issue.body ?? '')?.[0] ?? 'no marker';
      print(`   issue:  #${issue.number} ${quote(issue.title)} ${issue.state}${issue.state_reason ? ` (${issue.state_reason})` : ''}, labels [${issue.labels.join(', ')}], ${marker}`);
      for (const c of view.comments(issue)) print(`           comment by @${c.author}: ${quote(oneLine(c.body))}`);
    };

    const nativeFile = (id: string) => JSON.parse(tracker.file(`tickets/${id}.json`)!) as Record<string, any>;
    const showNative = (id: string) => {
      const t = nativeFile(id);
      print(`   ticket: tickets/${id}.json on main: title ${quote(t.title)}, status ${quote(t.status)}, github ${JSON.stringify(t.github ?? null)}`);
      for (const c of (t.comments ?? []) as { id: string; author: string; body: string }[]) print(`           comment ${c.id} by ${c.author}: ${quote(oneLine(c.body))}`);
      showIssue(tracker, tracker.issueOf(id));
    };

    const plannerTask = (id: number) =>
      ((JSON.parse(planner.file(TASKS)!) as { master: { tasks: Record<string, any>[] } }).master.tasks.find((t) => t.id === id) ?? {}) as Record<string, any>;
    const showTask = (id: number) => {
      const t = plannerTask(id);
      print(`   task:   ${TASKS} task ${id} on main: title ${quote(t.title)}, status ${quote(t.status)}, github ${JSON.stringify(t.metadata?.github ?? null)}`);
      showIssue(planner, planner.issueOf(String(id)));
    };

    // ---- 1. a person pushes a new ticket ----
    await act(`@ada pushes a new ticket, tickets/TSK-0003.json, to ${TRACKER}`, tracker, () =>
      ada.in(TRACKER).push({ 'tickets/TSK-0003.json': nativeTicket('TSK-0003', 'Add rate limiting to the login endpoint', { priority: 'high', labels: ['security'] }) }, { message: 'Add TSK-0003' }),
    );
    print(`   every ticket of the repository now has its issue:`);
    for (const id of ['TSK-0001', 'BUG-0002', 'TSK-0003']) {
      const issue = tracker.issueOf(id);
      print(`     ${id} → ${issue ? `#${issue.number} [${issue.labels.join(', ')}]` : 'no issue'}`);
    }
    showNative('TSK-0003');
    const number = tracker.issueOf('TSK-0003')?.number;
    if (number === undefined) throw new Error('the app did not open an issue for TSK-0003');

    // ---- 2. a person edits the issue's title ----
    await act(`@octocat renames issue #${number} on GitHub`, tracker, () =>
      octocat.in(TRACKER).editIssue(number, { title: 'Rate-limit failed logins per account' }),
    );
    showNative('TSK-0003');

    // ---- 3. a person comments ----
    await act(`@octocat comments on issue #${number}`, tracker, () =>
      octocat.in(TRACKER).comment(number, 'Let us start with 5 attempts per minute.'),
    );
    showNative('TSK-0003');

    // ---- 4. a person closes the issue ----
    await act(`@octocat closes issue #${number} as completed`, tracker, () => octocat.in(TRACKER).closeIssue(number));
    showNative('TSK-0003');

    // ---- 5. the same in task-master's vocabulary ----
    step += 1;
    print('');
    print(`── ${step}. task-master: @ada pushes task 3 to ${PLANNER}, then @octocat closes its issue`);
    const plannerStart = planner.head();
    github.clock.advance(2_000);
    ada.in(PLANNER).push(
      {
        [TASKS]: tasksFile([
          taskmasterTask(1, 'Set up the database', { status: 'done' }),
          taskmasterTask(2, 'Design the REST API', { status: 'in-progress', dependencies: [1] }),
          taskmasterTask(3, 'Write the API docs', { dependencies: [2] }),
        ]),
      },
      { message: 'Add task 3' },
    );
    await app.quiet();
    print(`   after the push:`);
    showTask(3);
    const taskIssue = planner.issueOf('3')?.number;
    if (taskIssue === undefined) throw new Error('the app did not open an issue for task 3');
    github.clock.advance(2_000);
    octocat.in(PLANNER).closeIssue(taskIssue);
    await app.quiet();
    print(`   after the close:`);
    showTask(3);
    const plannerCommits = planner.commitsSince(plannerStart).filter((c) => c.author.name === BOT);
    print(`   app commits:`);
    for (const c of plannerCommits) print(`     ${c.sha.slice(0, 7)} ${c.message}`);

    // ---- 6. a pull request's life moves its ticket: the file, the issue, the project board ----
    step += 1;
    print('');
    print(`── ${step}. a pull request moves BUG-0002 in ${TRACKER}: draft, ready, CI fails, CI passes, merged`);
    const chapter = await pullRequestChapter(
      {
        github,
        repo: trackerRepo,
        print,
        statusOf: (id) => String(nativeFile(id).status),
        issueOf: (id) => tracker.issueOf(id),
        act: (title, action) => act(title, tracker, action),
        configure: async (files) => {
          github.clock.advance(2_000);
          octocat.in(TRACKER).push(files, { message: 'Configure the project board' });
          await app!.quiet();
        },
      },
      'BUG-0002',
      'fix/BUG-0002-long-passwords',
    );

    await app.close();
    app = undefined;
    const requests = { total: github.log.length, notModified: github.log.filter((e) => e.status === 304).length };
    print('');
    if (failures.length > 0) print(`the app reported failures:\n${failures.map((f) => `  ${f}`).join('\n')}`);
    print(`done: ${requests.total} requests to the emulated GitHub, ${requests.notModified} of them answered 304 Not Modified (free against the rate limit)`);

    const trackerIssue = tracker.issueOf('TSK-0003')!;
    finished = true;
    return {
      tracker: {
        ticket: nativeFile('TSK-0003'),
        issue: trackerIssue,
        issueComments: tracker.comments(trackerIssue).map((c) => c.body),
        appCommits: tracker.commitsSince(undefined).filter((c) => c.author.name === BOT).map((c) => c.message),
      },
      planner: { task: plannerTask(3), issue: planner.issueOf('3')! },
      pullRequest: chapter,
      requests,
      failures,
    };
  } finally {
    await app?.close().catch(() => undefined);
    await github.close();
    rmSync(stateDir, { recursive: true, force: true });
    // Every request the app made and every webhook it got kept to GitHub's REST description.
    if (finished) github.assertContract();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo().then(
    (outcome) => process.exit(outcome.failures.length === 0 ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
