import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createMetrics } from '../../src/metrics/registry.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readYaml = (path: string) => YAML.parse(readFileSync(root(path), 'utf8'));
const DATASOURCE = { type: 'prometheus', uid: 'dedupe-prometheus' };

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const OPERATORS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** Metric names a PromQL expression selects: what is left once strings, matchers, ranges, label lists and calls are removed. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice(match.index + word.length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(word) || OPERATORS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

describe('metricNames (the PromQL scanner the checks below rely on)', () => {
  it.each([
    ['sum(rate(dedupe_pairs_scored_total[1m]))', ['dedupe_pairs_scored_total']],
    [
      'histogram_quantile(0.95, sum by (queue, le) (rate(dedupe_job_duration_seconds_bucket{queue="x"}[5m])))',
      ['dedupe_job_duration_seconds_bucket'],
    ],
    ['max(a_x) == 1 unless sum(increase(b_total[15m])) > 0', ['a_x', 'b_total']],
    ['sum(rate(c_total[6h] offset 10m)) or vector(0)', ['c_total']],
    ['x_total / clamp_min(y_total, 1e-9) * 60', ['x_total', 'y_total']],
    ['absent(up{job="dedupe-worker"} == 1)', ['up']],
    ['sum without (instance) (m{le="+Inf",name=~"a.*"})', ['m']],
  ])('%s → %o', (expr, expected) => {
    expect(metricNames(expr).sort()).toEqual([...expected].sort());
  });
});

/** Every metric name a scrape of a dedupe process can show, histograms with their series suffixes. */
async function exposedNames(): Promise<Set<string>> {
  const registry = new Registry();
  createMetrics(registry);
  const names = new Set<string>(['up']); // written by Prometheus itself for every target
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(metric.name + s);
  }
  return names;
}

