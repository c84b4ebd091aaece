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
