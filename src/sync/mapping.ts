/**
 * How a ticket appears on GitHub, and how an issue reads back as a ticket's
 * synced view. Pure: no I/O, no clock.
 *
 * - **title** ↔ issue title; **description** ↔ the issue body outside
 *   ticket-sync's parts (the managed section, the id marker, a cut note).
 * - **status** ↔ `state`, `state_reason` and a `status: …` label (see
 *   `STATUS_ON_GITHUB`); **priority** ↔ `priority: …`; **type** ↔ `type: …`;
 *   other labels ↔ labels; **assignees** ↔ logins through the assignee map.
 * - **comments** ↔ issue comments: the ones ticket-sync posts carry a hidden
 *   marker with the local comment id and author.
 *
 * **Managed-looking labels.** A label that starts with one of the managed
 * prefixes (`status: `, `priority: `, `type: ` by default; matched without
 * regard to case or the prefix's trailing space) is never a free label: on
 * GitHub it is read as the status, priority or type it names (or ignored when
 * it names none), and in a ticket's own labels it is dropped from the view on
 * both sides. Such a label in a ticket file stays in the file (`applyView`
 * keeps it) but is never synced.
 *
 * **GitHub's limits.** A title longer than 256 characters or a body longer
 * than 65,536 is cut on GitHub with `CUT_NOTE`, never locally; the id marker
 * survives the cut. Reading back, a value GitHub shows exactly as ticket-sync
 * would render one of the known views (the local view, the merge base) reads
 * as that view's value, so a cut text does not look changed on every sync.
 * Lengths are counted in UTF-16 code units, which is never less than what
 * GitHub counts, and a cut never splits a surrogate pair.
 */
import { z } from 'zod';
import type { IssueWrite, RemoteComment, RemoteIssue } from '../github/types.js';
import { idProblem, Ticket, type Comment } from '../tickets/model.js';
import { priorityOf, statusOf, typeOf, type Priority, type Status, type TicketType } from '../tickets/vocabulary.js';
import { compareInstants } from './time.js';
import type { SyncComment, SyncView } from './types.js';
import { cleanComment, compareComments, nameSet, normalizeText, sameValue } from './view.js';

// ---------------------------------------------------------------------------
// Configuration

const labelPrefix = (fallback: string, what: string) =>
  z
    .string()
    .refine((p) => p.trim() !== '', { message: 'a label prefix cannot be blank' })
    .default(fallback)
    .meta({ description: `Prefix of the managed ${what} label. Default: "${fallback}".` });

export const MappingConfig = z
  .object({
    /** Prefixes of the managed labels: `<prefix><value>`, e.g. `status: in progress`, `priority: high`, `type: bug`. */
    labels: z
      .object({
        /** Prefix of the status label (`status: in progress`, `status: blocked`, `status: review`). */
        status: labelPrefix('status: ', 'status'),
        /** Prefix of the priority label (`priority: high`). */
        priority: labelPrefix('priority: ', 'priority'),
        /** Prefix of the type label (`type: bug`). */
        type: labelPrefix('type: ', 'type'),
      })
      .strict()
      .prefault({})
      .refine(
        (labels) => {
          const keys = Object.values(labels).map(prefixKey);
          return keys.every((a, i) => keys.every((b, j) => i === j || !a.startsWith(b)));
        },
        { message: 'the managed label prefixes must differ, and none may start with another' },
      )
      .meta({ description: 'Prefixes of the managed labels.' }),
    /** Local name → GitHub login. A name without an entry is used as the login; a login is read back as the name it stands for. */
    assignees: z
      .record(z.string(), z.string().refine((l) => l.trim() !== '', { message: 'a login cannot be blank' }))
      .default({})
      .refine((map) => new Set(Object.values(map).map((l) => l.toLowerCase())).size === Object.keys(map).length, {
        message: 'two local names cannot map to the same login',
      })
      .meta({ description: 'Local name → GitHub login; a name without an entry is used as the login.' }),
    /** Metadata keys whose values are shown in the issue's managed section. */
    showMetadata: z
      .array(z.string())
      .default([])
      .meta({ description: "Metadata keys whose values are shown in the issue's managed section." }),
  })
  .strict();
export type MappingConfig = z.infer<typeof MappingConfig>;

/** The mapping with every default. */
export const DEFAULT_MAPPING: MappingConfig = MappingConfig.parse({});

