/**
 * The App's work queue, kept in the state store: a webhook is answered as
 * soon as its job is stored, and a restart resumes what was waiting or
 * running (`resume()`). Serial within a repository (two syncs of one
 * repository never race each other's commits), concurrent across
 * repositories up to a limit. A new event for a repository whose job has not
 * started yet is folded into it: one sync answers both.
 *
 * Runs are idempotent (issues are found by marker, commits only
 * fast-forward), so a job interrupted by a crash is simply run again. With
 * several instances on one Redis, each resumes the jobs it finds; a job may
 * then run twice, which costs requests but changes nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { queuedJobs, queuedRepositories } from '../store/records.js';
import type { StateStore } from '../store/types.js';
import { foldInto, Job, onFailure, type Failure } from './jobs.js';

/** The state store's "repository" under which the list of repositories with jobs is kept. */
const INDEX_SCOPE = '*';
/** A repository's stored jobs. */
const JOBS = queuedJobs<Job>();

/** A job as an event hands it in: the queue gives it its id and bookkeeping. */
export type NewJob = Omit<Job, 'id' | 'enqueuedAt' | 'failures' | 'retries' | 'startedAt' | 'notBefore' | 'pulls' | 'board'> & { pulls?: Job['pulls']; board?: Job['board'] };

export interface JobQueueOptions {
  state: StateStore;
  /** Do the job's work; a throw is classified by {@link onFailure}. */
  run(job: Job): Promise<void>;
  /** Told of every failed run and what was decided. */
  onFailure?(job: Job, failure: Failure, error: unknown): void;
  now(): Date;
  /** Wait `ms` (for a deferred job); a test can move a fake clock instead. */
  sleep?(ms: number): Promise<void>;
  /** Repositories worked on at once (default 4). */
  concurrency?: number;
}

export class JobQueue {
  private readonly workers = new Set<string>();
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private lock: Promise<unknown> = Promise.resolve();
  private slots: number;
  private slotWaiters: (() => void)[] = [];
  private closed = false;
  /** Resolves when `close()` is called: a worker waiting out a rate limit stops waiting. */
  private readonly closing: Promise<void>;
  private signalClose!: () => void;

  constructor(private readonly o: JobQueueOptions) {
    this.slots = o.concurrency ?? 4;
    this.closing = new Promise((resolve) => (this.signalClose = resolve));
  }

  /** Store the job (folded into a waiting one of its repository if any) and start working on its repository. */
  async enqueue(job: NewJob): Promise<Job> {
    return this.track(async () => {
      const stored = await this.mutate(job.repo, (jobs) => {
        const waiting = jobs.findLastIndex((j) => j.startedAt === undefined);
        if (waiting >= 0) {
          jobs[waiting] = foldInto(jobs[waiting]!, { ...job, pulls: job.pulls ?? [], board: job.board ?? [], id: jobs[waiting]!.id, enqueuedAt: jobs[waiting]!.enqueuedAt, failures: 0, retries: jobs[waiting]!.retries });
          return { jobs, value: jobs[waiting]! };
        }
        const created: Job = Job.parse({ ...job, id: randomUUID(), enqueuedAt: this.o.now().toISOString(), failures: 0 });
        return { jobs: [...jobs, created], value: created };
      });
      this.work(job.repo);
      return stored;
    });
  }

  /** Start on every job the store holds (after a restart): those found started are run again. Returns how many there are. */
  async resume(): Promise<number> {
    return this.track(async () => {
      const repos = (await queuedRepositories.get(this.o.state, INDEX_SCOPE)) ?? [];
      let count = 0;
      for (const repo of repos) {
        const jobs = await this.mutate(repo, (list) => {
          // A stored job this version cannot read (written by another, or damaged) is dropped, and said so.
          const readable = list.filter((stored) => {
            const parsed = Job.safeParse(stored);
            if (!parsed.success) this.o.onFailure?.({ ...(stored as Job), repo }, { action: 'drop', why: `a stored job cannot be read: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` }, parsed.error);
            return parsed.success;
          });
          const reset = readable.map(({ startedAt: _, ...job }) => job);
          return { jobs: reset, value: reset };
        });
        count += jobs.length;
        if (jobs.length > 0) this.work(repo);
      }
      return count;
    });
  }

