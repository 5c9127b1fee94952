import type { Kysely } from 'kysely';
import { isMergeError, MERGE_ERROR_CODES, type MergeErrorCode } from '../../core/merge/errors.js';
import type { FieldChoices } from '../../core/merge/plan.js';
import type { Database, MergeStatus } from '../schema.js';
import { emptyOutcome, type MergeOutcome } from './options.js';
import { fromKysely, type Queryable } from './pg.js';

/** The engine's view of a `merges` row, and the few statements that move it through its states. */

export interface Checkpoint {
  phase?: 'moving' | 'done' | 'undoing' | 'undone';
  /** Activities consolidated (the link step ran and committed). */
  linked?: boolean;
  /** Targets whose chunk loop finished. */
  done?: string[];
  /** Undo: journal ids at or above this were already reverted. */
  undo_below?: number;
  /** Undo: the lowest journal id of the merge (where the walk stops). */
  undo_floor?: number;
}

/**
 * Not started: pending, or failed inside a transaction that rolled back (nothing of it written, no
 * contacts recorded). Such a merge is decided afresh; any other started merge resumes.
 */
export const isFresh = (m: EngineMerge) =>
  m.status === 'pending' || (m.status === 'failed' && m.effectiveSurvivorId === null);
const FRESH_SQL = "(m.status = 'pending' OR (m.status = 'failed' AND m.effective_survivor_id IS NULL))";

export interface EngineMerge {
  id: number;
  status: MergeStatus;
  survivorId: number;
  loserIds: number[];
  runId: number | null;
  fieldChoices: FieldChoices;
  effectiveSurvivorId: number | null;
  effectiveLoserIds: number[] | null;
  checkpoint: Checkpoint;
  rowsMoved: {
    moved?: Record<string, number>;
    set_aside?: Record<string, number>;
    linked?: Record<string, number>;
  };
  conflicts: { kind: string }[];
  snapshot: Record<string, unknown>[] | null;
  /** values: the survivor's fields as the merge wrote them; written.updated_at: its updated_at then. */
  plan: { values?: Record<string, unknown>; written?: Record<string, unknown> } | null;
  errorCode: string | null;
  error: string | null;
  finishedAt: Date | null;
}

