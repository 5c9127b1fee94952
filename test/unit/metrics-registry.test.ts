import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  attachQueueCollector,
  attachRunProgressCollector,
  createMetrics,
  getMetrics,
  timeJob,
} from '../../src/metrics/registry.js';

interface Series {
  name: string;
  labels: Record<string, string | number>;
  value: number;
}

/** Every sample of the registry, as a scrape would see it (collectors run). */
async function samples(registry: Registry): Promise<Series[]> {
  const out: Series[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values as { metricName?: string; labels: Series['labels']; value: number }[]) {
      out.push({ name: v.metricName ?? metric.name, labels: v.labels, value: v.value });
    }
  }
  return out;
}

function find(all: Series[], name: string, labels: Record<string, string> = {}): Series[] {
  return all.filter(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v),
  );
}

async function valueIn(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const found = find(await samples(registry), name, labels);
  if (found.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} series`);
  return found[0]!.value;
}

const QUEUES = ['runs', 'index', 'score', 'cluster', 'merge'];
const STAGES = ['index', 'score', 'cluster', 'merge'];
const each = (label: string, values: string[]) => values.map((v) => ({ [label]: v }));
const cross = (a: Record<string, string>[], b: Record<string, string>[]) =>
  a.flatMap((x) => b.map((y) => ({ ...x, ...y })));

// The series the dashboards and alerts rely on, written out from the specification rather than
// from the module's own constants.
const EXPECTED: [string, Record<string, string>[]][] = [
  ['dedupe_contacts_indexed_total', [{}]],
  ['dedupe_blocking_keys_total', [{}]],
  ['dedupe_buckets_total', each('outcome', ['kept', 'split', 'capped'])],
  ['dedupe_pairs_scored_total', [{}]],
  ['dedupe_pairs_matched_total', each('decision', ['merge', 'review'])],
  ['dedupe_merges_total', each('outcome', ['completed', 'failed', 'refused', 'undone'])],
  ['dedupe_merge_conflicts_total', each('kind', ['field', 'unique', 'concurrent'])],
  [
    'dedupe_rows_repointed_total',
    each('table', ['activities', 'notes', 'opportunities', 'tickets', 'contact_owners', 'list_memberships']),
  ],
  ['dedupe_job_duration_seconds_count', each('queue', QUEUES)],
  ['dedupe_job_duration_seconds_sum', each('queue', QUEUES)],
  ['dedupe_jobs_total', cross(each('queue', QUEUES), each('outcome', ['completed', 'failed']))],
  ['dedupe_worker_active_jobs', each('queue', QUEUES)],
  ['dedupe_worker_concurrency', each('queue', QUEUES)],
  [
    'dedupe_queue_jobs',
    cross(each('queue', QUEUES), each('state', ['waiting', 'active', 'delayed', 'failed'])),
  ],
  ['dedupe_queue_oldest_waiting_seconds', each('queue', QUEUES)],
  ['dedupe_run_active', [{}]],
  ['dedupe_run_stage_progress_ratio', each('stage', STAGES)],
  ['dedupe_run_stage_items_total', each('stage', STAGES)],
  ['dedupe_runs_total', each('outcome', ['completed', 'failed', 'cancelled'])],
  ['dedupe_metrics_collect_errors_total', each('collector', ['queues', 'runs'])],
];

const SENSITIVE_LABEL = /(^|_)(id|ids|uuid|key|email|mail|name|phone|user|person|address)($|_)/i;

describe('metric naming', async () => {
  const registry = new Registry();
  createMetrics(registry);
  const metrics = await registry.getMetricsAsJSON();

  it.each(metrics.map((m) => [m.name, m] as const))(
    '%s follows the Prometheus naming rules',
    (name, metric) => {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      if (String(metric.type) === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      if (String(metric.type) === 'histogram') expect(name).toMatch(/_seconds$/);
      expect(name).not.toMatch(/_(milliseconds|ms|minutes|hours|kilobytes|megabytes|percent)(_|$)/);
      if (name.endsWith('_ratio')) expect(String(metric.type)).toBe('gauge');
      for (const value of metric.values) {
        for (const label of Object.keys(value.labels)) {
          if (label !== 'le') expect(label, `${name} label`).not.toMatch(SENSITIVE_LABEL);
        }
      }
    },
  );

  it('prefixes every metric of its own with dedupe_ and keeps Node.js process metrics unprefixed', () => {
    const names = metrics.map((m) => m.name);
    const own = names.filter((n) => !/^(process|nodejs)_/.test(n));
    expect(own.length).toBeGreaterThan(15);
    for (const name of own) expect(name).toMatch(/^dedupe_/);
    expect(names).toContain('process_cpu_seconds_total');
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_heap_size_used_bytes');
  });

  it('leaves the process metrics out on request', async () => {
    const bare = new Registry();
    createMetrics(bare, { processMetrics: false });
    const names = (await bare.getMetricsAsJSON()).map((m) => m.name);
    expect(names.filter((n) => /^(process|nodejs)_/.test(n))).toEqual([]);
  });
});

describe('series present from creation', async () => {
  const registry = new Registry();
  createMetrics(registry, { processMetrics: false });
  const all = await samples(registry);

  const rows = EXPECTED.flatMap(([name, combos]) => combos.map((labels) => [name, labels] as const));
  it.each(rows)('%s %o exists at 0', (name, labels) => {
    const found = find(all, name, labels);
    expect(found).toHaveLength(1);
    expect(found[0]!.value).toBe(0);
  });

  it('has histogram buckets from 1 ms to 10 min for every queue', () => {
    for (const queue of QUEUES) {
      const bounds = all
        .filter((s) => s.name === 'dedupe_job_duration_seconds_bucket' && s.labels.queue === queue)
        .map((s) => s.labels.le);
      expect(bounds).toContain(0.001);
      expect(bounds).toContain(600);
      expect(bounds).toContain('+Inf');
    }
  });

  it('pre-initialises the re-pointed tables it is given', async () => {
    const custom = new Registry();
    createMetrics(custom, { processMetrics: false, repointTables: ['deals', 'invoices'] });
    expect(await valueIn(custom, 'dedupe_rows_repointed_total', { table: 'deals' })).toBe(0);
    expect(await valueIn(custom, 'dedupe_rows_repointed_total', { table: 'invoices' })).toBe(0);
    expect(find(await samples(custom), 'dedupe_rows_repointed_total', { table: 'notes' })).toHaveLength(0);
  });
});

describe('instances', () => {
  it('creates independent metrics on separate registries', async () => {
    const a = createMetrics(new Registry(), { processMetrics: false });
    const b = createMetrics(new Registry(), { processMetrics: false });
    a.contactsIndexed.inc(7);
    expect(await valueIn(a.registry, 'dedupe_contacts_indexed_total')).toBe(7);
    expect(await valueIn(b.registry, 'dedupe_contacts_indexed_total')).toBe(0);
  });

  it('refuses to create the metrics twice on one registry', () => {
    const registry = new Registry();
    createMetrics(registry, { processMetrics: false });
    expect(() => createMetrics(registry, { processMetrics: false })).toThrow(/already been registered/);
  });

  it('returns one process-wide instance', () => {
    expect(getMetrics()).toBe(getMetrics());
    expect(getMetrics().registry).toBeInstanceOf(Registry);
  });
});

describe('timeJob', () => {
  it.each([
    { name: 'a completed job', run: async () => 42, outcome: 'completed', other: 'failed' },
    {
      name: 'a failed job',
      run: async () => {
        throw new Error('boom');
      },
      outcome: 'failed',
      other: 'completed',
    },
  ])('records $name: duration, outcome, and the active gauge back to 0', async ({ run, outcome, other }) => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    let activeDuringJob = -1;
    const result = timeJob(m, 'score', async () => {
      activeDuringJob = await valueIn(m.registry, 'dedupe_worker_active_jobs', { queue: 'score' });
      return run();
    });
    if (outcome === 'failed') await expect(result).rejects.toThrow('boom');
    else await expect(result).resolves.toBe(42);
    expect(activeDuringJob).toBe(1);
    expect(await valueIn(m.registry, 'dedupe_worker_active_jobs', { queue: 'score' })).toBe(0);
    expect(await valueIn(m.registry, 'dedupe_jobs_total', { queue: 'score', outcome })).toBe(1);
    expect(await valueIn(m.registry, 'dedupe_jobs_total', { queue: 'score', outcome: other })).toBe(0);
    expect(await valueIn(m.registry, 'dedupe_job_duration_seconds_count', { queue: 'score' })).toBe(1);
    expect(await valueIn(m.registry, 'dedupe_job_duration_seconds_count', { queue: 'merge' })).toBe(0);
  });
});

const counts = (waiting: number, oldestWaitingSeconds = 0) => ({
  waiting,
  active: 2,
  delayed: 1,
  failed: 3,
  oldestWaitingSeconds,
});

describe('attachQueueCollector', () => {
  it('refreshes the queue gauges on each scrape, with one source call per scrape', async () => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    let calls = 0;
    attachQueueCollector(m, async () => {
      calls++;
      return { merge: counts(10 * calls, 4.5 * calls) };
    });
    const first = await samples(m.registry);
    expect(calls).toBe(1);
    expect(find(first, 'dedupe_queue_jobs', { queue: 'merge', state: 'waiting' })[0]!.value).toBe(10);
    expect(find(first, 'dedupe_queue_jobs', { queue: 'merge', state: 'failed' })[0]!.value).toBe(3);
    expect(find(first, 'dedupe_queue_oldest_waiting_seconds', { queue: 'merge' })[0]!.value).toBe(4.5);
    expect(find(first, 'dedupe_queue_jobs', { queue: 'index', state: 'waiting' })[0]!.value).toBe(0);
    const second = await samples(m.registry);
    expect(calls).toBe(2);
    expect(find(second, 'dedupe_queue_jobs', { queue: 'merge', state: 'waiting' })[0]!.value).toBe(20);
  });

  it.each([
    { name: 'rejects', fail: () => Promise.reject(new Error('redis down')), message: /redis down/ },
    {
      name: 'never answers',
      fail: () => new Promise<never>(() => {}),
      message: /did not answer within 20 ms/,
    },
  ])('keeps the previous values and counts an error when the source $name', async ({ fail, message }) => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    const errors: unknown[] = [];
    let healthy = true;
    attachQueueCollector(m, () => (healthy ? Promise.resolve({ index: counts(5, 60) }) : fail()), {
      timeoutMs: 20,
      onError: (err) => errors.push(err),
    });
    await samples(m.registry);
    healthy = false;
    const all = await samples(m.registry);
    expect(find(all, 'dedupe_queue_jobs', { queue: 'index', state: 'waiting' })[0]!.value).toBe(5);
    expect(find(all, 'dedupe_queue_oldest_waiting_seconds', { queue: 'index' })[0]!.value).toBe(60);
    expect(find(all, 'dedupe_metrics_collect_errors_total', { collector: 'queues' })[0]!.value).toBe(1);
    expect(find(all, 'dedupe_metrics_collect_errors_total', { collector: 'runs' })[0]!.value).toBe(0);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(message);
  });

  it('replaces negative or non-finite counts with 0', async () => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    attachQueueCollector(m, async () => ({ cluster: { ...counts(-1, Number.NaN), delayed: Infinity } }));
    const all = await samples(m.registry);
    expect(find(all, 'dedupe_queue_jobs', { queue: 'cluster', state: 'waiting' })[0]!.value).toBe(0);
    expect(find(all, 'dedupe_queue_jobs', { queue: 'cluster', state: 'delayed' })[0]!.value).toBe(0);
    expect(find(all, 'dedupe_queue_oldest_waiting_seconds', { queue: 'cluster' })[0]!.value).toBe(0);
  });

  it('stops calling the source once detached', async () => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    let calls = 0;
    const detach = attachQueueCollector(m, async () => {
      calls++;
      return {};
    });
    await samples(m.registry);
    detach();
    await samples(m.registry);
    expect(calls).toBe(1);
  });
});

describe('attachRunProgressCollector', () => {
  it.each([
    {
      name: 'an active run, ratios clamped to 0..1',
      progress: { active: true, stages: { index: 1, score: 0.25, cluster: 1.5, merge: -0.1 } },
      active: 1,
      ratios: { index: 1, score: 0.25, cluster: 1, merge: 0 },
    },
    {
      name: 'an active run with stages missing or 0 of 0 done',
      progress: { active: true, stages: { index: Number.NaN } },
      active: 1,
      ratios: { index: 0, score: 0, cluster: 0, merge: 0 },
    },
    {
      name: 'no active run',
      progress: { active: false, stages: { index: 1, score: 1 } },
      active: 0,
      ratios: { index: 0, score: 0, cluster: 0, merge: 0 },
    },
  ])('reports $name', async ({ progress, active, ratios }) => {
    const m = createMetrics(new Registry(), { processMetrics: false });
    attachRunProgressCollector(m, async () => progress);
    const all = await samples(m.registry);
    expect(find(all, 'dedupe_run_active')[0]!.value).toBe(active);
    for (const [stage, ratio] of Object.entries(ratios)) {
      expect(find(all, 'dedupe_run_stage_progress_ratio', { stage })[0]!.value, stage).toBe(ratio);
    }
  });
});
