import { afterAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import { QUEUES } from '../../src/queues/names.js';
import { openQueues } from '../../src/queues/queues.js';
import { startWorkerHost } from '../../src/runtime/worker-host.js';
import { WORKER_DEFINITIONS } from '../../workers/index.js';
import { testEnv } from '../support/env.js';
import { until } from '../support/until.js';
import { testApp } from '../support/workers.js';

/**
 * A single merge whose job failed for good must say so (status failed, with the code), and sending
 * the same request again must queue it again: BullMQ keeps the failed job under its id for days,
 * so adding it again alone would do nothing and the merge would wait forever.
 */

const env = await testEnv();
const TOKEN = 'retry-test-token-0123456789';
const queues = openQueues(env.redisUrl, env.queuePrefix);
const app = await buildApiServer({ db: env.db, pool: env.pool, queues }, { token: TOKEN });
afterAll(async () => {
  await app.close();
  await queues.close();
});

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/v1/merges', headers, payload: JSON.stringify(payload) });
const merge = async (id: number) =>
  (await app.inject({ method: 'GET', url: `/v1/merges/${id}`, headers })).json() as {
    status: string;
    errorCode: string | null;
  };

/** A merge worker in this process with these settings. */
const mergeWorker = (settings: Record<string, string>) =>
  startWorkerHost(
    { ...testApp(env), config: loadConfig({ ...env.childEnv, LOG_LEVEL: 'silent', ...settings }) },
    { definitions: WORKER_DEFINITIONS, queues: [QUEUES.merge], concurrency: 1, metricsPort: 0 },
  );

describe('a single merge whose job failed for good', () => {
  it('is recorded as failed, and sending it again queues it again and completes it', async () => {
    const rows = await env.db
      .insertInto('contacts')
      .values([{ first_name: 'Ann' }, { first_name: 'Anne' }])
      .returning('id')
      .execute();
    const [a, b] = rows.map((r) => Number(r.id));
    const request = { survivorId: a, duplicateIds: [b], idempotencyKey: `retry-${a}` };

    // A worker deployed with a policy naming no table: every merge fails at once (not retryable).
    const broken = await mergeWorker({ DEDUPE_MERGE_UNIQUE_POLICIES: 'no_such_table=keep_loser' });
    const id = (await post(request)).json().id as number;
    await until(async () => (await merge(id)).status === 'failed');
    expect((await merge(id)).errorCode).toBe('UNSUPPORTED_TABLE');
    await broken.close();

    // Fixed and redeployed: the client sends the same request again.
    const again = await post(request);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id, status: 'pending', created: false });
    const fixed = await mergeWorker({});
    await until(async () => (await merge(id)).status === 'completed');
    await fixed.close();
    expect((await merge(id)).errorCode).toBeNull();
  });
});
