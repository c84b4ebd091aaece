/**
 * Where a working copy keeps its tickets, and in which format: by location
 * first, then by the shape of the files, unless configuration says otherwise.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { mapBounded } from './bounded-map.js';
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

/** How many JSON files of a folder are read to tell its format by their shape, on disk and in a git tree alike. */
export const SHAPE_SAMPLE = 20;

/** Reads some files at once: path → bytes, null for one that cannot be read. */
export type ReadSome = (paths: string[]) => Promise<Map<string, Buffer | null>>;

/**
 * The format a folder's files look like: the first {@link SHAPE_SAMPLE} JSON
 * files among `paths` (in code-unit order) each vote with their shape; the
 * most votes win, a tie goes to the format voted for first, and no vote at all
 * (no JSON, none readable, none of a known shape) means our own format.
 */
export async function guessFormat(paths: readonly string[], readSome: ReadSome): Promise<FormatName> {
  const sample = paths.filter((p) => p.endsWith('.json')).sort(byCodeUnits).slice(0, SHAPE_SAMPLE);
  if (sample.length === 0) return 'native';
  const contents = await readSome(sample);
  const votes = new Map<FormatName, number>();
  for (const path of sample) {
    const content = contents.get(path);
    if (content === null || content === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(content.toString('utf8'));
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

/** What {@link locateTickets} needs of the configuration. */
export interface LocateConfig {
  tickets: { path?: string; format?: FormatName };
}

/**
 * Where a repository keeps its tickets, from the paths of its files (`/`
 * separators, relative to its top) and a reader of some of them: the
 * configured folder, else the first known location present. The format is
 * the configured one, else the one the location tells, else the files' shape
 * ({@link guessFormat}). Undefined when there is no location.
 */
export async function locateTickets(
  paths: readonly string[],
  config: LocateConfig,
  readSome: ReadSome,
): Promise<{ dir: string; format: FormatName } | undefined> {
  const under = (dir: string) => paths.filter((p) => p.startsWith(`${dir}/`));
  const byShape = (dir: string) => guessFormat(under(dir).filter((p) => !isHidden(p.slice(dir.length + 1))), readSome);
  if (config.tickets.path !== undefined) {
    const dir = config.tickets.path.replace(/\/+$/, '');
    const known = KNOWN_LOCATIONS.find((k) => k.dir === dir && k.format !== 'by shape');
    const format = config.tickets.format ?? (known?.format as FormatName | undefined) ?? (await byShape(dir));
    return { dir, format };
  }
  for (const known of KNOWN_LOCATIONS) {
    const holds = known.holds;
    const present = holds === undefined ? under(known.dir).length > 0 : paths.some((p) => p === `${known.dir}/${holds}` || p.startsWith(`${known.dir}/${holds}/`));
    if (!present) continue;
    if (config.tickets.format !== undefined) return { dir: known.dir, format: config.tickets.format };
    return { dir: known.dir, format: known.format === 'by shape' ? await byShape(known.dir) : known.format };
  }
  return undefined;
}

/** The format of a folder on disk by the shape of its files ({@link guessFormat}); a missing folder is ours. */
export async function formatByShape(root: string): Promise<FormatName> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch {
    return 'native';
  }
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => !isHidden(path));
  return guessFormat(paths, async (sample) => {
    const read = await mapBounded(sample, SHAPE_SAMPLE, (path) => readFile(join(root, path)).catch(() => null));
    return new Map(sample.map((path, i) => [path, read[i]!]));
  });
}

/** Code-unit order, the same on every machine. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a path has a hidden segment: the store never reads such a file. */
const isHidden = (path: string): boolean => path.split('/').some((segment) => segment.startsWith('.'));

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
