/**
 * `ticket-sync log` and `ticket-sync restore`: the last-writer log. `log`
 * and `restore --dry-run` read local state only (the state store and the
 * ticket files): no token, no remote, no request to GitHub. A real
 * `restore` writes the value to the ticket file and to GitHub.
 */
import type { LogEntry, StateStore } from '../../store/types.js';
import { workingCopyRoot } from '../../tickets/locations.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { openState, repoOfLinks, resolveRepo, singleLocation, ticketStoreOf } from '../local-state.js';
import { openSyncContext, type SyncFlags } from '../sync-context.js';

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A logged time; `~` before one that is the side's time, not the field's (the field changed at or before it). */
function when(at: string, approximate: boolean | undefined): string {
  return approximate ? `~${at}` : at;
}

export function formatLogEntry(e: LogEntry): string {
  const conflict = e.conflict ? ` [conflict: ${e.conflict.side}'s ${show(e.conflict.value)} by ${e.conflict.writer} at ${when(e.conflict.at, e.conflict.approximate)} lost]` : '';
  return `#${e.seq} ${when(e.at, e.approximate)} ${e.ticket} ${e.field} on ${e.side}: ${show(e.before)} → ${show(e.after)} by ${e.writer} (${e.cause})${conflict}`;
}

/** The repository and its state, read-only: `--repo`, the origin remote, or the repository the tickets link to. */
async function openLocal(io: CliIo, flags: SyncFlags): Promise<{ repo: string; state: StateStore }> {
  const workdir = workingCopyRoot(io.cwd);
  const links = async () => repoOfLinks(ticketStoreOf(await singleLocation(io, flags)));
  const { repo } = await resolveRepo(workdir, flags, links);
  return { repo, state: await openState(workdir, io.env, true) };
}

export async function runLog(io: CliIo, ticket: string | undefined, flags: SyncFlags & { conflicts?: boolean }): Promise<number> {
  const { repo, state } = await openLocal(io, flags);
  try {
    const entries = await state.readLog(repo, { ...(ticket ? { ticket } : {}), ...(flags.conflicts ? { conflicts: true } : {}) });
    if (flags.json) {
      const shown = entries.map(({ seq, repo: r, ticket: t, field, side, writer, at, approximate, cause, before, after, conflict }) => ({
        seq, repo: r, ticket: t, field, side, writer, at, ...(approximate ? { approximate } : {}), cause, before, after, ...(conflict ? { conflict } : {}),
      }));
      io.stdout(JSON.stringify(shown, null, 2) + '\n');
    } else {
      for (const e of entries) io.stdout(formatLogEntry(e) + '\n');
      if (entries.length === 0) io.stderr('the log is empty\n');
    }
    return EXIT.ok;
  } finally {
    await state.close();
  }
}

export async function runRestore(io: CliIo, seqText: string, flags: SyncFlags): Promise<number> {
  const seq = Number(seqText);
  if (!Number.isInteger(seq) || seq < 1) throw new UsageError(`restore ${seqText}: expected a log sequence number (1, 2, …)`);
  if (flags.dryRun) return planRestore(io, seq, flags);
  const ctx = await openSyncContext(io, flags);
  try {
    const entries = await ctx.service.restore(seq);
    if (flags.json) io.stdout(JSON.stringify(entries, null, 2) + '\n');
    else for (const e of entries) io.stdout(formatLogEntry(e) + '\n');
    return EXIT.ok;
  } finally {
    await ctx.close();
  }
}

/** `restore --dry-run`: what the restore would write, and where, from local state only; nothing is written. */
async function planRestore(io: CliIo, seq: number, flags: SyncFlags): Promise<number> {
  const location = await singleLocation(io, flags);
  const tickets = ticketStoreOf(location);
  const { repo } = await resolveRepo(workingCopyRoot(io.cwd), flags, () => repoOfLinks(tickets));
  const state = await openState(workingCopyRoot(io.cwd), io.env, true);
  try {
    const entry = await state.getLogEntry(repo, seq);
    const loaded = entry && (await tickets.snapshot()).tickets.find((t) => t.ticket.id === entry.ticket);
    if (!entry || !loaded) {
      io.stderr(`ticket-sync: restore ${seq}: ${entry ? `ticket ${entry.ticket} is not in the ticket location` : `no log entry ${seq} for ${repo}`}\n`);
      return EXIT.problems;
    }
    const value = entry.conflict ? entry.conflict.value : entry.before;
    const issue = loaded.ticket.github?.issue ?? (await state.getLink(repo, entry.ticket));
    const file = `${location.dir === '.' ? '' : `${location.dir}/`}${loaded.path}`;
    if (flags.json) io.stdout(JSON.stringify({ dryRun: true, seq, repo, ticket: entry.ticket, field: entry.field, value, file, issue: issue ?? null }, null, 2) + '\n');
    else io.stdout(`${entry.ticket} ${entry.field} → ${show(value)} would be written to ${file} and to ${issue === undefined ? 'its issue' : `#${issue}`} on ${repo} (restore:${seq}; dry run: nothing written)\n`);
    return EXIT.ok;
  } finally {
    await state.close();
  }
}
