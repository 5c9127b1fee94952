/**
 * Every failure of the merge engine carries a stable `code` and says whether trying again later can
 * help, so a queue worker can retry transient failures and give up at once on bad input.
 */

export const MERGE_ERROR_CODES = {
  /** The survivor's merge chain passes through one of the losers: merging would close a loop. */
  MERGE_CYCLE: false,
  /** A loser is the survivor itself, or resolves to the same live contact. */
  MERGE_SELF: false,
  /** A contact id does not exist. */
  CONTACT_NOT_FOUND: false,
  /** A merge id does not exist. */
  MERGE_NOT_FOUND: false,
  /** Malformed request (no losers, non-integer ids, unknown field in a field choice...). */
  BAD_REQUEST: false,
  /** The same idempotency key was used before for a different merge. */
  IDEMPOTENCY_CONFLICT: false,
  /** A later merge depends on this one (took its survivor as a loser): undo that one first. */
  UNDO_DEPENDENT: false,
  /** The merge is not in a state that can be undone (refused, pending...). */
  UNDO_NOT_APPLICABLE: false,
  /** A table that must be re-pointed cannot be (no primary key, unsupported unique index...). */
  UNSUPPORTED_TABLE: false,
  /** A row or advisory lock was not granted within DEDUPE_LOCK_TIMEOUT_MS. */
  LOCK_TIMEOUT: true,
  /** A statement ran longer than DEDUPE_STATEMENT_TIMEOUT_MS. */
  STATEMENT_TIMEOUT: true,
  /** Another merge (or undo) on some of these contacts is in progress or was interrupted: retry later. */
  MERGE_IN_PROGRESS: true,
  /** A concurrent write got in the way (deadlock, serialization failure, unique race). */
  CONCURRENT_CHANGE: true,
  /** The database connection failed. */
  DATABASE_UNAVAILABLE: true,
  /** Anything else the database refused (a CRM trigger or constraint, a bug): recorded as failed. */
  INTERNAL: false,
} as const;

export type MergeErrorCode = keyof typeof MERGE_ERROR_CODES;

export class MergeError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: MergeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MergeError';
    this.retryable = MERGE_ERROR_CODES[code];
  }
}

export function isMergeError(err: unknown): err is MergeError {
  return err instanceof MergeError;
}
