import type pg from 'pg';
import { assignWaves, groupByWave } from '../../core/merge/chains.js';
import { MergeError } from '../../core/merge/errors.js';
import { discoverTargets, type RepointTarget } from './catalog.js';
import { lockContacts, unlockAll } from './locks.js';
import { addMergeCount, type MergeCounts, RowTally, repointOnce, waveArrays } from './move.js';
import { type EngineOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { fromPg, inTransaction, type Queryable, quoteIdent as qi, withClient } from './pg.js';
import type { RunnableMerge } from './prepare.js';
import { loadMerges } from './store.js';

/**
 * Rows that land on a tombstone after its merge completed: an application still writing to the old
 * id, or a write that waited on the merge's row lock and went through right after it. Each is
 * re-pointed by the merge that made the tombstone, as that merge's final sweep would have:
 * journalled under it (its undo moves them back), with the tables' unique-key policies, under the
 * contacts' locks. Chains are followed merge by merge (a row on a tombstone of a tombstone goes to
 * the first survivor, then on), pass after pass until no row is left on a tombstone.
 */

export interface SweepResult {
  /** Merges that re-pointed late rows. */
  merges: number;
  /** Per table: rows moved to a survivor, and rows set aside on a unique key. */
  moved: Record<string, number>;
  setAside: Record<string, number>;
  /** Merges whose contacts another merge or undo held (LOCK_TIMEOUT): left for the next sweep. */
  skipped: number;
}

/** Tombstones that some row of these tables points at. */
async function tombstonesWithRows(q: Queryable, targets: readonly RepointTarget[]): Promise<number[]> {
  const found = new Set<number>();
  for (const t of targets) {
    const { rows } = await q.query<{ id: number }>(
      `SELECT c.id FROM contacts c
        WHERE c.merged_into IS NOT NULL AND EXISTS (SELECT 1 FROM ${t.relation} t WHERE t.${qi(t.column)} = c.id)`,
    );
    for (const r of rows) found.add(Number(r.id));
  }
  return [...found].sort((a, b) => a - b);
}

/** The completed merge that made each tombstone (through the index on survivors), oldest first. */
async function mergesOf(q: Queryable, tombstones: readonly number[]) {
  const { rows } = await q.query<{ loser: number; id: number; survivor: number }>(
    `SELECT c.id AS loser, m.id, m.effective_survivor_id AS survivor
       FROM contacts c
       CROSS JOIN LATERAL (SELECT m.id, m.effective_survivor_id FROM merges m
                            WHERE m.effective_survivor_id = c.merged_into AND m.effective_loser_ids @> ARRAY[c.id]
                              AND m.status = 'completed'
                            ORDER BY m.finished_at DESC LIMIT 1) m
      WHERE c.id IN (SELECT unnest($1::bigint[]))
      ORDER BY m.id`,
    [tombstones],
  );
  const merges = new Map<number, { id: number; survivor: number; losers: number[] }>();
  for (const r of rows) {
    const m = merges.get(Number(r.id)) ?? { id: Number(r.id), survivor: Number(r.survivor), losers: [] };
    m.losers.push(Number(r.loser));
    merges.set(m.id, m);
  }
  return [...merges.values()];
}

/** The audit's rows_moved of these merges, plus what the sweep moved. */
async function addToAudit(q: Queryable, perMerge: ReadonlyMap<number, MergeCounts>) {
  const merges = await loadMerges(q, [...perMerge.keys()]);
  for (const m of merges) {
    const total = new Map<number, MergeCounts>();
    for (const [action, tables] of Object.entries(m.rowsMoved ?? {}))
      for (const [table, n] of Object.entries(tables ?? {}))
        addMergeCount(total, m.id, action as keyof MergeCounts, table, n);
    for (const [action, tables] of Object.entries(perMerge.get(m.id) ?? {}))
      for (const [table, n] of Object.entries(tables))
        addMergeCount(total, m.id, action as keyof MergeCounts, table, n);
    await q.query('UPDATE merges SET rows_moved = $2 WHERE id = $1', [m.id, JSON.stringify(total.get(m.id))]);
  }
}

/** One wave of merges (no contact shared), under their contacts' locks. */
async function sweepWave(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  wave: { id: number; survivor: number; losers: number[] }[],
  o: ResolvedOptions,
  result: SweepResult,
) {
  const loaded = await loadMerges(
    fromPg(client),
    wave.map((w) => w.id),
  );
  const runs: RunnableMerge[] = loaded.flatMap((m) =>
    m.effectiveSurvivorId === null
      ? []
      : [
          {
            merge: m,
            survivor: m.effectiveSurvivorId,
            losers: wave.find((w) => w.id === m.id)!.losers,
            choices: {},
          },
        ],
  );
  await lockContacts(
    client,
    runs.flatMap((r) => [r.survivor, ...r.losers]),
    o.lockTimeoutMs,
  );
  try {
    const tally = new RowTally();
    await inTransaction(client, o, async (q) => {
      // Undone (or being undone) since the first look: its losers live again, nothing to sweep.
      const still = new Set(
        (
          await loadMerges(
            q,
            runs.map((r) => r.merge.id),
          )
        )
          .filter((m) => m.status === 'completed')
          .map((m) => m.id),
      );
      const live = runs.filter((r) => still.has(r.merge.id));
      if (live.length === 0) return;
      const arrays = waveArrays(live);
      for (const t of targets) {
        // As the final sweep does: rank by rank, never keep_loser's survivor set-aside again.
        for (;;) if (!(await repointOnce(q, t, arrays, o.chunkRows, tally, false)).full) break;
      }
      await addToAudit(q, tally.perMerge);
    });
    tally.report(o);
    result.merges += tally.perMerge.size;
    for (const counts of tally.perMerge.values()) {
      for (const [table, n] of Object.entries(counts.moved))
        result.moved[table] = (result.moved[table] ?? 0) + n;
      for (const [table, n] of Object.entries(counts.set_aside))
        result.setAside[table] = (result.setAside[table] ?? 0) + n;
    }
  } finally {
    await unlockAll(client);
  }
}

/** sweepWave, false when some contact was busy past lock_timeout (nothing of the wave was done). */
async function trySweep(...args: Parameters<typeof sweepWave>): Promise<boolean> {
  try {
    await sweepWave(...args);
    return true;
  } catch (err) {
    if (err instanceof MergeError && err.code === 'LOCK_TIMEOUT') return false;
    throw err;
  }
}

/** Re-points every row found on a tombstone to its survivor (see above). */
export async function sweepTombstones(pool: pg.Pool, opts: EngineOptions = {}): Promise<SweepResult> {
  const o = resolveOptions(opts);
  const result: SweepResult = { merges: 0, moved: {}, setAside: {}, skipped: 0 };
  const skipped = new Set<number>();
  await withClient(pool, async (client) => {
    const q = fromPg(client);
    const targets = await discoverTargets(q, o);
    // Each pass moves rows one merge along their chain; a chain is rarely more than a few long.
    for (let pass = 0; pass < 100; pass++) {
      const tombstones = await tombstonesWithRows(q, targets);
      // A merge found busy once waits for the next sweep, not for lock_timeout again on every pass.
      const merges = (await mergesOf(q, tombstones)).filter((m) => !skipped.has(m.id));
      if (merges.length === 0) break;
      const before = result.merges;
      // Merges that share no contact go together; the others wait for a later wave.
      const waves = assignWaves(
        merges.map((m) => [m.survivor, ...m.losers]),
        o.maxWaveMerges,
      );
      for (const wave of groupByWave(merges, waves)) {
        // Busy contacts hold up only their own merge: a wave that could not lock them all goes
        // again one merge at a time, and what is still busy waits for the next sweep.
        if (await trySweep(client, targets, wave, o, result)) continue;
        for (const m of wave) if (!(await trySweep(client, targets, [m], o, result))) skipped.add(m.id);
      }
      if (result.merges === before) break; // what is left belongs to merges undone meanwhile
    }
  });
  result.skipped = skipped.size;
  return result;
}
