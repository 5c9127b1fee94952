import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { DEFAULT_ENQUEUE_TIMEOUT_MS } from '../client/submit.js';
import type { EngineOptions } from '../db/merge/index.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { createMetrics, type DedupeMetrics } from '../metrics/registry.js';
import { ALL_QUEUES } from '../queues/names.js';
import type { QueueSet } from '../queues/queues.js';
import { attachCollectors } from '../runtime/collectors.js';
import { errorHandler } from './errors.js';
import { authHook } from './guard.js';
import { registerQueueUi } from './queue-ui.js';
import { registerMergeRoutes } from './routes/merges.js';
import { registerOpsRoutes } from './routes/ops.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (/healthz, /metrics, the queue-UI sign-in). */
    public?: boolean;
  }
}

export interface ApiDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  queues: QueueSet;
  /** Requests are logged through it (method, path without query, status, time: no headers, no bodies). */
  logger?: Logger;
  /** Engine settings of undo (engineOptionsFromConfig); default the engine's defaults. */
  engineOptions?: EngineOptions;
  /** Default: a fresh registry with the dedupe metrics, process metrics and the queue/run collectors. */
  metrics?: DedupeMetrics;
}

export interface ApiOptions {
  /**
   * DEDUPE_API_TOKEN. Undefined only for a local-only server (the CLI refuses otherwise): then
   * every route is open to whoever can reach 127.0.0.1.
   */
  token: string | undefined;
  /** Allow the queue UI's write actions (retry, clean, pause, add...); default read-only. */
  queueUiWrite?: boolean;
  /** Largest request body accepted (bytes); default 1 MiB. */
  bodyLimit?: number;
  /** How long Redis may take to take a merge job before the request answers 503 (DEDUPE_CONNECT_TIMEOUT_MS). */
  enqueueTimeoutMs?: number;
}

/**
 * Logs queue connection errors (Redis down or restarting) once per distinct message instead of
 * letting BullMQ print every reconnect attempt; requests meanwhile answer 503 REDIS_UNAVAILABLE.
 */
function watchQueues(app: FastifyInstance, queues: QueueSet): void {
  let last = '';
  for (const name of ALL_QUEUES) {
    queues.queue(name).on('error', (err: Error) => {
      if (err.message === last) return;
      last = err.message;
      app.log.warn({ queue: name, err: err.message }, 'queue connection error');
    });
  }
}

/** Log lines name the request by method and path only: query strings, headers and bodies stay out. */
const requestSerializers = {
  req: (req: FastifyRequest) => ({
    method: req.method,
    path: (req.url ?? '').split('?')[0],
    remoteAddress: req.ip,
  }),
};

/** The fastify app of `dedupe serve`, ready to `inject()` or `listen()`; closing it detaches the collectors. */
export async function buildApiServer(deps: ApiDeps, opts: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger
      ? {
          loggerInstance: deps.logger.child(
            { component: 'api' },
            { serializers: requestSerializers },
          ) as FastifyBaseLogger,
        }
      : {}),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
  });
  const metrics = deps.metrics ?? createMetrics();
  const detach = attachCollectors(metrics, deps.db, deps.queues);
  app.addHook('onClose', async () => detach());

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
  app.addHook('onRequest', authHook(opts.token, opts.queueUiWrite ?? false));
  watchQueues(app, deps.queues);

  registerOpsRoutes(app, { db: deps.db, queues: deps.queues, registry: metrics.registry });
  registerMergeRoutes(app, {
    db: deps.db,
    pool: deps.pool,
    queues: deps.queues,
    engineOptions: deps.engineOptions ?? {},
    metrics,
    enqueueTimeoutMs: opts.enqueueTimeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS,
  });
  await registerQueueUi(app, {
    queues: deps.queues,
    token: opts.token,
    writable: opts.queueUiWrite ?? false,
  });
  await app.ready();
  return app;
}
