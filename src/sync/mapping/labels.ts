/**
 * Labels and status on GitHub, both ways: the managed labels (`status: …`,
 * `priority: …`, `type: …` by default, see `MappingConfig`), the free labels,
 * and how each status shows as the issue's state, state reason and status
 * label (`STATUS_ON_GITHUB`). Pure.
 *
 * **Managed-looking labels.** A label that starts with one of the managed
 * prefixes (matched without regard to case or the prefix's trailing space) is
 * never a free label: on GitHub it is read as the status, priority or type it
 * names (or ignored when it names none), and in a ticket's own labels it is
 * dropped from the view on both sides. Such a label in a ticket file stays in
 * the file (`applyView` keeps it) but is never synced.
 */
import { prefixKey, type MappingConfig } from '../../config/mapping.js';
import type { IssueWrite, RemoteIssue } from '../../github/types.js';
import { statusOf, type Status } from '../../tickets/vocabulary.js';
import type { SyncView } from '../types.js';
import { nameSet } from '../view.js';

export type LabelKind = keyof MappingConfig['labels'];
const LABEL_KINDS: readonly LabelKind[] = ['status', 'priority', 'type'];

/** The managed kind a label belongs to, by its prefix, and the value after the prefix. */
function managedLabel(label: string, config: MappingConfig): { kind: LabelKind; value: string } | undefined {
  const name = label.trim();
  for (const kind of LABEL_KINDS) {
    const key = prefixKey(config.labels[kind]);
    if (name.toLowerCase().startsWith(key)) return { kind, value: name.slice(key.length).trim() };
  }
  return undefined;
}

/** The sync field a label shows: `status`, `priority` or `type` for a managed-looking label, else `labels`. */
export function fieldOfLabel(label: string, config: MappingConfig): LabelKind | 'labels' {
  return managedLabel(label, config)?.kind ?? 'labels';
}

/** Free labels: sorted, unique, never a managed-looking one. */
export function freeLabels(labels: readonly string[], config: MappingConfig): string[] {
  return nameSet(labels).filter((l) => managedLabel(l, config) === undefined);
}

/**
 * How each status shows on GitHub. Reading goes the other way (`issueStatus`):
 * closed and `not_planned` is cancelled, and so is closed as `duplicate` (the
 * vocabulary reads `duplicate` as cancelled); any other closed issue is done.
 * An open issue takes the status of its status label (one naming a closed
 * status is ignored: the state says open), else it is `reopened` when GitHub
 * says so, else `open`; for those last two, see `issueStatus`.
 */
export const STATUS_ON_GITHUB: Readonly<Record<Status, { state: 'open' | 'closed'; state_reason: NonNullable<IssueWrite['state_reason']> | null; label: boolean }>> = {
  open: { state: 'open', state_reason: null, label: false },
  in_progress: { state: 'open', state_reason: null, label: true },
  blocked: { state: 'open', state_reason: null, label: true },
  review: { state: 'open', state_reason: null, label: true },
  reopened: { state: 'open', state_reason: 'reopened', label: false },
  done: { state: 'closed', state_reason: 'completed', label: false },
  cancelled: { state: 'closed', state_reason: 'not_planned', label: false },
};

/** The statuses an open issue can hold. */
const OPEN_STATUSES = new Set<Status>(['open', 'in_progress', 'blocked', 'review', 'reopened']);

/**
 * The fields a ticket's record cannot hold at all (a task-master subtask has
 * no priority): the issue gets no label for them, and reads them as the
 * ticket has them.
 */
export type UnheldFields = ReadonlySet<'priority' | 'type'>;

export const ALL_HELD: UnheldFields = new Set();

/** The managed labels GitHub shows for a view: its status (when that shows as a label), priority and type (when the ticket holds them). */
export function managedLabels(view: SyncView, config: MappingConfig, unheld: UnheldFields = ALL_HELD): string[] {
  const { labels } = config;
  return [
    ...(STATUS_ON_GITHUB[view.status].label ? [labels.status + view.status.replace(/_/g, ' ')] : []),
    ...(unheld.has('priority') ? [] : [labels.priority + view.priority]),
    ...(unheld.has('type') ? [] : [labels.type + view.type]),
  ];
}

/**
 * The value of the managed labels of one kind that `read` understands. Where
 * an issue carries several (a person added `status: review` beside
 * `status: in progress`), the first (in label order) that no known view holds
 * is the one a person just set; else the first.
 */
export function labelled<T>(labels: readonly string[], kind: LabelKind, config: MappingConfig, read: (word: string) => T | undefined, held: readonly T[] = []): T | undefined {
  const values: T[] = [];
  for (const label of nameSet(labels)) {
    const managed = managedLabel(label, config);
    const value = managed?.kind === kind ? read(managed.value) : undefined;
    if (value !== undefined) values.push(value);
  }
  return values.find((v) => !held.includes(v)) ?? values[0];
}

/**
 * The status of an issue. GitHub keeps `state_reason: reopened` on an issue
 * until it is closed again and ignores a new one while the state stays, so an
 * open issue without a status label shows an `open` and a `reopened` ticket
 * alike: the first known view with one of those two statuses decides.
 */
export function issueStatus(issue: RemoteIssue, config: MappingConfig, known: readonly SyncView[]): Status {
  if (issue.state === 'closed') return issue.state_reason === 'not_planned' || issue.state_reason === 'duplicate' ? 'cancelled' : 'done';
  const fromLabel = labelled(
    issue.labels,
    'status',
    config,
    (w) => {
      const s = statusOf(w);
      return s && OPEN_STATUSES.has(s) ? s : undefined;
    },
    known.map((k) => k.status),
  );
  if (fromLabel) return fromLabel;
  const knownStatus = known.find((k) => k.status === 'open' || k.status === 'reopened')?.status;
  return knownStatus ?? (issue.state_reason === 'reopened' ? 'reopened' : 'open');
}
