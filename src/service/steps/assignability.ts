/**
 * Reading which logins GitHub can assign, and remembering a ticket's names
 * it could not take. The policy itself is pure (`sync/assignee-policy.ts`).
 */
import type { CanAssign } from '../../sync/assignee-policy.js';
import { offGitHub } from '../../store/records.js';
import type { SyncContext } from '../context.js';

/** The login GitHub knows a local name by: through the assignee map, else the name itself. */
export function loginOf(ctx: SyncContext, name: string): string {
  return Object.hasOwn(ctx.mapping.assignees, name) ? ctx.mapping.assignees[name]! : name;
}

/** Ask GitHub about `logins` (the adapter asks once per login per run) and answer from what it said. */
export async function canAssignOf(ctx: SyncContext, logins: Iterable<string>): Promise<CanAssign> {
  const answers = new Map<string, boolean>();
  for (const login of logins) {
    const key = login.toLowerCase();
    if (!answers.has(key)) answers.set(key, await ctx.github.canAssign(login));
  }
  return (login) => answers.get(login.toLowerCase()) ?? false;
}

/** The ticket's names GitHub could not take at the last sync. */
export async function recalledOffGitHub(ctx: SyncContext, ticket: string): Promise<Set<string>> {
  return new Set((await offGitHub.get(ctx.state, ctx.repo, ticket)) ?? []);
}

/** Remember which of a ticket's names GitHub cannot take. */
export async function rememberOffGitHub(ctx: SyncContext, ticket: string, names: readonly string[]): Promise<void> {
  const canAssign = await canAssignOf(ctx, names.map((n) => loginOf(ctx, n)));
  const off = names.filter((name) => !canAssign(loginOf(ctx, name)));
  await offGitHub.set(ctx.state, ctx.repo, ticket, off.length > 0 ? off : undefined);
}
