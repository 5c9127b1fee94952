import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/api/server.js';
import { executeMerge } from '../../src/db/merge/index.js';
import { DedupeApiError, DedupeHttpClient } from '../../src/index.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const TOKEN = 'http-client-token-0123456789';
const queues = openQueues(env.redisUrl, env.queuePrefix);
const app = await buildApiServer({ db: env.db, pool: env.pool, queues }, { token: TOKEN });
await app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const client = new DedupeHttpClient({ baseUrl: `${baseUrl}/`, token: TOKEN, requestedBy: 'client-test' });
afterAll(async () => {
  await app.close();
  await queues.close();
});

async function contacts(n: number): Promise<number[]> {
  const rows = await env.db
    .insertInto('contacts')
    .values(Array.from({ length: n }, (_, i) => ({ first_name: `H${i}` })))
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

async function apiError(promise: Promise<unknown>): Promise<DedupeApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DedupeApiError);
  return err as DedupeApiError;
}

describe('DedupeHttpClient over a listening server', () => {
  it('queues, reads, resolves and undoes a merge', async () => {
    const [a, b] = await contacts(2);
    const queued = await client.enqueueMerge({
      survivorId: a!,
      duplicateIds: [b!],
      idempotencyKey: `http-${a}`,
    });
    expect(queued).toEqual({ id: expect.any(Number), status: 'pending', created: true });
    expect(
      await client.enqueueMerge({ survivorId: a!, duplicateIds: [b!], idempotencyKey: `http-${a}` }),
    ).toEqual({
      ...queued,
      created: false,
    });
    expect(await client.getMerge(queued.id)).toMatchObject({ status: 'pending', requestedBy: 'client-test' });

    await executeMerge(env.pool, queued.id);
    expect(await client.resolveContact(b!)).toEqual({ id: b, survivorId: a, chain: [b, a], merged: true });
    const undone = await client.undoMerge(queued.id);
    expect(undone).toMatchObject({ id: queued.id, status: 'undone' });
    expect((await client.getMerge(queued.id)).status).toBe('undone');
  });

  it('turns error answers into DedupeApiErrors with status and code', async () => {
    const missing = await apiError(client.getMerge(987654321));
    expect([missing.status, missing.code]).toEqual([404, 'MERGE_NOT_FOUND']);
    const bad = await apiError(client.enqueueMerge({ survivorId: 1, duplicateIds: [] }));
    expect([bad.status, bad.code]).toEqual([400, 'BAD_REQUEST']);
    expect(bad.message).toMatch(/duplicateIds/);
    const unauthorized = await apiError(
      new DedupeHttpClient({ baseUrl, token: 'wrong-token-0000000000' }).getMerge(1),
    );
    expect([unauthorized.status, unauthorized.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('refuses ids that are not positive integers before sending anything', async () => {
    await expect(client.getMerge(1.5)).rejects.toBeInstanceOf(RangeError);
    await expect(client.resolveContact(0)).rejects.toBeInstanceOf(RangeError);
  });
});
