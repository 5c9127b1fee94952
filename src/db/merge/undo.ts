import type pg from 'pg';
import { assignWaves, groupByWave } from '../../core/merge/chains.js';
import { MergeError, type MergeErrorCode } from '../../core/merge/errors.js';
import { discoverTargets, type RepointTarget } from './catalog.js';
import { lockContacts, tryLockContacts, unlockAll, unlockContacts } from './locks.js';
import { type EngineOptions, emitStep, type ResolvedOptions, resolveOptions } from './options.js';
import { fromPg, inTransaction, withClient } from './pg.js';
import { type EngineMerge, inFlightOverlaps, isFresh, loadMerges, throughIndexes } from './store.js';
import { undoChunks } from './undo-chunks.js';
import { journalRangeSql, restoreLosersSql, restoreSurvivorsSql } from './undo-sql.js';

/**
 * Undoing merges: losers live again, the survivor's fields go back (those still as the merge left
 * them), and exactly the rows the merge moved, set aside or linked are put back, from the journal,
 * newest entry first, in chunks. Rows that reached the survivor later stay. Refused while a later
 * merge depends on this one (took its survivor as a loser: it moved these rows again).
 */

export interface UndoOutcome {
  mergeId: number;
  status: 'undone' | 'refused' | 'retry';
  code?: MergeErrorCode | undefined;
  reason?: string | undefined;
  /** Later merges that must be undone first (UNDO_DEPENDENT). */
  dependents?: number[];
  /** Per table: rows moved back to their loser, set-aside rows re-inserted, activities unlinked. */
  movedBack: Record<string, number>;
  reinserted: Record<string, number>;
  unlinked: Record<string, number>;
  /** Set-aside rows not re-inserted because their key is taken now; they stay in the journal. */
  keyTaken: Record<string, number>;
  /** Undone before this call: nothing was done now (metrics count an undo once). */
  replayed?: true;
}

const UNDOABLE = new Set(['completed', 'failed', 'running', 'undoing']);

function outcome(
  mergeId: number,
  status: UndoOutcome['status'],
  code?: MergeErrorCode,
  reason?: string,
): UndoOutcome {
  return { mergeId, status, code, reason, movedBack: {}, reinserted: {}, unlinked: {}, keyTaken: {} };
}

/**
 * The contacts an undo locks: those the merge recorded, or for a merge that never started, those it
 * asks for, so that undoing it waits for an engine about to run it (which locks the same ids).
 */
const contactsOf = (m: EngineMerge) =>
  m.effectiveSurvivorId === null
    ? [m.survivorId, ...m.loserIds]
    : [m.effectiveSurvivorId, ...(m.effectiveLoserIds ?? [])];

/**
 * Undoable: applied (perhaps partly), or not started yet. Undoing a merge before it ran cancels it:
 * it becomes undone with nothing to put back, and its queued job then finds nothing to do.
 */
const undoable = (m: EngineMerge) => UNDOABLE.has(m.status) || isFresh(m);

/** Statuses of a merge whose effects are (perhaps partly) in place. */
const STANDING = "('running', 'completed', 'failed', 'undoing')";

/**
 * Later merges still standing that this one's undo would cut the ground from under:
 * - one that took this survivor as a loser (the survivor is a tombstone now: only an undo brings a
 *   contact back), whose ids come from the index on survivors (`into` says where it went);
 * - one into the same survivor that finished after this one, or has not finished: its snapshot,
 *   written fields and set-aside rows were taken from what this merge left, so merges into one
 *   contact are undone newest first (undoing the older first would put back rows and fields from
 *   under the newer one).
 */
async function dependentsOf(client: pg.PoolClient, wave: EngineMerge[]) {
  const { rows } = await client.query<{ id: number; merged_into: number | null; ids: number[] }>(
    `SELECT w.id, c.merged_into,
            ARRAY(SELECT m.id FROM merges m
                   WHERE m.status IN ${STANDING} AND m.id <> w.id
                     AND ((c.merged_into IS NOT NULL AND m.effective_survivor_id = c.merged_into
                           AND m.effective_loser_ids @> ARRAY[c.id])
                       OR (m.effective_survivor_id = c.id AND (m.finished_at IS NULL OR m.finished_at > me.finished_at)))
                   ORDER BY m.id) AS ids
       FROM unnest($1::bigint[], $2::bigint[]) AS w(id, survivor)
       JOIN contacts c ON c.id = w.survivor
       JOIN merges me ON me.id = w.id`,
    [wave.map((m) => m.id), wave.map((m) => m.effectiveSurvivorId)],
  );
  const out = new Map<number, { merges: number[]; into: number | null; survivor: number }>();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  for (const m of wave) {
    const row = byId.get(m.id);
    if (row && (row.merged_into !== null || row.ids.length > 0))
      out.set(m.id, {
        merges: row.ids.map(Number),
        into: row.merged_into === null ? null : Number(row.merged_into),
        survivor: m.effectiveSurvivorId!,
      });
  }
  return out;
}

