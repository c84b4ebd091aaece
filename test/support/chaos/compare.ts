/**
 * The chaos soak's end state, read straight from the emulated GitHub: every
 * ticket file on the default branch, every issue with its comments, the
 * branch's commits and the App's check runs. Then, read independently of the
 * App's own mapping code (by GitHub's shapes and the README's tables):
 * whether each file says what its issue shows (`differences`), and each
 * ticket as the model states it (`ticketsOf`).
 */
import type { Emulator } from '../../emulator/index.js';
import type { Commit, Repo } from '../../emulator/state.js';
import type { TicketState } from './model.js';

export interface CommentSeen {
  id: string;
  author: string;
  body: string;
}

/** A comment in a ticket file: with the time it was made. */
export interface FileComment extends CommentSeen {
  created_at: string;
}

/** A ticket file's synced fields, as written. */
export interface FileSeen {
  title: string;
  description: string;
  status: string;
  priority: string;
  labels: string[];
  assignees: string[];
  /** In the file's order (ticket-sync adds a comment from GitHub at the end). */
  comments: FileComment[];
  /** The issue its `github` link names. */
  issue: number | undefined;
}

export interface IssueSeen {
  number: number;
  title: string;
  body: string;
  state: string;
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  /** By creation time. */
  comments: { id: number; login: string; body: string }[];
}

/** A commit of the default branch, with the files it changed (`null`: removed). */
export interface CommitSeen {
  sha: string;
  message: string;
  author: string;
  sameTreeAsParent: boolean;
  changed: Record<string, { before: string | null; after: string | null; blob: string | null }>;
}

/** Both sides: every ticket file and every issue. */
export interface SidesSeen {
  /** Ticket files by ticket id. */
  files: Record<string, FileSeen>;
  /** Every issue (not pull requests), by number. */
  issues: IssueSeen[];
  /** The App's bot login: its comments carry markers. */
  bot: string;
}

export interface EndState extends SidesSeen {
  /** The default branch's commits, oldest first (first parents). */
  commits: CommitSeen[];
  /** The App's check runs: the commit and name of each. */
  checkRuns: { sha: string; name: string }[];
}

export function readEndState(github: Emulator, repo: Repo): EndState {
  const checkRuns = [...repo.checkRuns.values()].filter((run) => run.app?.id === github.world.app.id).map((run) => ({ sha: run.head_sha, name: run.name }));
  return { ...readSides(github, repo), commits: readCommits(github, repo), checkRuns };
}

export function readSides(github: Emulator, repo: Repo): SidesSeen {
  return { files: readFiles(github, repo), issues: readIssues(repo), bot: github.world.app.bot.login };
}

/** Every ticket file on the default branch, by ticket id. */
function readFiles(github: Emulator, repo: Repo): Record<string, FileSeen> {
  const { world } = github;
  const head = repo.git.refs.get(`refs/heads/${repo.defaultBranch}`)!;
  const files: Record<string, FileSeen> = {};
  for (const [path, sha] of world.files(repo, world.commit(repo, head)!.tree)) {
    if (!/^tickets\/[^/]+\.json$/.test(path)) continue;
    const doc = JSON.parse(world.blob(repo, sha)!.toString('utf8')) as Record<string, any>;
    files[doc.id] = {
      title: doc.title,
      description: doc.description,
      status: doc.status,
      priority: doc.priority,
      labels: [...(doc.labels ?? [])].sort(),
      assignees: [...(doc.assignees ?? [])].sort(),
      comments: (doc.comments ?? []).map((c: FileComment) => ({ id: c.id, author: c.author, body: c.body, created_at: c.created_at })),
      issue: doc.github?.issue,
    };
  }
  return files;
}

function readIssues(repo: Repo): IssueSeen[] {
  return [...repo.issues.values()]
    .filter((issue) => !issue.pull)
    .sort((a, b) => a.number - b.number)
    .map((issue) => ({
      number: issue.number,
      title: issue.title,
      body: issue.body ?? '',
      state: issue.state,
      state_reason: issue.state_reason,
      labels: [...issue.labels].sort(),
      assignees: [...issue.assignees].sort(),
      comments: [...repo.comments.values()]
        .filter((c) => c.issueNumber === issue.number)
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
        .map((c) => ({ id: c.id, login: c.user.login, body: c.body })),
    }));
}

function readCommits(github: Emulator, repo: Repo): CommitSeen[] {
  const { world } = github;
  const text = (sha: string | undefined) => (sha === undefined ? null : world.blob(repo, sha)!.toString('utf8'));
  const head = repo.git.refs.get(`refs/heads/${repo.defaultBranch}`);
  const commits: CommitSeen[] = [];
  for (let sha: string | undefined = head; sha; ) {
    const commit: Commit = world.commit(repo, sha)!;
    const parent = commit.parents[0] === undefined ? undefined : world.commit(repo, commit.parents[0]);
    const now = world.files(repo, commit.tree);
    const was = parent ? world.files(repo, parent.tree) : new Map<string, string>();
    const changed: CommitSeen['changed'] = {};
    for (const path of new Set([...now.keys(), ...was.keys()])) {
      if (now.get(path) !== was.get(path)) changed[path] = { before: text(was.get(path)), after: text(now.get(path)), blob: now.get(path) ?? null };
    }
    commits.unshift({ sha, message: commit.message, author: commit.author.name, sameTreeAsParent: parent?.tree === commit.tree, changed });
    sha = commit.parents[0];
  }
  return commits;
}

