import { afterAll, describe, expect, it } from 'vitest';
import { createSession, SESSION_COOKIE } from '../../src/api/auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { QUEUES } from '../../src/queues/names.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const TOKEN = 'auth-test-token-0123456789abcdef';
const queues = openQueues(env.redisUrl, env.queuePrefix);
const app = await buildApiServer(
  { db: env.db, pool: env.pool, queues, metrics: createMetrics() },
  { token: TOKEN },
);
const writable = await buildApiServer(
  { db: env.db, pool: env.pool, queues },
  { token: TOKEN, queueUiWrite: true },
);
const open = await buildApiServer({ db: env.db, pool: env.pool, queues }, { token: undefined });
afterAll(async () => {
  await Promise.all([app.close(), writable.close(), open.close()]);
  await queues.close();
});

const bearer = { authorization: `Bearer ${TOKEN}` };

describe('bearer-token auth', () => {
  const protectedRoutes = [
    { method: 'GET' as const, url: '/v1/merges/1' },
    { method: 'POST' as const, url: '/v1/merges' },
    { method: 'POST' as const, url: '/v1/merges/1/undo' },
    { method: 'GET' as const, url: '/v1/contacts/1/resolve' },
    { method: 'GET' as const, url: '/admin/queues' },
    { method: 'GET' as const, url: '/admin/queues/api/queues' },
    { method: 'GET' as const, url: '/no/such/route' },
  ];
  const badHeaders: { name: string; headers: Record<string, string> }[] = [
    { name: 'no header', headers: {} },
    { name: 'a wrong token', headers: { authorization: 'Bearer not-the-token-at-all-0000' } },
    { name: 'a prefix of the token', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
    { name: 'another scheme', headers: { authorization: `Basic ${TOKEN}` } },
    { name: 'the token without scheme', headers: { authorization: TOKEN } },
  ];
  for (const route of protectedRoutes) {
    it.each(badHeaders)(`${route.method} ${route.url}: 401 with $name`, async ({ headers }) => {
      const res = await app.inject({ ...route, headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  }

  it('lets the right token through (the route answers for itself)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/merges/987654', headers: bearer });
    expect(res.statusCode).toBe(404);
    const unknown = await app.inject({ method: 'GET', url: '/no/such/route', headers: bearer });
    expect(unknown.statusCode).toBe(404);
  });

  it('serves /healthz and /metrics without a token', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });

    await queues.queue(QUEUES.score).add('probe', { runId: 1, taskNo: 0 }, { jobId: 'metrics-probe' });
    const waiting = (await queues.queue(QUEUES.score).getJobCounts('waiting')).waiting;
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    // The queue collector reads Redis on scrape.
    expect(metrics.body).toContain(`dedupe_queue_jobs{queue="score",state="waiting"} ${waiting}`);
    expect(waiting).toBeGreaterThan(0);
    expect(metrics.body).toContain('process_cpu_seconds_total');
  });

  it('leaves every route open on a server started without a token (local-only), for loopback names only', async () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080']) {
      const res = await open.inject({ method: 'GET', url: '/v1/merges/987654', headers: { host } });
      expect(res.statusCode, host).toBe(404);
    }
    expect((await open.inject({ method: 'GET', url: '/admin/queues/api/queues' })).statusCode).toBe(200);
    // A page whose name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own Host.
    const rebound = await open.inject({
      method: 'GET',
      url: '/v1/merges/1',
      headers: { host: 'evil.example:8080' },
    });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().code).toBe('HOST_NOT_ALLOWED');
  });

  it('refuses unsafe requests sent by another site, token or not', async () => {
    const headers = { ...bearer, host: 'dedupe.internal:8080' };
    for (const server of [app, open]) {
      const res = await server.inject({
        method: 'POST',
        url: '/v1/merges/987654/undo',
        headers: { ...headers, host: 'localhost:8080', origin: 'http://evil.example' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CROSS_ORIGIN');
    }
    const sameSite = await app.inject({
      method: 'POST',
      url: '/v1/merges/987654/undo',
      headers: { ...headers, origin: 'http://dedupe.internal:8080' },
    });
    expect(sameSite.statusCode).toBe(404);
  });
});

describe('queue UI', () => {
  it('serves the board page and its API with the bearer token', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: bearer });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer });
    expect(api.statusCode).toBe(200);
    const names = (api.json().queues as { name: string; readOnlyMode: boolean }[]).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QUEUES).sort());
  });

  it('shows a browser without a session where to sign in', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('/admin/login');
  });

  it('exchanges the posted token for an HttpOnly SameSite=Strict cookie valid on the UI only', async () => {
    const form = await app.inject({ method: 'GET', url: '/admin/login' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('method="post"');

    const wrong = await app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=wrong-token-000000000000',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const login = await app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/admin/queues/');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const ui = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(ui.statusCode).toBe(200);
    // The cookie is no key to the API: another site cannot ride it into /v1.
    const api = await app.inject({ method: 'GET', url: '/v1/merges/1', headers: { cookie } });
    expect(api.statusCode).toBe(401);
  });

  it('refuses tampered, expired and foreign session cookies', async () => {
    const now = Date.now() / 1000;
    const valid = createSession(TOKEN, now);
    const [expiry, mac] = valid.split('.');
    const cookies = [
      `${Number(expiry) + 3600}.${mac}`,
      createSession(TOKEN, now - 2 * 24 * 3600),
      createSession('some-other-token-0123456789', now),
      'garbage',
    ];
    for (const value of cookies) {
      const res = await app.inject({
        method: 'GET',
        url: '/admin/queues/api/queues',
        headers: { cookie: `${SESSION_COOKIE}=${value}` },
      });
      expect(res.statusCode, value).toBe(401);
    }
    const ok = await app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { cookie: `other=1; ${SESSION_COOKIE}=${valid}` },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('is read-only by default: retry and clean are refused, and allowed with queueUiWrite', async () => {
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer });
    expect((api.json().queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode)).toBe(true);
    const writes = [
      { method: 'PUT' as const, url: '/admin/queues/api/queues/merge/retry/failed' },
      { method: 'PUT' as const, url: '/admin/queues/api/queues/merge/clean/completed' },
      { method: 'PUT' as const, url: '/admin/queues/api/queues/merge/pause' },
    ];
    for (const write of writes) {
      const refused = await app.inject({ ...write, headers: bearer });
      expect(refused.statusCode, write.url).toBe(405);
      expect(refused.json().code).toBe('QUEUE_UI_READ_ONLY');
    }
    const allowed = await writable.inject({ ...writes[1]!, headers: bearer });
    expect(allowed.statusCode).toBe(200);
    const writableApi = await writable.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: bearer,
    });
    expect((writableApi.json().queues as { readOnlyMode: boolean }[]).some((q) => q.readOnlyMode)).toBe(
      false,
    );
  });
});