export async function loadMerges(
  q: Queryable,
  ids: readonly number[],
  withSnapshot = false,
): Promise<EngineMerge[]> {
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT id, status, survivor_id, loser_ids, run_id, field_choices, effective_survivor_id, effective_loser_ids,
            checkpoint, rows_moved, conflicts, error_code, error, finished_at,
            ${withSnapshot ? 'snapshot, plan' : 'NULL::jsonb AS snapshot, NULL::jsonb AS plan'}
       FROM merges WHERE id IN (SELECT unnest($1::bigint[]))`,
    [ids],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status as MergeStatus,
    survivorId: Number(r.survivor_id),
    loserIds: (r.loser_ids as number[]).map(Number),
    runId: r.run_id === null ? null : Number(r.run_id),
    fieldChoices: r.field_choices as FieldChoices,
    effectiveSurvivorId: r.effective_survivor_id === null ? null : Number(r.effective_survivor_id),
    effectiveLoserIds:
      r.effective_loser_ids === null ? null : (r.effective_loser_ids as number[]).map(Number),
    checkpoint: r.checkpoint as Checkpoint,
    rowsMoved: r.rows_moved as EngineMerge['rowsMoved'],
    conflicts: r.conflicts as EngineMerge['conflicts'],
    snapshot: r.snapshot as EngineMerge['snapshot'],
    plan: r.plan as EngineMerge['plan'],
    errorCode: r.error_code as string | null,
    error: r.error as string | null,
    finishedAt: r.finished_at as Date | null,
  }));
}

/** The outcome of a merge already decided (completed, refused, undone...), from its row. */
export function outcomeOf(m: EngineMerge, status: MergeOutcome['status'] = m.status): MergeOutcome {
  return {
    ...emptyOutcome(m.id, status),
    code: (m.errorCode ?? undefined) as MergeErrorCode | undefined,
    reason: m.error ?? undefined,
    survivorId: m.effectiveSurvivorId,
    loserIds: m.effectiveLoserIds ?? [],
    rowsMoved: m.rowsMoved.moved ?? {},
    setAside: m.rowsMoved.set_aside ?? {},
    linked: m.rowsMoved.linked ?? {},
    fieldConflicts: m.conflicts.filter((c) => c.kind === 'field').length,
    replayed: true,
  };
}

export async function markRefused(
  q: Queryable,
  refusals: readonly { id: number; code: string; reason: string }[],
): Promise<void> {
  if (refusals.length === 0) return;
  await q.query(
    `UPDATE merges m SET status = 'refused', error_code = v.code, error = v.reason, finished_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, code text, reason text)
      WHERE m.id = v.id AND ${FRESH_SQL}`,
    [JSON.stringify(refusals)],
  );
  await q.query(
    `UPDATE clusters c SET status = 'refused', reason = v.code || ': ' || v.reason
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, code text, reason text) WHERE c.merge_id = v.id`,
    [JSON.stringify(refusals)],
  );
}

/** pending → running with the contacts the merge applies to; resumed merges keep theirs. */
export async function markRunning(
  q: Queryable,
  runs: readonly { id: number; survivor: number; losers: number[] }[],
): Promise<void> {
  if (runs.length === 0) return;
  await q.query(
    `UPDATE merges m SET status = 'running', started_at = coalesce(m.started_at, now()),
            effective_survivor_id = v.survivor,
            effective_loser_ids = ARRAY(SELECT jsonb_array_elements_text(v.losers)::bigint),
            checkpoint = '{"phase": "moving", "linked": false, "done": []}'::jsonb, error = NULL, error_code = NULL
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, survivor bigint, losers jsonb)
      WHERE m.id = v.id AND ${FRESH_SQL}`,
    [JSON.stringify(runs)],
  );
}

export async function patchCheckpoint(
  q: Queryable,
  ids: readonly number[],
  patch: Checkpoint,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE merges SET checkpoint = checkpoint || $2::jsonb WHERE id IN (SELECT unnest($1::bigint[]))`,
    [ids, JSON.stringify(patch)],
  );
}

