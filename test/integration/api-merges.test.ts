import { afterAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../src/api/server.js';
import { SINGLE_MERGE_JOB } from '../../src/client/submit.js';
import { executeMerge } from '../../src/db/merge/index.js';
import { QUEUES } from '../../src/queues/names.js';
import { jobIds } from '../../src/queues/payloads.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const TOKEN = 'merges-test-token-0123456789';
const queues = openQueues(env.redisUrl, env.queuePrefix);
const app = await buildApiServer({ db: env.db, pool: env.pool, queues }, { token: TOKEN });
afterAll(async () => {
  await app.close();
  await queues.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    headers: {
      ...auth,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    payload: payload === undefined ? undefined : JSON.stringify(payload),
  });
const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

async function contacts(n: number): Promise<number[]> {
  const rows = await env.db
    .insertInto('contacts')
    .values(Array.from({ length: n }, (_, i) => ({ first_name: `Test${i}`, last_name: 'Person' })))
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

describe('POST /v1/merges: validation', () => {
  const cases: { name: string; body: unknown; field: RegExp }[] = [
    { name: 'missing survivorId', body: { duplicateIds: [2] }, field: /survivorId/ },
    { name: 'empty duplicateIds', body: { survivorId: 1, duplicateIds: [] }, field: /duplicateIds/ },
    { name: 'missing duplicateIds', body: { survivorId: 1 }, field: /duplicateIds/ },
    { name: 'fractional id', body: { survivorId: 1.5, duplicateIds: [2] }, field: /survivorId/ },
    { name: 'string id', body: { survivorId: 1, duplicateIds: ['2'] }, field: /duplicateIds\.0/ },
    { name: 'negative id', body: { survivorId: -1, duplicateIds: [2] }, field: /survivorId/ },
    { name: 'unknown field', body: { survivorId: 1, duplicateIds: [2], force: true }, field: /force/ },
    {
      name: 'survivor among duplicates',
      body: { survivorId: 1, duplicateIds: [1, 2] },
      field: /duplicateIds/,
    },
    { name: 'repeated duplicate', body: { survivorId: 1, duplicateIds: [2, 2] }, field: /duplicateIds/ },
    {
      name: 'field choice not an id',
      body: { survivorId: 1, duplicateIds: [2], fieldChoices: { email: 'x' } },
      field: /fieldChoices\.email/,
    },
    { name: 'not an object', body: [1, 2], field: /body/ },
  ];
  it.each(cases)('answers 400 naming the field on $name', async ({ body, field }) => {
    const res = await post('/v1/merges', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(field) });
  });

  it('answers 400 on malformed JSON and on a bad X-Requested-By', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/merges',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"survivorId": 1,',
    });
    expect(bad.statusCode).toBe(400);
    const [a, b] = await contacts(2);
    const who = await post('/v1/merges', { survivorId: a, duplicateIds: [b] }, { 'x-requested-by': 'a\nb' });
    expect(who.statusCode).toBe(400);
    expect(who.json().message).toMatch(/X-Requested-By/);
  });

  it('refuses unknown contacts (404) and field choices for contacts outside the merge (400)', async () => {
    const [a, b, c] = await contacts(3);
    const unknown = await post('/v1/merges', { survivorId: a, duplicateIds: [b, 987654321] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: 'CONTACT_NOT_FOUND',
      message: expect.stringContaining('987654321'),
    });
    const choice = await post('/v1/merges', { survivorId: a, duplicateIds: [b], fieldChoices: { email: c } });
    expect(choice.statusCode).toBe(400);
    expect(choice.json().code).toBe('BAD_REQUEST');
  });
});

