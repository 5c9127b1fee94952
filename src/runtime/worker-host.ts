import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { z } from 'zod';
import type { AppContext } from '../cli/context.js';
import { DomainError, isRetryable } from '../errors.js';
import { createMetrics, type DedupeMetrics, startMetricsServer } from '../metrics/registry.js';
import { redisConnection } from '../queues/connection.js';
import type { QueueName } from '../queues/names.js';
import { openQueues } from '../queues/queues.js';
import { attachCollectors } from './collectors.js';
import type { JobContext, WorkerDefinition } from './define-worker.js';

export interface WorkerHostOptions {
  definitions: WorkerDefinition<z.ZodType>[];
  queues: QueueName[];
  concurrency: number;
  metricsPort: number;
}

export interface WorkerHost {
  metrics: DedupeMetrics;
  metricsPort: number;
  /** Stops taking jobs, lets the current ones finish or checkpoint, closes every connection. */
  close(): Promise<void>;
}

export async function startWorkerHost(app: AppContext, opts: WorkerHostOptions): Promise<WorkerHost> {
  const metrics = createMetrics();
  const queues = openQueues(
    app.redisUrl,
    app.config.DEDUPE_QUEUE_PREFIX,
    app.config.DEDUPE_CONNECT_TIMEOUT_MS,
  );
  // /metrics first: a worker that cannot serve it (port taken) must not take jobs unseen.
  let server: Awaited<ReturnType<typeof startMetricsServer>>;
  try {
    server = await startMetricsServer(metrics.registry, opts.metricsPort);
  } catch (err) {
    await queues.close();
    throw new DomainError(
      'METRICS_PORT_UNAVAILABLE',
      `cannot serve /metrics on port ${opts.metricsPort}: ${(err as Error).message} (choose another with --metrics-port or DEDUPE_METRICS_PORT; 0 picks a free one)`,
    );
  }
  const shutdown = new AbortController();
  const workers: Worker[] = [];
  for (const def of opts.definitions.filter((d) => opts.queues.includes(d.queue))) {
    const concurrency = def.concurrency ?? opts.concurrency;
    metrics.workerConcurrency.set({ queue: def.queue }, concurrency);
    const connection = redisConnection(app.redisUrl, { worker: true });
    connection.on('error', (err) => app.logger.warn({ err: err.message }, 'redis connection error'));
    const worker = new Worker(def.queue, async (job: Job, token?: string) => runJob(def, job, token), {
      connection,
      prefix: app.config.DEDUPE_QUEUE_PREFIX,
      concurrency,
      // A crashed worker's job is picked up again once its lock expires (checkpoints make that safe).
      lockDuration: app.config.DEDUPE_JOB_LOCK_MS,
      stalledInterval: app.config.DEDUPE_JOB_LOCK_MS,
      maxStalledCount: 5,
    });
    worker.on('error', (err) => app.logger.error({ err: err.message, queue: def.queue }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (!job || !def.onFinalFailure) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const parsed = def.payload.safeParse(job.data);
      if (final && parsed.success) {
        def
          .onFinalFailure(parsed.data, err, { db: app.db, logger: app.logger })
          .catch((e: Error) => app.logger.error({ err: e.message }, 'recording a failed job failed'));
      }
    });
    workers.push(worker);
  }

  async function runJob(def: WorkerDefinition<z.ZodType>, job: Job, token: string | undefined) {
    const logger = app.logger.child({
      queue: def.queue,
      jobId: job.id,
      job: job.name,
      runId: (job.data as { runId?: unknown })?.runId,
      attempt: job.attemptsMade + 1,
    });
    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) {
      logger.error(
        { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
        'bad payload',
      );
      metrics.jobs.inc({ queue: def.queue, outcome: 'failed' });
      throw new UnrecoverableError(
        `bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    }
    const ctx: JobContext = {
      job,
      token,
      config: app.config,
      db: app.db,
      pool: app.pool,
      logger,
      metrics,
      queues,
      shutdown: shutdown.signal,
    };
    const stopTimer = metrics.jobDuration.startTimer({ queue: def.queue });
    metrics.workerActiveJobs.inc({ queue: def.queue });
    const started = performance.now();
    try {
      const result = await def.process(parsed.data, ctx);
      metrics.jobs.inc({ queue: def.queue, outcome: 'completed' });
      logger.info({ ms: Math.round(performance.now() - started) }, 'job completed');
      return result;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      metrics.jobs.inc({ queue: def.queue, outcome: 'failed' });
      logger.error({ err: (err as Error).message, code: (err as { code?: string }).code }, 'job failed');
      throw isRetryable(err) ? err : new UnrecoverableError((err as Error).message);
    } finally {
      stopTimer();
      metrics.workerActiveJobs.dec({ queue: def.queue });
    }
  }

  attachCollectors(metrics, app.db, queues);
  app.logger.info(
    { queues: opts.queues, concurrency: opts.concurrency, metricsPort: server.port },
    'worker started',
  );

  return {
    metrics,
    metricsPort: server.port,
    async close() {
      shutdown.abort();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(
        workers.map((w) => (w.opts.connection as { disconnect?: () => void }).disconnect?.()),
      );
      await queues.close();
      await server.close();
    },
  };
}
