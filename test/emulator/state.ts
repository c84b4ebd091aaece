/**
 * What the emulated GitHub knows: users, the app and its installations, and
 * repositories with real git objects (hashed as git hashes them), issues,
 * comments, labels, pull requests, checks and statuses. Plain data: the
 * routes and the driver change it through the services in `services/`.
 */
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Project } from './projects/model.js';

export interface User {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

export interface App {
  id: number;
  slug: string;
  name: string;
  owner: User;
  /** The bot user the app acts as (`<slug>[bot]`). */
  bot: User;
  privateKeyPem: string;
  publicKey: KeyObject;
  permissions: Record<string, string>;
  events: string[];
}

export interface Installation {
  id: number;
  account: User;
  /** Repository full names (`owner/name`) the installation may use. */
  repositories: Set<string>;
  /** Installation access tokens and when they expire (ms). */
  tokens: Map<string, number>;
}

export interface TreeEntry {
  path: string;
  mode: '100644' | '100755' | '040000' | '160000' | '120000';
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface Signature {
  name: string;
  email: string;
  date: string;
}

export interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  /** Label names, in the order they were added. */
  labels: string[];
  /** Assignee logins. */
  assignees: string[];
  user: User;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: User | null;
  /**
   * When the body was last edited (GraphQL `Issue.lastEditedAt`, "The moment
   * the editor made the last edit"), null while it never was. REST shows no
   * such time: `updated_at` moves with every change, and no issue event
   * records a body edit.
   */
  lastEditedAt: string | null;
  /** Who made that edit (GraphQL `Issue.editor`, "The actor who edited the comment"), null while the body was never edited. */
  editor: User | null;
  locked: boolean;
  /** Id of the parent issue (sub-issues). */
  parent?: number;
  /** Ids of sub-issues, in order. */
  subIssues: number[];
  /** Set for pull requests, which are issues too. */
  pull?: PullRequest;
  /**
   * What GitHub's issue events API lists for this issue (REST, List issue
   * events), oldest first: renames, labels, assignees, closing and reopening.
   * Recorded by the issues services (`issues/events.ts`); they go with the issue.
   */
  events: IssueEvent[];
}

/** One recorded issue event: who, when, and what the event type carries. */
export type IssueEvent = { id: number; actor: User; created_at: string } & IssueEventDetail;

/** An issue event's type and the fields that type carries (`rename`, `label`, `assignee`, `state_reason`). */
export type IssueEventDetail =
  | { event: 'renamed'; rename: { from: string; to: string } }
  /** The label's name and color when the event happened. */
  | { event: 'labeled' | 'unlabeled'; label: { name: string; color: string } }
  /** The assigner is the actor. */
  | { event: 'assigned' | 'unassigned'; assignee: User }
  /** `commit_id`: the commit whose message closed the issue with a closing keyword (`pulls/closing.ts`). */
  | { event: 'closed'; state_reason: Issue['state_reason']; commit_id?: string }
  | { event: 'reopened' };

export interface PullRequest {
  /** The pull request's own id (GitHub's differs from its issue's); the issue's id when unset. */
  id?: number;
  /** `repo`: the full name of the fork the head branch lives in (`pulls/forks.ts`); unset for this repository's own branches. */
  head: { ref: string; sha: string; repo?: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  merged_by: User | null;
}

export interface IssueComment {
  id: number;
  issueNumber: number;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
}

export interface CheckSuite {
  id: number;
  head_branch: string | null;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  app: App | null;
  created_at: string;
  updated_at: string;
}

export interface CheckRun {
  id: number;
  suiteId: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] };
  external_id: string | null;
  details_url: string | null;
  app: App | null;
}

export interface CommitStatus {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  creator: User;
  created_at: string;
  updated_at: string;
}

export interface Repo {
  id: number;
  owner: User;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  created_at: string;
  pushed_at: string;
  git: {
    objects: Map<string, { type: 'blob'; content: Buffer } | { type: 'tree'; entries: TreeEntry[] } | { type: 'commit'; commit: Commit }>;
    /** Full ref names (`refs/heads/main`) → commit sha. */
    refs: Map<string, string>;
  };
  issues: Map<number, Issue>;
  nextNumber: number;
  comments: Map<number, IssueComment>;
  /** By lower-cased name: GitHub's label names are case-insensitive. */
  labels: Map<string, Label>;
  checkSuites: Map<number, CheckSuite>;
  checkRuns: Map<number, CheckRun>;
  statuses: CommitStatus[];
  /** The repository this one is a fork of (`pulls/forks.ts`): forks share its git objects, as a fork network does. */
  parent?: Repo;
  /** GitHub Actions workflow runs (made by the pulls services' CI), created on first use. */
  workflowRuns?: Map<number, WorkflowRun>;
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  name: string;
  path: string;
  run_number: number;
  run_attempt: number;
  event: string;
  head_branch: string | null;
  head_sha: string;
  checkSuiteId: number;
  status: 'requested' | 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  actor: User;
  created_at: string;
  updated_at: string;
  run_started_at: string;
}

/** git's object id: sha1 of `<type> <size>\0<content>`. */
export function gitHash(type: string, content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]))
    .digest('hex');
}

