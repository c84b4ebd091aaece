/**
 * Webhook deliveries as GitHub makes them: `X-GitHub-Event`,
 * `X-GitHub-Delivery`, `X-Hub-Signature-256` (HMAC-SHA256 of the body with
 * the secret), one POST per delivery, in order. Tests can hold deliveries and
 * release them out of order, duplicate them, and redeliver one by id (same
 * delivery id, as GitHub's redeliver does).
 *
 * Every payload is checked against `@octokit/openapi-webhooks` before it goes.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Contract, Violation } from './contract.js';

export interface Delivery {
  id: string;
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  /** HTTP status the receiver answered, once delivered (0 when it could not be reached). */
  status?: number;
  /** How many times it was sent (redeliveries and duplicates count). */
  attempts: number;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class Webhooks {
  target: WebhookTarget | undefined;
  /** Every delivery made or queued, in the order events happened. */
  readonly deliveries: Delivery[] = [];
  private queue: Delivery[] = [];
  private held = false;
  private duplicates = 0;
  private sending: Promise<void> | undefined;
  private inFlight = 0;
  /** When the last delivery finished (ms, real time): for settle(). */
  lastActivity = Date.now();

  constructor(
    private readonly contract: Contract,
    private readonly violations: Violation[],
    private readonly hookId = 1,
  ) {}

  /** Queue an event; it goes out at once unless deliveries are held or no target is set. */
  emit(event: string, payload: Record<string, unknown>): Delivery {
    const action = typeof payload.action === 'string' ? payload.action : undefined;
    const problem = this.contract.checkWebhook(event, action, payload);
    if (problem) this.violations.push({ kind: 'webhook-payload', where: [event, action].filter(Boolean).join('.'), message: problem });
    const delivery: Delivery = { id: randomUUID(), event, action, payload, attempts: 0 };
    this.deliveries.push(delivery);
    this.queue.push(delivery);
    if (this.duplicates > 0) {
      this.duplicates--;
      this.queue.push(delivery);
    }
    this.pump();
    return delivery;
  }

  /** Keep deliveries queued until `release`. */
  hold(): void {
    this.held = true;
  }

  /** Send what is held, in order, reversed, or in a given order of delivery ids. */
  release(order: 'fifo' | 'reverse' | string[] = 'fifo'): void {
    if (order === 'reverse') this.queue.reverse();
    else if (Array.isArray(order)) {
      const byId = new Map(this.queue.map((d) => [d.id, d]));
      this.queue = order.map((id) => byId.get(id)!).filter(Boolean);
    }
    this.held = false;
    this.pump();
  }

  /** Deliver each of the next `n` events twice, with the same delivery id. */
  duplicateNext(n = 1): void {
    this.duplicates += n;
  }

  /** Send a past delivery again with its own delivery id. */
  redeliver(id: string): void {
    const delivery = this.deliveries.find((d) => d.id === id);
    if (!delivery) throw new Error(`no delivery ${id}`);
    this.queue.push(delivery);
    this.pump();
  }

  /** Deliveries waiting (held, or behind the one in flight) and in flight. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** The request a receiver sees for a delivery: headers and body, signed with `secret`. */
  request(delivery: Delivery, secret: string): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(delivery.payload);
    const installation = delivery.payload.installation as { id?: number } | undefined;
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/emulator',
        'x-github-event': delivery.event,
        'x-github-delivery': delivery.id,
        'x-github-hook-id': String(this.hookId),
        'x-github-hook-installation-target-type': 'integration',
        'x-github-hook-installation-target-id': String(installation?.id ?? ''),
        'x-hub-signature-256': sign(secret, body),
      },
    };
  }

  private pump(): void {
    if (this.sending || this.held || !this.target || this.queue.length === 0) return;
    this.sending = (async () => {
      while (!this.held && this.target && this.queue.length > 0) {
        const delivery = this.queue.shift()!;
        this.inFlight++;
        try {
          const { headers, body } = this.request(delivery, this.target.secret);
          delivery.attempts++;
          const response = await fetch(this.target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
          delivery.status = response.status;
          await response.arrayBuffer();
        } catch {
          delivery.status = 0;
        } finally {
          this.inFlight--;
          this.lastActivity = Date.now();
        }
      }
    })().finally(() => {
      this.sending = undefined;
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight (held deliveries count as queued). */
  async drained(): Promise<void> {
    while (this.sending) await this.sending;
  }
}
