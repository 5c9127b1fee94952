import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { seedCrm } from '../../src/db/seed.js';
import { freePort } from '../../src/services/local.js';
import { BIN, runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { until } from '../support/until.js';

/**
 * The SRE's picture, for real: worker processes and `dedupe serve` scraped by a real Prometheus
 * during a seeded run with merges; every dashboard expression and alert rule evaluated through
 * Prometheus's HTTP API; counters checked against the database; logs checked for personal data.
 */
const env = await testEnv();
const dir = mkdtempSync(join(tmpdir(), 'dedupe-observability-'));
const ROOT = join(import.meta.dirname, '..', '..');
const processes: ChildProcess[] = [];
const logs: string[] = [];
const spawnLogged = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...env.childEnv, LOG_LEVEL: 'debug', DEDUPE_JOB_LOCK_MS: '30000', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const index = logs.push('') - 1;
  child.stdout?.on('data', (d) => {
    logs[index] += d;
  });
  child.stderr?.on('data', (d) => {
    logs[index] += d;
  });
  processes.push(child);
  return child;
};
afterAll(() => {
  for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
});

async function promQuery(port: number, expr: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
}

/** The operands of a rule's top-level comparisons and set operators, each of which must have data. */
export function operands(expr: string): string[] {
  const e = expr.trim().replace(/^absent\(([\s\S]*)\)$/, '$1');
  let depth = 0;
  const cuts: [number, number][] = [];
  const re = /(\bunless\b|\band\b|\bor\b|==|!=|>=|<=|>|<)/g;
  for (let i = 0; i < e.length; i++) {
    const ch = e[i];
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    else if (depth === 0) {
      re.lastIndex = i;
      const m = re.exec(e);
      if (m && m.index === i) {
        cuts.push([i, i + m[0].length]);
        i += m[0].length - 1;
      }
    }
  }
  const parts: string[] = [];
  let from = 0;
  for (const [a, b] of cuts) {
    parts.push(e.slice(from, a));
    from = b;
  }
  parts.push(e.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p && !/^[\d.\s*]+$/.test(p) && !/^vector\(/.test(p));
}

const hasPromtool = existsSync('/usr/bin/promtool');
const hasPrometheus = existsSync('/usr/bin/prometheus');

describe.runIf(hasPromtool && hasPrometheus)(
  'metrics, dashboards, alerts and logs during a seeded run',
  () => {
    const workerPorts: number[] = [];
    let apiPort = 0;
    let promPort = 0;
    let runId = 0;

    it('runs a seeded run with merges while Prometheus scrapes every process', async () => {
      await seedCrm(env.pool, { contacts: 4000, duplicateRate: 0.1, activitiesPerContact: 2, seed: 21 });
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        workerPorts.push(port);
        spawnLogged(['worker', '--metrics-port', String(port)]);
      }
      apiPort = await freePort();
      spawnLogged(['serve', '--port', String(apiPort)], {
        DEDUPE_API_TOKEN: 'observability-test-token-0123456789',
      });
      promPort = await freePort();
      const rules = join(dir, 'alerts.yml');
      writeFileSync(rules, readFileSync(join(ROOT, 'prometheus', 'alerts.yml')));
      writeFileSync(
        join(dir, 'prometheus.yml'),
        YAML.stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: [rules],
          scrape_configs: [
            {
              job_name: 'dedupe-worker',
              static_configs: [{ targets: workerPorts.map((p) => `127.0.0.1:${p}`) }],
            },
            { job_name: 'dedupe-api', static_configs: [{ targets: [`127.0.0.1:${apiPort}`] }] },
          ],
        }),
      );
      const prom = spawn(
        '/usr/bin/prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        { stdio: 'ignore' },
      );
      processes.push(prom);
      await until(async () => {
        try {
          const r = await promQuery(promPort, 'up');
          return (
            (r.data?.result.length ?? 0) === 3 &&
            (await promQuery(promPort, 'up == 0')).data?.result.length === 0
          );
        } catch {
          return false;
        }
      }, 200);
      const run = await runCli(['run', '--wait', '--json'], env.childEnv);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      runId = report.id;
      expect(report.status).toBe('completed');
      expect(report.stages.merge.items).toBeGreaterThan(0);
      // Let a few scrapes and rule evaluations see the finished run.
      const sampleAfter = Date.now() / 1000 + 3;
      await until(async () => {
        const r = await promQuery(promPort, 'time()');
        return Number((r.data?.result as unknown as [number, string])?.[1] ?? 0) > sampleAfter;
      }, 200);
    });

    it('every dashboard panel expression returns data', async () => {
      const dashboards = ['dedupe-overview.json'].map((f) =>
        JSON.parse(readFileSync(join(ROOT, 'grafana', 'dashboards', f), 'utf8')),
      );
      const exprs = dashboards.flatMap((d) =>
        d.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr)),
      );
      expect(exprs.length).toBeGreaterThan(20);
      for (const expr of exprs) {
        const r = await promQuery(promPort, expr);
        expect(r.status, `${expr}: ${r.error}`).toBe('success');
        expect(r.data?.result.length, `no data for ${expr}`).toBeGreaterThan(0);
      }
    });

    it('every alert rule evaluates without error, over series that exist', async () => {
      const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/rules`);
      const groups = (
        (await res.json()) as {
          data: {
            groups: { rules: { name: string; query: string; health: string; lastError?: string }[] }[];
          };
        }
      ).data.groups;
      const rules = groups.flatMap((g) => g.rules);
      expect(rules.length).toBeGreaterThan(5);
      for (const rule of rules) {
        expect(rule.health, `${rule.name}: ${rule.lastError}`).toBe('ok');
        const r = await promQuery(promPort, rule.query);
        expect(r.status, `${rule.name}: ${r.error}`).toBe('success');
        for (const part of operands(rule.query)) {
          const p = await promQuery(promPort, part);
          expect(p.status, `${rule.name} / ${part}: ${p.error}`).toBe('success');
          expect(p.data?.result.length, `${rule.name}: no data for ${part}`).toBeGreaterThan(0);
        }
      }
    });

    it('promtool accepts every /metrics, and the counters agree with the database', async () => {
      let indexed = 0;
      let repointed = 0;
      for (const port of [...workerPorts, apiPort]) {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: body });
        if (port === apiPort) continue;
        for (const line of body.split('\n')) {
          if (line.startsWith('dedupe_contacts_indexed_total ')) indexed += Number(line.split(' ')[1]);
          if (line.startsWith('dedupe_rows_repointed_total{')) repointed += Number(line.split(' ')[1]);
        }
      }
      const contacts = (
        await sql<{
          n: number;
        }>`SELECT (stats->>'contacts_total')::int AS n FROM dedupe_runs WHERE id = ${runId}`.execute(env.db)
      ).rows[0]?.n;
      const journal = (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM merge_journal WHERE action = 'moved'`.execute(
          env.db,
        )
      ).rows[0]?.n;
      expect(indexed).toBe(contacts);
      expect(repointed).toBe(journal);
      expect(journal).toBeGreaterThan(0);
    });

    it('never writes a contact name, email or phone to the logs', async () => {
      const text = logs.join('\n');
      expect(text.length).toBeGreaterThan(1000);
      const { rows } = await sql<{
        first_name: string | null;
        last_name: string | null;
        email: string | null;
        phone: string | null;
      }>`
      SELECT first_name, last_name, email, phone FROM contacts`.execute(env.db);
      for (const c of rows) {
        for (const value of [
          c.email,
          c.phone,
          c.first_name && c.last_name ? `${c.first_name} ${c.last_name}` : null,
        ]) {
          if (value && value.length >= 6) expect(text.includes(value), `log contains ${value}`).toBe(false);
        }
      }
    });
  },
);