/** A tree's canonical bytes, as git hashes them (entries sorted as git sorts them). */
export function treeBytes(entries: readonly TreeEntry[]): Buffer {
  const sortKey = (e: TreeEntry) => (e.type === 'tree' ? `${e.path}/` : e.path);
  const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return Buffer.concat(
    sorted.flatMap((e) => [Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.path}\0`), Buffer.from(e.sha, 'hex')]),
  );
}

function signatureLine(s: Signature): string {
  return `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
}

export function commitBytes(c: Omit<Commit, 'sha'>): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${signatureLine(c.author)}`, `committer ${signatureLine(c.committer)}`];
  return Buffer.from(`${lines.join('\n')}\n\n${c.message}`);
}

let keyPair: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** The app's RSA key pair: made once per process, since making one takes most of an emulator's start. */
function appKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return (keyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
}

export class World {
  private nextId = 1000;
  readonly users = new Map<string, User>();
  readonly repos = new Map<string, Repo>();
  readonly installations = new Map<number, Installation>();
  /** Personal access tokens → login. */
  readonly personalTokens = new Map<string, string>();
  /** Lower-cased logins that exist but cannot be assigned to issues (GitHub: no access to the repository). */
  readonly unassignable = new Set<string>();
  /** GitHub Projects (v2) by `<owner login, lower-cased>/<number>` (`projects/`). */
  readonly projects = new Map<string, Project>();
  readonly app: App;

  constructor(
    readonly clock: Clock,
    appOptions: { id?: number; slug?: string } = {},
  ) {
    const { privateKey, publicKey } = appKeyPair();
    const slug = appOptions.slug ?? 'ticket-sync';
    const owner = this.user('ticket-sync-org', 'Organization');
    this.app = {
      id: appOptions.id ?? 4242,
      slug,
      name: slug,
      owner,
      bot: this.user(`${slug}[bot]`, 'Bot'),
      privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicKey,
      permissions: { contents: 'write', issues: 'write', checks: 'write', pull_requests: 'read', statuses: 'read', metadata: 'read', organization_projects: 'write' },
      events: ['push', 'issues', 'issue_comment', 'pull_request', 'check_suite', 'check_run', 'status', 'projects_v2_item'],
    };
  }

  id(): number {
    return this.nextId++;
  }

  /** The user with this login, created on first mention. */
  user(login: string, type: User['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): User {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { id: this.id(), login, type };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  /** A personal access token acting as `login`. */
  personalToken(login: string): string {
    this.user(login);
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    this.personalTokens.set(token, login);
    return token;
  }

  repo(fullName: string): Repo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  createRepo(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): Repo {
    const [ownerLogin, name] = fullName.split('/') as [string, string];
    const now = this.clock.iso();
    const repo: Repo = {
      id: this.id(),
      owner: this.user(ownerLogin),
      name,
      fullName: `${ownerLogin}/${name}`,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? 'main',
      created_at: now,
      pushed_at: now,
      git: { objects: new Map(), refs: new Map() },
      issues: new Map(),
      nextNumber: 1,
      comments: new Map(),
      labels: new Map(),
      checkSuites: new Map(),
      checkRuns: new Map(),
      statuses: [],
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  install(account: string, repositories: string[]): Installation {
    const installation: Installation = {
      id: this.id(),
      account: this.user(account),
      repositories: new Set(repositories.map((r) => r.toLowerCase())),
      tokens: new Map(),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  installationFor(repo: Repo): Installation | undefined {
    return [...this.installations.values()].find((i) => i.repositories.has(repo.fullName.toLowerCase()));
  }

  // ---- git objects ----

  putBlob(repo: Repo, content: Buffer): string {
    const sha = gitHash('blob', content);
    repo.git.objects.set(sha, { type: 'blob', content });
    return sha;
  }

  putTree(repo: Repo, entries: TreeEntry[]): string {
    const sha = gitHash('tree', treeBytes(entries));
    repo.git.objects.set(sha, { type: 'tree', entries: [...entries] });
    return sha;
  }

  putCommit(repo: Repo, commit: Omit<Commit, 'sha'>): Commit {
    const sha = gitHash('commit', commitBytes(commit));
    const full = { ...commit, sha };
    repo.git.objects.set(sha, { type: 'commit', commit: full });
    return full;
  }

  blob(repo: Repo, sha: string): Buffer | undefined {
    const object = repo.git.objects.get(sha);
    return object?.type === 'blob' ? object.content : undefined;
  }

  tree(repo: Repo, sha: string): TreeEntry[] | undefined {
    const object = repo.git.objects.get(sha);
    return object?.type === 'tree' ? object.entries : undefined;
  }

  commit(repo: Repo, sha: string): Commit | undefined {
    const object = repo.git.objects.get(sha);
    return object?.type === 'commit' ? object.commit : undefined;
  }

  /** Every file of a tree, by full path → blob sha. */
  files(repo: Repo, treeSha: string, prefix = ''): Map<string, string> {
    const result = new Map<string, string>();
    for (const entry of this.tree(repo, treeSha) ?? []) {
      const path = prefix + entry.path;
      if (entry.type === 'tree') for (const [p, s] of this.files(repo, entry.sha, `${path}/`)) result.set(p, s);
      else if (entry.type === 'blob') result.set(path, entry.sha);
    }
    return result;
  }

  /** Build (and store) the nested trees for a flat path → blob sha map; returns the root tree sha. */
  treeFromFiles(repo: Repo, files: ReadonlyMap<string, string>): string {
    const children = new Map<string, Map<string, string>>();
    const entries: TreeEntry[] = [];
    for (const [path, sha] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        entries.push({ path, mode: '100644', type: 'blob', sha });
      } else {
        const dir = path.slice(0, slash);
        if (!children.has(dir)) children.set(dir, new Map());
        children.get(dir)!.set(path.slice(slash + 1), sha);
      }
    }
    for (const [dir, inner] of children) entries.push({ path: dir, mode: '040000', type: 'tree', sha: this.treeFromFiles(repo, inner) });
    return this.putTree(repo, entries);
  }

  /** Whether `ancestor` is reachable from `descendant` (fast-forward check). */
  isAncestor(repo: Repo, ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length > 0) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commit(repo, sha)?.parents ?? []));
    }
    return false;
  }
}