export async function addDoneTarget(q: Queryable, ids: readonly number[], label: string): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE merges SET checkpoint = jsonb_set(checkpoint, '{done}', coalesce(checkpoint->'done', '[]'::jsonb) || to_jsonb($2::text))
      WHERE id IN (SELECT unnest($1::bigint[])) AND NOT coalesce(checkpoint->'done', '[]'::jsonb) ? $2`,
    [ids, label],
  );
}

/**
 * Other merges in flight (running, interrupted, failed half-way, or being undone) on any of these
 * contacts: a merge must not start on them until that one is finished or undone.
 */
export async function inFlightOverlaps(
  q: Queryable,
  exceptIds: readonly number[],
  contacts: readonly number[],
): Promise<{ id: number; contacts: number[] }[]> {
  if (contacts.length === 0) return [];
  const { rows } = await q.query<{ id: number; survivor: number | null; losers: number[] | null }>(
    // Through merges_in_flight_idx: only the (few) merges in flight are looked at.
    `SELECT id, effective_survivor_id AS survivor, effective_loser_ids AS losers FROM merges
      WHERE status IN ('running', 'undoing', 'failed') AND id <> ALL($1::bigint[])
        AND (effective_survivor_id = ANY($2::bigint[]) OR effective_loser_ids && $2::bigint[])`,
    [exceptIds, contacts],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    contacts: [...(r.survivor === null ? [] : [Number(r.survivor)]), ...(r.losers ?? []).map(Number)],
  }));
}

export interface JournalCount {
  merge_id: number;
  table_name: string;
  column_name: string;
  action: 'moved' | 'set_aside' | 'linked';
  n: number;
}

/**
 * FROM ... WHERE for the journal rows of the merges $1: their entries (e), opened into one row per
 * changed row with its merge id (r.merge_id). Run it through throughIndexes.
 */
export const JOURNAL_OF_MERGES = `merge_journal_entries e CROSS JOIN LATERAL unnest(e.merge_ids) AS r(merge_id)
  JOIN unnest($1::bigint[]) AS w(id) ON w.id = r.merge_id
 WHERE e.merge_ids && $1::bigint[]`;

/**
 * Inside a transaction: runs `fn` with sequential scans off, for the lookups of merges' journal
 * entries through the GIN index on merge_ids. While the journal has a few hundred entries the
 * planner prefers reading them all, and `merge_ids && $1` on each compares every element with every
 * other (thousands by hundreds): 474 ms against 7 ms through the index, for 500 merges among the
 * 700 entries of 100,000 merges, and growing with the journal. An error aborts the transaction,
 * which undoes the SET LOCAL.
 */
export async function throughIndexes<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  await q.query('SET LOCAL enable_seqscan = off');
  const result = await fn();
  await q.query('SET LOCAL enable_seqscan TO DEFAULT');
  return result;
}

/** Rows journalled per merge, table and action (inside a transaction: see throughIndexes). */
export async function journalCounts(q: Queryable, ids: readonly number[]): Promise<JournalCount[]> {
  const { rows } = await throughIndexes(q, () =>
    q.query<JournalCount>(
      `SELECT r.merge_id, e.table_name, e.column_name, e.action, count(*)::int AS n
         FROM ${JOURNAL_OF_MERGES} GROUP BY 1, 2, 3, 4`,
      [ids],
    ),
  );
  return rows.map((r) => ({ ...r, merge_id: Number(r.merge_id) }));
}

/** A merge that failed half-way and is being resumed goes back to running, keeping its checkpoint. */
export async function markResumed(q: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE merges SET status = 'running', error = NULL, error_code = NULL WHERE id IN (SELECT unnest($1::bigint[])) AND status = 'failed'`,
    [ids],
  );
}

/**
 * After an unexpected error. A running merge stays resumable (or undoable) from its journal; a
 * pending one failed in a rolled-back transaction: nothing of it was written, it can run again.
 */
export async function markFailed(
  q: Queryable,
  ids: readonly number[],
  code: string,
  message: string,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE merges SET status = 'failed', error_code = $2, error = $3, finished_at = now()
      WHERE id IN (SELECT unnest($1::bigint[])) AND status IN ('running', 'pending')`,
    [ids, code, message.slice(0, 2000)],
  );
}

/** The code of an error that ended a merge job: a MergeError's own, or the one its message starts with ("CODE: ..."). */
function jobErrorCode(err: Error): MergeErrorCode {
  if (isMergeError(err)) return err.code;
  const named = /^([A-Z_]+): /.exec(err.message)?.[1];
  return named && named in MERGE_ERROR_CODES ? (named as MergeErrorCode) : 'INTERNAL';
}

/**
 * A single merge whose job failed for good (its retries spent, or bad input): recorded as failed
 * if it had not started (or was left running), so its status says so instead of `pending` forever,
 * and sending the request again re-queues it (submitMerge).
 */
export async function markMergeJobFailed(db: Kysely<Database>, mergeId: number, err: Error): Promise<void> {
  await markFailed(fromKysely(db as Kysely<unknown>), [mergeId], jobErrorCode(err), err.message);
}

/**
 * A failed merge asked for again (same idempotency key): back to `pending` if nothing of it was
 * applied, else `running` (resumable from its journal), so that its status no longer reads as
 * settled while its job is queued again. Returns the status it now has.
 */
export async function reopenFailedMerge(
  db: Kysely<Database>,
  mergeId: number,
): Promise<MergeStatus | undefined> {
  const { rows } = await fromKysely(db as Kysely<unknown>).query<{ status: MergeStatus }>(
    `UPDATE merges SET status = CASE WHEN effective_survivor_id IS NULL THEN 'pending' ELSE 'running' END,
            error = NULL, error_code = NULL, finished_at = NULL
      WHERE id = $1 AND status = 'failed' RETURNING status`,
    [mergeId],
  );
  return rows[0]?.status;
}
