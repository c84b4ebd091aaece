/**
 * Work per repository: serial within a repository (two syncs of one
 * repository never race each other's commits), concurrent across
 * repositories. Webhooks are acknowledged at once; the work runs here.
 */
export class RepoQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onError: (repo: string, error: unknown) => void) {}

  /** Queue `job` behind the repository's earlier jobs. */
  push(repo: string, job: () => Promise<void>): void {
    const key = repo.toLowerCase();
    this.running++;
    const tail = (this.tails.get(key) ?? Promise.resolve())
      .then(job)
      .catch((error: unknown) => this.onError(repo, error))
      .finally(() => {
        this.running--;
        if (this.tails.get(key) === tail) this.tails.delete(key);
        if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    this.tails.set(key, tail);
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.running;
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
