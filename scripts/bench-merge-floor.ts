import type pg from 'pg';
import { OneTransactionSizer } from '../src/core/merge/slices.js';
import { discoverTargets } from '../src/db/merge/catalog.js';
import { WaveTooBig, writeWave } from '../src/db/merge/fast.js';
import { lockContactRows, type PlanOf, plansFrom } from '../src/db/merge/finalize.js';
import { RowTally } from '../src/db/merge/move.js';
import { type EngineOptions, type MergeOutcome, resolveOptions } from '../src/db/merge/options.js';
import { fromPg, inTransaction, withClient } from '../src/db/merge/pg.js';
import type { RunnableMerge } from '../src/db/merge/prepare.js';
import { loadMerges } from '../src/db/merge/store.js';
import { cpuSince, markCpu } from './machine-cpu.js';

/**
 * bench:merge --floor: the engine's writes and nothing else. The same batches run the very
 * statements the engine's one-transaction path runs (activity linking, every table re-pointed and
 * journalled, survivors, tombstones and audit rows with their snapshots) in slices of the size the
 * engine would pick (OneTransactionSizer, one per caller as each merge worker keeps one), each slice
 * in one transaction, with the same number of callers (async, in this one process: the floor's own
 * Node work is building the statements' parameters); but with no advisory or row locks, no
 * reloading of merges and chains, no reading of the records and no planning under the timer (the
 * plans are made before it starts). Whatever the engine does besides writing, these statements
 * cannot go faster than this on the same machine: the floor says how much of the single-statement
 * target the writes alone leave.
 */

/** The plans and runnable merges of every batch, made before timing. */
async function prepare(pool: pg.Pool, batches: number[][], opts: EngineOptions) {
  const o = resolveOptions(opts);
  return withClient(pool, async (client) => {
    const q = fromPg(client);
    const targets = await discoverTargets(q, o);
    const prepared: { runs: RunnableMerge[]; planOf: PlanOf }[] = [];
    for (const ids of batches) {
      const runs = (await loadMerges(q, ids)).map((merge) => ({
        merge,
        survivor: merge.survivorId,
        losers: merge.loserIds,
        choices: merge.fieldChoices,
      }));
      // Read with the engine's own query, before the timer (in autocommit its locks end with it).
      const planOf = plansFrom(await lockContactRows(q, runs), o);
      // Plans computed now, so the timed part only looks them up.
      const plans = new Map(runs.map((r) => [r.merge.id, planOf(r)]));
      prepared.push({ runs, planOf: (r) => plans.get(r.merge.id)! });
    }
    return { o, targets, prepared };
  });
}

/** Runs the writes of these batches of merge ids (fresh merges, no contact shared) with `callers` connections. */
export async function writesOnly(
  pool: pg.Pool,
  batches: number[][],
  callers: number,
  opts: EngineOptions & { maxWaveMerges: number },
): Promise<{ seconds: number; cpu: ReturnType<typeof cpuSince>; outcomes: MergeOutcome[] }> {
  const { o, targets, prepared } = await prepare(pool, batches, opts);
  const outcomes: MergeOutcome[] = [];
  const t0 = performance.now();
  const cpu0 = markCpu();
  await Promise.all(
    Array.from({ length: callers }, () =>
      withClient(pool, async (client) => {
        const sizer = new OneTransactionSizer(o.maxWaveMerges, o.chunkRows, {});
        for (let next = prepared.shift(); next; next = prepared.shift()) {
          const { runs, planOf } = next;
          for (let i = 0; i < runs.length; ) {
            const slice = runs.slice(i, i + sizer.size);
            try {
              const done = await inTransaction(client, o, (q) =>
                writeWave(q, targets, slice, o, planOf, new RowTally()),
              );
              outcomes.push(...done.outcomes);
              sizer.fitted(slice.length, done.busiest);
              i += slice.length;
            } catch (err) {
              if (!(err instanceof WaveTooBig)) throw err;
              if (slice.length === 1)
                throw new Error(
                  `merge ${slice[0]!.merge.id} has more rows than one chunk: the floor times the one-transaction path only (raise --chunk-rows)`,
                );
              sizer.tooBig(slice.length); // rolled back, as the engine's would be
            }
          }
        }
      }),
    ),
  );
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSince(cpu0), outcomes };
}
