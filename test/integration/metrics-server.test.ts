import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachQueueCollector,
  createMetrics,
  type DedupeMetrics,
  type MetricsServer,
  startMetricsServer,
  timeJob,
} from '../../src/metrics/registry.js';

const PROMTOOL = '/usr/bin/promtool';

/** Runs `promtool check metrics` on an exposition body: exit code and what it printed. */
function promtoolCheckMetrics(body: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(body);
  });
}

describe('metrics server', () => {
  let metrics: DedupeMetrics;
  let server: MetricsServer;
  let base: string;

  beforeAll(async () => {
    metrics = createMetrics(new Registry());
    attachQueueCollector(metrics, async () => ({
      index: { waiting: 12, active: 4, delayed: 0, failed: 1, oldestWaitingSeconds: 33 },
    }));
    server = await startMetricsServer(metrics.registry, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('binds a free port when given 0', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves every series in the Prometheus text format', async () => {
    metrics.pairsScored.inc(250);
    await timeJob(metrics, 'merge', async () => undefined);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    expect(body).toMatch(/^# TYPE dedupe_pairs_scored_total counter$/m);
    expect(body).toMatch(/^dedupe_pairs_scored_total 250$/m);
    expect(body).toMatch(/^dedupe_jobs_total\{queue="merge",outcome="completed"\} 1$/m);
    expect(body).toMatch(/^dedupe_jobs_total\{queue="merge",outcome="failed"\} 0$/m);
    expect(body).toMatch(/^dedupe_job_duration_seconds_bucket\{le="600",queue="runs"\} 0$/m);
    expect(body).toMatch(/^dedupe_queue_jobs\{queue="index",state="waiting"\} 12$/m);
    expect(body).toMatch(/^dedupe_queue_oldest_waiting_seconds\{queue="index"\} 33$/m);
    expect(body).toMatch(/^dedupe_run_stage_progress_ratio\{stage="cluster"\} 0$/m);
    expect(body).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it.skipIf(!existsSync(PROMTOOL))('passes promtool check metrics', async () => {
    metrics.merges.inc({ outcome: 'completed' });
    metrics.rowsRepointed.inc({ table: 'notes' }, 3);
    const body = await (await fetch(`${base}/metrics`)).text();
    const { code, output } = await promtoolCheckMetrics(body);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('answers HEAD with headers only', async () => {
    const res = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    { method: 'GET', path: '/', status: 404 },
    { method: 'GET', path: '/metricsx', status: 404 },
    { method: 'GET', path: '/healthz', status: 404 },
    { method: 'POST', path: '/metrics', status: 405 },
    { method: 'GET', path: '/metrics?name[]=x', status: 200 },
  ])('$method $path → $status', async ({ method, path, status }) => {
    const res = await fetch(`${base}${path}`, { method });
    expect(res.status).toBe(status);
    await res.arrayBuffer();
  });
});

describe('metrics server lifecycle', () => {
  it('serves 500 when collecting fails, and keeps serving afterwards', async () => {
    const registry = new Registry();
    createMetrics(registry, { processMetrics: false });
    let broken = true;
    registry.registerMetric({
      name: 'test_broken',
      get: async () => {
        if (broken) throw new Error('collector exploded');
        return { name: 'test_broken', help: 'x', type: 'gauge', values: [], aggregator: 'sum' };
      },
      reset: () => {},
    } as never);
    const server = await startMetricsServer(registry, 0, '127.0.0.1');
    try {
      const failed = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toMatch(/collector exploded/);
      broken = false;
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const registry = new Registry();
    const first = await startMetricsServer(registry, 0, '127.0.0.1');
    try {
      await expect(startMetricsServer(registry, first.port, '127.0.0.1')).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.close();
    }
  });

  it('closes while a scraper holds a keep-alive connection open', async () => {
    const registry = new Registry();
    createMetrics(registry, { processMetrics: false });
    const server = await startMetricsServer(registry, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/metrics', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    expect(Object.keys(agent.freeSockets)).toHaveLength(1);
    await server.close();
    agent.destroy();
    await expect(fetch(`http://127.0.0.1:${server.port}/metrics`)).rejects.toThrow();
  });
});
