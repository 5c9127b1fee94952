/**
 * The package's public API, for product code. Two ways to ask for merges:
 * - DedupeProducer: in a process that can reach the service's PostgreSQL and Redis;
 * - DedupeHttpClient: anywhere that can reach `dedupe serve`.
 * Both take the same requests and return the same shapes (./client/types.ts).
 */

export { DedupeApiError, DedupeHttpClient, type HttpClientOptions } from './client/http.js';
export {
  DedupeProducer,
  type EnqueueMergeRequest,
  MergeNotFoundError,
  type ProducerOptions,
  type WaitOptions,
} from './client/producer.js';
export {
  type EnqueuedMerge,
  type MergeRequestInput,
  type MergeStatus,
  type MergeView,
  type ResolvedContactView,
  SETTLED_STATUSES,
  type UndoResultView,
} from './client/types.js';
/** What the producer rejects with on refused input (code BAD_REQUEST, CONTACT_NOT_FOUND, IDEMPOTENCY_CONFLICT...). */
export { isMergeError, MERGE_ERROR_CODES, MergeError, type MergeErrorCode } from './core/merge/errors.js';
