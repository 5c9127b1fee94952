import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { checkConnection, createDb } from '../db/connection.js';
import { getMerge } from '../db/merge/index.js';
import type { Database } from '../db/schema.js';
import { checkRedis } from '../queues/connection.js';
import { QUEUES } from '../queues/names.js';
import { openQueues, type QueueSet } from '../queues/queues.js';
import { submitMerge } from './submit.js';
import { type MergeRequestInput, type MergeView, SETTLED_STATUSES } from './types.js';
import { toMergeView } from './views.js';

export interface ProducerOptions {
  databaseUrl: string;
  redisUrl: string;
  /** BullMQ key prefix of the deployment (DEDUPE_QUEUE_PREFIX); default `dedupe`. */
  queuePrefix?: string;
  /** PostgreSQL connections this producer may hold; default 2. */
  poolSize?: number;
  /** How long PostgreSQL and Redis may take to answer (connect, enqueue); default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * Called with Redis connection errors (while Redis is down, once per reconnect attempt).
   * Default: ignored; calls made meanwhile reject with RedisUnavailableError.
   */
  onRedisError?: (err: Error) => void;
}

export interface EnqueueMergeRequest extends MergeRequestInput {
  /** Recorded on the audit row as who asked; default `producer`. */
  requestedBy?: string;
}

export interface WaitOptions {
  /** Delay between two reads of the merge; default 500 ms. */
  pollMs?: number;
  /** Give up (rejecting with the signal's reason) when this signal aborts. */
  signal?: AbortSignal;
}

export class MergeNotFoundError extends Error {
  readonly code = 'MERGE_NOT_FOUND';
  constructor(readonly mergeId: number) {
    super(`merge ${mergeId} does not exist`);
    this.name = 'MergeNotFoundError';
  }
}

/**
 * Queues merges from product code that can reach the service's PostgreSQL and Redis: records the
 * merge request (source `producer`) and queues the job a `dedupe worker` executes. Nothing but ids
 * goes through Redis. One instance per process; `close()` when done.
 */
export class DedupeProducer {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly queues: QueueSet,
    private readonly timeoutMs: number,
  ) {}

  /** Opens (and checks) the connections; rejects naming the unreachable service. */
  static async connect(opts: ProducerOptions): Promise<DedupeProducer> {
    const timeout = opts.connectTimeoutMs ?? 5000;
    const { db, pool } = createDb({
      url: opts.databaseUrl,
      poolSize: opts.poolSize ?? 2,
      connectTimeoutMs: timeout,
      applicationName: 'dedupe producer',
    });
    try {
      await checkConnection(pool, opts.databaseUrl);
      await checkRedis(opts.redisUrl, timeout);
    } catch (err) {
      await db.destroy();
      throw err;
    }
    const queues = openQueues(opts.redisUrl, opts.queuePrefix ?? 'dedupe', timeout);
    queues.queue(QUEUES.merge).on('error', opts.onRedisError ?? (() => {}));
    return new DedupeProducer(db, queues, timeout);
  }

  /**
   * Records the merge and queues it. With an idempotency key already used for the same survivor and
   * duplicates, returns that merge (`created: false`); used for different ones, rejects with a
   * MergeError IDEMPOTENCY_CONFLICT. Unknown contacts reject with CONTACT_NOT_FOUND, bad field
   * choices with BAD_REQUEST.
   */
  async enqueueMerge(req: EnqueueMergeRequest): Promise<{ mergeId: number; created: boolean }> {
    const { mergeId, created } = await submitMerge(
      this.db,
      this.queues,
      {
        survivorId: req.survivorId,
        duplicateIds: req.duplicateIds,
        fieldChoices: req.fieldChoices,
        idempotencyKey: req.idempotencyKey,
        source: 'producer',
        requestedBy: req.requestedBy ?? 'producer',
      },
      this.timeoutMs,
    );
    return { mergeId, created };
  }

  /** The merge's audit record, or undefined when there is no such merge. */
  async getMerge(id: number): Promise<MergeView | undefined> {
    const record = await getMerge(this.db, id);
    return record ? toMergeView(record) : undefined;
  }

  /**
   * Reads the merge every `pollMs` until it is completed, failed, refused (or undone), and returns
   * it. A merge only progresses while a `dedupe worker` consumes the merge queue: pass a signal
   * (e.g. `AbortSignal.timeout(60_000)`) to bound the wait.
   */
  async waitForMerge(id: number, opts: WaitOptions = {}): Promise<MergeView> {
    const pollMs = opts.pollMs ?? 500;
    for (;;) {
      opts.signal?.throwIfAborted();
      const merge = await this.getMerge(id);
      if (!merge) throw new MergeNotFoundError(id);
      if (SETTLED_STATUSES.includes(merge.status)) return merge;
      await sleep(pollMs, undefined, opts.signal ? { signal: opts.signal } : {}).catch((err: unknown) => {
        // Reject with the caller's reason (as throwIfAborted does), not a generic AbortError.
        throw opts.signal?.aborted ? opts.signal.reason : err;
      });
    }
  }

  async close(): Promise<void> {
    await this.queues.close();
    await this.db.destroy();
  }
}
