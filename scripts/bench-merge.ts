/**
 * Merge engine benchmark: loads 100,000 clusters (2-3 contacts each) with 500,000 activities plus
 * notes, owners and list memberships into a scratch database, applies the merges with the batched
 * engine (chunks, journal, locks, audit), then reloads the same data and times one plain statement
 * re-pointing the same rows. Target: engine rows/s ≥ 0.7 × the single statement's. The engine runs
 * with --concurrency callers at once (default 2, as many as the merge workers of a deployment).
 *
 *   npm run bench:merge [-- --json] [--clusters N] [--activities N] [--concurrency N] [--processes] [--batch N] [--wave N]
 *                       [--chunk-rows N] [--undo] [--floor] [--profile] [--keep]
 *
 * --floor also times the engine's writes alone on the same data (bench-merge-floor.ts): the most the
 * engine's statements can reach on this machine, whatever else it does.
 */
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/connection.js';
import {
  createScratchDatabase,
  loadBenchCrm,
  repointInOneStatement,
  requestBenchMerges,
  resetBenchCrm,
} from '../src/db/merge/bench-fixture.js';
import { executeMergeBatch, type MergeOutcome, undoRun } from '../src/db/merge/index.js';
import { DEFAULT_MAX_WAVE_MERGES } from '../src/db/merge/options.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { MERGE_CLUSTERS_PER_TASK } from '../src/pipeline/coordinator.js';
import { resolveUrls } from '../src/services/local.js';
import { type EngineTotals, mergeInChildren, totalsOf } from './bench-merge-children.js';
import { writesOnly } from './bench-merge-floor.js';
import { cpuSince, markCpu } from './machine-cpu.js';

function arg<T extends number | undefined>(name: string, fallback: T): number | T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const json = flag('json');
const clusters = arg('clusters', 100_000);
const activities = arg('activities', 500_000);
// Like a run's merge worker: one call per merge-batch task, waves as large as the engine's default.
const batch = arg('batch', MERGE_CLUSTERS_PER_TASK);
// Two engine callers by default, like the two merge workers of docker-compose.yml and of the demo
// (each `dedupe worker` takes one merge job at a time): the figures say which was used.
const concurrency = arg('concurrency', 2);
const wave = arg('wave', DEFAULT_MAX_WAVE_MERGES);
// --processes: the callers are separate processes (like merge workers), not async loops in this one.
const processes = flag('processes');
const chunkRows = arg('chunk-rows', undefined);
const cpuNote = (c: ReturnType<typeof cpuSince>) =>
  c
    ? `; machine CPU ${c.cpuSeconds.toFixed(1)} s, ${(c.utilization * 100).toFixed(0)}% of ${c.cpus} CPUs`
    : '';
const log = (msg: string) => {
  if (!json) process.stderr.write(`${msg}\n`);
};

