/**
 * Comments on GitHub, both ways. A comment ticket-sync posts names its local
 * author visibly and carries a hidden comment marker with the local id and
 * author (`renderComment`); reading back (`commentsView`), a comment with a
 * valid marker is the local comment it names, any other is `gh-<id>` by its
 * login. Pure.
 */
import type { RemoteComment } from '../../github/types.js';
import type { Comment } from '../../tickets/model.js';
import { compareInstants } from '../time.js';
import type { SyncComment, SyncView } from '../types.js';
import { cleanComment, compareComments, normalizeText } from '../view.js';
import { BODY_LIMIT, fitted, withoutCutNote } from './limits.js';
import { commentMarker, commentMarkerIn } from './markers.js';

/** A comment as the view holds it: its body's `\r\n` folded and trailing white space removed. */
export function commentView(comment: Comment | SyncComment): SyncComment {
  return cleanComment({ ...comment, body: normalizeText(comment.body) });
}

/** The body ticket-sync posts for a local comment: its author named visibly, the text, the hidden marker. */
export function renderComment(comment: SyncComment): string {
  const header = commentHeader(comment.author);
  const marker = commentMarker(comment.id, comment.author);
  return `${header}\n\n${fitted(normalizeText(comment.body), BODY_LIMIT - header.length - marker.length - 4)}\n\n${marker}`;
}

function commentHeader(author: string): string {
  const name = author.replace(/\s+/g, ' ').trim();
  return `**${name === '' ? 'someone' : name.replace(/[\\`*_[\]<>~|]/g, '\\$&')}** wrote:`;
}

/**
 * The comments of an issue as the view holds them. A comment with a valid
 * marker is the local comment it names (the first by time claims an id;
 * later copies are GitHub's own); any other is `gh-<id>` by its login. A
 * comment GitHub shows exactly as ticket-sync renders a known view's comment
 * reads as that comment (its local timestamps kept).
 */
export function commentsView(comments: readonly RemoteComment[], known: readonly SyncView[]): SyncComment[] {
  const claimed = new Set<string>();
  const knownComment = (id: string) => known.map((k) => k.comments.find((c) => c.id === id)).filter((c): c is SyncComment => c !== undefined);
  const ordered = [...comments].sort((a, b) => compareInstants(a.created_at, b.created_at) || a.id - b.id);
  const result = ordered.map((remote): SyncComment => {
    const body = normalizeText(remote.body);
    const marker = commentMarkerIn(body, (id) => !claimed.has(id));
    const id = marker ? marker.id : `gh-${remote.id}`;
    claimed.add(id);
    const candidates = knownComment(id);
    const same = candidates.find((c) => (marker ? normalizeText(renderComment(c)) === body : c.author === remote.author && c.body === body));
    if (same) return same;
    const author = marker ? marker.author : remote.author;
    const created_at = candidates[0]?.created_at ?? remote.created_at;
    return cleanComment({
      id,
      author,
      body: marker ? ownCommentBody(marker.rest, author) : body,
      created_at,
      updated_at: remote.updated_at === created_at ? undefined : remote.updated_at,
    });
  });
  return result.sort(compareComments);
}

/** The text of a comment ticket-sync posted, its marker removed: without its header and cut note. */
function ownCommentBody(text: string, author: string): string {
  const header = commentHeader(author);
  const rest = text.startsWith(header) ? text.slice(header.length).replace(/^\n\n?/, '') : text;
  return withoutCutNote(normalizeText(rest));
}
