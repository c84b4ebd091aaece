/**
 * The files under a ticket store: a folder on disk for the CLI, or a
 * repository's files held in memory (read from the git tree, committed back)
 * for the GitHub App. Paths are relative to the root, with `/` separators.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { writeFileAtomic, type AtomicSteps } from './atomic-file.js';
import { StoreError } from './store-error.js';

export interface TicketFiles {
  /** For messages: where the files are. */
  readonly root: string;
  /** Paths (relative to the root, `/`-separated, sorted) of regular files below the root; no links, no hidden folders. */
  list(): Promise<string[]>;
  /** Raw bytes of a file (the store decodes UTF-8 strictly itself). */
  read(path: string): Promise<Buffer>;
  /** Refuse (a StoreError `unsafe-path`) a path that is not a file inside the root; `write` and `remove` refuse it too. */
  assertInside(path: string): void;
  /** Write atomically (create folders as needed). */
  write(path: string, text: string): Promise<void>;
  /** Remove a file; one that is not there is no error. */
  remove(path: string): Promise<void>;
}

/** A change to files held in memory: the new text, or null for a removal. */
export interface FileChange {
  path: string;
  text: string | null;
}

export interface MemoryFiles extends TicketFiles {
  /** Every path written or removed, once, in the order of its last change, with that change. */
  changes(): FileChange[];
}

function unsafePath(path: string, root: string): StoreError {
  return new StoreError(`refusing to write ${path}: it is outside ${root}`, 'unsafe-path');
}

/** Whether a path has a hidden segment (a hidden folder, or a temporary file of an atomic write). */
const isHidden = (path: string): boolean => path.split('/').some((segment) => segment.startsWith('.'));

/** A folder on disk: files are written atomically (`steps` are for tests), links are never followed. */
export function localFiles(root: string, steps?: AtomicSteps): TicketFiles {
  /** The absolute path of a location-relative path, refusing anything outside the root. */
  const resolveInside = (path: string): string => {
    const target = resolve(root, path);
    const rel = relative(root, target);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw unsafePath(path, root);
    return target;
  };
  return {
    root,
    async list() {
      let entries;
      try {
        entries = await readdir(root, { recursive: true, withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((path) => !isHidden(path))
        .sort();
    },
    read: (path) => readFile(join(root, path)),
    assertInside(path) {
      resolveInside(path);
    },
    async write(path, text) {
      await writeFileAtomic(resolveInside(path), text, steps);
    },
    async remove(path) {
      await rm(resolveInside(path), { force: true });
    },
  };
}

/**
 * Files held in memory, by path relative to the root (`initial` holds regular
 * files only: leave links out). What is written and removed is kept for
 * `changes()`, to be committed as one.
 */
export function memoryFiles(initial: Map<string, Buffer | string>, root = 'memory'): MemoryFiles {
  /** The path in its normal form (`a/./b` → `a/b`), refusing one that is absolute or escapes the root. */
  const inside = (path: string): string => {
    const normal = posix.normalize(path);
    if (posix.isAbsolute(path) || normal === '.' || normal === '..' || normal.startsWith('../')) throw unsafePath(path, root);
    return normal;
  };
  const files = new Map<string, Buffer>();
  for (const [path, content] of initial) files.set(inside(path), Buffer.from(content));
  const changed = new Map<string, string | null>();
  const record = (path: string, text: string | null): void => {
    changed.delete(path);
    changed.set(path, text);
  };
  return {
    root,
    async list() {
      return [...files.keys()].filter((path) => !isHidden(path)).sort();
    },
    async read(path) {
      const content = files.get(inside(path));
      if (content === undefined) throw Object.assign(new Error(`no file ${path} in ${root}`), { code: 'ENOENT' });
      return Buffer.from(content);
    },
    assertInside(path) {
      inside(path);
    },
    async write(path, text) {
      const key = inside(path);
      files.set(key, Buffer.from(text, 'utf8'));
      record(key, text);
    },
    async remove(path) {
      const key = inside(path);
      files.delete(key);
      record(key, null);
    },
    changes: () => [...changed].map(([path, text]) => ({ path, text })),
  };
}
