/**
 * Step: the ticket files of a branch head, read into memory — the tree's
 * paths, where the tickets are (configuration, else the known places, else
 * the shape of `tickets/`), and the files of that folder. Trees and blobs
 * are read once per sha (the blob cache lives in the state store).
 */
import type { Config } from '../../config/schema.js';
import type { BranchHead, RepoFiles } from '../../github/repo-files.js';
import { memoryFiles, type MemoryFiles } from '../../tickets/files.js';
import type { FormatName } from '../../tickets/formats/index.js';
import { KNOWN_LOCATIONS, shapeOf } from '../../tickets/locations.js';

export interface BranchTickets {
  location: { dir: string; format: FormatName };
  /** The folder's files as read (paths relative to the folder). */
  contents: Map<string, Buffer>;
  /** The same files, for a ticket store to read and write in memory. */
  files: MemoryFiles;
}

/** The tickets at `head`; none when the branch has no ticket location and nothing is imported into a new one. */
export async function readBranchTickets(files: RepoFiles, head: BranchHead, config: Config): Promise<BranchTickets | { location: undefined }> {
  const paths = await files.listPaths(head.tree);
  // A repository without tickets takes issues born on GitHub as native tickets in tickets/.
  const location =
    (await locateTickets(paths, config, (p) => files.readFiles(head.tree, p))) ?? (config.import === 'none' ? undefined : { dir: 'tickets', format: 'native' as const });
  if (location === undefined) return { location: undefined };
  const contents = await files.readFolder(head.tree, location.dir);
  return { location, contents, files: memoryFiles(contents, location.dir) };
}

/** Where a repository keeps its tickets: configuration, else the known places, else the shape of `tickets/`. */
export async function locateTickets(
  paths: readonly string[],
  config: Config,
  readSome: (paths: string[]) => Promise<Map<string, Buffer | null>>,
): Promise<{ dir: string; format: FormatName } | undefined> {
  const has = (dir: string, holds?: string) =>
    holds === undefined ? paths.some((p) => p.startsWith(`${dir}/`)) : paths.some((p) => p === `${dir}/${holds}` || p.startsWith(`${dir}/${holds}/`));
  if (config.tickets.path !== undefined) {
    const dir = config.tickets.path.replace(/\/+$/, '');
    const known = KNOWN_LOCATIONS.find((k) => k.dir === dir && k.format !== 'by shape');
    const format = config.tickets.format ?? (known?.format as FormatName | undefined) ?? (await byShape(dir));
    return { dir, format };
  }
  for (const known of KNOWN_LOCATIONS) {
    if (!has(known.dir, known.holds)) continue;
    const format = known.format === 'by shape' ? await byShape(known.dir) : known.format;
    return { dir: known.dir, format: config.tickets.format ?? format };
  }
  return undefined;

  async function byShape(dir: string): Promise<FormatName> {
    const sample = paths.filter((p) => p.startsWith(`${dir}/`) && p.endsWith('.json')).slice(0, 5);
    const votes = new Map<FormatName, number>();
    for (const content of (await readSome(sample)).values()) {
      if (content === null) continue;
      try {
        const vote = shapeOf(JSON.parse(content.toString('utf8')));
        if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
      } catch {
        // An unreadable file has no vote.
      }
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'native';
  }
}