describe('POST /v1/merges: accepted requests', () => {
  it('answers 202, records the merge and queues its job under the deterministic id', async () => {
    const [a, b, c] = await contacts(3);
    const res = await post(
      '/v1/merges',
      { survivorId: a, duplicateIds: [b, c] },
      { 'x-requested-by': 'crm-ui' },
    );
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({ id: expect.any(Number), status: 'pending', created: true });
    expect(res.headers.location).toBe(`/v1/merges/${body.id}`);

    const row = await env.db
      .selectFrom('merges')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'api', requested_by: 'crm-ui', survivor_id: a, loser_ids: [b, c] });
    const job = await queues.queue(QUEUES.merge).getJob(jobIds.singleMerge(body.id));
    expect(job?.name).toBe(SINGLE_MERGE_JOB);
    expect(job?.data).toEqual({ kind: 'single', mergeId: body.id });
  });

  it('records `api` as the requester without X-Requested-By', async () => {
    const [a, b] = await contacts(2);
    const { id } = (await post('/v1/merges', { survivorId: a, duplicateIds: [b] })).json();
    const row = await env.db
      .selectFrom('merges')
      .select('requested_by')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.requested_by).toBe('api');
  });

  it('returns the same merge (200, created false) for a repeated idempotency key, with one job', async () => {
    const [a, b] = await contacts(2);
    const request = { survivorId: a, duplicateIds: [b], idempotencyKey: `key-${a}` };
    const first = await post('/v1/merges', request);
    const again = await post('/v1/merges', request);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: first.json().id, status: 'pending', created: false });
    const rows = await env.db
      .selectFrom('merges')
      .select('id')
      .where('idempotency_key', '=', `key-${a}`)
      .execute();
    expect(rows).toHaveLength(1);
    const jobs = await queues.queue(QUEUES.merge).getJobs(['waiting']);
    expect(jobs.filter((j) => j.data.mergeId === first.json().id)).toHaveLength(1);
  });

  it('answers 409 when an idempotency key is reused for other contacts', async () => {
    const [a, b, c] = await contacts(3);
    await post('/v1/merges', { survivorId: a, duplicateIds: [b], idempotencyKey: `reuse-${a}` });
    const res = await post('/v1/merges', { survivorId: a, duplicateIds: [c], idempotencyKey: `reuse-${a}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('answers 409 when an idempotency key is reused with other field choices, 200 with the same ones', async () => {
    const [a, b] = await contacts(2);
    const withChoices = (fieldChoices: Record<string, number>) =>
      post('/v1/merges', { survivorId: a, duplicateIds: [b], idempotencyKey: `choices-${a}`, fieldChoices });
    const first = await withChoices({ email: a!, city: b! });
    expect(first.statusCode).toBe(202);
    const other = await withChoices({ email: b! });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_CONFLICT');
    // The same choices in another key order are the same request.
    const same = await withChoices({ city: b!, email: a! });
    expect(same.statusCode).toBe(200);
    expect(same.json().id).toBe(first.json().id);
  });

  it('answers 400, writing nothing, for a NUL character or a key reserved for runs', async () => {
    const [a, b] = await contacts(2);
    for (const extra of [
      { idempotencyKey: 'k\u0000' },
      { fieldChoices: { 'attributes.x\u0000': a } },
      { idempotencyKey: 'run-1-cluster-1' },
      { idempotencyKey: 'review-1-2-3' },
    ]) {
      const res = await post('/v1/merges', { survivorId: a, duplicateIds: [b], ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().code).toBe('BAD_REQUEST');
    }
    const rows = await env.db.selectFrom('merges').select('id').where('survivor_id', '=', a!).execute();
    expect(rows).toHaveLength(0);
    // A key that only starts like one is the client's own.
    expect(
      (await post('/v1/merges', { survivorId: a, duplicateIds: [b], idempotencyKey: 'run-7f3a' })).statusCode,
    ).toBe(202);
  });
});

describe('reading, resolving and undoing merges', () => {
  it('answers 404 for an unknown merge or contact and 400 for a non-numeric id', async () => {
    expect((await get('/v1/merges/987654321')).json()).toMatchObject({ code: 'MERGE_NOT_FOUND' });
    expect((await get('/v1/merges/987654321')).statusCode).toBe(404);
    expect((await post('/v1/merges/987654321/undo')).statusCode).toBe(404);
    expect((await get('/v1/contacts/987654321/resolve')).statusCode).toBe(404);
    for (const url of ['/v1/merges/abc', '/v1/merges/0', '/v1/merges/1e3', '/v1/contacts/x/resolve']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('BAD_REQUEST');
    }
  });

  it('resolves a contact never merged to itself', async () => {
    const [a] = await contacts(1);
    expect((await get(`/v1/contacts/${a}/resolve`)).json()).toEqual({
      id: a,
      survivorId: a,
      chain: [a],
      merged: false,
    });
  });

  it('shows the audit record, follows chains, refuses an undo others depend on, then undoes in order', async () => {
    const [x, y, z] = await contacts(3);
    const first = (await post('/v1/merges', { survivorId: x, duplicateIds: [y] })).json().id as number;
    const pending = (await get(`/v1/merges/${first}`)).json();
    expect(pending).toMatchObject({
      id: first,
      status: 'pending',
      source: 'api',
      survivorId: x,
      duplicateIds: [y],
    });
    expect(pending).not.toHaveProperty('snapshot');

    // What the merge worker does with the job, done here directly.
    await executeMerge(env.pool, first);
    const done = (await get(`/v1/merges/${first}`)).json();
    expect(done).toMatchObject({ status: 'completed', effectiveSurvivorId: x, effectiveDuplicateIds: [y] });
    expect(done.finishedAt).toEqual(expect.any(String));

    const second = (await post('/v1/merges', { survivorId: z, duplicateIds: [x] })).json().id as number;
    await executeMerge(env.pool, second);
    expect((await get(`/v1/contacts/${y}/resolve`)).json()).toEqual({
      id: y,
      survivorId: z,
      chain: [y, x, z],
      merged: true,
    });

    const refused = await post(`/v1/merges/${first}/undo`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'UNDO_DEPENDENT',
      message: expect.stringContaining(String(second)),
    });

    const undoSecond = await post(`/v1/merges/${second}/undo`);
    expect(undoSecond.statusCode).toBe(200);
    expect(undoSecond.json()).toMatchObject({ id: second, status: 'undone' });
    expect((await post(`/v1/merges/${first}/undo`)).statusCode).toBe(200);
    expect((await get(`/v1/merges/${first}`)).json()).toMatchObject({
      status: 'undone',
      undoneAt: expect.any(String),
    });
    expect((await get(`/v1/contacts/${y}/resolve`)).json()).toMatchObject({ survivorId: y, merged: false });
  });

  it('counts an undo in dedupe_merges_total{outcome="undone"}, once', async () => {
    const undone = async () =>
      Number(
        /dedupe_merges_total\{outcome="undone"\} (\d+)/.exec(
          (await app.inject({ url: '/metrics' })).body,
        )?.[1],
      );
    const [a, b] = await contacts(2);
    const id = (await post('/v1/merges', { survivorId: a, duplicateIds: [b] })).json().id;
    await executeMerge(env.pool, id);
    const before = await undone();
    expect((await post(`/v1/merges/${id}/undo`)).statusCode).toBe(200);
    expect((await post(`/v1/merges/${id}/undo`)).statusCode).toBe(200); // already undone: not counted again
    expect(await undone()).toBe(before + 1);
  });

  it('undoing a merge before it ran cancels it: its queued job then merges nothing', async () => {
    const [a, b] = await contacts(2);
    const id = (await post('/v1/merges', { survivorId: a, duplicateIds: [b] })).json().id;
    const res = await post(`/v1/merges/${id}/undo`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id,
      status: 'undone',
      movedBack: {},
      reinserted: {},
      unlinked: {},
      keyTaken: {},
    });
    // The job runs afterwards, as a worker would take it.
    expect((await executeMerge(env.pool, id)).status).toBe('undone');
    const loser = await env.db
      .selectFrom('contacts')
      .select('merged_into')
      .where('id', '=', b!)
      .executeTakeFirstOrThrow();
    expect(loser.merged_into).toBeNull();
    expect((await get(`/v1/merges/${id}`)).json().status).toBe('undone');
  });
});

describe('when Redis does not answer', () => {
  it('answers 503 REDIS_UNAVAILABLE without recording a merge, and /healthz says redis is down', async () => {
    const deadQueues = openQueues('redis://127.0.0.1:1', env.queuePrefix, 200);
    const dead = await buildApiServer(
      { db: env.db, pool: env.pool, queues: deadQueues },
      { token: TOKEN, enqueueTimeoutMs: 200 },
    );
    try {
      const [a, b] = await contacts(2);
      const res = await dead.inject({
        method: 'POST',
        url: '/v1/merges',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ survivorId: a, duplicateIds: [b] }),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('REDIS_UNAVAILABLE');
      const rows = await env.db.selectFrom('merges').select('id').where('survivor_id', '=', a!).execute();
      expect(rows).toEqual([]);
      const health = await dead.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toEqual({ status: 'down', postgres: 'ok', redis: 'down' });
    } finally {
      await dead.close();
      await deadQueues.close();
    }
  });
});
