/** GitHub's issue and comment JSON, as the issues adapter reads and writes it. */
import { z } from 'zod';
import type { IssueChange } from '../sync/github-stamps.js';
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

/** What is read of one entry of GitHub's issue events (untrusted: an entry that does not read is skipped). */
const IssueEventJson = z.object({
  event: z.string(),
  created_at: z.string().min(1),
  actor: z.object({ login: z.string() }).nullable().optional(),
  rename: z.object({ to: z.string() }).optional(),
  label: z.object({ name: z.string() }).optional(),
});

/** An issue event that changes a synced field, or undefined for any other (a mention, a lock, a cross-reference). */
export function toIssueChange(json: unknown): IssueChange | undefined {
  const read = IssueEventJson.safeParse(json);
  if (!read.success) return undefined;
  const { event, created_at: at, rename, label } = read.data;
  const actor = read.data.actor?.login ?? 'ghost';
  if (event === 'renamed') return rename ? { event, actor, at, to: rename.to } : undefined;
  if (event === 'labeled' || event === 'unlabeled') return label ? { event, actor, at, label: label.name } : undefined;
  if (event === 'assigned' || event === 'unassigned' || event === 'closed' || event === 'reopened') return { event, actor, at };
  return undefined;
}