/** Why an undo must wait for later merges (dependentsOf). */
function dependentReason(dep: { merges: number[]; into: number | null; survivor: number }): string {
  const by = dep.merges.length > 0 ? `merge ${dep.merges.join(', ')}` : 'a later change';
  return dep.into !== null
    ? `${by} merged this merge's survivor into contact ${dep.into}: undo that first`
    : `${by} merged into the same survivor (contact ${dep.survivor}) after this one: merges into one contact are undone newest first, undo that first`;
}

/** Step one, in one transaction: contacts restored, the merges marked undoing with their journal range. */
async function restoreContacts(client: pg.PoolClient, wave: EngineMerge[], o: ResolvedOptions) {
  const fresh = wave.filter((m) => m.status !== 'undoing');
  if (fresh.length === 0) return;
  await inTransaction(client, o, async (q) => {
    const ids = [...new Set(fresh.flatMap(contactsOf))].sort((a, b) => a - b);
    await q.query(
      'SELECT id FROM contacts WHERE id IN (SELECT unnest($1::bigint[])) ORDER BY id FOR UPDATE',
      [ids],
    );
    const finalized = fresh.filter((m) => m.snapshot && m.plan?.written && m.plan.values);
    await q.query(restoreSurvivorsSql, [
      JSON.stringify(
        finalized.map((m) => ({
          id: m.effectiveSurvivorId,
          before: m.snapshot![0],
          written: { ...m.plan!.values, ...m.plan!.written },
        })),
      ),
    ]);
    await q.query(restoreLosersSql, [
      JSON.stringify(finalized.flatMap((m) => m.snapshot!.slice(1).filter(Boolean))),
    ]);
    // The journal range through the GIN index (see throughIndexes).
    await throughIndexes(q, () =>
      q.query(
        `UPDATE merges m SET status = 'undoing',
              checkpoint = m.checkpoint || jsonb_build_object('phase', 'undoing', 'undo_below', coalesce(r.hi, 0) + 1,
                                                             'undo_floor', coalesce(r.lo, 0))
         FROM (SELECT id FROM unnest($1::bigint[]) AS id) x
         LEFT JOIN (${journalRangeSql}) r ON r.merge_id = x.id
        WHERE m.id = x.id`,
        [fresh.map((m) => m.id)],
      ),
    );
    await emitStep(o, { name: 'undo:restore:before_commit', mergeIds: fresh.map((m) => m.id) });
  });
}

async function finishUndo(client: pg.PoolClient, wave: EngineMerge[], o: ResolvedOptions) {
  await inTransaction(client, o, async (q) => {
    const ids = wave.map((m) => m.id);
    await q.query(
      `UPDATE merges SET status = 'undone', undone_at = now(), checkpoint = checkpoint || '{"phase": "undone"}'::jsonb
        WHERE id IN (SELECT unnest($1::bigint[]))`,
      [ids],
    );
    await q.query(
      `UPDATE clusters SET status = 'review', reason = 'merge undone' WHERE merge_id IN (SELECT unnest($1::bigint[]))`,
      [ids],
    );
    await emitStep(o, { name: 'undo:finish:before_commit', mergeIds: ids });
  });
}

async function undoWave(
  client: pg.PoolClient,
  wave: EngineMerge[],
  targets: readonly RepointTarget[],
  o: ResolvedOptions,
  blocking: boolean,
  outcomes: Map<number, UndoOutcome>,
  batchIds: readonly number[],
): Promise<EngineMerge[]> {
  const deferred: EngineMerge[] = [];
  let ready = wave;
  if (blocking) {
    await lockContacts(client, wave.flatMap(contactsOf), o.lockTimeoutMs);
  } else {
    const got = await tryLockContacts(client, wave.flatMap(contactsOf));
    ready = wave.filter((m) => contactsOf(m).every((c) => got.has(c)));
    for (const m of wave.filter((x) => !ready.includes(x))) {
      deferred.push(m);
      await unlockContacts(
        client,
        contactsOf(m).filter((c) => got.has(c)),
      );
    }
  }
  // Another engine may have undone (or started undoing) some of these meanwhile: use the rows as
  // they are now, under the locks.
  const current = new Map(
    (
      await loadMerges(
        fromPg(client),
        ready.map((m) => m.id),
        true,
      )
    ).map((m) => [m.id, m]),
  );
  ready = ready.flatMap((m) => {
    const now = current.get(m.id);
    if (now && undoable(now)) return [now];
    outcomes.set(
      m.id,
      now?.status === 'undone'
        ? { ...outcome(m.id, 'undone'), replayed: true }
        : outcome(m.id, 'retry', 'MERGE_IN_PROGRESS'),
    );
    return [];
  });
  const deps = await dependentsOf(client, ready);
  for (const [id, dep] of deps) {
    outcomes.set(id, {
      ...outcome(id, 'refused', 'UNDO_DEPENDENT', dependentReason(dep)),
      dependents: dep.merges,
    });
  }
  // Another merge in flight on these contacts (not one of this batch): wait for it.
  const busy = await inFlightOverlaps(
    fromPg(client),
    batchIds,
    ready.filter((m) => !deps.has(m.id)).flatMap(contactsOf),
  );
  for (const m of ready) {
    const other = busy.find((x) => x.contacts.some((c) => contactsOf(m).includes(c)));
    if (other && !deps.has(m.id)) {
      outcomes.set(
        m.id,
        outcome(m.id, 'retry', 'MERGE_IN_PROGRESS', `merge ${other.id} on these contacts is in progress`),
      );
    }
  }
  ready = ready.filter((m) => !deps.has(m.id) && !outcomes.has(m.id));
  if (ready.length > 0) {
    await restoreContacts(client, ready, o);
    const counts = await undoChunks(client, ready, targets, o);
    await finishUndo(client, ready, o);
    for (const m of ready) outcomes.set(m.id, { ...outcome(m.id, 'undone'), ...counts.get(m.id) });
  }
  await unlockAll(client);
  return deferred;
}

