/** GitHub's issue and comment JSON, as the issues adapter reads and writes it. */
import type { IssueWrite, RemoteComment, RemoteIssue } from './types.js';

/** What is read of GitHub's issue JSON (ids are `number | bigint` in newer descriptions). */
export interface IssueJson {
  number: number;
  id: number | bigint;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: RemoteIssue['state_reason'] | null;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  user: { login: string } | null;
  created_at: string;
  updated_at: string;
  comments: number;
  pull_request?: unknown;
}

/** What is read of GitHub's issue comment JSON. */
export interface CommentJson {
  id: number | bigint;
  body?: string;
  user: { login: string } | null;
  created_at: string;
  updated_at: string;
}

/** The body of a PATCH: only the fields the write sets. */
export function issueFields(write: IssueWrite) {
  const { title, body, state, state_reason, labels, assignees } = write;
  return Object.fromEntries(Object.entries({ title, body, state, state_reason, labels, assignees }).filter(([, v]) => v !== undefined)) as Partial<IssueWrite>;
}

export function toRemoteIssue(json: IssueJson): RemoteIssue {
  return {
    number: json.number,
    id: Number(json.id),
    url: json.html_url,
    title: json.title,
    body: json.body ?? '',
    state: json.state === 'closed' ? 'closed' : 'open',
    state_reason: json.state_reason ?? null,
    labels: json.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== ''),
    assignees: (json.assignees ?? []).map((user) => user.login),
    author: json.user?.login ?? 'ghost',
    created_at: json.created_at,
    updated_at: json.updated_at,
    comments: json.comments,
  };
}

export function toRemoteComment(json: CommentJson): RemoteComment {
  return {
    id: Number(json.id),
    author: json.user?.login ?? 'ghost',
    body: json.body ?? '',
    created_at: json.created_at,
    updated_at: json.updated_at,
  };
}
