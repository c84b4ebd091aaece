/**
 * The login the CLI's token acts as: ticket-sync's own identity for the
 * CLI, the author whose issues and comments may carry markers that count.
 * Asked of GitHub (`GET /user`) the first time a run needs it, and kept in
 * the state store under a fingerprint of the token (never the token), so
 * later runs ask nothing.
 */
import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { tokenLogin } from '../store/records.js';
import type { StateStore } from '../store/types.js';

export function tokenUser(octokit: Pick<Octokit, 'request'>, state: StateStore, token: string): () => Promise<string> {
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 32);
  let login: Promise<string> | undefined;
  return () =>
    (login ??= (async () => {
      const known = await tokenLogin.get(state, '*', fingerprint);
      if (known !== undefined) return known;
      const { data } = await octokit.request('GET /user');
      await tokenLogin.set(state, '*', fingerprint, data.login);
      return data.login;
    })());
}