async function main() {
  const config = loadConfig();
  const { databaseUrl } = await resolveUrls(config);
  const scratch = await createScratchDatabase(databaseUrl, 'dedupe_bench_merge');
  const { db, pool } = createDb({ url: scratch.url, poolSize: concurrency + 2 });
  try {
    await migrateToLatest(db as Kysely<unknown>);
    if (flag('keep')) log(`scratch database (kept): ${scratch.url}`);
    const engineOpts = {
      chunkRows: chunkRows ?? config.DEDUPE_MERGE_CHUNK_ROWS,
      maxWaveMerges: wave,
      lockTimeoutMs: config.DEDUPE_LOCK_TIMEOUT_MS,
      statementTimeoutMs: config.DEDUPE_STATEMENT_TIMEOUT_MS,
    };

    log(
      `loading ${clusters.toLocaleString('en-US')} clusters, ~${activities.toLocaleString('en-US')} activities...`,
    );
    const loaded = await loadBenchCrm(pool, { clusters, activities });
    log(
      `  ${Object.entries(loaded)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    const requestMerges = () => requestBenchMerges(db, pool, clusters);
    const inBatches = (all: number[]) => {
      const out: number[][] = [];
      for (let i = 0; i < all.length; i += batch) out.push(all.slice(i, i + batch));
      return out;
    };
    const { runId, ids } = await requestMerges();

    log(
      `engine: ${ids.length.toLocaleString('en-US')} merges, ${concurrency} at a time, ${batch} per call, waves of ${wave}, chunks of ${engineOpts.chunkRows} rows`,
    );
    const outcomes: MergeOutcome[] = [];
    // --profile: wall time between consecutive engine steps, summed per step name.
    const profile = new Map<string, number>();
    let last = performance.now();
    const hooks = flag('profile')
      ? {
          onStep: (s: { name: string; target?: string }) => {
            const now = performance.now();
            const key = `${s.name}${s.target ? ` ${s.target}` : ''}`;
            profile.set(key, (profile.get(key) ?? 0) + now - last);
            last = now;
          },
        }
      : undefined;
    // Like `concurrency` workers: each takes the next batch of merge ids until none is left.
    const batches = inBatches(ids);
    let t0 = performance.now();
    let cpu0 = markCpu();
    let totals: EngineTotals;
    if (processes) {
      // Like merge workers, which are separate processes: timed once every child is connected.
      const run = await mergeInChildren(scratch.url, batches, concurrency, engineOpts);
      t0 = run.startedAt;
      cpu0 = run.cpuAtStart;
      totals = run.totals;
    } else {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const sliceMemory = {}; // one per caller, as each merge worker keeps one
          for (let next = batches.shift(); next; next = batches.shift()) {
            outcomes.push(...(await executeMergeBatch(pool, next, { ...engineOpts, hooks, sliceMemory })));
          }
        }),
      );
      totals = totalsOf(outcomes);
    }
    const engineSeconds = (performance.now() - t0) / 1000;
    const engineCpu = cpuSince(cpu0);
    const completed = totals.completed;
    if (completed !== ids.length) throw new Error(`only ${completed} of ${ids.length} merges completed`);
    const engineRows = totals.rows;
    for (const [k, ms] of profile)
      log(`  ${k.padEnd(40)} ${(ms / 1000).toFixed(2)} s (time up to this step)`);
    log(
      `  ${engineSeconds.toFixed(1)} s: ${(completed / engineSeconds).toFixed(0)} merges/s, ${(engineRows / engineSeconds).toFixed(0)} rows/s (${engineRows} rows, ${totals.linked} activities linked)${cpuNote(engineCpu)}`,
    );

    let undo: { seconds: number; rows_per_s: number } | undefined;
    if (flag('undo')) {
      const t1 = performance.now();
      const undone = await undoRun(pool, runId, engineOpts);
      const seconds = (performance.now() - t1) / 1000;
      const back = undone.reduce(
        (a, u) =>
          a +
          Object.values(u.movedBack).reduce((x, y) => x + y, 0) +
          Object.values(u.reinserted).reduce((x, y) => x + y, 0),
        0,
      );
      undo = { seconds, rows_per_s: back / seconds };
      log(`undo: ${seconds.toFixed(1)} s, ${undo.rows_per_s.toFixed(0)} rows/s`);
    }

    let floor: { seconds: number; rows_per_s: number } | undefined;
    if (flag('floor')) {
      log(
        `reloading the same data for the floor (the engine's writes alone, ${concurrency} callers in this process)...`,
      );
      await resetBenchCrm(pool);
      await loadBenchCrm(pool, { clusters, activities });
      const run = await writesOnly(pool, inBatches((await requestMerges()).ids), concurrency, engineOpts);
      const t = totalsOf(run.outcomes);
      if (t.completed !== ids.length)
        throw new Error(`floor: only ${t.completed} of ${ids.length} merges completed`);
      floor = { seconds: run.seconds, rows_per_s: t.rows / run.seconds };
      log(
        `  floor: ${run.seconds.toFixed(1)} s, ${(ids.length / run.seconds).toFixed(0)} merges/s, ${floor.rows_per_s.toFixed(0)} rows/s (${t.rows} rows)${cpuNote(run.cpu)}`,
      );
    }

    log('reloading the same data for the single-statement baseline...');
    await resetBenchCrm(pool);
    await loadBenchCrm(pool, { clusters, activities });
    const t2 = performance.now();
    const cpu2 = markCpu();
    const baselineRows = await repointInOneStatement(pool, clusters);
    const baselineSeconds = (performance.now() - t2) / 1000;
    const baselineCpu = cpuSince(cpu2);
    log(
      `  single statement: ${baselineSeconds.toFixed(1)} s, ${(baselineRows / baselineSeconds).toFixed(0)} rows/s (${baselineRows} rows)${cpuNote(baselineCpu)}`,
    );

    const result = {
      clusters,
      contacts: loaded.contacts,
      activities: loaded.activities,
      merges: completed,
      concurrency,
      separate_processes: processes,
      rows_repointed: engineRows,
      engine_seconds: engineSeconds,
      merges_per_s: completed / engineSeconds,
      rows_per_s: engineRows / engineSeconds,
      single_statement_rows: baselineRows,
      single_statement_seconds: baselineSeconds,
      single_statement_rows_per_s: baselineRows / baselineSeconds,
      ratio: engineRows / engineSeconds / (baselineRows / baselineSeconds),
      // Machine CPU-seconds (every process) per phase: rows per CPU-second says how much work each
      // does per row, whatever the number of cores it could use.
      ...(engineCpu && baselineCpu
        ? {
            engine_cpu_seconds: engineCpu.cpuSeconds,
            engine_cpu_utilization: engineCpu.utilization,
            single_statement_cpu_seconds: baselineCpu.cpuSeconds,
            single_statement_cpu_utilization: baselineCpu.utilization,
            rows_per_cpu_second: engineRows / engineCpu.cpuSeconds,
            single_statement_rows_per_cpu_second: baselineRows / baselineCpu.cpuSeconds,
            cpus: engineCpu.cpus,
          }
        : {}),
      ...(undo ? { undo_seconds: undo.seconds, undo_rows_per_s: undo.rows_per_s } : {}),
      ...(floor
        ? {
            floor_seconds: floor.seconds,
            floor_rows_per_s: floor.rows_per_s,
            floor_ratio: floor.rows_per_s / (baselineRows / baselineSeconds),
          }
        : {}),
    };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `ratio engine / single statement: ${result.ratio.toFixed(2)} at concurrency ${concurrency}${processes ? ' (separate processes)' : ''} (target ≥ 0.7)\n${
          floor
            ? `ratio floor (the writes alone) / single statement: ${(floor.rows_per_s / result.single_statement_rows_per_s).toFixed(2)}; the engine does ${(result.rows_per_s / floor.rows_per_s).toFixed(2)} of the floor's rows/s\n`
            : ''
        }`,
      );
  } finally {
    await db.destroy();
    if (!flag('keep')) await scratch.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench-merge: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
