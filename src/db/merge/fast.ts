import type pg from 'pg';
import type { RepointTarget } from './catalog.js';
import { completeMerges, lockContactRows, type PlanOf, plansFrom, reportConflicts } from './finalize.js';
import { linkOnce, RowTally, repointOnce, step, waveArrays } from './move.js';
import type { MergeOutcome, ResolvedOptions } from './options.js';
import { inTransaction, type Queryable } from './pg.js';
import type { RunnableMerge } from './prepare.js';

/**
 * The one-transaction path for a wave of small merges (the common case: a run's clusters of 2-3
 * contacts): contacts locked, activities linked, every table re-pointed, survivors and tombstones
 * written and the audit completed, all in one short transaction whose statements each stay within
 * one chunk (chunkRows rows). Atomic, so there is nothing to resume: a crash leaves the merges
 * pending. If any statement fills its chunk, the wave is too big for one transaction: it is rolled
 * back and the caller tries smaller slices (OneTransactionSizer); a single merge too big for one
 * transaction goes the chunked, resumable path instead.
 */

/** Thrown by writeWave when a statement filled its chunk: the caller's transaction must roll back. */
export class WaveTooBig extends Error {}

/**
 * Every write of a wave, in the caller's transaction: activities linked, every table re-pointed
 * (one chunk per statement at most: WaveTooBig when one fills it), then survivors, tombstones and
 * audit rows. Returns the outcomes and the most rows one statement picked; throws WaveTooBig.
 */
export async function writeWave(
  q: Queryable,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
  planOf: PlanOf,
  tally: RowTally,
): Promise<{ outcomes: MergeOutcome[]; busiest: number }> {
  await linkOnce(q, targets, runs, tally);
  const arrays = waveArrays(runs);
  let busiest = 0;
  for (const t of targets) {
    const r = await repointOnce(q, t, arrays, o.chunkRows, tally, true);
    if (r.full) throw new WaveTooBig();
    busiest = Math.max(busiest, r.rows);
  }
  const outcomes = await completeMerges(q, targets, runs, arrays, planOf, tally.perMerge);
  return { outcomes, busiest };
}

/** Merged in one transaction (`busiest`: the most rows one statement picked), or too big for it. */
export type OneTransactionResult = { outcomes: MergeOutcome[]; busiest: number } | { tooBig: true };

export async function mergeInOneTransaction(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
): Promise<OneTransactionResult> {
  if (runs.length === 0) return { outcomes: [], busiest: 0 };
  const tally = new RowTally();
  let done: { outcomes: MergeOutcome[]; busiest: number };
  try {
    done = await inTransaction(client, o, async (q) => {
      // Row locks from the start: a row inserted onto a loser meanwhile waits for this COMMIT.
      const byId = await lockContactRows(q, runs);
      const written = await writeWave(q, targets, runs, o, plansFrom(byId, o), tally);
      await step(o, 'fast:before_commit', runs);
      return written;
    });
  } catch (err) {
    if (err instanceof WaveTooBig) return { tooBig: true };
    throw err;
  }
  tally.report(o);
  await step(o, 'fast:committed', runs);
  reportConflicts(o, done.outcomes);
  return done;
}
