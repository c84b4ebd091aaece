import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The step that makes a write visible; tests put a crash there. */
export interface AtomicSteps {
  rename(from: string, to: string): Promise<void>;
}

/**
 * Write a file so that readers see either the old content or the new, never
 * a part: a temporary file in the same folder (same file system), flushed,
 * then renamed over the target. The target's permission bits are kept. A
 * failure at any step leaves the old content and removes the temporary file.
 */
export async function writeFileAtomic(path: string, text: string, steps: AtomicSteps = { rename }): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // A new file.
  }
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await steps.rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
