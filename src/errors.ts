/**
 * Domain errors carry a code and say what the queue should do with the job: retry it (a transient
 * failure such as a lock timeout) or fail it for good (bad input: retrying cannot help).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isRetryable(err: unknown): boolean {
  return !(err instanceof DomainError) || err.retryable;
}
