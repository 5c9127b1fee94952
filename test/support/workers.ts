import type { AppContext } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ALL_QUEUES } from '../../src/queues/names.js';
import { startWorkerHost, type WorkerHost } from '../../src/runtime/worker-host.js';
import { WORKER_DEFINITIONS } from '../../workers/index.js';
import type { TestEnv } from './env.js';

/** An AppContext over a test file's database and queue prefix. */
export function testApp(env: TestEnv): AppContext {
  const config = loadConfig({ ...env.childEnv, LOG_LEVEL: 'silent' });
  return {
    config,
    databaseUrl: env.databaseUrl,
    redisUrl: env.redisUrl,
    db: env.db,
    pool: env.pool,
    logger: createLogger('silent'),
    async close() {},
  };
}

/** Every worker kind in this process (the real BullMQ workers, on the test's own prefix). */
export async function startTestWorkers(env: TestEnv, concurrency = 2): Promise<WorkerHost> {
  return startWorkerHost(testApp(env), {
    definitions: WORKER_DEFINITIONS,
    queues: ALL_QUEUES,
    concurrency,
    metricsPort: 0,
  });
}

export { runEnded } from '../../src/runtime/local-workers.js';
