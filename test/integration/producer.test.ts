import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../src/db/connection.js';
import { executeMerge } from '../../src/db/merge/index.js';
import { DedupeProducer, MergeError, MergeNotFoundError } from '../../src/index.js';
import { RedisUnavailableError } from '../../src/queues/connection.js';
import { QUEUES } from '../../src/queues/names.js';
import { jobIds } from '../../src/queues/payloads.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const producer = await DedupeProducer.connect({
  databaseUrl: env.databaseUrl,
  redisUrl: env.redisUrl,
  queuePrefix: env.queuePrefix,
});
const queues = openQueues(env.redisUrl, env.queuePrefix);
afterAll(async () => {
  await producer.close();
  await queues.close();
});

async function contacts(n: number): Promise<number[]> {
  const rows = await env.db
    .insertInto('contacts')
    .values(Array.from({ length: n }, (_, i) => ({ first_name: `P${i}` })))
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

describe('DedupeProducer', () => {
  it('records the merge, queues its job under the deployment prefix, and reads it back', async () => {
    const [a, b] = await contacts(2);
    const { mergeId, created } = await producer.enqueueMerge({
      survivorId: a!,
      duplicateIds: [b!],
      requestedBy: 'billing-service',
    });
    expect(created).toBe(true);
    const job = await queues.queue(QUEUES.merge).getJob(jobIds.singleMerge(mergeId));
    expect(job?.data).toEqual({ kind: 'single', mergeId });
    expect(await producer.getMerge(mergeId)).toMatchObject({
      id: mergeId,
      status: 'pending',
      source: 'producer',
      requestedBy: 'billing-service',
      survivorId: a,
      duplicateIds: [b],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('records `producer` as the requester by default and honours idempotency keys', async () => {
    const [a, b] = await contacts(2);
    const req = { survivorId: a!, duplicateIds: [b!], idempotencyKey: `order-${a}` };
    const first = await producer.enqueueMerge(req);
    const again = await producer.enqueueMerge(req);
    expect(again).toEqual({ mergeId: first.mergeId, created: false });
    expect((await producer.getMerge(first.mergeId))?.requestedBy).toBe('producer');
  });

  it('rejects unknown contacts with a MergeError coded CONTACT_NOT_FOUND', async () => {
    const [a] = await contacts(1);
    const err = await producer
      .enqueueMerge({ survivorId: a!, duplicateIds: [987654321] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MergeError);
    expect((err as MergeError).code).toBe('CONTACT_NOT_FOUND');
  });

  it('waits until the merge is completed, or refused', async () => {
    const [x, y] = await contacts(2);
    const { mergeId } = await producer.enqueueMerge({ survivorId: x!, duplicateIds: [y!] });
    const waiting = producer.waitForMerge(mergeId, { pollMs: 10 });
    await executeMerge(env.pool, mergeId);
    expect(await waiting).toMatchObject({ id: mergeId, status: 'completed', effectiveSurvivorId: x });

    // y now resolves to x: x into y would close a loop (y → x → y), refused when it executes.
    const back = await producer.enqueueMerge({ survivorId: y!, duplicateIds: [x!] });
    const refusal = producer.waitForMerge(back.mergeId, { pollMs: 10 });
    await executeMerge(env.pool, back.mergeId);
    expect(await refusal).toMatchObject({ status: 'refused', errorCode: 'MERGE_CYCLE' });
  });

  it('stops waiting when its signal aborts, and fails on an unknown merge', async () => {
    const [a, b] = await contacts(2);
    const { mergeId } = await producer.enqueueMerge({ survivorId: a!, duplicateIds: [b!] });
    const controller = new AbortController();
    const waiting = producer.waitForMerge(mergeId, { pollMs: 10, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(await producer.getMerge(987654321)).toBeUndefined();
    await expect(producer.waitForMerge(987654321)).rejects.toBeInstanceOf(MergeNotFoundError);
  });

  it('refuses to connect to services that do not answer, naming them', async () => {
    const noRedis = DedupeProducer.connect({
      databaseUrl: env.databaseUrl,
      redisUrl: 'redis://127.0.0.1:1',
      connectTimeoutMs: 500,
    });
    await expect(noRedis).rejects.toBeInstanceOf(RedisUnavailableError);
    const noPg = DedupeProducer.connect({
      databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      redisUrl: env.redisUrl,
      connectTimeoutMs: 500,
    });
    await expect(noPg).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });
});
