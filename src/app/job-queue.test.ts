import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDIS_URL, skipWithoutRedis } from '../../test/support/redis.js';
import { openStateStore } from '../store/keyv-store.js';
import { JobQueue, type NewJob } from './job-queue.js';
import type { Failure, Job } from './jobs.js';

function event(repo: string, reason: string, over: Partial<NewJob> = {}): NewJob {
  return { installation: 1, repo, branch: 'main', kind: 'event', scoped: false, pushes: [], causes: [reason], reasons: [reason], refreshComments: [], ...over };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function setup(run: (job: Job) => Promise<void>, options: { sleep?: (ms: number) => Promise<void>; now?: () => Date } = {}) {
  const state = await openStateStore('memory:');
  const failures: Failure[] = [];
  const queue = new JobQueue({ state, run, now: options.now ?? (() => new Date()), onFailure: (_, failure) => failures.push(failure), ...(options.sleep ? { sleep: options.sleep } : {}) });
  return { state, queue, failures };
}

describe('the App’s job queue', () => {
  it('runs a stored job and forgets it once it is done', async () => {
    const ran: string[] = [];
    const { queue } = await setup(async (job) => void ran.push(job.reasons.join()));
    await queue.enqueue(event('acme/app', '#1 closed'));
    await queue.idle();
    expect(ran).toEqual(['#1 closed']);
    expect(await queue.pending()).toEqual([]);
  });

  it('runs one repository’s jobs one after another, folding events that wait into one job', async () => {
    const gate = deferred();
    const ran: string[][] = [];
    let running = 0;
    let most = 0;
    const { queue } = await setup(async (job) => {
      running++;
      most = Math.max(most, running);
      ran.push(job.reasons);
      if (ran.length === 1) await gate.promise;
      running--;
    });
    await queue.enqueue(event('acme/app', 'first'));
    await new Promise((r) => setTimeout(r, 10));
    await queue.enqueue(event('acme/app', 'second'));
    await queue.enqueue(event('acme/app', 'third'));
    expect((await queue.pending('acme/app')).map((j) => j.reasons)).toEqual([['first'], ['second', 'third']]);
    gate.resolve();
    await queue.idle();
    expect(ran).toEqual([['first'], ['second', 'third']]);
    expect(most).toBe(1);
  });

  it('works on different repositories at the same time', async () => {
    const gate = deferred();
    const started: string[] = [];
    const { queue } = await setup(async (job) => {
      started.push(job.repo);
      await gate.promise;
    });
    await queue.enqueue(event('acme/one', 'a'));
    await queue.enqueue(event('acme/two', 'b'));
    await new Promise((r) => setTimeout(r, 10));
    expect(started.sort()).toEqual(['acme/one', 'acme/two']);
    gate.resolve();
    await queue.idle();
  });

  it('resumes after a restart the jobs another queue stored and never finished, the interrupted one first', async () => {
    const state = await openStateStore('memory:');
    const never = new Promise<void>(() => {});
    const crashed = new JobQueue({ state, now: () => new Date(), run: () => never });
    await crashed.enqueue(event('acme/app', 'interrupted'));
    await new Promise((r) => setTimeout(r, 10));
    await crashed.enqueue(event('acme/app', 'waiting'));
    await crashed.enqueue(event('acme/other', 'elsewhere'));
    expect((await crashed.pending()).map((j) => [j.reasons[0], j.startedAt !== undefined])).toEqual([
      ['interrupted', true],
      ['waiting', false],
      ['elsewhere', true],
    ]);

    const ran: string[] = [];
    const restarted = new JobQueue({ state, now: () => new Date(), run: async (job) => void ran.push(job.reasons[0]!) });
    expect(await restarted.resume()).toBe(3);
    await restarted.idle();
    expect(ran.filter((r) => r !== 'elsewhere')).toEqual(['interrupted', 'waiting']);
    expect(ran).toContain('elsewhere');
    expect(await restarted.pending()).toEqual([]);
  });

  it('waits out a rate limit for as long as GitHub says, then runs the job again', async () => {
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const slept: number[] = [];
    let calls = 0;
    const { queue, failures } = await setup(
      async () => {
        if (++calls === 1) throw Object.assign(new Error('secondary rate limit'), { status: 403, response: { headers: { 'retry-after': '60' } } });
      },
      { now: () => new Date(clock), sleep: async (ms) => void (slept.push(ms), (clock += ms)) },
    );
    await queue.enqueue(event('acme/app', 'big import'));
    await queue.idle();
    expect(calls).toBe(2);
    expect(slept).toEqual([60_000]);
    expect(failures).toEqual([{ action: 'defer', notBefore: new Date('2026-11-23T10:01:00Z'), why: 'secondary rate limit' }]);
    expect(await queue.pending()).toEqual([]);
  });

  it('stops at once while a job waits out a rate limit, keeping it stored for the next start', async () => {
    const state = await openStateStore('memory:');
    const queue = new JobQueue({
      state,
      now: () => new Date(),
      run: async () => {
        throw Object.assign(new Error('rate limited'), { status: 403, response: { headers: { 'retry-after': '3600' } } });
      },
    });
    await queue.enqueue(event('acme/app', 'waits an hour'));
    await new Promise((r) => setTimeout(r, 20));
    const stopped = await Promise.race([queue.close().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 1_000))]);
    expect(stopped).toBe('stopped');
    expect((await queue.pending()).map((j) => [j.reasons[0], j.notBefore !== undefined])).toEqual([['waits an hour', true]]);
  });

  it('drops a job whose error another try will not mend, says so, and goes on with the next', async () => {
    const ran: string[] = [];
    const { queue, failures } = await setup(async (job) => {
      ran.push(job.reasons[0]!);
      if (job.reasons[0] === 'broken') throw Object.assign(new Error('Not Found'), { status: 404 });
    });
    await queue.enqueue(event('acme/app', 'broken'));
    await queue.idle();
    await queue.enqueue(event('acme/app', 'fine'));
    await queue.idle();
    expect(ran).toEqual(['broken', 'fine']);
    expect(failures).toEqual([{ action: 'drop', why: 'Not Found' }]);
    expect(await queue.pending()).toEqual([]);
  });

  it('drops a stored job it cannot read when it resumes, says which field, and runs the others', async () => {
    const state = await openStateStore('memory:');
    const ran: string[] = [];
    const failures: Failure[] = [];
    const queue = new JobQueue({ state, now: () => new Date(), run: async (job) => void ran.push(job.reasons[0]!), onFailure: (_, f) => failures.push(f) });
    await state.setMeta('*', 'queue:repositories', ['acme/app']);
    const good = { ...event('acme/app', 'good'), id: 'j2', enqueuedAt: '2026-11-23T10:00:00Z', failures: 0 };
    await state.setMeta('acme/app', 'queue:jobs', [{ id: 'j1', repo: 'acme/app', kind: 'teleport' }, good]);
    expect(await queue.resume()).toBe(1);
    await queue.idle();
    expect(ran).toEqual(['good']);
    expect(failures).toEqual([{ action: 'drop', why: expect.stringMatching(/^a stored job cannot be read: .*kind/) }]);
    expect(await queue.pending()).toEqual([]);
  });
});

const noRedis = await skipWithoutRedis('the job queue on Redis');

describe.skipIf(noRedis)('the App’s job queue on Redis', () => {
  it('keeps a stored job across instances: another connection resumes it after the first stops', async () => {
    const namespace = `ticket-sync-test-${randomUUID()}`;
    const first = await openStateStore(REDIS_URL, { namespace });
    const never = new Promise<void>(() => {});
    const crashed = new JobQueue({ state: first, now: () => new Date(), run: () => never });
    await crashed.enqueue(event('acme/app', 'stored on Redis'));
    await first.close();

    const second = await openStateStore(REDIS_URL, { namespace });
    try {
      const ran: string[] = [];
      const restarted = new JobQueue({ state: second, now: () => new Date(), run: async (job) => void ran.push(job.reasons[0]!) });
      expect(await restarted.resume()).toBe(1);
      await restarted.idle();
      expect(ran).toEqual(['stored on Redis']);
      expect(await restarted.pending()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
