import { describe, expect, it } from 'vitest';
import { RepoQueue } from './queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the per-repository queue', () => {
  it('runs one repository’s jobs one after another, and different repositories side by side', async () => {
    const events: string[] = [];
    const queue = new RepoQueue(() => undefined);
    const job = (name: string) => async () => {
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
    };
    queue.push('acme/a', job('a1'));
    queue.push('acme/a', job('a2'));
    queue.push('acme/b', job('b1'));
    expect(queue.size).toBe(3);
    await queue.idle();
    expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
    expect(queue.size).toBe(0);
  });

  it('reports a failing job and goes on with the next one', async () => {
    const failures: string[] = [];
    const queue = new RepoQueue((repo, error) => failures.push(`${repo}: ${(error as Error).message}`));
    let ran = false;
    queue.push('acme/a', async () => {
      throw new Error('boom');
    });
    queue.push('acme/a', async () => {
      ran = true;
    });
    await queue.idle();
    expect(failures).toEqual(['acme/a: boom']);
    expect(ran).toBe(true);
  });
});
