/**
 * What stands in front of Probot's webhook middleware, on the webhook path:
 *
 * - a body larger than GitHub ever sends (its payloads are capped at 25 MB)
 *   is refused with 413 before it is read: at once by its `content-length`,
 *   or, streamed without one, as soon as the bytes counted pass the cap. At
 *   most the cap is ever held in memory, and the rest is never read;
 * - a body whose signature does not match is refused with 400 and a short
 *   log line (Probot's own refusal logs the whole body);
 * - a signed body that is not JSON gets 400; one that is JSON but not an
 *   object (`null`, an array, a string, a number) is acknowledged (200) and
 *   ignored with a warning, since Probot throws on some of those shapes
 *   before any handler runs (a 500, and GitHub's redelivery of the same).
 *
 * Everything else goes on to Probot with the body already read (Probot
 * takes a string `body` as the payload), which verifies it again and runs
 * the handlers. A request without the webhook headers goes straight to
 * Probot, which refuses it without reading the body.
 *
 * Probot's `probot run` server puts its webhook middleware before every
 * handler an app adds (`addHandler`), so the guard wraps the middleware
 * itself: it replaces the `getNodeMiddleware` of the Probot instance the App
 * is given, which both `probot run` and `createNodeMiddleware` call after
 * loading the App.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Probot } from 'probot';

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

const WEBHOOK_HEADERS = ['x-github-event', 'x-hub-signature-256', 'x-github-delivery'] as const;

type Middleware = Awaited<ReturnType<Probot['getNodeMiddleware']>>;

/** Put the guard in front of the webhook middleware Probot makes for `app` (call it while the App loads). */
export function guardWebhooks(app: Probot, limit: number = MAX_WEBHOOK_BYTES): void {
  const inner = app.getNodeMiddleware.bind(app);
  app.getNodeMiddleware = async (options = {}) => {
    const middleware = await inner(options);
    const path = options.path ?? app.webhookPath;
    const guarded: Middleware = async (req, res, next) => {
      if (req.method !== 'POST' || pathOf(req) !== path || !hasWebhookHeaders(req)) return middleware(req, res, next);
      const body = await screen(app, req, res, limit);
      if (body === undefined) return true;
      (req as IncomingMessage & { body?: string }).body = body;
      return middleware(req, res, next);
    };
    return guarded;
  };
}

/** The body for Probot to handle, or undefined when the guard has answered the request itself. */
async function screen(app: Probot, req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
  const about = { event: header(req, 'x-github-event'), delivery: header(req, 'x-github-delivery') };
  const declared = Number(req.headers['content-length']);
  const bytes = Number.isFinite(declared) && declared > limit ? 'too large' : await readLimited(req, limit).catch(() => 'unreadable' as const);
  if (bytes === 'unreadable') return void answer(res, 400, 'the body could not be read');
  if (bytes === 'too large') {
    app.log.warn({ ...about, bytes: Number.isFinite(declared) ? declared : `more than ${limit}` }, `ticket-sync: refused a webhook larger than ${limit} bytes`);
    // What is still coming is read and dropped, never kept: a client sees the 413 rather than a reset connection.
    req.resume();
    return void answer(res, 413, `webhook bodies are at most ${limit} bytes`);
  }
  const text = bytes.toString('utf8');
  const signed = await app.webhooks.verify(text, header(req, 'x-hub-signature-256')).catch(() => false);
  if (!signed) {
    app.log.warn({ ...about, bytes: bytes.length }, 'ticket-sync: refused a webhook whose signature does not match (is WEBHOOK_SECRET the App’s webhook secret?)');
    return void answer(res, 400, 'signature does not match event payload and secret');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    app.log.warn({ ...about, bytes: bytes.length }, 'ticket-sync: refused a signed webhook that is not JSON');
    return void answer(res, 400, 'Invalid JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const shape = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : `a ${typeof payload}`;
    app.log.warn(about, `ticket-sync: ignored a ${about.event} webhook whose payload is ${shape}, not an object`);
    return void answer(res, 200, undefined);
  }
  return text;
}

/** The body, or `'too large'` as soon as more than `limit` bytes arrived (the rest is left unread). */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      chunks.length = 0;
      resolve('too large');
    };
    const onEnd = () => (stop(), resolve(Buffer.concat(chunks, size)));
    const onError = (error: Error) => (stop(), reject(error));
    const onAborted = () => onError(new Error('the request was aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function answer(res: ServerResponse, status: number, error: string | undefined): void {
  if (res.headersSent || res.destroyed) return;
  const body = error === undefined ? 'ok\n' : JSON.stringify({ error });
  res.writeHead(status, { 'content-type': error === undefined ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

function hasWebhookHeaders(req: IncomingMessage): boolean {
  return /^\s*application\/json\s*(?:;|$)/.test(header(req, 'content-type')) && WEBHOOK_HEADERS.every((name) => req.headers[name] !== undefined);
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  } catch {
    return '';
  }
}
