/** The real Redis tests run against, and whether it answers. */
import { createClient } from '@keyv/redis';

export const REDIS_URL = process.env.TICKET_SYNC_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, checked with a short timeout; undefined when it answers. */
export async function redisProblem(url: string = REDIS_URL): Promise<string | undefined> {
  const client = createClient({ url, socket: { connectTimeout: 500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/**
 * Whether Redis tests skip: only outside CI, and only when Redis does not
 * answer, with the reason printed. With CI=true they run, and fail on connecting.
 */
export async function skipWithoutRedis(what: string): Promise<boolean> {
  const problem = await redisProblem();
  const skip = problem !== undefined && process.env.CI !== 'true';
  if (skip) console.warn(`Skipping ${what}: ${REDIS_URL} does not answer (${problem}). With CI=true they run and fail.`);
  return skip;
}
