/**
 * When an issue's body was last edited, and by whom: only GitHub's GraphQL
 * API tells it (`lastEditedAt`, `editor`); its REST events record no body
 * edit. Null when the body was never edited; undefined when GitHub does not
 * say (a token or server without GraphQL, an answer with errors, an answer
 * that does not read — it is untrusted).
 */
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import type { FieldStamp } from '../sync/types.js';
import type { RepoRef } from './types.js';

const BODY_EDIT_QUERY = `query ($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) { lastEditedAt editor { login } }
  }
}`;

const BodyEditJson = z
  .object({
    issue: z.object({ lastEditedAt: z.string().min(1).nullable(), editor: z.object({ login: z.string() }).nullable().optional() }).nullable(),
  })
  .nullable();

export async function bodyEdit(octokit: Pick<Octokit, 'graphql'>, repo: RepoRef, issue: number): Promise<FieldStamp | null | undefined> {
  let repository: unknown;
  try {
    ({ repository } = await octokit.graphql<{ repository: unknown }>(BODY_EDIT_QUERY, { owner: repo.owner, repo: repo.name, number: issue }));
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
  const read = BodyEditJson.safeParse(repository);
  if (!read.success || read.data?.issue == null) return undefined;
  const { lastEditedAt, editor } = read.data.issue;
  return lastEditedAt == null ? null : { writer: editor?.login ?? 'ghost', at: lastEditedAt };
}

/** A 4xx, or a GraphQL answer with errors (its own error class, without a status). */
function isRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, errors } = error as { status?: unknown; errors?: unknown };
  return (typeof status === 'number' && status >= 400 && status < 500) || (status === undefined && Array.isArray(errors));
}
