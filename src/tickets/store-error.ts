/** The store's refusals, on their own so that the files under a store can raise them too. */
export type StoreErrorCode =
  | 'not-found'
  | 'exists'
  | 'unsafe-id'
  | 'invalid-file'
  | 'invalid-ticket'
  | 'unsafe-path'
  /** The format cannot store this change (a task-master id across tags, a file already there, …). */
  | 'rejected';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: StoreErrorCode,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
