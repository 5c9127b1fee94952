import type pg from 'pg';
import { assignWaves, groupByWave } from '../../core/merge/chains.js';
import { MergeError } from '../../core/merge/errors.js';
import { discoverTargets, type RepointTarget } from './catalog.js';
import { sweepTargets } from './finalize.js';
import { lockContacts, unlockAll } from './locks.js';
import { addMergeCount, type MergeCounts, RowTally, waveArrays } from './move.js';
import { type EngineOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { fromPg, inTransaction, type Queryable, quoteIdent as qi, withClient } from './pg.js';
import type { RunnableMerge } from './prepare.js';
import { type EngineMerge, loadMerges } from './store.js';

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

/** Adds every count of `counts` to merge `id`'s in `total`. */
function addAll(total: Map<number, MergeCounts>, id: number, counts: Partial<MergeCounts> | undefined) {
  for (const [action, tables] of Object.entries(counts ?? {}))
    for (const [table, n] of Object.entries(tables ?? {}))
      addMergeCount(total, id, action as keyof MergeCounts, table, n);
}

/** The audit's rows_moved of these merges (as loaded), plus what the sweep moved, in one statement. */
async function addToAudit(
  q: Queryable,
  merges: readonly EngineMerge[],
  perMerge: ReadonlyMap<number, MergeCounts>,
) {
  const total = new Map<number, MergeCounts>();
  for (const m of merges.filter((x) => perMerge.has(x.id))) {
    addAll(total, m.id, m.rowsMoved as Partial<MergeCounts>);
    addAll(total, m.id, perMerge.get(m.id));
  }
  if (total.size === 0) return;
  await q.query(
    `UPDATE merges m SET rows_moved = v.rm FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, rm jsonb) WHERE m.id = v.id`,
    [JSON.stringify([...total].map(([id, rm]) => ({ id, rm })))],
  );
}

/** One wave of merges (no contact shared), under their contacts' locks. */
async function sweepWave(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  wave: { id: number; survivor: number; losers: number[] }[],
  o: ResolvedOptions,
  result: SweepResult,
) {
  await lockContacts(
    client,
    wave.flatMap((w) => [w.survivor, ...w.losers]),
    o.lockTimeoutMs,
  );
  try {
    const tally = new RowTally();
    await inTransaction(client, o, async (q) => {
      // Read under the locks: one undone (or being undone) since the first look has live losers again.
      const merges = (
        await loadMerges(
          q,
          wave.map((w) => w.id),
        )
      ).filter((m) => m.status === 'completed');
      if (merges.length === 0) return;
      const losers = new Map(wave.map((w) => [w.id, w.losers]));
      const runs: RunnableMerge[] = merges.map((m) => ({
        merge: m,
        survivor: m.effectiveSurvivorId!,
        losers: losers.get(m.id)!,
        choices: {},
      }));
      // As the merges' own final sweep does.
      await sweepTargets(q, targets, waveArrays(runs), o, tally);
      await addToAudit(q, merges, tally.perMerge);
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
