import { join } from 'node:path';
import { sql } from 'kysely';
import { DATASETS, DATASETS_DIR, loadDataset, PROFILES_DIR } from '../src/bench/datasets.js';
import { loadConfig } from '../src/config.js';
import { closeDb } from '../src/db/connection.js';
import type { Quality } from '../src/db/quality.js';
import { seedCrm } from '../src/db/seed.js';
import { runReport } from '../src/pipeline/report.js';
import { loadProfile, startRun } from '../src/pipeline/start-run.js';
import { openQueues } from '../src/queues/queues.js';
import { runEnded, startLocalWorkers, stopLocalWorkers } from '../src/runtime/local-workers.js';
import { argValue, benchDatabase, hasFlag, peakRssMiB } from './bench-lib.js';

/**
 * npm run bench:detect -- --contacts N [--workers W] [--fresh] [--skip-seeded] [--skip-datasets] [--json]
 * Seeds (or reuses) N synthetic contacts, runs a dry run with W worker processes, prints time and rate
 * per stage, candidate pairs, reduction ratio, pair completeness, precision/recall/F1 and peak RSS per
 * process; then the same quality figures on every dataset in ../shared/datasets with its own profile.
 */
const contacts = Number(argValue('contacts') ?? 100_000);
const workers = Number(argValue('workers') ?? 2);
const json = hasFlag('json');
const log = (s: string) => process.stderr.write(`${s}\n`);

async function detect(
  dbName: string,
  profilePath: string | undefined,
  setup: (pool: import('pg').Pool) => Promise<number>,
  fresh: boolean,
) {
  const { db, pool, databaseUrl, redisUrl } = await benchDatabase(dbName, { fresh });
  const have = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(db)).rows[0]?.n ?? 0,
  );
  const seedStart = performance.now();
  const n = have > 0 ? have : await setup(pool);
  const seedSeconds = have > 0 ? null : (performance.now() - seedStart) / 1000;
  // Job ids are per run id, and run ids restart in every database: one queue prefix per database.
  const prefix = `b${process.pid}-${dbName.replace('dedupe_bench_', '')}`;
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, DEDUPE_QUEUE_PREFIX: prefix };
  const children = startLocalWorkers(workers, env);
  const queues = openQueues(redisUrl, prefix);
  const peak = new Map<number, number>();
  const sampler = setInterval(() => {
    for (const c of children) {
      const rss = peakRssMiB(c.pid);
      if (c.pid && rss) peak.set(c.pid, rss);
    }
  }, 500);
  try {
    const run = await startRun(db, queues, {
      profile: loadProfile(profilePath),
      dryRun: true,
      trigger: 'bench',
    });
    const started = performance.now();
    const ended = await runEnded(db, run.id, children);
    const wall = (performance.now() - started) / 1000;
    for (const c of children) {
      const rss = peakRssMiB(c.pid);
      if (c.pid && rss) peak.set(c.pid, rss);
    }
    const report = await runReport(db, run.id);
    // The finishing step already measured the clusters against the seeded truth.
    const quality = report.stats.quality as Quality;
    const candidates = report.stages.score?.totals.pairs_scored ?? 0;
    const allPairs = (n * (n - 1)) / 2;
    return {
      contacts: n,
      status: ended.status,
      seed_seconds: seedSeconds,
      wall_seconds: wall,
      stages: Object.fromEntries(
        Object.entries(report.stages).map(([k, s]) => [
          k,
          {
            seconds: s.seconds,
            items: s.items,
            items_per_s: s.items_per_s,
            tasks: s.tasks,
            failed: s.failed,
          },
        ]),
      ),
      candidate_pairs: candidates,
      reduction_ratio: allPairs > 0 ? 1 - candidates / allPairs : 0,
      pair_completeness: (report.stats.pair_completeness as number | undefined) ?? null,
      ...quality,
      peak_rss_mib: [...peak.values()].map((v) => Math.round(v)),
      buckets: report.stats.buckets,
      model: report.stats.model,
    };
  } finally {
    clearInterval(sampler);
    await stopLocalWorkers(children);
    await queues.close();
    await closeDb({ db, pool });
  }
}

const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '-' : x.toFixed(d));
const results: Record<string, unknown> = {};
loadConfig();
if (!hasFlag('skip-seeded')) {
  log(`seeded CRM: ${contacts.toLocaleString('en-US')} contacts, dry run with ${workers} worker processes`);
  const r = await detect(
    `dedupe_bench_${contacts}`,
    undefined,
    async (pool) =>
      (
        await seedCrm(pool, {
          contacts,
          duplicateRate: 0.1,
          activitiesPerContact: hasFlag('with-activities') ? 5 : 0,
          seed: 42,
        })
      ).contacts,
    hasFlag('fresh'),
  );
  results.seeded = r;
  if (!json) {
    log(
      `  status ${r.status}; first job to last cluster ${fmt(r.wall_seconds, 1)} s${r.seed_seconds ? ` (seeding took ${fmt(r.seed_seconds, 1)} s)` : ''}`,
    );
    for (const [stage, s] of Object.entries(r.stages))
      log(
        `  ${stage.padEnd(8)} ${fmt(s.seconds, 1).padStart(7)} s  ${Math.round(s.items).toLocaleString('en-US').padStart(12)} items  ${Math.round(
          s.items_per_s ?? 0,
        )
          .toLocaleString('en-US')
          .padStart(10)}/s`,
      );
    log(
      `  candidate pairs ${r.candidate_pairs.toLocaleString('en-US')}, reduction ratio ${fmt(r.reduction_ratio, 6)}, pair completeness ${fmt(r.pair_completeness, 4)}`,
    );
    log(
      `  precision ${fmt(r.precision, 4)}, recall ${fmt(r.recall, 4)}, F1 ${fmt(r.f1, 4)} (${r.true_pairs} true pairs, ${r.predicted_pairs} predicted)`,
    );
    log(`  peak RSS per worker process (MiB): ${r.peak_rss_mib.join(', ')}`);
  }
}
if (!hasFlag('skip-datasets')) {
  for (const spec of DATASETS) {
    const r = await detect(
      `dedupe_bench_ds_${spec.name}`,
      join(PROFILES_DIR, spec.profile),
      (pool) => loadDataset(pool, spec, DATASETS_DIR),
      true,
    );
    results[spec.name] = r;
    if (!json)
      log(
        `${spec.name.padEnd(18)} ${String(r.contacts).padStart(6)} records  precision ${fmt(r.precision)}  recall ${fmt(r.recall)}  F1 ${fmt(r.f1)}  pair completeness ${fmt(r.pair_completeness)}  (${fmt(r.wall_seconds, 1)} s)`,
      );
  }
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
