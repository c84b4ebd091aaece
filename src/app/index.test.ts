import { describe, expect, it } from 'vitest';

describe('starting the App', () => {
  it('refuses production with no webhook secret or the development one, and allows a real one', async () => {
    process.env.STORE_URL = 'memory:';
    const { productionProblem } = await import('./index.js');
    expect(productionProblem({ NODE_ENV: 'production' })).toMatch(/WEBHOOK_SECRET/);
    expect(productionProblem({ NODE_ENV: 'production', WEBHOOK_SECRET: 'development' })).toMatch(/WEBHOOK_SECRET/);
    expect(productionProblem({ NODE_ENV: 'production', WEBHOOK_SECRET: 'x7Qe…long-random' })).toBeUndefined();
    expect(productionProblem({ NODE_ENV: 'development' })).toBeUndefined();
  });
});

describe('choosing the state store', () => {
  it('takes REDIS_URL when it is set, else STORE_URL, else the SQLite file', async () => {
    process.env.STORE_URL = 'memory:';
    const { storeUrlOf } = await import('./index.js');
    expect(storeUrlOf({ STORE_URL: 'sqlite:///data/state.sqlite', REDIS_URL: 'redis://cache:6379' })).toBe('redis://cache:6379');
    expect(storeUrlOf({ STORE_URL: 'sqlite:///data/state.sqlite', REDIS_URL: '' })).toBe('sqlite:///data/state.sqlite');
    expect(storeUrlOf({ REDIS_URL: 'redis://cache:6379' })).toBe('redis://cache:6379');
    expect(storeUrlOf({ STORE_URL: '', REDIS_URL: '' })).toBe('sqlite://.ticket-sync/app-state.sqlite');
  });
});
