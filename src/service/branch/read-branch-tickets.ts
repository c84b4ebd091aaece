/**
 * Step: the ticket files of a branch head, read into memory — the tree's
 * paths, where the tickets are (`locateTickets`, as in a working copy), and
 * the files of that folder. Trees and blobs
 * are read once per sha (the blob cache lives in the state store).
 */
import type { Config } from '../../config/schema.js';
import type { BranchHead, RepoFiles } from '../../github/repo-files.js';
import { memoryFiles, type MemoryFiles } from '../../tickets/files.js';
import type { FormatName } from '../../tickets/formats/index.js';
import { locateTickets } from '../../tickets/locations.js';

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
