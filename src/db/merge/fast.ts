import type pg from 'pg';
import type { RepointTarget } from './catalog.js';
import { completeMerges, lockContactRows, reportConflicts } from './finalize.js';
import { linkOnce, RowTally, repointOnce, step, waveArrays } from './move.js';
import type { MergeOutcome, ResolvedOptions } from './options.js';
import { inTransaction } from './pg.js';
import type { RunnableMerge } from './prepare.js';

/**
 * The one-transaction path for a wave of small merges (the common case: a run's clusters of 2-3
 * contacts): contacts locked, activities linked, every table re-pointed, survivors and tombstones
 * written and the audit completed, all in one short transaction whose statements each stay within
 * one chunk (chunkRows rows). Atomic, so there is nothing to resume: a crash leaves the merges
 * pending. If any statement fills its chunk, the wave is too big for one transaction: it is rolled
 * back and the caller runs it through the chunked, resumable path instead.
 */

class WaveTooBig extends Error {}

export async function mergeInOneTransaction(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
): Promise<MergeOutcome[] | undefined> {
  if (runs.length === 0) return [];
  const tally = new RowTally();
  let outcomes: MergeOutcome[];
  try {
    outcomes = await inTransaction(client, o, async (q) => {
      // Row locks from the start: a row inserted onto a loser meanwhile waits for this COMMIT.
      const byId = await lockContactRows(q, runs);
      await linkOnce(q, targets, runs, tally);
      const arrays = waveArrays(runs);
      for (const t of targets) {
        if ((await repointOnce(q, t, arrays, o.chunkRows, tally)).full) throw new WaveTooBig();
      }
      const results = await completeMerges(q, targets, runs, o, byId, tally.perMerge);
      await step(o, 'fast:before_commit', runs);
      return results;
    });
  } catch (err) {
    if (err instanceof WaveTooBig) return undefined;
    throw err;
  }
  tally.report(o);
  await step(o, 'fast:committed', runs);
  reportConflicts(o, outcomes);
  return outcomes;
}
