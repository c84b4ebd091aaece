/** Which tickets a push puts in scope: those with a file among the paths it changed. */
import { CONFIG_PATH } from '../../config/load.js';
import { FORMATS, type FormatName } from '../../tickets/formats/index.js';
import type { LoadedTicket } from '../../tickets/formats/types.js';

/** The changed paths that scope a run; none (everything) when the configuration is among them: it may move the location or change every issue. */
export function scopingPaths(changed: readonly string[] | undefined): readonly string[] | undefined {
  return changed?.some((path) => path.replace(/^\/+/, '') === CONFIG_PATH) ? undefined : changed;
}

/**
 * The tickets with a file among `changed`; `undefined` (everything) when a
 * removed file the format owns cannot be told apart from part of a ticket,
 * as a deleted comment file of aitrackdown's. A removed ticket file leaves
 * no ticket to sync either way.
 */
export function pushScope(changed: readonly string[], dir: string, format: FormatName, contents: ReadonlyMap<string, Buffer>): ((loaded: LoadedTicket) => boolean) | undefined {
  const prefix = dir === '' || dir === '.' ? '' : `${dir}/`;
  const inLocation = new Set<string>();
  for (const raw of changed) {
    const path = raw.replace(/^\/+/, '');
    if (path.startsWith(prefix)) inLocation.add(path.slice(prefix.length));
  }
  for (const path of inLocation) {
    const hidden = path.split('/').some((part) => part.startsWith('.'));
    if (!contents.has(path) && !hidden && path.endsWith('.json') && FORMATS[format].owns(path)) return undefined;
  }
  return (loaded) => loaded.files.some((file) => inLocation.has(file));
}
