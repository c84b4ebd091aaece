import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { Config } from './schema.js';
import type { Problem } from '../tickets/problems.js';
import { toPointer } from '../tickets/problems.js';

export const CONFIG_PATH = '.github/ticket-sync.yml';

export type ConfigResult = { ok: true; config: Config; found: boolean } | { ok: false; problems: Problem[] };

/** Parse and check a configuration text; problems name the key, line and column. */
export function parseConfig(text: string, path = CONFIG_PATH): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    return {
      ok: false,
      problems: [{ path, ...at(error.pos[0]), pointer: '', code: 'invalid-json', message: `invalid YAML: ${error.message.split('\n')[0]}` }],
    };
  }
  const value: unknown = doc.toJS() ?? {};
  const checked = Config.safeParse(value);
  if (checked.success) return { ok: true, config: checked.data, found: true };
  return {
    ok: false,
    problems: checked.error.issues.map((issue: z.core.$ZodIssue) => {
      const keys = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
      const node = keys.length > 0 && isMap(doc.contents) ? doc.getIn(keys, true) : doc.contents;
      const range = (node as { range?: [number, number, number] } | null)?.range;
      const key = keys.join('.') || '(root)';
      const unknown = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
      return { path, ...at(range?.[0] ?? 0), pointer: toPointer(keys), code: 'schema' as const, message: `${key}: ${unknown}` };
    }),
  };
}

/**
 * The configuration a file's text gives, or the defaults when there is no
 * file (`undefined`). The one reader of both the CLI (the working copy's
 * file) and the App (the repository's file, read through the contents API).
 */
export function configOf(text: string | undefined, path = CONFIG_PATH): ConfigResult {
  return text === undefined ? { ok: true, config: Config.parse({}), found: false } : parseConfig(text, path);
}

/** The working copy's configuration, or the defaults when it has none. */
export async function loadConfig(workdir: string): Promise<ConfigResult> {
  let text: string | undefined;
  try {
    text = await readFile(join(workdir, CONFIG_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return configOf(text);
}
