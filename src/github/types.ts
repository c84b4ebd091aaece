/**
 * The GitHub side as the sync shell sees it: issues and comments of one
 * repository, read with conditional requests and written idempotently.
 * Implemented on Octokit; the App and the CLI share it.
 */
import type { IssueChange } from '../sync/github-stamps.js';
import type { FieldStamp } from '../sync/types.js';

export interface RepoRef {
  owner: string;
  name: string;
}

export interface RemoteIssue {
  number: number;
  id: number;
  /** The issue's web address. */
  url: string;
  title: string;
  /** Empty when the issue has no body. */
  body: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  /** Label names. */
  labels: string[];
  /** Assignee logins. */
  assignees: string[];
  /** Login of whoever opened it. */
  author: string;
  created_at: string;
  updated_at: string;
  /** Number of comments, as the issue reports it. */
  comments: number;
}

export interface RemoteComment {
  id: number;
  author: string;
  body: string;
  created_at: string;
  updated_at: string;
}

/** Fields to set on an issue; absent ones are left alone. */
export interface IssueWrite {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
  labels?: string[];
  assignees?: string[];
}

export interface GitHubIssues {
  readonly repo: RepoRef;
  /**
   * Every issue of the repository (pull requests left out), all states. Each
   * page is a conditional request; a 304 reuses the cached page, so a repeat
   * listing with nothing changed costs no rate limit.
   */
  listIssues(): Promise<RemoteIssue[]>;
  getIssue(number: number): Promise<RemoteIssue | undefined>;
  /**
   * The issue whose body carries `<!-- ticket-sync:id=<ticket> -->`, if any:
   * looked for before creating, so that a crash between creating an issue
   * and recording the link never yields a second issue.
   */
  findByMarker(ticket: string): Promise<RemoteIssue | undefined>;
  /**
   * Opens the issue exactly once: after an answer that was lost (a 5xx after
   * GitHub made it, a timeout), the issue is looked for by its id marker
   * before the create is sent again.
   */
  createIssue(write: IssueWrite & { title: string }): Promise<RemoteIssue>;
  /** Sets the fields given; safe to send again after a lost answer (the same values are no change). */
  updateIssue(number: number, write: IssueWrite): Promise<RemoteIssue>;

  /** An issue's comments, oldest first (conditional, like the issue list). */
  listComments(issue: number): Promise<RemoteComment[]>;
  /**
   * The issue's events that change a synced field (renamed, labeled,
   * unlabeled, assigned, unassigned, closed, reopened), oldest first
   * (conditional, like the issue list): when each field last changed.
   */
  listChanges(issue: number): Promise<IssueChange[]>;
  /**
   * Who last edited the issue's body, and when (GraphQL's `lastEditedAt`):
   * null when it was never edited, undefined when GitHub does not say.
   */
  bodyEdit(issue: number): Promise<FieldStamp | null | undefined>;
  /**
   * Posts the comment exactly once: after an answer that was lost, the
   * comment is looked for among the issue's comments (by its comment marker
   * and ticket-sync's own account, else by its exact text) before it is sent
   * again.
   */
  createComment(issue: number, body: string): Promise<RemoteComment>;
  /** Sets the body; safe to send again after a lost answer. */
  updateComment(id: number, body: string): Promise<RemoteComment>;
  /** Deletes the comment; one already gone (404, 410) counts as deleted, so a delete sent again after a lost answer succeeds. */
  deleteComment(id: number): Promise<void>;

  /** Whether a login can be assigned in this repository (asked once per login per run). */
  canAssign(login: string): Promise<boolean>;
}
