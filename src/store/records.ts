/**
 * The shell's own records in the state store, each with its key and its
 * type in one place: what a run remembers besides bases, links and the log.
 * The keys are the ones stored so far; changing one forgets what was stored.
 */
import type { StatusField } from '../github/projects.js';
import type { RemoteComment } from '../github/types.js';
import type { EditStamp } from '../sync/github-stamps.js';
import type { TicketIndex } from '../sync/pull-requests/links-of-pull.js';
import type { FollowedPull } from '../sync/pull-requests/plan.js';
import type { StateStore } from './types.js';

/** A typed record of the state store, one per key under a repository (or another scope). */
export interface StateRecord<T> {
  get(state: StateStore, scope: string, id: string): Promise<T | undefined>;
  /** Set it, or with `undefined` forget it; with `ttlMs` the store forgets it after that long. */
  set(state: StateStore, scope: string, id: string, value: T | undefined, ttlMs?: number): Promise<void>;
}

/** A record kept once per scope, under a fixed key. */
export interface ScopeRecord<T> {
  get(state: StateStore, scope: string): Promise<T | undefined>;
  set(state: StateStore, scope: string, value: T | undefined): Promise<void>;
}

function scopeRecord<T>(key: string): ScopeRecord<T> {
  return { get: (state, scope) => state.getMeta<T>(scope, key), set: (state, scope, value) => state.setMeta(scope, key, value) };
}

function stateRecord<T>(prefix: string): StateRecord<T> {
  return {
    get: (state, scope, id) => state.getMeta<T>(scope, `${prefix}:${id}`),
    set: (state, scope, id, value, ttlMs) => state.setMeta(scope, `${prefix}:${id}`, value, ttlMs),
  };
}

/** An issue's comments as the last run saw them, with the issue time and count they were read at (by ticket id). */
export interface SeenComments {
  updated_at: string;
  count: number;
  comments: RemoteComment[];
}
export const commentsSeen = stateRecord<SeenComments>('comments-seen');

/** A ticket's assignees GitHub could not take at the last sync (by ticket id). */
export const offGitHub = stateRecord<string[]>('off-github');

/** The head the last App run of a branch ended at (by branch name). */
export const branchHead = stateRecord<string>('branch-head');

/** When a webhook delivery was first seen (by delivery id): a redelivery is ignored. */
export const deliverySeen = stateRecord<string>('delivery');

/** The check run showing a first sync's progress (by job id), to take it up again after a pause. */
export const firstSyncCheck = stateRecord<number>('first-sync-check');

/** The repositories with stored jobs (in the scope `*`). */
export const queuedRepositories = scopeRecord<string[]>('queue:repositories');

/** A repository's stored jobs, oldest first (the job queue's own type). */
export function queuedJobs<Job>(): ScopeRecord<Job[]> {
  return scopeRecord<Job[]>('queue:jobs');
}

/** The login a personal token acts as (by a fingerprint of the token, never the token): asked of GitHub once. */
export const tokenLogin = stateRecord<string>('token-login');

/** An issue's latest title and body edits as `issues.edited` webhooks told them (by issue number): when each text changed. */
export type IssueEdits = Partial<Record<'title' | 'body', EditStamp>>;
export const issueEdits = stateRecord<IssueEdits>('issue-edits');

/** The pull requests a repository's tickets are linked from, by number (as a string). */
export const followedPulls = scopeRecord<Record<string, FollowedPull>>('pulls:followed');

/** A repository's ticket ids and pull-request settings as its last run read them: what a pull request event is matched against without reading GitHub. */
export const ticketIndex = scopeRecord<TicketIndex>('tickets:index');

/** A project's status field as read once (by `owner/number`): its id and options. */
export const boardField = stateRecord<StatusField>('board:field');

/** Where the App put each linked issue on a project (by `owner/number`): issue number → its item and option. */
export const boardItems = stateRecord<Record<string, { item: number; option: string }>>('board:items');

/** Which repository's issue a project item is (by item id, in the scope `*`): what a board move is matched against. */
export const boardItem = stateRecord<{ repo: string; issue: number; installation: number }>('board:item');
