/**
 * `GET /healthz`, an HTTP handler beside Probot's webhook route: 200 with
 * the state store's location, the stored jobs and the repositories being
 * worked on; 503 when the state store cannot be read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateStore } from '../../store/types.js';
import type { JobQueue } from '../job-queue.js';

export function healthz(state: StateStore, queue: Pick<JobQueue, 'pending' | 'active'>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== '/healthz') return false;
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void queue.pending().then(
      (pending) => answer(200, { status: 'ok', store: state.location, queued: pending.length, active: queue.active }),
      (error: unknown) => answer(503, { status: 'store unavailable', store: state.location, error: String((error as Error)?.message ?? error) }),
    );
    return true;
  };
}
