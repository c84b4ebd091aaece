/**
 * Assignees on GitHub, both ways: local names become logins through the
 * `assignees` map (a name without an entry is its own login), logins read
 * back as the names they stand for, and GitHub shows at most
 * `ASSIGNEE_LIMIT` of them. Pure.
 */
import type { MappingConfig } from '../../config/mapping.js';
import { nameSet, sameValue } from '../view.js';
import { ASSIGNEE_LIMIT } from './limits.js';

function loginOf(name: string, config: MappingConfig): string {
  return Object.hasOwn(config.assignees, name) ? config.assignees[name]! : name;
}

/** The local name a login stands for (in any case), or the login itself. */
export function nameOf(login: string, config: MappingConfig): string {
  const lower = login.toLowerCase();
  return Object.entries(config.assignees).find(([, l]) => l.toLowerCase() === lower)?.[0] ?? login;
}

/** The logins GitHub shows for a view's assignees: mapped, unique, at most `ASSIGNEE_LIMIT`. */
export function shownLogins(assignees: readonly string[], config: MappingConfig): string[] {
  return nameSet(assignees.map((a) => loginOf(a, config))).slice(0, ASSIGNEE_LIMIT);
}

/** Whether two lists of logins name the same accounts (GitHub logins are not case-sensitive). */
export const sameLogins = (a: readonly string[], b: readonly string[]) =>
  sameValue(nameSet(a.map((l) => l.toLowerCase())), nameSet(b.map((l) => l.toLowerCase())));
