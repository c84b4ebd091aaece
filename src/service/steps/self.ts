/** Who ticket-sync is on GitHub, asked only when a marker must be weighed. */
import type { RemoteComment } from '../../github/types.js';
import { commentMarkerIn } from '../../sync/mapping/markers.js';
import type { SyncContext } from '../context.js';

/** ticket-sync's own login when some comment carries a comment marker (whose author then decides whether it counts); else none is needed. */
export async function selfForComments(ctx: SyncContext, comments: readonly RemoteComment[]): Promise<string | undefined> {
  return comments.some((c) => commentMarkerIn(c.body, () => true) !== undefined) ? ctx.self() : undefined;
}
