import type { Kysely } from 'kysely';
import { createMergeRequest, getMerge, reopenFailedMerge } from '../db/merge/index.js';
import type { Database } from '../db/schema.js';
import { RedisUnavailableError } from '../queues/connection.js';
import { QUEUES } from '../queues/names.js';
import { jobIds, type MergeJob } from '../queues/payloads.js';
import type { QueueSet } from '../queues/queues.js';
import type { MergeRequestInput, MergeStatus } from './types.js';

/** Name of the single-merge jobs on the `merge` queue (batch merges of runs are `merge-batch`). */
export const SINGLE_MERGE_JOB = 'merge-single';

export interface SubmitInput extends MergeRequestInput {
  source: 'api' | 'producer' | 'cli';
  requestedBy: string;
}

/** How long Redis may take to answer before the request fails with REDIS_UNAVAILABLE (ms). */
export const DEFAULT_ENQUEUE_TIMEOUT_MS = 5000;

/** Runs `fn` against Redis, failing with a RedisUnavailableError (code REDIS_UNAVAILABLE) after `ms`. */
async function redisCall<T>(fn: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (err) {
    throw new RedisUnavailableError(`${what}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export interface Submitted {
  mergeId: number;
  /** False when the idempotency key matched an earlier request. */
  created: boolean;
  status: MergeStatus;
}

/**
 * Queues the job of merge `id` (deterministic job id, so a job already waiting or running is left
 * alone). A job that ended without the merge completing (its retries spent while the contacts were
 * busy, say: the merge is then `failed`) is kept by BullMQ for days under the same id, and adding it
 * again would do nothing: it is retried instead, with its attempts counted afresh.
 */
async function queueMergeJob(queues: QueueSet, id: number): Promise<void> {
  const queue = queues.queue(QUEUES.merge);
  const jobId = jobIds.singleMerge(id);
  const previous = await queue.getJob(jobId);
  const state = previous ? await previous.getState() : undefined;
  if (previous && (state === 'failed' || state === 'completed')) {
    await previous.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
    return;
  }
  const job: MergeJob = { kind: 'single', mergeId: id };
  await queue.add(SINGLE_MERGE_JOB, job, { jobId });
}

/**
 * Records a merge request (a `merges` row, status pending) and queues its job. A request that
 * matched an earlier idempotency key queues it again while it is pending, or failed (reopened
 * first: pending, or running if partly applied): that repairs a crash between the insert and the
 * enqueue, and a job that gave up (see queueMergeJob). Unknown contacts, bad field choices and
 * reused idempotency keys throw MergeErrors; Redis not answering within `timeoutMs` throws a
 * RedisUnavailableError. Redis is pinged first, so that it being down does not leave a pending
 * merge without a job behind.
 */
export async function submitMerge(
  db: Kysely<Database>,
  queues: QueueSet,
  input: SubmitInput,
  timeoutMs = DEFAULT_ENQUEUE_TIMEOUT_MS,
): Promise<Submitted> {
  await redisCall(() => queues.connection.ping(), timeoutMs, 'cannot queue merges: Redis does not answer');
  const { id, created } = await createMergeRequest(db, {
    survivorId: input.survivorId,
    duplicateIds: input.duplicateIds,
    fieldChoices: input.fieldChoices,
    idempotencyKey: input.idempotencyKey,
    source: input.source,
    requestedBy: input.requestedBy,
  });
  let status: MergeStatus = created ? 'pending' : ((await getMerge(db, id))?.status ?? 'pending');
  if (status === 'failed') status = (await reopenFailedMerge(db, id)) ?? status;
  if (status === 'pending' || status === 'running') {
    await redisCall(
      () => queueMergeJob(queues, id),
      timeoutMs,
      `merge ${id} is recorded (pending) but could not be queued; send the request again with the same idempotency key`,
    );
  }
  return { mergeId: id, created, status };
}
