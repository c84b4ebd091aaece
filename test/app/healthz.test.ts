import { describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/store/keyv-store.js';
import type { StateStore } from '../../src/store/types.js';
import { startApp } from '../support/app.js';

/** An in-memory state store whose reads fail while `broken` is set, as a lost Redis or a locked SQLite file would. */
async function breakableStore() {
  const inner = await openStateStore('memory:');
  const control = { broken: false };
  const state: StateStore = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'getMeta') {
        return async (...args: Parameters<StateStore['getMeta']>) => {
          if (control.broken) throw new Error('connection refused');
          return target.getMeta(...args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { state, control };
}

describe('GET /healthz', () => {
  it('answers 200 with the state store, the stored jobs and the repositories being worked on', async () => {
    const { url } = await startApp();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', store: 'memory:', queued: 0, active: 0 });
  });

  it('answers 503 naming the store while the state store cannot be read, and 200 again once it can', async () => {
    const { state, control } = await breakableStore();
    const { url, quiet } = await startApp({ state });
    await quiet();
    control.broken = true;
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'store unavailable', store: 'memory:', error: 'connection refused' });
    control.broken = false;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