async function undoMany(
  pool: pg.Pool,
  mergeIds: readonly number[],
  o: ResolvedOptions,
  blockingOnly: boolean,
) {
  const outcomes = new Map<number, UndoOutcome>();
  await withClient(pool, async (client) => {
    const q = fromPg(client);
    // Snapshots are read in undoWave, under the locks; here only statuses and contacts.
    const rows = await loadMerges(q, [...new Set(mergeIds)]);
    const byId = new Map(rows.map((m) => [m.id, m]));
    const todo: EngineMerge[] = [];
    for (const id of new Set(mergeIds)) {
      const m = byId.get(id);
      if (!m) outcomes.set(id, outcome(id, 'refused', 'MERGE_NOT_FOUND', `merge ${id} does not exist`));
      else if (m.status === 'undone') outcomes.set(id, { ...outcome(id, 'undone'), replayed: true });
      else if (!undoable(m)) {
        outcomes.set(
          id,
          outcome(id, 'refused', 'UNDO_NOT_APPLICABLE', `merge ${id} is ${m.status}: nothing to undo`),
        );
      } else todo.push(m);
    }
    if (todo.length === 0) return;
    // Undo replays the journal whatever the policies were: a policy naming no table must not block it.
    const targets = await discoverTargets(q, { ...o, uniquePolicies: undefined });
    const waves = assignWaves(todo.map(contactsOf), blockingOnly ? 1 : o.maxWaveMerges);
    const deferred: EngineMerge[] = [];
    for (const wave of groupByWave(todo, waves))
      deferred.push(...(await undoWave(client, wave, targets, o, blockingOnly, outcomes, mergeIds)));
    for (const m of deferred) {
      const [fresh] = await loadMerges(q, [m.id]);
      if (!fresh) continue;
      try {
        await undoWave(client, [fresh], targets, o, true, outcomes, mergeIds);
      } catch (err) {
        if (!(err instanceof MergeError && err.retryable)) throw err;
        outcomes.set(m.id, outcome(m.id, 'retry', err.code, err.message));
        await unlockAll(client);
      }
    }
  });
  return mergeIds.map((id) => outcomes.get(id) ?? outcome(id, 'retry', 'MERGE_IN_PROGRESS'));
}

/** Undoes many merges, in the order given (give newest first); one outcome per id. */
export async function undoMergeBatch(
  pool: pg.Pool,
  mergeIds: readonly number[],
  opts: EngineOptions = {},
): Promise<UndoOutcome[]> {
  return undoMany(pool, mergeIds, resolveOptions(opts), false);
}

/** Undoes one merge. Throws a MergeError: UNDO_DEPENDENT, UNDO_NOT_APPLICABLE, MERGE_NOT_FOUND, or a retryable one. */
export async function undoMerge(
  pool: pg.Pool,
  mergeId: number,
  opts: EngineOptions = {},
): Promise<UndoOutcome> {
  const [out] = await undoMany(pool, [mergeId], resolveOptions(opts), true);
  if (out && out.status !== 'undone')
    throw new MergeError(out.code ?? 'UNDO_NOT_APPLICABLE', out.reason ?? 'cannot undo');
  return out!;
}

/** Undoes every merge of a run, newest first. Merges another merge depends on are refused and reported. */
export async function undoRun(
  pool: pg.Pool,
  runId: number,
  opts: EngineOptions = {},
): Promise<UndoOutcome[]> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT id FROM merges WHERE run_id = $1 AND status IN ('completed', 'failed', 'running', 'undoing')
      ORDER BY finished_at DESC NULLS FIRST, id DESC`,
    [runId],
  );
  return undoMergeBatch(
    pool,
    rows.map((r) => Number(r.id)),
    opts,
  );
}
