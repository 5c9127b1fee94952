import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const dir = mkdtempSync(join(tmpdir(), 'dedupe-run-cli-'));

describe('dedupe run and its companions', () => {
  let runId = 0;

  it('seeds, then runs a dry run with local workers and prints the JSON report', async () => {
    const seeded = await runCli(
      ['seed', '--contacts', '3000', '--activities-per-contact', '1'],
      env.childEnv,
    );
    expect(seeded.code).toBe(0);
    const r = await runCli(['run', '--dry-run', '--workers', '2', '--json'], env.childEnv);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    runId = report.id;
    expect(report).toMatchObject({ status: 'completed', dry_run: true });
    expect(report.stages.index.items).toBe(3000);
    expect(report.stages.score.items).toBeGreaterThan(0);
    expect(report.stages.cluster.totals.clusters).toBeGreaterThan(0);
    expect(report.stages.merge).toBeUndefined();
    expect(report.stats.quality.precision).toBeGreaterThan(0.9);
    // A dry run merges nothing.
    const merged = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM contacts WHERE merged_into IS NOT NULL`.execute(env.db);
    expect(merged.rows[0]?.n).toBe(0);
  });

  it('lists and shows runs', async () => {
    const list = await runCli(['runs', 'list', '--json'], env.childEnv);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ id: runId, status: 'completed' });
    const show = await runCli(['runs', 'show', String(runId)], env.childEnv);
    expect(show.stdout).toMatch(new RegExp(`run ${runId}: completed \\(dry run\\)`));
    expect(show.stdout).toMatch(/index\s+\d+\/\d+\s+3,000/);
  });

  it('exports one line per contact in a cluster of two or more', async () => {
    const file = join(dir, 'clusters.csv');
    const r = await runCli(['export', String(runId), '--clusters', file], env.childEnv);
    expect(r.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('cluster_id,contact_id,external_id');
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cluster_members m JOIN clusters c USING (run_id, cluster_no) WHERE m.run_id = ${runId} AND c.size >= 2`.execute(
      env.db,
    );
    expect(lines.length - 1).toBe(rows[0]?.n);
    const perCluster = new Map<string, number>();
    for (const l of lines.slice(1))
      perCluster.set(l.split(',')[0]!, (perCluster.get(l.split(',')[0]!) ?? 0) + 1);
    expect(Math.min(...perCluster.values())).toBeGreaterThanOrEqual(2);
  });

  it('lists review pairs with their per-field weights', async () => {
    const r = await runCli(['review', 'list', '--run', String(runId), '--json'], env.childEnv);
    const pairs = JSON.parse(r.stdout) as { weights: { fields: unknown[] } }[];
    for (const p of pairs) expect(p.weights.fields.length).toBeGreaterThan(0);
  });

  it('accepts a review pair, merging it, and rejects another; a decided pair cannot be decided again', async () => {
    const list = await runCli(['review', 'list', '--run', String(runId), '--json'], env.childEnv);
    const [first, second] = JSON.parse(list.stdout) as { a_id: number; b_id: number }[];
    expect(second).toBeDefined();
    const ids = (p: { a_id: number; b_id: number }) => [String(runId), String(p.a_id), String(p.b_id)];
    const accept = await runCli(['review', 'accept', ...ids(first!), '--by', 'alice'], env.childEnv);
    expect({ code: accept.code, stderr: accept.stderr }).toEqual({ code: 0, stderr: '' });
    expect(accept.stdout).toMatch(/^accepted \d+ ~ \d+: merge \d+ merged \d+ into \d+$/m);
    const reject = await runCli(['review', 'reject', ...ids(second!), '--by', 'bob'], env.childEnv);
    expect(reject.stdout).toMatch(/^rejected /);
    const again = await runCli(['review', 'reject', ...ids(first!)], env.childEnv);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/no pending review pair/);
  });

  it('says so when --wait has no worker, instead of hanging silently, and cancels', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--wait', '--dry-run'], { env: env.childEnv });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('no worker is connected')) resolve();
      });
    });
    child.kill('SIGTERM');
    const { rows } = await sql<{ id: number }>`SELECT max(id)::int AS id FROM dedupe_runs`.execute(env.db);
    const cancel = await runCli(['runs', 'cancel', String(rows[0]?.id)], env.childEnv);
    expect(cancel.stdout).toMatch(/cancelled/);
    const again = await runCli(['runs', 'cancel', String(rows[0]?.id)], env.childEnv);
    expect(again.stdout).toMatch(/already ended/);
  });

  it('stops waiting when every local worker exited, saying why', async () => {
    const bad = { ...env.childEnv, DEDUPE_MERGE_UNIQUE_POLICIES: 'no_such_table=keep_loser' };
    const r = await runCli(['run', '--dry-run', '--workers', '1'], bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/merges cannot run: .*no_such_table/);
    const id = /every local worker exited; run (\d+) is left as it is/.exec(r.stderr)?.[1];
    expect(id).toBeDefined();
    expect((await runCli(['runs', 'cancel', id!], env.childEnv)).stdout).toMatch(/cancelled/);
  });

  it('refuses a bad profile, naming the path, and creates no run', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'x', thresholds: { merge: 2 } }));
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dedupe_runs`.execute(env.db);
    const r = await runCli(['run', '--profile', file], env.childEnv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/thresholds/);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dedupe_runs`.execute(env.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('keeps one scheduler per name and removes it', async () => {
    expect(
      (await runCli(['schedule', 'add', 'nightly', '--cron', '0 3 * * *', '--dry-run'], env.childEnv)).code,
    ).toBe(0);
    expect((await runCli(['schedule', 'add', 'nightly', '--cron', '0 4 * * *'], env.childEnv)).code).toBe(0);
    const list = JSON.parse((await runCli(['schedule', 'list', '--json'], env.childEnv)).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'nightly', cron: '0 4 * * *', dryRun: false });
    const bad = await runCli(['schedule', 'add', 'broken', '--cron', 'not a cron'], env.childEnv);
    expect(bad.code).toBe(1);
    expect((await runCli(['schedule', 'remove', 'nightly'], env.childEnv)).code).toBe(0);
    expect(JSON.parse((await runCli(['schedule', 'list', '--json'], env.childEnv)).stdout)).toHaveLength(0);
  });
});
