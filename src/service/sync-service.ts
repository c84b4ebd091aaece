/**
 * One sync of a repository's tickets with its issues: the imperative shell
 * around the pure engine. Data flows one way: read both sides → reconcile →
 * write both sides → log. The CLI runs it from a working copy; the App will
 * run it on events.
 */
import { isDeepStrictEqual } from 'node:util';
import type { GitHubIssues, RemoteComment, RemoteIssue } from '../github/types.js';
import type { LogEntry, StateStore } from '../store/types.js';
import { applyView, issueView, renderComment, renderIssue, ticketView, type MappingConfig } from '../sync/mapping.js';
import { reconcile } from '../sync/merge.js';
import type { LogDraft, SyncComment, SyncField, SyncView } from '../sync/types.js';
import type { Ticket } from '../tickets/model.js';
import type { LoadedTicket } from '../tickets/formats/types.js';
import { StoreError, type TicketStore } from '../tickets/store.js';

export type Direction = 'both' | 'push' | 'pull';

export type Outcome =
  | 'in-sync'
  | 'created'
  | 'pushed'
  | 'pulled'
  | 'merged'
  | 'imported'
  | 'failed'
  | 'skipped';

export interface TicketReport {
  /** The ticket's id; `(new)` for an import a dry run would make (the format picks the id when it writes). */
  ticket: string;
  issue?: number;
  outcome: Outcome;
  /** What changed or would change, by side: field names. */
  local: string[];
  github: string[];
  conflicts: string[];
  reason?: string;
}

export interface SyncReport {
  tickets: TicketReport[];
  /** Problems of the ticket location (invalid files, duplicates): those tickets are not synced. */
  problems: string[];
}

export type TicketState = 'not linked' | 'in sync' | 'local ahead' | 'GitHub ahead' | 'conflict' | 'issue missing';

export interface StatusLine {
  ticket: string;
  issue?: number;
  state: TicketState;
  fields: string[];
}

/**
 * Which issues opened on GitHub without a ticket-sync marker become new
 * tickets: all, none, or only those carrying a label (any case).
 */
export type ImportIssues = 'none' | 'all' | { label: string };

export interface SyncServiceOptions {
  /** `owner/name`. */
  repo: string;
  tickets: TicketStore;
  github: GitHubIssues;
  state: StateStore;
  mapping: MappingConfig;
  /** What caused this run, for the log (`cli:<run id>`, a delivery id, a commit sha). */
  cause: string;
  /** Who the local side's writes are by, when the ticket does not say (the git user, say). */
  localWriter: string;
  /** Who GitHub's side was last written by, when known (a webhook's sender); else `github`. */
  githubWriter?: string;
  /** When a ticket's file was last written (its last commit, or its modification time), for tickets with no update time. */
  fileTime?: (loaded: LoadedTicket) => Promise<string | undefined>;
  /** Now, for the local side's time when a ticket has no update time. */
  now: () => Date;
  /** Which unmarked, unlinked issues `pull` and `both` import as new tickets. Default: `none`. */
  importIssues?: ImportIssues;
  /**
   * Issues an earlier attempt of this run imported and marked, whose ticket
   * never landed (the App's commit lost the race for the branch): imported
   * again although they carry a marker.
   */
  importAgain?: readonly number[];
  /**
   * Issues whose comments are read afresh whatever the cache says: an App run
   * for a comment event names its issue, since a comment edit need not move
   * the issue's update time.
   */
  refreshComments?: readonly number[];
  /**
   * A scoped run (the App on a push): {@link SyncService.sync} syncs only the
   * tickets this accepts, and reads GitHub only for them. A ticket with a
   * known issue (its own link, else the state's) reads that one issue (a
   * conditional `getIssue`); only a ticket with no known link, or whose
   * issue is gone, falls back to the issue listing (pairing by marker, and
   * the duplicate check before creating). Nothing is imported: issues born
   * on GitHub come in with issue events and full runs. Without it (the CLI),
   * every ticket is synced against the whole listing. `status` and
   * `restore` ignore it.
   */
  only?: (loaded: LoadedTicket) => boolean;
}

