/**
 * `ticket-sync sync | push | pull | status`: two-way sync from a working
 * copy (the last-writer log is `log.ts`).
 */
import type { Direction } from '../../service/context.js';
import type { SyncReport, TicketReport } from '../../service/report.js';
import { EXIT, type CliIo } from '../io.js';
import { openSyncContext, type SyncFlags } from '../sync-context.js';
import { progressBar } from '../progress.js';

function describe(line: TicketReport, dryRun: boolean): string {
  if (line.outcome === 'imported') return dryRun ? `#${line.issue} would be imported as a new ticket` : `${line.ticket} imported from #${line.issue}`;
  const issue = line.issue === undefined ? '' : ` #${line.issue}`;
  const verb: Record<TicketReport['outcome'], string> = {
    'in-sync': 'in sync',
    created: dryRun ? 'would create its issue' : 'created its issue',
    pushed: dryRun ? 'would update GitHub' : 'updated GitHub',
    pulled: dryRun ? 'would update the ticket file' : 'updated the ticket file',
    merged: dryRun ? 'would update both sides' : 'updated both sides',
    imported: dryRun ? 'would be imported' : 'imported',
    failed: 'could not be synced',
    skipped: 'skipped',
  };
  const fields = [
    line.local.length > 0 ? `ticket: ${line.local.join(', ')}` : '',
    line.github.length > 0 && line.outcome !== 'created' ? `GitHub: ${line.github.join(', ')}` : '',
    line.conflicts.length > 0 ? `conflicts (last writer won, logged): ${line.conflicts.join(', ')}` : '',
    line.reason ?? '',
  ].filter(Boolean);
  return `${line.ticket}${issue} ${verb[line.outcome]}${fields.length > 0 ? ` (${fields.join('; ')})` : ''}`;
}

export async function runSync(io: CliIo, direction: Direction, flags: SyncFlags): Promise<number> {
  const ctx = await openSyncContext(io, flags);
  try {
    const bar = io.isTTY && !flags.json ? progressBar() : undefined;
    const report: SyncReport = await ctx.service.sync(direction, flags.dryRun ?? false, bar?.tick);
    bar?.stop();
    const failed = report.tickets.filter((t) => t.outcome === 'failed');
    if (flags.json) {
      // The failed tickets' reasons are in their lines; the errors themselves are the App's, to retry by.
      const { errors: _, ...shown } = report;
      io.stdout(JSON.stringify({ repo: ctx.repo, dryRun: flags.dryRun ?? false, ...shown }, null, 2) + '\n');
    } else {
      for (const line of report.tickets) if (line.outcome !== 'in-sync' || flags.dryRun) io.stdout(describe(line, flags.dryRun ?? false) + '\n');
      for (const problem of report.problems) io.stdout(`not synced: ${problem}\n`);
      const count = (o: TicketReport['outcome']) => report.tickets.filter((t) => t.outcome === o).length;
      io.stderr(
        `${ctx.repo}: ${report.tickets.length} tickets, ${count('in-sync')} in sync, ${count('created')} created, ${count('imported')} imported, ${count('pushed') + count('pulled') + count('merged')} updated, ${failed.length} failed${flags.dryRun ? ' (dry run: nothing written)' : ''}\n`,
      );
    }
    return failed.length > 0 || report.problems.length > 0 ? EXIT.problems : EXIT.ok;
  } finally {
    await ctx.close();
  }
}

export async function runStatus(io: CliIo, flags: SyncFlags): Promise<number> {
  const ctx = await openSyncContext(io, flags);
  try {
    const lines = await ctx.service.status();
    if (flags.json) io.stdout(JSON.stringify(lines, null, 2) + '\n');
    else {
      for (const l of lines) {
        io.stdout(`${l.ticket.padEnd(24)} ${(l.issue === undefined ? '-' : `#${l.issue}`).padEnd(7)} ${l.state}${l.fields.length > 0 ? ` (${l.fields.join(', ')})` : ''}\n`);
      }
    }
    return lines.every((l) => l.state === 'in sync') ? EXIT.ok : EXIT.problems;
  } finally {
    await ctx.close();
  }
}
