import type pg from 'pg';
import { discoverTargets } from '../src/db/merge/catalog.js';
import { writeWave } from '../src/db/merge/fast.js';
import { lockContactRows, plansFrom } from '../src/db/merge/finalize.js';
import { RowTally } from '../src/db/merge/move.js';
import { type EngineOptions, type MergeOutcome, resolveOptions } from '../src/db/merge/options.js';
import { fromPg, inTransaction, withClient } from '../src/db/merge/pg.js';
import type { RunnableMerge } from '../src/db/merge/prepare.js';
import { loadMerges } from '../src/db/merge/store.js';
import { cpuSince, markCpu } from './machine-cpu.js';

/**
 * bench:merge --floor: the engine's writes and nothing else. The same waves run the very statements
 * the engine's one-transaction path runs (activity linking, every table re-pointed and journalled,
 * survivors, tombstones and audit rows with their snapshots), each wave in one transaction, with the
 * same number of callers; but with no advisory or row locks, no reloading of merges and chains, no
 * reading of the records and no planning under the timer (the plans are made before it starts), and
 * no chunk limit. Whatever the engine does besides writing, it cannot go faster than this on the
 * same machine: the floor says how much of the single-statement target the writes alone leave.
 */

/** The plans and runnable merges of every batch, made before timing. */
async function prepare(pool: pg.Pool, batches: number[][], opts: EngineOptions) {
  const o = resolveOptions({ ...opts, chunkRows: 2_000_000_000 });
  return withClient(pool, async (client) => {
    const q = fromPg(client);
    const targets = await discoverTargets(q, o);
    const prepared: { runs: RunnableMerge[]; planOf: ReturnType<typeof plansFrom> }[] = [];
    for (const ids of batches) {
      const runs = (await loadMerges(q, ids)).map((merge) => ({
        merge,
        survivor: merge.survivorId,
        losers: merge.loserIds,
        choices: merge.fieldChoices,
      }));
      // Read once, outside any transaction the timer sees: FOR UPDATE in autocommit locks nothing for long.
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
        for (let next = prepared.shift(); next; next = prepared.shift()) {
          for (let i = 0; i < next.runs.length; i += opts.maxWaveMerges) {
            const wave = next.runs.slice(i, i + opts.maxWaveMerges);
            const done = await inTransaction(client, o, (q) =>
              writeWave(q, targets, wave, o, next.planOf, new RowTally()),
            );
            outcomes.push(...done.outcomes);
          }
        }
      }),
    ),
  );
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSince(cpu0), outcomes };
}
