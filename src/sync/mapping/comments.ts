/**
 * Comments on GitHub, both ways. A comment ticket-sync posts names its local
 * author visibly and carries a hidden comment marker with the local id and
 * author (`renderComment`); reading back (`commentsView`), a comment that
 * ticket-sync's own login wrote with a valid marker is the local comment it
 * names, any other is `gh-<id>` by its login, its text as written. Pure.
 */
import type { RemoteComment } from '../../github/types.js';
import type { Comment } from '../../tickets/model.js';
import { compareInstants } from '../time.js';
import type { SyncComment, SyncView } from '../types.js';
import { cleanComment, compareComments, normalizeText } from '../view.js';
import { BODY_LIMIT, fitted, withoutCutNote } from './limits.js';
import { commentMarker, commentMarkerIn, escapeMarkers, unescapeMarkers } from './markers.js';

/** A comment as the view holds it: its body's `\r\n` folded and trailing white space removed. */
export function commentView(comment: Comment | SyncComment): SyncComment {
  return cleanComment({ ...comment, body: normalizeText(comment.body) });
}

/**
 * The body ticket-sync posts for a local comment: its author named visibly,
 * the text (its own copies of markers escaped, so that only the last marker
 * is ever read), the hidden marker.
 */
export function renderComment(comment: SyncComment): string {
  const header = commentHeader(comment.author);
  const marker = commentMarker(comment.id, comment.author);
  return `${header}\n\n${fitted(escapeMarkers(normalizeText(comment.body)), BODY_LIMIT - header.length - marker.length - 4)}\n\n${marker}`;
}

function commentHeader(author: string): string {
  const name = author.replace(/\s+/g, ' ').trim();
  return `**${name === '' ? 'someone' : name.replace(/[\\`*_[\]<>~|]/g, '\\$&')}** wrote:`;
}

/**
 * The comments of an issue as the view holds them. `self` is the login
 * ticket-sync writes as (its App's bot, or the CLI token's user), compared
 * without regard to case: only a comment it wrote with a valid marker is the
 * local comment the marker names (the first by time claims an id; later
 * copies are GitHub's own). Any other comment is `gh-<id>` by its login, its
 * text as written, markers and all: a person's comment never passes for a
 * local one, nor for someone else's. Without `self`, a marker on any comment
 * counts. No marker claims `gh-<id>` of a comment present. A comment GitHub
 * shows exactly as ticket-sync renders a known view's comment reads as that
 * comment (its local timestamps kept).
 */
export function commentsView(comments: readonly RemoteComment[], known: readonly SyncView[], self?: string): SyncComment[] {
  const claimed = new Set(comments.map((c) => `gh-${c.id}`));
  const ours = (remote: RemoteComment) => self === undefined || sameLogin(remote.author, self);
  const knownComment = (id: string) => known.map((k) => k.comments.find((c) => c.id === id)).filter((c): c is SyncComment => c !== undefined);
  const ordered = [...comments].sort((a, b) => compareInstants(a.created_at, b.created_at) || a.id - b.id);
  const result = ordered.map((remote): SyncComment => {
    const body = normalizeText(remote.body);
    const marker = ours(remote) ? commentMarkerIn(body, (id) => !claimed.has(id)) : undefined;
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

/** Logins compare without regard to case, as GitHub compares them. */
function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The text of a comment ticket-sync posted, its marker removed: without its header and cut note, its markers unescaped. */
function ownCommentBody(text: string, author: string): string {
  const header = commentHeader(author);
  const rest = text.startsWith(header) ? text.slice(header.length).replace(/^\n\n?/, '') : text;
  return unescapeMarkers(withoutCutNote(normalizeText(rest)));
}