/** Each ticket file as the model states a ticket: comments by author and text, in the order of their times. */
export function ticketsOf(files: Record<string, FileSeen>): Record<string, TicketState> {
  return Object.fromEntries(
    Object.entries(files).map(([id, f]) => {
      const comments = [...f.comments].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at)).map(({ author, body }) => ({ author, body }));
      return [id, { title: f.title, description: f.description, status: f.status, priority: f.priority, labels: f.labels, assignees: f.assignees, comments } as TicketState];
    }),
  );
}

const ID_MARKER = /<!-- ticket-sync:id=(.+?) -->/g;
const COMMENT_MARKER = /<!-- ticket-sync:comment=(\S+) author=(\S*) -->/;
const MANAGED = /^(status|priority|type):\s*(.*)$/i;

/** An issue read as a ticket, by GitHub's documented shapes and ticket-sync's README (not by the App's code). */
export function issueAsTicket(issue: IssueSeen, bot: string) {
  const markers = [...issue.body.matchAll(ID_MARKER)];
  const marker = markers.at(-1);
  const managed = (kind: string) => issue.labels.map((l) => MANAGED.exec(l)).filter((m) => m !== null && m[1]!.toLowerCase() === kind).map((m) => m![2]!.trim().replace(/ /g, '_'));
  const statusLabels = managed('status');
  const status = issue.state === 'closed' ? (issue.state_reason === 'not_planned' ? 'cancelled' : 'done') : statusLabels.length === 0 ? 'open' : statusLabels.join('+');
  return {
    marker: marker?.[1],
    title: issue.title,
    description: marker ? issue.body.slice(0, marker.index).trimEnd() : issue.body,
    status,
    priority: managed('priority').join('+'),
    types: managed('type'),
    labels: issue.labels.filter((l) => !MANAGED.test(l)).map((l) => l.toLowerCase()).sort(),
    assignees: issue.assignees.map((l) => l.toLowerCase()).sort(),
    comments: issue.comments.map((c): CommentSeen => {
      const own = c.login === bot ? COMMENT_MARKER.exec(c.body) : null;
      if (!own) return { id: `gh-${c.id}`, author: c.login, body: c.body.trim() };
      const author = unescape(own[2]!);
      const text = c.body.slice(0, own.index).trim();
      const header = `**${author}** wrote:`;
      return { id: unescape(own[1]!), author, body: (text.startsWith(header) ? text.slice(header.length) : text).trim() };
    }),
  };
}

/** Where a ticket file and its issue disagree, one line each; none when every file is equal to its issue. */
export function differences(end: SidesSeen): string[] {
  const found: string[] = [];
  const byNumber = new Map(end.issues.map((i) => [i.number, i]));
  for (const [id, file] of Object.entries(end.files)) {
    const issue = file.issue === undefined ? undefined : byNumber.get(file.issue);
    if (!issue) {
      found.push(`${id}: its file links ${file.issue === undefined ? 'no issue' : `#${file.issue}, which does not exist`}`);
      continue;
    }
    const shown = issueAsTicket(issue, end.bot);
    const differ = (what: string, inFile: unknown, onGitHub: unknown) => {
      if (JSON.stringify(inFile) !== JSON.stringify(onGitHub)) found.push(`${id} #${issue.number} ${what}: ${JSON.stringify(inFile)} in the file, ${JSON.stringify(onGitHub)} on GitHub`);
    };
    differ('marker', id, shown.marker);
    differ('title', file.title, shown.title);
    differ('description', file.description, shown.description);
    // GitHub shows an open ticket and a reopened one alike: open, without a status label.
    differ('status', file.status === 'reopened' ? 'open' : file.status, shown.status);
    differ('priority', file.priority, shown.priority);
    differ('type label', ['task'], shown.types);
    differ('labels', file.labels.map((l) => l.toLowerCase()), shown.labels);
    differ('assignees', file.assignees.map((l) => l.toLowerCase()), shown.assignees);
    const byId = (list: CommentSeen[]) => list.map(({ id, author, body }) => ({ id, author, body })).sort((a, b) => a.id.localeCompare(b.id));
    differ('comments', byId(file.comments), byId(shown.comments));
  }
  return found;
}

function unescape(value: string): string {
  return value.replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (_, wide: string | undefined, narrow: string | undefined) => String.fromCharCode(parseInt(wide ?? narrow!, 16)));
}
