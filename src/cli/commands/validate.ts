/**
 * `ticket-sync validate`: check every ticket file of a location (or of every
 * location the working copy has) and report each problem with its place.
 */
import { statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { FORMATS, type FormatName } from '../../tickets/formats/index.js';
import { detectLocations, locationOf, workingCopyRoot, type TicketLocation } from '../../tickets/locations.js';
import { linkClaims } from '../../tickets/link-claims.js';
import { formatProblem, sortProblems, type Problem } from '../../tickets/problems.js';
import { TicketStore } from '../../tickets/store.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export interface ValidateOptions {
  dir?: string;
  format?: FormatName;
  json?: boolean;
}

export interface LocationReport {
  dir: string;
  format: FormatName;
  files: number;
  tickets: number;
  problems: number;
}

export interface ValidateReport {
  ok: boolean;
  locations: LocationReport[];
  /** Problems with paths relative to the current folder. */
  problems: Problem[];
}

/** The locations a command works on: `--dir`, else configuration, else detection. */
export async function resolveLocations(io: CliIo, options: { dir?: string; format?: FormatName }): Promise<TicketLocation[]> {
  const workdir = workingCopyRoot(io.cwd);
  if (options.dir !== undefined) {
    const dir = resolve(io.cwd, options.dir);
    let isDirectory = false;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      throw new UsageError(`--dir ${options.dir}: no such folder`);
    }
    if (!isDirectory) throw new UsageError(`--dir ${options.dir}: not a folder`);
    return [await locationOf(dir, workdir, options.format)];
  }
  const config = await loadConfig(workdir);
  if (!config.ok) {
    const where = config.problems.map((p) => formatProblem({ ...p, path: displayPath(io.cwd, resolve(workdir, p.path)) })).join('\n');
    throw new UsageError(`invalid configuration:\n${where}`);
  }
  const configured = config.config.tickets;
  if (configured.path !== undefined) {
    return [await locationOf(resolve(workdir, configured.path), workdir, options.format ?? configured.format)];
  }
  const found = await detectLocations(workdir);
  if (found.length === 0) {
    throw new UsageError(
      `no tickets found in ${displayPath(io.cwd, workdir) || '.'}: looked for tickets/, .claude-pm/tickets/, .orchestr8/tickets/, .aitrackdown/, tasks/tasks.json and .taskmaster/tasks/tasks.json; pass --dir`,
    );
  }
  const format = options.format ?? configured.format;
  return format === undefined ? found : found.map((l) => ({ ...l, format, how: 'given' as const }));
}

function displayPath(cwd: string, absolute: string): string {
  return relative(cwd, absolute).split(sep).join('/');
}

export async function validate(io: CliIo, options: ValidateOptions): Promise<number> {
  const locations = await resolveLocations(io, options);
  const report: ValidateReport = { ok: true, locations: [], problems: [] };
  for (const location of locations) {
    const snapshot = await new TicketStore(location.root, FORMATS[location.format]).snapshot();
    // Two tickets claiming one issue are problems too: neither is synced until one link is removed.
    const problems = sortProblems([...snapshot.problems, ...linkClaims(snapshot.tickets).problems]);
    const shown = displayPath(io.cwd, location.root) || '.';
    report.locations.push({
      dir: shown,
      format: location.format,
      files: snapshot.fileCount,
      tickets: snapshot.tickets.length,
      problems: problems.length,
    });
    report.problems.push(...problems.map((p) => ({ ...p, path: displayPath(io.cwd, resolve(location.root, p.path)) })));
  }
  report.ok = report.problems.length === 0;

  if (options.json) {
    io.stdout(JSON.stringify(report, null, 2) + '\n');
  } else {
    for (const problem of report.problems) io.stdout(formatProblem(problem) + '\n');
    for (const l of report.locations) {
      const problems = l.problems === 0 ? 'no problems' : `${l.problems} problem${l.problems === 1 ? '' : 's'}`;
      io.stderr(`${l.dir} (${FORMATS[l.format].title}): ${l.tickets} ticket${l.tickets === 1 ? '' : 's'} in ${l.files} file${l.files === 1 ? '' : 's'}, ${problems}\n`);
    }
  }
  return report.ok ? EXIT.ok : EXIT.problems;
}