// ---------------------------------------------------------------------------
// Markers, limits and notes

/** GitHub's limit on an issue title. */
export const TITLE_LIMIT = 256;
/** GitHub's limit on an issue or comment body. */
export const BODY_LIMIT = 65_536;
/** GitHub's limit on the assignees of an issue. */
export const ASSIGNEE_LIMIT = 10;
/** What ends a text cut to fit GitHub. */
export const CUT_NOTE = '… (cut by ticket-sync: the full text is in the ticket file)';
/** The title GitHub shows for a ticket without one (GitHub refuses a blank title). */
export const UNTITLED = '(untitled)';

export const MANAGED_START = '<!-- ticket-sync:managed:start -->';
export const MANAGED_END = '<!-- ticket-sync:managed:end -->';
const MANAGED_HEADER = '_Generated by ticket-sync from the ticket file. Edit the ticket, not this section: changes here are overwritten._';

/** What starts every ticket-sync marker; a description's own copies are escaped (see `escapeMarkers`). */
const MARKER_PREFIX = '<!-- ticket-sync:';
const ESCAPED_PREFIX = '<!-- ticket-sync:escaped:';

/** The hidden marker that ends the body of a ticket's issue. */
export function ticketMarker(id: string): string {
  return `${MARKER_PREFIX}id=${id} -->`;
}
const TICKET_MARKER = /<!-- ticket-sync:id=(.+?) -->/g;

/** The hidden marker of a comment ticket-sync posts; values are escaped so that any id and author fit. */
function commentMarker(id: string, author: string): string {
  return `${MARKER_PREFIX}comment=${escapeValue(id)} author=${escapeValue(author)} -->`;
}
const COMMENT_MARKER = /<!-- ticket-sync:comment=(\S+) author=(\S*) -->/g;

