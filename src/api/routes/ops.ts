import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../../db/schema.js';
import type { QueueSet } from '../../queues/queues.js';

/** How long /healthz waits for each of PostgreSQL and Redis before calling it down. */
const HEALTH_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await withTimeout(check(), HEALTH_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'down';
  }
}

/**
 * `GET /healthz` and `GET /metrics`, both without auth (liveness probes and the Prometheus scrape
 * carry no token). Neither says more than up/down and the metric values.
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; queues: QueueSet; registry: Registry },
): void {
  app.get('/healthz', { config: { public: true }, logLevel: 'warn' }, async (_req, reply) => {
    const [postgres, redis] = await Promise.all([
      probe(() => sql`SELECT 1`.execute(deps.db)),
      probe(() => deps.queues.connection.ping()),
    ]);
    const ok = postgres === 'ok' && redis === 'ok';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'down', postgres, redis });
  });

  app.get('/metrics', { config: { public: true }, logLevel: 'warn' }, async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply
      .header('content-type', deps.registry.contentType)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
