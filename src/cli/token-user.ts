/**
 * The login the CLI's token acts as: ticket-sync's own identity for the
 * CLI, the author whose issues and comments may carry markers that count.
 *
 * `TICKET_SYNC_LOGIN` names it outright. Otherwise it is asked of GitHub
 * (`GET /user`) the first time a run needs it, and kept in the state store
 * under a fingerprint of the token (never the token), so later runs ask
 * nothing. An installation token acts as no user (GitHub answers 403): in
 * GitHub Actions its `GITHUB_TOKEN` writes as `github-actions[bot]`; any
 * other such token needs `TICKET_SYNC_LOGIN`, and the run says so.
 */
import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { tokenLogin } from '../store/records.js';
import type { StateStore } from '../store/types.js';
import { UsageError } from './io.js';

/** The login GitHub Actions' `GITHUB_TOKEN` writes as. */
const ACTIONS_BOT = 'github-actions[bot]';

export function tokenUser(octokit: Pick<Octokit, 'request'>, state: StateStore, token: string, env: Readonly<Record<string, string | undefined>> = {}): () => Promise<string> {
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 32);
  let login: Promise<string> | undefined;
  const ask = async (): Promise<string> => {
    const named = env.TICKET_SYNC_LOGIN?.trim();
    if (named) return named;
    const known = await tokenLogin.get(state, '*', fingerprint);
    if (known !== undefined) return known;
    let found: string;
    try {
      found = (await octokit.request('GET /user')).data.login;
    } catch (error) {
      if ((error as { status?: number }).status !== 403) throw error;
      if (env.GITHUB_ACTIONS !== 'true') {
        throw new UsageError('the token acts as no user (an installation token?): set TICKET_SYNC_LOGIN to the login its issues and comments are written as');
      }
      found = ACTIONS_BOT;
    }
    await tokenLogin.set(state, '*', fingerprint, found);
    return found;
  };
  return () =>
    (login ??= ask()).catch((error: unknown) => {
      login = undefined;
      throw error;
    });
}