/** `%`, `>`, white space and control characters as `%XX` / `%uXXXX`: a value then never ends a marker or holds a space. */
function escapeValue(value: string): string {
  return value.replace(/[%>\s\p{Cc}]/gu, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function unescapeValue(value: string): string {
  return value.replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (_, wide: string | undefined, narrow: string | undefined) =>
    String.fromCharCode(parseInt(wide ?? narrow!, 16)),
  );
}

/**
 * A description's own `<!-- ticket-sync:` is written as `<!-- ticket-sync:escaped:`
 * (one more `escaped:` each time), so that no text of a person can pass for
 * one of ticket-sync's markers. `unescapeMarkers` is its exact inverse.
 */
function escapeMarkers(text: string): string {
  return text.replaceAll(MARKER_PREFIX, ESCAPED_PREFIX);
}

function unescapeMarkers(text: string): string {
  return text.replaceAll(ESCAPED_PREFIX, MARKER_PREFIX);
}

/** The last match of a global pattern for which `accept` holds. */
function lastMatch(text: string, pattern: RegExp, accept: (m: RegExpExecArray) => boolean): RegExpExecArray | undefined {
  return [...text.matchAll(pattern)].filter(accept).at(-1);
}

/** `text` without the match `m`; a match alone on its line goes with its line break. */
function without(text: string, m: RegExpExecArray): string {
  const end = m.index + m[0].length;
  const wholeLine = (m.index === 0 || text[m.index - 1] === '\n') && text[end] === '\n';
  return text.slice(0, m.index) + text.slice(wholeLine ? end + 1 : end);
}

/** At most `max` UTF-16 code units of `text`, never half a surrogate pair, trailing white space removed. */
function cutText(text: string, max: number): string {
  let end = Math.max(0, max);
  if (end > 0 && end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end).trimEnd();
}

/** Blocks of Markdown, blank-line separated, the empty ones left out. */
function joinBlocks(blocks: readonly (string | undefined)[]): string {
  return blocks.filter((b): b is string => b !== undefined && b !== '').join('\n\n');
}

/** `text` as it fits in `room`: whole, or cut with `CUT_NOTE` after it. */
function fitted(text: string, room: number): string {
  return text.length <= room ? text : joinBlocks([cutText(text, room - CUT_NOTE.length - 2), CUT_NOTE]);
}

/** Room the body keeps for its marker: the longest id is 200 characters. */
const MARKER_ROOM = ticketMarker('x'.repeat(200)).length;
/** Room for the description part of a body. */
const DESCRIPTION_ROOM = BODY_LIMIT - MARKER_ROOM - 2;

/** What GitHub shows as the title of a view's title. */
function shownTitle(title: string): string {
  if (title === '') return UNTITLED;
  return title.length <= TITLE_LIMIT ? title : cutText(title, TITLE_LIMIT - CUT_NOTE.length) + CUT_NOTE;
}

/** What GitHub shows of a view's description: its markers escaped, cut to fit when too long. */
function shownDescription(description: string): string {
  return fitted(escapeMarkers(description), DESCRIPTION_ROOM);
}

/** A text read back from GitHub without the cut note ticket-sync may have added. */
function withoutCutNote(text: string): string {
  return text.endsWith(CUT_NOTE) ? normalizeText(text.slice(0, -CUT_NOTE.length)) : text;
}

// ---------------------------------------------------------------------------
// Labels, status, assignees

type LabelKind = keyof MappingConfig['labels'];
const LABEL_KINDS: readonly LabelKind[] = ['status', 'priority', 'type'];

/** A prefix as labels are matched against it: lower case, its surrounding space optional. */
function prefixKey(prefix: string): string {
  return prefix.trim().toLowerCase();
}

/** The managed kind a label belongs to, by its prefix, and the value after the prefix. */
function managedLabel(label: string, config: MappingConfig): { kind: LabelKind; value: string } | undefined {
  const name = label.trim();
  for (const kind of LABEL_KINDS) {
    const key = prefixKey(config.labels[kind]);
    if (name.toLowerCase().startsWith(key)) return { kind, value: name.slice(key.length).trim() };
  }
  return undefined;
}

/** Free labels: sorted, unique, never a managed-looking one. */
function freeLabels(labels: readonly string[], config: MappingConfig): string[] {
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

function managedLabels(view: SyncView, config: MappingConfig): string[] {
  const { labels } = config;
  return [
    ...(STATUS_ON_GITHUB[view.status].label ? [labels.status + view.status.replace(/_/g, ' ')] : []),
    labels.priority + view.priority,
    labels.type + view.type,
  ];
}

/** The first value (in label order) of the managed labels of one kind that `read` understands. */
function labelled<T>(labels: readonly string[], kind: LabelKind, config: MappingConfig, read: (word: string) => T | undefined): T | undefined {
  for (const label of nameSet(labels)) {
    const managed = managedLabel(label, config);
    const value = managed?.kind === kind ? read(managed.value) : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The status of an issue. GitHub keeps `state_reason: reopened` on an issue
 * until it is closed again and ignores a new one while the state stays, so an
 * open issue without a status label shows an `open` and a `reopened` ticket
 * alike: the first known view with one of those two statuses decides.
 */
function issueStatus(issue: RemoteIssue, config: MappingConfig, known: readonly SyncView[]): Status {
  if (issue.state === 'closed') return issue.state_reason === 'not_planned' || issue.state_reason === 'duplicate' ? 'cancelled' : 'done';
  const fromLabel = labelled(issue.labels, 'status', config, (w) => {
    const s = statusOf(w);
    return s && OPEN_STATUSES.has(s) ? s : undefined;
  });
  if (fromLabel) return fromLabel;
  const knownStatus = known.find((k) => k.status === 'open' || k.status === 'reopened')?.status;
  return knownStatus ?? (issue.state_reason === 'reopened' ? 'reopened' : 'open');
}

function loginOf(name: string, config: MappingConfig): string {
  return Object.hasOwn(config.assignees, name) ? config.assignees[name]! : name;
}

function nameOf(login: string, config: MappingConfig): string {
  const lower = login.toLowerCase();
  return Object.entries(config.assignees).find(([, l]) => l.toLowerCase() === lower)?.[0] ?? login;
}

/** The logins GitHub shows for a view's assignees: mapped, unique, at most `ASSIGNEE_LIMIT`. */
function shownLogins(assignees: readonly string[], config: MappingConfig): string[] {
  return nameSet(assignees.map((a) => loginOf(a, config))).slice(0, ASSIGNEE_LIMIT);
}

const sameLogins = (a: readonly string[], b: readonly string[]) =>
  sameValue(nameSet(a.map((l) => l.toLowerCase())), nameSet(b.map((l) => l.toLowerCase())));

// ---------------------------------------------------------------------------
// The managed section

/** A value of a format field or metadata key as Markdown, or undefined when there is nothing to show. */
function shownValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = normalizeText(value);
    return text === '' ? undefined : text.includes('\n') ? `\n\n${text}` : ` ${text}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return ` ${String(value)}`;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
    return '\n' + value.map((v) => `- ${normalizeText(String(v)).replace(/\n/g, '\n  ')}`).join('\n');
  }
  if (typeof value === 'object' && Object.keys(value).length === 0) return undefined;
  const json = JSON.stringify(value, null, 2) ?? String(value);
  const fence = '`'.repeat(Math.max(3, ...[...json.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `\n\n${fence}json\n${json}\n${fence}`;
}

/** The entries of the managed section: the format fields, then the metadata keys the mapping shows. */
function managedEntries(ticket: Ticket, config: MappingConfig): { name: string; text: string }[] {
  const fields: [string, unknown][] = [
    ...Object.entries(ticket.format_fields),
    ...config.showMetadata.filter((k) => Object.hasOwn(ticket.metadata, k)).map((k): [string, unknown] => [`metadata.${k}`, ticket.metadata[k]]),
  ];
  // A value that holds a ticket-sync marker must not end the section early.
  const defused = (text: string) => text.replaceAll(MARKER_PREFIX, '<!-- ticket-sync\u200B:');
  return fields.flatMap(([name, value]) => {
    const shown = shownValue(value);
    return shown === undefined ? [] : [{ name: defused(name), text: defused(`**${name}:**${shown}`) }];
  });
}

/** The managed section in at most `room` characters: entries that do not fit are named with the cut note. */
function managedSection(entries: readonly { name: string; text: string }[], room: number): string | undefined {
  if (entries.length === 0) return undefined;
  const frame = `${MANAGED_START}\n---\n${MANAGED_HEADER}\n${MANAGED_END}`;
  let left = room - frame.length;
  if (left < 0) return undefined;
  const shown: string[] = [];
  for (const { name, text } of entries) {
    const cut = `**${name}:** ${CUT_NOTE}`;
    const entry = [text, cut].find((t) => t.length + 2 <= left);
    if (entry === undefined) continue;
    shown.push(entry);
    left -= entry.length + 2;
  }
  return `${MANAGED_START}\n---\n${MANAGED_HEADER}\n\n${shown.join('\n\n')}\n${MANAGED_END}`;
}

// ---------------------------------------------------------------------------
// Ticket → view → issue

/**
 * The synced view of a canonical ticket: texts with `\r\n` folded and
 * trailing white space removed; labels and assignees sorted and unique
 * (managed-looking labels left out, see the module comment); comments sorted
 * by `created_at`, then id.
 */
export function ticketView(ticket: Ticket, config: MappingConfig = DEFAULT_MAPPING): SyncView {
  return {
    title: normalizeText(ticket.title),
    description: normalizeText(ticket.description),
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    labels: freeLabels(ticket.labels, config),
    assignees: nameSet(ticket.assignees),
    comments: ticket.comments.map(commentView).sort(compareComments),
  };
}

function commentView(comment: Comment | SyncComment): SyncComment {
  return cleanComment({ ...comment, body: normalizeText(comment.body) });
}

/**
 * What the issue of `ticket` should be, given the view to show (its synced
 * fields) and the ticket's own format fields and metadata. The body is the
 * description, then the managed section (when it has something to show),
 * then `ticketMarker(ticket.id)` as its last line; see the module comment for
 * the limits.
 */
export function renderIssue(ticket: Ticket, view: SyncView, config: MappingConfig = DEFAULT_MAPPING): Required<IssueWrite> & { title: string; body: string } {
  const problem = idProblem(ticket.id);
  if (problem) throw new Error(`cannot render an issue for this ticket: ${problem}`);
  const marker = ticketMarker(ticket.id);
  const escaped = escapeMarkers(normalizeText(view.description));
  const description = shownDescription(normalizeText(view.description));
  // A cut description leaves no room for the managed section.
  const section = description === escaped ? managedSection(managedEntries(ticket, config), BODY_LIMIT - joinBlocks([description, marker]).length - 2) : undefined;
  const look = STATUS_ON_GITHUB[view.status];
  return {
    title: shownTitle(normalizeText(view.title)),
    body: joinBlocks([description, section, marker]),
    state: look.state,
    state_reason: look.state_reason,
    labels: nameSet([...freeLabels(view.labels, config), ...managedLabels(view, config)]),
    assignees: shownLogins(view.assignees, config),
  };
}

/** The body ticket-sync posts for a local comment: its author named visibly, the text, the hidden marker. */
export function renderComment(comment: SyncComment): string {
  const header = commentHeader(comment.author);
  const marker = commentMarker(comment.id, comment.author);
  return `${header}\n\n${fitted(normalizeText(comment.body), BODY_LIMIT - header.length - marker.length - 4)}\n\n${marker}`;
}

function commentHeader(author: string): string {
  const name = author.replace(/\s+/g, ' ').trim();
  return `**${name === '' ? 'someone' : name.replace(/[\\`*_[\]<>~|]/g, '\\$&')}** wrote:`;
}

// ---------------------------------------------------------------------------
// Issue → view

/**
 * Read an issue and its comments back as a view.
 *
 * `known` is what the issue may have been rendered from: the local view and,
 * where there is one, the merge base (a single view or a list; undefined
 * entries are skipped). A title, description, assignee list or comment that
 * GitHub shows exactly as ticket-sync renders a known view's value reads as
 * that value: that is how a cut text, an untitled ticket, a capped assignee
 * list or a comment's local timestamps read back unchanged.
 *
 * `ticket` is the id in the body's last valid id marker, wherever it stands.
 */
export function issueView(
  issue: RemoteIssue,
  comments: readonly RemoteComment[],
  config: MappingConfig = DEFAULT_MAPPING,
  known?: SyncView | readonly (SyncView | undefined)[],
): { ticket?: string; view: SyncView } {
  const views = (isViewList(known) ? known : [known]).filter((k): k is SyncView => k !== undefined);
  const { ticket, region } = bodyParts(issue.body);
  const title = normalizeText(issue.title);
  const view: SyncView = {
    title: views.find((k) => shownTitle(k.title) === title)?.title ?? withoutCutNote(title),
    description: views.find((k) => shownDescription(k.description) === region)?.description ?? normalizeText(unescapeMarkers(withoutCutNote(region))),
    status: issueStatus(issue, config, views),
    priority: labelled<Priority>(issue.labels, 'priority', config, priorityOf) ?? 'medium',
    type: labelled<TicketType>(issue.labels, 'type', config, typeOf) ?? 'task',
    labels: freeLabels(issue.labels, config),
    assignees:
      views.find((k) => sameLogins(shownLogins(k.assignees, config), issue.assignees))?.assignees ??
      nameSet(issue.assignees.map((l) => nameOf(l, config))),
    comments: commentsView(comments, views),
  };
  return ticket === undefined ? { view } : { ticket, view };
}

function isViewList(known: SyncView | readonly (SyncView | undefined)[] | undefined): known is readonly (SyncView | undefined)[] {
  return Array.isArray(known);
}

/**
 * The ticket id of a body's marker, and the people's region of the body: the
 * body without the marker and the managed section, what stood before and
 * after the section joined by a blank line. Ticket-sync's own parts are the
 * last ones in the body (a description's copies are escaped).
 */
function bodyParts(body: string): { ticket?: string; region: string } {
  let text = body.replace(/\r\n/g, '\n');
  const marker = lastMatch(text, TICKET_MARKER, (m) => idProblem(m[1]!) === undefined);
  if (marker) text = without(text, marker);
  const start = text.lastIndexOf(MANAGED_START);
  if (start >= 0) {
    const end = text.indexOf(MANAGED_END, start);
    const before = text.slice(0, start);
    const after = end < 0 ? '' : text.slice(end + MANAGED_END.length).replace(/^(?:[ \t]*\n)+/, '');
    text = joinBlocks([before.trim() === '' ? '' : before.trimEnd(), after.trim() === '' ? '' : after]);
  }
  return marker ? { ticket: marker[1]!, region: normalizeText(text) } : { region: normalizeText(text) };
}

/**
 * The comments of an issue as the view holds them. A comment with a valid
 * marker is the local comment it names (the first by time claims an id;
 * later copies are GitHub's own); any other is `gh-<id>` by its login.
 */
function commentsView(comments: readonly RemoteComment[], known: readonly SyncView[]): SyncComment[] {
  const claimed = new Set<string>();
  const knownComment = (id: string) => known.map((k) => k.comments.find((c) => c.id === id)).filter((c): c is SyncComment => c !== undefined);
  const ordered = [...comments].sort((a, b) => compareInstants(a.created_at, b.created_at) || a.id - b.id);
  const result = ordered.map((remote): SyncComment => {
    const body = normalizeText(remote.body);
    const marker = lastMatch(body, COMMENT_MARKER, (m) => {
      const id = unescapeValue(m[1]!);
      return idProblem(id) === undefined && !claimed.has(id);
    });
    const id = marker ? unescapeValue(marker[1]!) : `gh-${remote.id}`;
    claimed.add(id);
    const candidates = knownComment(id);
    const same = candidates.find((c) => (marker ? normalizeText(renderComment(c)) === body : c.author === remote.author && c.body === body));
    if (same) return same;
    const author = marker ? unescapeValue(marker[2]!) : remote.author;
    const created_at = candidates[0]?.created_at ?? remote.created_at;
    return cleanComment({
      id,
      author,
      body: marker ? ownCommentBody(without(body, marker), author) : body,
      created_at,
      updated_at: remote.updated_at === created_at ? undefined : remote.updated_at,
    });
  });
  return result.sort(compareComments);
}

/** The text of a comment ticket-sync posted, its marker removed: without its header and cut note. */
function ownCommentBody(text: string, author: string): string {
  const header = commentHeader(author);
  const rest = text.startsWith(header) ? text.slice(header.length).replace(/^\n\n?/, '') : text;
  return withoutCutNote(normalizeText(rest));
}

// ---------------------------------------------------------------------------
// View → ticket

/**
 * `ticket` with the fields of `patch` put back. A field not in the patch, or
 * one whose value the ticket already shows, is untouched (so the ticket keeps
 * its own spelling: CRLF, label order, comment objects). Labels and assignees
 * keep the ticket's order, drop what the patch removed and add what it added
 * at the end; managed-looking labels, which the view never holds, stay.
 * Comments born on GitHub come in with their `gh-<id>` ids. The result is
 * checked against the ticket schema (an invalid patch throws).
 */
export function applyView(ticket: Ticket, patch: Partial<SyncView>, config: MappingConfig = DEFAULT_MAPPING): Ticket {
  const current = ticketView(ticket, config);
  const next: Ticket = { ...ticket };
  if (patch.title !== undefined && patch.title !== current.title) next.title = patch.title;
  if (patch.description !== undefined && patch.description !== current.description) next.description = patch.description;
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.priority !== undefined) next.priority = patch.priority;
  if (patch.type !== undefined) next.type = patch.type;
  if (patch.labels !== undefined && !sameValue(nameSet(patch.labels), current.labels)) {
    next.labels = keptNames(ticket.labels, freeLabels(patch.labels, config), (l) => freeLabels([l], config).length > 0);
  }
  if (patch.assignees !== undefined && !sameValue(nameSet(patch.assignees), current.assignees)) {
    next.assignees = keptNames(ticket.assignees, nameSet(patch.assignees), (a) => a.trim() !== '');
  }
  if (patch.comments !== undefined && !sameValue(patch.comments.map(commentView).sort(compareComments), current.comments)) {
    next.comments = keptComments(ticket.comments, patch.comments);
  }
  return Ticket.parse(next);
}

/** `names` (whose synced ones are `isSynced`) turned into `wanted`, keeping their order and anything not synced. */
function keptNames(names: readonly string[], wanted: readonly string[], isSynced: (name: string) => boolean): string[] {
  const want = new Set(wanted);
  const kept = names.filter((n) => !isSynced(n) || want.has(n.trim()));
  const have = new Set(kept.map((n) => n.trim()));
  return [...kept, ...wanted.filter((n) => !have.has(n))];
}

/** The ticket's comments turned into `wanted`: unchanged ones keep their objects and places, new ones come last. */
function keptComments(comments: readonly Comment[], wanted: readonly SyncComment[]): Comment[] {
  const byId = new Map(wanted.map((c) => [c.id, cleanComment(c)]));
  const kept = comments.flatMap((c) => {
    const want = byId.get(c.id);
    if (!want) return [];
    byId.delete(c.id);
    return [sameValue(commentView(c), want) ? c : want];
  });
  return [...kept, ...byId.values()];
}