  /** The jobs waiting or running, of one repository or all. */
  async pending(repo?: string): Promise<Job[]> {
    const repos = repo !== undefined ? [repo] : ((await queuedRepositories.get(this.o.state, INDEX_SCOPE)) ?? []);
    const all: Job[] = [];
    for (const r of repos) all.push(...((await JOBS.get(this.o.state, r.toLowerCase())) ?? []));
    return all;
  }

  /** Repositories being worked on now. */
  get active(): number {
    return this.workers.size;
  }

  /** Resolves when nothing is being stored or worked on. */
  idle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stop taking up jobs (what is stored stays for the next start); resolves when the running ones are done. */
  async close(): Promise<void> {
    this.closed = true;
    this.signalClose();
    await this.idle();
  }

  // ---- inside ----

  private async track<T>(task: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await task();
    } finally {
      this.done();
    }
  }

  private done(): void {
    if (--this.busy === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Change a repository's stored jobs under the in-process lock, keeping the index of repositories with jobs right. */
  private mutate<T>(repo: string, change: (jobs: Job[]) => { jobs: Job[]; value: T }): Promise<T> {
    const key = repo.toLowerCase();
    const task = this.lock.then(async () => {
      const jobs = (await JOBS.get(this.o.state, key)) ?? [];
      const { jobs: next, value } = change([...jobs]);
      await JOBS.set(this.o.state, key, next.length > 0 ? next : undefined);
      const index = (await queuedRepositories.get(this.o.state, INDEX_SCOPE)) ?? [];
      const listed = index.includes(key);
      if (next.length > 0 && !listed) await queuedRepositories.set(this.o.state, INDEX_SCOPE, [...index, key]);
      if (next.length === 0 && listed) {
        const rest = index.filter((r) => r !== key);
        await queuedRepositories.set(this.o.state, INDEX_SCOPE, rest.length > 0 ? rest : undefined);
      }
      return value;
    });
    this.lock = task.catch(() => undefined);
    return task;
  }

  /** One worker per repository: runs its jobs in order until none is left. */
  private work(repo: string): void {
    const key = repo.toLowerCase();
    if (this.workers.has(key) || this.closed) return;
    this.workers.add(key);
    this.busy++;
    void this.drain(key)
      .catch((error: unknown) => {
        // The store itself failed: the jobs stay stored for the next start.
        this.o.onFailure?.({ repo } as Job, { action: 'drop', why: `the job queue failed: ${String((error as Error)?.message ?? error)}` }, error);
      })
      .finally(() => {
        this.workers.delete(key);
        this.done();
      });
  }

  private async drain(key: string): Promise<void> {
    while (!this.closed) {
      const jobs = (await JOBS.get(this.o.state, key)) ?? [];
      const next = jobs[0];
      if (!next) return;
      const wait = next.notBefore === undefined ? 0 : Date.parse(next.notBefore) - this.o.now().getTime();
      if (wait > 0) {
        // A stop does not wait for a rate limit's reset: the job stays stored for the next start.
        await Promise.race([(this.o.sleep ?? sleep)(wait), this.closing]);
        continue;
      }
      const job = await this.mutate(key, (list) => {
        const i = list.findIndex((j) => j.id === next.id);
        if (i < 0) return { jobs: list, value: undefined };
        list[i] = { ...list[i]!, startedAt: this.o.now().toISOString() };
        return { jobs: list, value: list[i] };
      });
      if (!job) continue;
      await this.acquire();
      let failure: Failure | undefined;
      try {
        await this.o.run(job);
      } catch (error) {
        failure = onFailure(error, job, this.o.now());
        this.o.onFailure?.(job, failure, error);
      } finally {
        this.release();
      }
      await this.mutate(key, (list) => {
        const i = list.findIndex((j) => j.id === job.id);
        if (i < 0) return { jobs: list, value: undefined };
        if (failure === undefined || failure.action === 'drop') list.splice(i, 1);
        else {
          const { startedAt: _, ...rest } = list[i]!;
          list[i] = { ...rest, notBefore: failure.notBefore.toISOString(), failures: rest.failures + (failure.action === 'retry' && !failure.progressed ? 1 : 0), retries: rest.retries + (failure.action === 'retry' ? 1 : 0) };
        }
        return { jobs: list, value: undefined };
      });
    }
  }

  private async acquire(): Promise<void> {
    while (this.slots === 0) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    this.slots--;
  }

  private release(): void {
    this.slots++;
    this.slotWaiters.shift()?.();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
