/**
 * Which of a ticket's assignees GitHub may hold. Only logins GitHub can
 * assign in the repository go to the issue; the other names stay in the
 * ticket only. Pure: which logins GitHub can assign is asked before, and
 * comes in as `canAssign`.
 */
import type { SyncView } from './types.js';

/** Whether GitHub can assign a login in the repository. */
export type CanAssign = (login: string) => boolean;

/**
 * The view with the ticket's names GitHub does not show but never
 * removed: an assignee GitHub does not have is a removal only if GitHub had
 * it. A name GitHub cannot take, or could not take at the last sync
 * (`offGitHub`), is kept (and goes to GitHub once it can take it).
 */
export function keepOffGitHub(
  remote: SyncView,
  local: SyncView,
  known: { canAssign: CanAssign; loginOf: (name: string) => string; offGitHub: ReadonlySet<string> },
): SyncView {
  const kept = local.assignees.filter((name) => !remote.assignees.includes(name) && (!known.canAssign(known.loginOf(name)) || known.offGitHub.has(name)));
  return kept.length === 0 ? remote : { ...remote, assignees: [...remote.assignees, ...kept].sort() };
}

/** The local names whose logins the issue does not show: those whose assignability the merge must know. */
export function namesNotShown(local: SyncView, remote: SyncView): string[] {
  return local.assignees.filter((name) => !remote.assignees.includes(name));
}
