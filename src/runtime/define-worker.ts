import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { DedupeMetrics } from '../metrics/registry.js';
import type { QueueName } from '../queues/names.js';
import type { QueueSet } from '../queues/queues.js';

/** What a processor gets besides its parsed payload. */
export interface JobContext {
  job: Job;
  /** The BullMQ lock token of this attempt (for moveToDelayed on shutdown). */
  token: string | undefined;
  config: Config;
  db: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  metrics: DedupeMetrics;
  queues: QueueSet;
  /** Aborted on SIGTERM: long jobs checkpoint and hand the rest back to the queue. */
  shutdown: AbortSignal;
}

export interface WorkerDefinition<S extends z.ZodType> {
  queue: QueueName;
  payload: S;
  /** Jobs of this queue run at most this many at once per process (default: the --concurrency option). */
  concurrency?: number;
  process(data: z.infer<S>, ctx: JobContext): Promise<unknown>;
  /** Called once a job has failed for good (no retry left): record it where the run can see it. */
  onFinalFailure?(data: z.infer<S>, error: Error, ctx: Pick<JobContext, 'db' | 'logger'>): Promise<void>;
}

/** Declares a worker: the payload schema is applied before `process` ever sees the data. */
export function defineWorker<S extends z.ZodType>(def: WorkerDefinition<S>): WorkerDefinition<S> {
  return def;
}