interface Target {
  expr?: string;
  datasource?: unknown;
  refId?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

const dashboardFiles = readdirSync(root('grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map(
  (file) =>
    [file, JSON.parse(readFileSync(root(`grafana/dashboards/${file}`), 'utf8')) as Dashboard] as const,
);
const panelRows = dashboards.flatMap(([file, d]) => d.panels.map((p) => [file, p.title, p] as const));

describe('grafana dashboards', async () => {
  const known = await exposedNames();

  it('has dashboards with unique uids, including "Dedupe overview"', () => {
    expect(dashboardFiles.length).toBeGreaterThan(0);
    const uids = dashboards.map(([, d]) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(dashboards.map(([, d]) => d.title)).toContain('Dedupe overview');
  });

  it.each(dashboards)(
    '%s is a Grafana dashboard of schemaVersion >= 39 with a non-overlapping layout',
    (_, d) => {
      expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(d.panels.length).toBeGreaterThan(0);
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const { gridPos: g, title } of d.panels) {
        expect(g.x + g.w, title).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
    },
  );

  it.each(panelRows)('%s "%s": fixed datasource and PromQL over exposed metrics', (_, title, panel) => {
    expect(panel.datasource).toEqual(DATASOURCE);
    const targets = panel.targets ?? [];
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target.datasource ?? DATASOURCE).toEqual(DATASOURCE);
      expect(target.expr?.trim(), `${title} ${target.refId}`).toBeTruthy();
      // Grafana variables would not evaluate in plain Prometheus; the panels use fixed ranges.
      expect(target.expr).not.toMatch(/\$/);
      const names = metricNames(target.expr ?? '');
      expect(names.length, target.expr).toBeGreaterThan(0);
      for (const name of names) expect(known, `${title}: ${name}`).toContain(name);
    }
  });

  it.each([
    ['contacts indexed/s', /rate\(dedupe_contacts_indexed_total\[/],
    ['pairs scored/s', /rate\(dedupe_pairs_scored_total\[/],
    ['merges/s', /rate\(dedupe_merges_total\{outcome="completed"\}\[/],
    ['queue depth by state', /by \(queue, state\) \(dedupe_queue_jobs\)/],
    ['oldest waiting age', /dedupe_queue_oldest_waiting_seconds/],
    [
      'latency p50',
      /histogram_quantile\(0\.5, sum by \(queue, le\) \(rate\(dedupe_job_duration_seconds_bucket\[5m\]\)\)\)/,
    ],
    [
      'latency p95',
      /histogram_quantile\(0\.95, sum by \(queue, le\) \(rate\(dedupe_job_duration_seconds_bucket\[5m\]\)\)\)/,
    ],
    [
      'latency p99',
      /histogram_quantile\(0\.99, sum by \(queue, le\) \(rate\(dedupe_job_duration_seconds_bucket\[5m\]\)\)\)/,
    ],
    ['merge outcomes', /sum by \(outcome\) \(rate\(dedupe_merges_total\[/],
    ['conflicts by kind', /sum by \(kind\) \(rate\(dedupe_merge_conflicts_total\[/],
    ['rows re-pointed per table', /sum by \(table\) \(rate\(dedupe_rows_repointed_total\[/],
    ['failure ratio per queue', /sum by \(queue\) \(rate\(dedupe_jobs_total\{outcome="failed"\}/],
    ['worker saturation', /dedupe_worker_active_jobs[\s\S]*dedupe_worker_concurrency/],
    ['run progress per stage', /by \(stage\) \(dedupe_run_stage_progress_ratio\)/],
    ['process memory', /process_resident_memory_bytes/],
    ['process CPU', /rate\(process_cpu_seconds_total\[/],
  ])('"Dedupe overview" shows %s', (_, pattern) => {
    const overview = dashboards.find(([, d]) => d.title === 'Dedupe overview')?.[1];
    const exprs = overview?.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')) ?? [];
    expect(exprs.some((e) => pattern.test(e))).toBe(true);
  });

  it('alert rules use only exposed metrics', () => {
    const rules = (
      readYaml('prometheus/alerts.yml').groups as { rules: { alert: string; expr: string }[] }[]
    ).flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(known, `${rule.alert}: ${name}`).toContain(name);
    }
  });
});

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
};
const compose = readYaml('docker-compose.yml') as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('defines the stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'grafana', 'migrate', 'postgres', 'prometheus', 'redis', 'worker'].sort(),
    );
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.redis?.image).toBe('redis:7');
  });

  it.each([
    ['migrate', { postgres: 'service_healthy' }],
    [
      'worker',
      { postgres: 'service_healthy', redis: 'service_healthy', migrate: 'service_completed_successfully' },
    ],
    [
      'api',
      { postgres: 'service_healthy', redis: 'service_healthy', migrate: 'service_completed_successfully' },
    ],
    ['grafana', { prometheus: 'service_healthy' }],
  ])('%s waits for %o', (name, expected) => {
    const dependsOn = services[name]?.depends_on ?? {};
    expect(Object.fromEntries(Object.entries(dependsOn).map(([k, v]) => [k, v.condition]))).toEqual(expected);
  });

  it('only waits for the health of services that have a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dep], `${name} → ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dep]?.healthcheck?.test, dep).toBeDefined();
      }
    }
  });

  it.each(['postgres', 'redis', 'worker', 'api', 'prometheus', 'grafana'])('%s has a healthcheck', (name) => {
    expect(services[name]?.healthcheck?.test?.[0]).toMatch(/^CMD(-SHELL)?$/);
  });

  it('runs the dedupe commands', () => {
    expect(services.postgres?.healthcheck?.test).toContain('pg_isready');
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services.redis?.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(services.redis?.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(services.migrate?.command).toEqual(['migrate']);
    expect(services.worker?.command?.[0]).toBe('worker');
    expect(services.worker?.deploy?.replicas).toBe(2);
    expect(services.api?.command).toEqual(['serve', '--port', '8080']);
    expect(services.api?.ports?.some((p) => p.endsWith(':8080'))).toBe(true);
    expect(services.api?.environment?.DEDUPE_API_TOKEN).toMatch(/^\$\{DEDUPE_API_TOKEN/);
    for (const name of ['migrate', 'worker', 'api']) {
      expect(services[name]?.environment?.DATABASE_URL, name).toMatch(/@postgres:5432\//);
      expect(services[name]?.environment?.REDIS_URL, name).toBe('redis://redis:6379');
    }
  });

  it('agrees with the Prometheus scrape config and the Grafana provisioning', () => {
    const scrape = readYaml('prometheus/prometheus.yml').scrape_configs as {
      job_name: string;
      dns_sd_configs?: { names: string[]; port: number }[];
      static_configs?: { targets: string[] }[];
    }[];
    const worker = scrape.find((j) => j.job_name === 'dedupe-worker')?.dns_sd_configs?.[0];
    expect(worker?.names).toEqual(['worker']);
    const metricsPortFlag = services.worker?.command?.indexOf('--metrics-port') ?? -1;
    expect(String(worker?.port)).toBe(services.worker?.command?.[metricsPortFlag + 1]);
    expect(scrape.find((j) => j.job_name === 'dedupe-api')?.static_configs?.[0]?.targets).toEqual([
      'api:8080',
    ]);
    expect(services.prometheus?.volumes).toContain('./prometheus:/etc/prometheus:ro');

    const datasource = readYaml('grafana/provisioning/datasources/prometheus.yml').datasources[0];
    expect(datasource).toMatchObject({ ...DATASOURCE, url: 'http://prometheus:9090' });
    const provider = readYaml('grafana/provisioning/dashboards/dedupe.yml').providers[0];
    expect(provider.type).toBe('file');
    expect(services.grafana?.volumes).toContain(`./grafana/dashboards:${provider.options.path}:ro`);
    expect(services.grafana?.volumes).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
