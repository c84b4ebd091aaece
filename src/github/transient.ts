/**
 * Whether an error from GitHub may go away by trying again: a 5xx, a network
 * error, a request GitHub did not answer in time, or the branch moving while
 * a commit was made. Rate limits are not here: they are waited out, not retried.
 */
export function isTransient(error: unknown): boolean {
  const e = (error ?? {}) as { status?: number; name?: string; message?: string };
  const message = String(e.message ?? error).split('\n')[0]!;
  if (e.status !== undefined) return e.status >= 500;
  return e.name === 'CommitConflictError' || /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|fetch failed|aborted|timeout/i.test(message);
}
