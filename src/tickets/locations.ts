/**
 * Where a working copy keeps its tickets, and in which format: by location
 * first, then by the shape of the files, unless configuration says otherwise.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { FormatName } from './formats/types.js';
import { TASKS_FILE } from './formats/taskmaster.js';

export interface TicketLocation {
  /** Absolute folder. */
  root: string;
  /** Folder relative to the working copy, with `/` separators (`.` for the working copy itself). */
  dir: string;
  format: FormatName;
  /** How the format was settled. */
  how: 'given' | 'location' | 'shape';
}

/** Known locations, in the order they are looked for. */
export const KNOWN_LOCATIONS: readonly { dir: string; format: FormatName | 'by shape'; holds?: string }[] = [
  { dir: '.taskmaster/tasks', format: 'taskmaster', holds: TASKS_FILE },
  { dir: 'tasks', format: 'taskmaster', holds: TASKS_FILE },
  { dir: '.aitrackdown', format: 'aitrackdown', holds: 'tickets' },
  { dir: '.orchestr8/tickets', format: 'ticketmanager' },
  { dir: '.claude-pm/tickets', format: 'ticketdata' },
  { dir: 'tickets', format: 'by shape' },
];

/** The git top level around `cwd` (a folder holding `.git`), else `cwd` itself. */
export function workingCopyRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every ticket location found in a working copy. */
export async function detectLocations(workdir: string): Promise<TicketLocation[]> {
  const found: TicketLocation[] = [];
  for (const known of KNOWN_LOCATIONS) {
    const root = join(workdir, known.dir);
    if (!isDir(root) || (known.holds !== undefined && !existsSync(join(root, known.holds)))) continue;
    const format = known.format === 'by shape' ? await formatByShape(root) : known.format;
    found.push({ root, dir: known.dir, format, how: known.format === 'by shape' ? 'shape' : 'location' });
  }
  return found;
}

/**
 * The location for a folder someone named: `.aitrackdown/tickets` means its
 * `.aitrackdown` parent; the format is the one given, else the one its place
 * or its files' shape tells.
 */
export async function locationOf(dir: string, workdir: string, format?: FormatName): Promise<TicketLocation> {
  let root = resolve(dir);
  if (basename(root) === 'tickets' && basename(dirname(root)) === '.aitrackdown') root = dirname(root);
  const rel = relative(workdir, root).split(sep).join('/') || '.';
  if (format !== undefined) return { root, dir: rel, format, how: 'given' };
  const known = KNOWN_LOCATIONS.find(
    (k) => k.format !== 'by shape' && (rel === k.dir || rel.endsWith('/' + k.dir)) && (k.holds === undefined || existsSync(join(root, k.holds))),
  );
  if (known !== undefined && known.format !== 'by shape') return { root, dir: rel, format: known.format, how: 'location' };
  if (existsSync(join(root, TASKS_FILE))) return { root, dir: rel, format: 'taskmaster', how: 'shape' };
  if (isDir(join(root, 'tickets')) && basename(root) === '.aitrackdown') return { root, dir: rel, format: 'aitrackdown', how: 'location' };
  return { root, dir: rel, format: await formatByShape(root), how: 'shape' };
}

/** Look at up to 50 ticket files and vote; an empty folder is ours. */
export async function formatByShape(root: string): Promise<FormatName> {
  const votes = new Map<FormatName, number>();
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true })).filter((p) => p.endsWith('.json')).sort().slice(0, 50);
  } catch {
    return 'native';
  }
  for (const entry of entries) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(root, entry), 'utf8'));
    } catch {
      continue;
    }
    const vote = shapeOf(value);
    if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  let best: FormatName = 'native';
  let bestCount = 0;
  for (const [format, count] of votes) {
    if (count > bestCount) [best, bestCount] = [format, count];
  }
  return best;
}

/** Which format one parsed file looks like, if any. */
export function shapeOf(value: unknown): FormatName | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.tasks) || Object.values(o).some((v) => v !== null && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).tasks))) {
    return 'taskmaster';
  }
  if ('fiefdom' in o || 'notes' in o || ('errors' in o && 'warnings' in o)) return 'ticketmanager';
  if ('tags' in o || 'parent_epic' in o || 'parent_issue' in o || 'child_issues' in o) return 'aitrackdown';
  if ('assignee' in o || (typeof o.id === 'string' && o.id.startsWith('CLAUDE-'))) return 'ticketdata';
  if ('assignees' in o || 'type' in o || (typeof o.id === 'string' && /^(EP|ISS|TSK|BUG)-\d+$/.test(o.id))) return 'native';
  return undefined;
}
