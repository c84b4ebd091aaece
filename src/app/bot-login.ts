/**
 * The App's own identity on GitHub, `<slug>[bot]`: its changes come back as
 * echoes, and only its issues and comments carry markers that count. Asked
 * once (`GET /app`, as the App itself), then remembered.
 */
import type { Probot } from 'probot';

export function botLogin(app: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () =>
    (login ??= app.auth().then(async (octokit) => `${(await octokit.request('GET /app')).data?.slug ?? 'ticket-sync'}[bot]`)).catch((error: unknown) => {
      login = undefined;
      throw error;
    });
}
