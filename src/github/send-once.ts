/**
 * Writes that create something (an issue, a comment) are sent exactly once
 * even when GitHub's answer is lost: see {@link sendOnce}.
 */

/** How many times a create is sent when GitHub's answer is lost and what it would have made is not there. */
export const MAX_CREATE_ATTEMPTS = 4;

/**
 * Send a create until it is answered, and never make a second of what it
 * makes: the retry plugin is off for `send`, and after an answer that was
 * lost (`answerLost`) `made` looks for what the send may have made, which is
 * then the answer. A send is tried at most {@link MAX_CREATE_ATTEMPTS} times;
 * after the last, what it made is looked for once more before the error is
 * thrown. Any other error is thrown at once.
 */
export async function sendOnce<T>(send: () => Promise<T>, made: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!answerLost(error)) throw error;
      const found = await made();
      if (found) return found;
      if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Whether GitHub may have applied a request whose answer is an error: a 5xx,
 * or no answer at all (Octokit fails a network error and a timeout,
 * `RequestTimeoutError`, with status 500).
 */
export function answerLost(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 500;
}