/** Told after each ticket, for progress bars. */
export type Progress = (done: number, total: number, ticket: string) => void;

interface Pair {
  loaded: LoadedTicket;
  issue?: RemoteIssue;
}

const BASE_META = (ticket: string) => `comments-seen:${ticket}`;
const OFF_GITHUB = (ticket: string) => `off-github:${ticket}`;

export class SyncService {
  constructor(private readonly o: SyncServiceOptions) {}

  /** Sync every valid ticket; `dryRun` computes the same plan and writes nothing anywhere. */
  async sync(direction: Direction = 'both', dryRun = false, onProgress?: Progress): Promise<SyncReport> {
    const snapshot = await this.o.tickets.snapshot();
    const only = this.o.only;
    let pairs: Pair[];
    let imports: RemoteIssue[] = [];
    if (only === undefined) {
      const issues = await this.o.github.listIssues();
      pairs = await this.pair(snapshot.tickets, issues);
      if (direction !== 'push') imports = await this.toImport(pairs, issues);
    } else {
      pairs = await this.pairScoped(snapshot.tickets.filter((loaded) => only(loaded)));
    }
    const report: SyncReport = {
      tickets: [],
      problems: snapshot.problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.message}`),
    };
    const total = pairs.length + imports.length;
    let done = 0;
    for (const pair of pairs) {
      let line: TicketReport;
      try {
        const { loaded, issue } = pair;
        line = issue === undefined ? await this.create(loaded, direction, dryRun) : await this.merge({ loaded, issue }, direction, dryRun);
      } catch (error) {
        line = { ticket: pair.loaded.ticket.id, issue: pair.issue?.number, outcome: 'failed', local: [], github: [], conflicts: [], reason: reasonOf(error) };
      }
      report.tickets.push(line);
      onProgress?.(++done, total, pair.loaded.ticket.id);
    }
    for (const issue of imports) {
      const line = await this.importIssue(issue, dryRun);
      report.tickets.push(line);
      onProgress?.(++done, total, line.ticket);
    }
    return report;
  }

  /** Where each ticket stands, without writing anything. */
  async status(): Promise<StatusLine[]> {
    const snapshot = await this.o.tickets.snapshot();
    const issues = await this.o.github.listIssues();
    const pairs = await this.pair(snapshot.tickets, issues);
    const lines: StatusLine[] = [];
    for (const { loaded, issue } of pairs) {
      const id = loaded.ticket.id;
      const linked = loaded.ticket.github?.issue ?? (await this.o.state.getLink(this.o.repo, id));
      if (issue === undefined) {
        lines.push({ ticket: id, ...(linked ? { issue: linked } : {}), state: linked ? 'issue missing' : 'not linked', fields: [] });
        continue;
      }
      const local = ticketView(loaded.ticket, this.o.mapping);
      const base = await this.o.state.getBase(this.o.repo, id);
      const remote = (await this.remoteView(issue, id, local, base)).view;
      const localChanged = changedFields(base, local);
      const remoteChanged = changedFields(base, remote);
      const state: TicketState =
        isDeepStrictEqual(local, remote) ? 'in sync' : localChanged.length > 0 && remoteChanged.length > 0 ? 'conflict' : remoteChanged.length > 0 ? 'GitHub ahead' : 'local ahead';
      lines.push({ ticket: id, issue: issue.number, state, fields: [...new Set([...localChanged, ...remoteChanged])] });
    }
    return lines;
  }

  /**
   * Apply a logged value again as a new write, to the ticket file and to
   * GitHub: a conflict's losing value, or else the value before the write.
   */
  async restore(seq: number): Promise<LogEntry[]> {
    const entry = await this.o.state.getLogEntry(this.o.repo, seq);
    if (!entry) throw new StoreError(`no log entry ${seq}`, 'not-found');
    const value = entry.conflict ? entry.conflict.value : entry.before;
    const snapshot = await this.o.tickets.snapshot();
    const loaded = snapshot.tickets.find((t) => t.ticket.id === entry.ticket);
    if (!loaded) throw new StoreError(`ticket ${entry.ticket} is not in the ticket location`, 'not-found');
    const issue = await this.issueOf(loaded, await this.o.github.listIssues());
    if (!issue) throw new StoreError(`ticket ${entry.ticket} has no issue to restore on`, 'not-found');
    const local = ticketView(loaded.ticket, this.o.mapping);
    const next = restoredView(local, entry.field, value);
    const at = this.o.now().toISOString();
    const fields = changedFields(local, next);
    await this.writeLocal(loaded, next, fields, issue);
    const remote = await this.remoteView(issue, loaded.ticket.id, local, await this.o.state.getBase(this.o.repo, loaded.ticket.id), true);
    await this.writeGitHub(loaded.ticket, issue, remote.view, next);
    await this.o.state.setBase(this.o.repo, loaded.ticket.id, next);
    const drafts: LogDraft[] = (['local', 'github'] as const).map((side) => ({
      ticket: entry.ticket,
      field: entry.field,
      side,
      writer: this.o.localWriter,
      at,
      before: fieldValue(local, entry.field),
      after: value,
    }));
    return this.o.state.appendLog(this.o.repo, drafts.map((d) => ({ ...d, cause: `restore:${seq}` })));
  }

  // ---- one ticket ----

  private async create(loaded: LoadedTicket, direction: Direction, dryRun: boolean): Promise<TicketReport> {
    const ticket = loaded.ticket;
    const report: TicketReport = { ticket: ticket.id, outcome: 'created', local: ['github'], github: ['issue'], conflicts: [] };
    if (direction === 'pull') return { ...report, outcome: 'skipped', local: [], github: [], reason: 'not linked to an issue (push creates it)' };
    if (dryRun) return report;
    // Idempotent: an issue made by a run that crashed before it recorded the link is found by its marker.
    const view = ticketView(ticket, this.o.mapping);
    const issue = (await this.o.github.findByMarker(ticket.id)) ?? (await this.o.github.createIssue(await this.issueWrite(ticket, view)));
    report.issue = issue.number;
    const comments = await this.o.github.listComments(issue.number);
    const posted = new Set(issueView(issue, comments, this.o.mapping, [view]).view.comments.map((c) => c.id));
    for (const comment of view.comments) {
      if (!posted.has(comment.id)) await this.o.github.createComment(issue.number, renderComment(comment));
    }
    await this.link(loaded, issue);
    await this.rememberOffGitHub(ticket.id, view.assignees);
    await this.o.state.setBase(this.o.repo, ticket.id, view);
    await this.o.state.appendLog(this.o.repo, [
      { ticket: ticket.id, field: 'title', side: 'github', writer: this.writerOf(ticket), at: await this.timeOf(loaded), before: null, after: view.title, cause: this.o.cause },
    ]);
    return report;
  }

  private async merge({ loaded, issue }: Required<Pair>, direction: Direction, dryRun: boolean): Promise<TicketReport> {
    const ticket = loaded.ticket;
    const local = ticketView(ticket, this.o.mapping);
    const base = await this.o.state.getBase(this.o.repo, ticket.id);
    const { view: remote, assigneesToPush } = await this.remoteView(issue, ticket.id, local, base);
    const result = reconcile(
      ticket.id,
      base,
      { view: local, writer: this.writerOf(ticket), at: await this.timeOf(loaded) },
      // The issue does not say who last edited it: the CLI writes `github`; the App passes the event's sender.
      { view: remote, writer: this.o.githubWriter ?? 'github', at: issue.updated_at },
    );
    const toLocal = direction === 'push' ? [] : (Object.keys(result.local) as SyncField[]);
    const toGitHub = direction === 'pull' ? [] : (Object.keys(result.github) as SyncField[]);
    if (assigneesToPush && direction !== 'pull' && !toGitHub.includes('assignees')) toGitHub.push('assignees');
    const report: TicketReport = {
      ticket: ticket.id,
      issue: issue.number,
      outcome: toLocal.length > 0 && toGitHub.length > 0 ? 'merged' : toLocal.length > 0 ? 'pulled' : toGitHub.length > 0 ? 'pushed' : 'in-sync',
      local: toLocal,
      github: toGitHub,
      conflicts: [...new Set(result.log.filter((l) => l.conflict).map((l) => l.field))],
    };
    const needsLink = ticket.github?.issue !== issue.number;
    if (dryRun) return needsLink ? { ...report, local: [...report.local, 'github'] } : report;

    if (toLocal.length > 0 || needsLink) await this.writeLocal(loaded, result.merged, toLocal, issue);
    if (toGitHub.length > 0) await this.writeGitHub(ticket, issue, remote, result.merged);
    if (toGitHub.includes('assignees') || toLocal.includes('assignees') || base === undefined) await this.rememberOffGitHub(ticket.id, result.merged.assignees);
    if (needsLink) await this.o.state.setLink(this.o.repo, ticket.id, issue.number);
    const nextBase = direction === 'both' ? result.merged : oneWayBase(base, direction === 'push' ? local : remote, result.merged, [...toLocal, ...toGitHub]);
    if (!isDeepStrictEqual(base, nextBase)) await this.o.state.setBase(this.o.repo, ticket.id, nextBase);
    const written = result.log.filter((l) => (l.side === 'local' ? toLocal : toGitHub).includes(l.field.startsWith('comment:') ? 'comments' : (l.field as SyncField)));
    if (written.length > 0) await this.o.state.appendLog(this.o.repo, written.map((l) => ({ ...l, cause: this.o.cause })));
    return report;
  }

  /**
   * An issue born on GitHub as a new ticket: created through the store (the
   * format picks the id), filled from the issue, linked both ways, and the
   * issue marked so that it pairs by marker from then on.
   */
  private async importIssue(issue: RemoteIssue, dryRun: boolean): Promise<TicketReport> {
    const report: TicketReport = { ticket: '(new)', issue: issue.number, outcome: 'imported', local: ['ticket'], github: ['body'], conflicts: [] };
    if (dryRun) return report;
    let id: string | undefined;
    try {
      const comments = issue.comments === 0 ? [] : await this.o.github.listComments(issue.number);
      const { view } = issueView(issue, comments, this.o.mapping);
      const ticket = await this.o.tickets.create({
        ...view,
        created_at: issue.created_at,
        updated_at: issue.updated_at,
        github: { issue: issue.number, url: issue.url },
      });
      id = ticket.id;
      await this.o.state.setLink(this.o.repo, id, issue.number);
      await this.o.state.setBase(this.o.repo, id, view);
      const body = renderIssue(ticket, view, this.o.mapping).body;
      if (body !== issue.body) await this.o.github.updateIssue(issue.number, { body });
      await this.o.state.appendLog(this.o.repo, [
        { ticket: id, field: 'title', side: 'local', writer: issue.author, at: issue.created_at, before: null, after: view.title, cause: this.o.cause },
      ]);
      return { ...report, ticket: id };
    } catch (error) {
      return { ...report, ticket: id ?? report.ticket, outcome: 'failed', local: [], github: [], reason: reasonOf(error) };
    }
  }

  // ---- writing ----

  private async writeLocal(loaded: LoadedTicket, view: SyncView, fields: readonly SyncField[], issue: RemoteIssue): Promise<void> {
    const patch = Object.fromEntries(fields.map((f) => [f, view[f]])) as Partial<SyncView>;
    await this.o.tickets.update(loaded.ticket.id, (current) => {
      const next = applyView(current, patch, this.o.mapping);
      return current.github?.issue === issue.number && current.github.url === issue.url ? next : { ...next, github: { issue: issue.number, url: issue.url } };
    });
  }

  private async writeGitHub(ticket: Ticket, issue: RemoteIssue, remote: SyncView, next: SyncView): Promise<void> {
    const desired = renderIssue(ticket, next, this.o.mapping);
    const current = renderIssue(ticket, remote, this.o.mapping);
    const write: Record<string, unknown> = {};
    for (const key of ['title', 'body', 'state', 'state_reason', 'labels'] as const) {
      if (!isDeepStrictEqual(desired[key], current[key])) write[key] = desired[key];
    }
    // Assignees against what the issue really has: names GitHub cannot take stay in the ticket only.
    const assignees = await this.assignable(desired.assignees);
    if (!isDeepStrictEqual([...assignees].sort(), [...issue.assignees].sort())) write.assignees = assignees;
    if (current.state === 'closed' && desired.state === 'closed' && write.state_reason !== undefined) {
      // GitHub ignores a new close reason unless the state changes: reopen, then close with it.
      await this.o.github.updateIssue(issue.number, { state: 'open' });
      write.state = 'closed';
    }
    if (Object.keys(write).length > 0) await this.o.github.updateIssue(issue.number, write);
    await this.writeComments(ticket.id, issue, remote.comments, next.comments);
  }

  private async writeComments(ticket: string, issue: RemoteIssue, before: readonly SyncComment[], after: readonly SyncComment[]): Promise<void> {
    if (isDeepStrictEqual(before, after)) return;
    const remote = await this.o.github.listComments(issue.number);
    // What GitHub holds once these writes are done, kept as the comments this run saw.
    let now = [...remote];
    const byLocalId = new Map<string, RemoteComment>();
    for (const c of remote) {
      const read = issueView({ ...issue, body: '' }, [c], this.o.mapping).view.comments[0];
      if (read) byLocalId.set(read.id, c);
    }
    const wanted = new Map(after.map((c) => [c.id, c]));
    for (const old of before) {
      const gone = !wanted.has(old.id);
      const target = byLocalId.get(old.id);
      if (gone && target) {
        await this.o.github.deleteComment(target.id);
        now = now.filter((c) => c.id !== target.id);
      }
    }
    const had = new Map(before.map((c) => [c.id, c]));
    for (const comment of after) {
      const target = byLocalId.get(comment.id);
      if (!target) now.push(await this.o.github.createComment(issue.number, renderComment(comment)));
      else if (!isDeepStrictEqual(had.get(comment.id), comment) && !comment.id.startsWith('gh-')) {
        const edited = await this.o.github.updateComment(target.id, renderComment(comment));
        now = now.map((c) => (c.id === edited.id ? edited : c));
      }
    }
    // An issue's time has a second's resolution (and a comment edit need not move it): without this, a
    // later run in the same second would take the comments as they were before these writes.
    await this.o.state.setMeta(this.o.repo, BASE_META(ticket), { updated_at: issue.updated_at, count: now.length, comments: now });
  }

  /** Only logins GitHub can assign go to the issue; the others stay in the ticket. */
  private async assignable(logins: readonly string[]): Promise<string[]> {
    const result: string[] = [];
    for (const login of logins) if (await this.o.github.canAssign(login)) result.push(login);
    return result;
  }

  private async issueWrite(ticket: Ticket, view: SyncView) {
    const write = renderIssue(ticket, view, this.o.mapping);
    return { ...write, assignees: await this.assignable(write.assignees) };
  }

  private async link(loaded: LoadedTicket, issue: RemoteIssue): Promise<void> {
    await this.o.state.setLink(this.o.repo, loaded.ticket.id, issue.number);
    if (loaded.ticket.github?.issue !== issue.number || loaded.ticket.github.url !== issue.url) {
      await this.o.tickets.update(loaded.ticket.id, (t) => ({ ...t, github: { issue: issue.number, url: issue.url } }));
    }
  }

  // ---- reading ----

  /**
   * The issues to import: no ticket is paired with them or links to them, the
   * state links no ticket to them, they carry no marker (unless an earlier
   * attempt of this run marked them), and they pass the import filter. Pull
   * requests never reach here: the adapter leaves them out.
   */
  private async toImport(pairs: readonly Pair[], issues: readonly RemoteIssue[]): Promise<RemoteIssue[]> {
    const filter = this.o.importIssues ?? 'none';
    if (filter === 'none') return [];
    const again = new Set(this.o.importAgain ?? []);
    const taken = new Set<number>();
    for (const { loaded, issue } of pairs) {
      if (issue) taken.add(issue.number);
      if (loaded.ticket.github) taken.add(loaded.ticket.github.issue);
    }
    const wanted = (issue: RemoteIssue) =>
      filter === 'all' || issue.labels.some((l) => l.trim().toLowerCase() === filter.label.trim().toLowerCase());
    const result: RemoteIssue[] = [];
    for (const issue of [...issues].sort((a, b) => a.number - b.number)) {
      if (taken.has(issue.number) || !wanted(issue)) continue;
      if (!again.has(issue.number) && issueView(issue, [], this.o.mapping).ticket !== undefined) continue;
      if ((await this.o.state.ticketForIssue(this.o.repo, issue.number)) !== undefined) continue;
      result.push(issue);
    }
    return result;
  }

  /** Pair each ticket with its issue: the ticket's own link, the store's, or the issue's marker. */
  private async pair(tickets: readonly LoadedTicket[], issues: readonly RemoteIssue[]): Promise<Pair[]> {
    const pairs: Pair[] = [];
    for (const loaded of tickets) pairs.push({ loaded, issue: await this.issueOf(loaded, issues) });
    return pairs;
  }

  /**
   * Pair the tickets of a scoped run: a known link reads its one issue; the
   * listing is read (once) only for a ticket with no known link or whose
   * issue is gone, and pairs it as a full run would.
   */
  private async pairScoped(tickets: readonly LoadedTicket[]): Promise<Pair[]> {
    let listing: Promise<RemoteIssue[]> | undefined;
    const pairs: Pair[] = [];
    for (const loaded of tickets) {
      const number = loaded.ticket.github?.issue ?? (await this.o.state.getLink(this.o.repo, loaded.ticket.id));
      const linked = number === undefined ? undefined : await this.o.github.getIssue(number);
      pairs.push({ loaded, issue: linked ?? (await this.issueOf(loaded, await (listing ??= this.o.github.listIssues()))) });
    }
    return pairs;
  }

  private async issueOf(loaded: LoadedTicket, issues: readonly RemoteIssue[]): Promise<RemoteIssue | undefined> {
    const id = loaded.ticket.id;
    const number = loaded.ticket.github?.issue ?? (await this.o.state.getLink(this.o.repo, id));
    const byNumber = number === undefined ? undefined : issues.find((i) => i.number === number);
    if (byNumber) return byNumber;
    // An issue an earlier attempt of this run marked is imported again, not claimed by a ticket that took its id meanwhile.
    const again = new Set(this.o.importAgain ?? []);
    return issues.find((i) => !again.has(i.number) && issueView(i, [], this.o.mapping).ticket === id);
  }

  /**
   * The issue as a view. What GitHub shows exactly as ticket-sync would render
   * the ticket or the base reads as that value (cut texts, a reopened state).
   * An assignee GitHub does not have is a removal only if GitHub had it: one it
   * cannot take, or could not take at the last sync, is kept (and pushed once
   * GitHub can take it).
   */
  private async remoteView(issue: RemoteIssue, ticket: string, local: SyncView, base: SyncView | undefined, fresh = false): Promise<{ view: SyncView; assigneesToPush: boolean }> {
    const view = issueView(issue, await this.commentsOf(issue, ticket, fresh), this.o.mapping, [local, base]).view;
    const offGitHub = new Set((await this.o.state.getMeta<string[]>(this.o.repo, OFF_GITHUB(ticket))) ?? []);
    const kept: string[] = [];
    let assigneesToPush = false;
    for (const name of local.assignees) {
      if (view.assignees.includes(name)) continue;
      const assignable = await this.o.github.canAssign(this.loginOf(name));
      if (!assignable || offGitHub.has(name)) kept.push(name);
      if (assignable && offGitHub.has(name)) assigneesToPush = true;
    }
    return { view: kept.length === 0 ? view : { ...view, assignees: [...view.assignees, ...kept].sort() }, assigneesToPush };
  }

  private loginOf(name: string): string {
    return this.o.mapping.assignees[name] ?? name;
  }

  /** Remember which of a ticket's assignees GitHub could not take. */
  private async rememberOffGitHub(ticket: string, assignees: readonly string[]): Promise<void> {
    const off: string[] = [];
    for (const name of assignees) if (!(await this.o.github.canAssign(this.loginOf(name)))) off.push(name);
    await this.o.state.setMeta(this.o.repo, OFF_GITHUB(ticket), off.length > 0 ? off : undefined);
  }

  /**
   * An issue's comments, listed only when they may have changed: their count or
   * the issue's update time differs from what the last sync saw.
   */
  private async commentsOf(issue: RemoteIssue, ticket: string, force = false): Promise<RemoteComment[]> {
    const seen = await this.o.state.getMeta<{ updated_at: string; count: number; comments: RemoteComment[] }>(this.o.repo, BASE_META(ticket));
    const fresh = force || (this.o.refreshComments?.includes(issue.number) ?? false);
    if (!fresh && seen && seen.updated_at === issue.updated_at && seen.count === issue.comments) return seen.comments;
    const comments = issue.comments === 0 && !fresh ? [] : await this.o.github.listComments(issue.number);
    await this.o.state.setMeta(this.o.repo, BASE_META(ticket), { updated_at: issue.updated_at, count: issue.comments, comments });
    return comments;
  }

  private writerOf(ticket: Ticket): string {
    const author = ticket.metadata.updated_by;
    return typeof author === 'string' && author !== '' ? author : this.o.localWriter;
  }

  /** The local side's time: the ticket's update time, else when its file was last written, else its creation, else now. */
  private async timeOf(loaded: LoadedTicket): Promise<string> {
    const ticket = loaded.ticket;
    return ticket.updated_at ?? (await this.o.fileTime?.(loaded)) ?? ticket.created_at ?? this.o.now().toISOString();
  }
}

function changedFields(base: SyncView | undefined, view: SyncView): SyncField[] {
  if (base === undefined) return [];
  return (Object.keys(view) as SyncField[]).filter((f) => !isDeepStrictEqual(base[f], view[f]));
}

/**
 * The base after a one-way run: written fields hold the merged value; the
 * others keep their base, so the other side's pending change is still a change
 * next run. Without a base, an unwritten field takes the value of the side
 * this run wrote from, which makes the other side's (winning) value a change.
 */
function oneWayBase(base: SyncView | undefined, source: SyncView, merged: SyncView, written: readonly SyncField[]): SyncView {
  const next = { ...(base ?? source) };
  for (const field of written) (next as Record<SyncField, unknown>)[field] = merged[field];
  return next;
}

function fieldValue(view: SyncView, field: string): unknown {
  if (field.startsWith('comment:')) return view.comments.find((c) => c.id === field.slice('comment:'.length)) ?? null;
  return view[field as SyncField];
}

function restoredView(view: SyncView, field: string, value: unknown): SyncView {
  if (!field.startsWith('comment:')) return { ...view, [field]: value };
  const id = field.slice('comment:'.length);
  const others = view.comments.filter((c) => c.id !== id);
  const comments = value === null ? others : [...others, value as SyncComment];
  return { ...view, comments: comments.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1)) };
}

function reasonOf(error: unknown): string {
  if (error instanceof StoreError) return error.message;
  const e = error as { status?: number; message?: string };
  return e.status ? `GitHub answered ${e.status}: ${e.message}` : String(e.message ?? error);
}
