import type pg from 'pg';
import type { ContactRecord } from '../../core/merge/fields.js';
import { DEFAULT_FIELD_RULES, MERGE_FIELDS, type MergeField } from '../../core/merge/fields.js';
import { type MergePlan, planMerge } from '../../core/merge/plan.js';
import type { RepointTarget } from './catalog.js';
import { finishSql } from './finish-sql.js';
import {
  addMergeCount,
  type MergeCounts,
  RowTally,
  repointOnce,
  step,
  type WaveArrays,
  waveArrays,
} from './move.js';
import { emptyOutcome, type MergeOutcome, type ResolvedOptions } from './options.js';
import { inTransaction, type Queryable } from './pg.js';
import type { RunnableMerge } from './prepare.js';
import { type JournalCount, journalCounts } from './store.js';

/**
 * Completing merges, under row locks on every contact involved (sorted ids): snapshot the records,
 * decide the survivor's fields (the pure plan), write them, turn the losers into tombstones, and
 * complete the audit rows. All or nothing: a crash before COMMIT leaves the merges to be resumed.
 */

/** Rows that arrived on these merges' losers, swept rank by rank (never keep_loser's survivor set-aside again). */
export async function sweepTargets(
  q: Queryable,
  targets: readonly RepointTarget[],
  arrays: WaveArrays,
  o: ResolvedOptions,
  tally: RowTally,
) {
  for (const t of targets) {
    for (;;) {
      if (!(await repointOnce(q, t, arrays, o.chunkRows, tally, false)).full) break;
    }
  }
}

/**
 * What the plan reads of a contact: plain columns, timestamps as ISO strings (to_json). The audit's
 * snapshot of the whole row is taken server-side (finishSql), so no record makes the round trip
 * through Node twice.
 */
const RECORD_COLUMNS = [
  'id',
  'external_id',
  ...MERGE_FIELDS,
  'attributes',
  'merged_into',
  'to_json(created_at) AS created_at',
  'to_json(updated_at) AS updated_at',
  'to_json(merged_at) AS merged_at',
]
  .map((c) => (c.includes(' ') ? c : `c.${c}`))
  .join(', ');

/** Locks every contact of these merges (sorted ids, FOR UPDATE) and returns what the plans need. */
export async function lockContactRows(q: Queryable, runs: readonly RunnableMerge[]) {
  const ids = [...new Set(runs.flatMap((r) => [r.survivor, ...r.losers]))].sort((a, b) => a - b);
  const { rows } = await q.query<ContactRecord>(
    `SELECT ${RECORD_COLUMNS} FROM contacts c WHERE id IN (SELECT unnest($1::bigint[])) ORDER BY id FOR UPDATE`,
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** The plan of each merge of a wave (the survivor's fields), decided from the records read under the locks. */
export type PlanOf = (r: RunnableMerge) => MergePlan;

export function plansFrom(byId: ReadonlyMap<number, ContactRecord>, o: ResolvedOptions): PlanOf {
  return (r) =>
    planMerge({
      survivorId: r.survivor,
      loserIds: r.losers,
      records: [r.survivor, ...r.losers].map((id) => byId.get(id)).filter((x) => x !== undefined),
      rules: o.fieldRules,
      fieldChoices: r.choices,
    });
}

/** The journal's per-merge counts (resumed merges), grouped by merge once, labelled like the targets. */
function countsByMerge(counts: JournalCount[], targets: readonly RepointTarget[]): Map<number, MergeCounts> {
  const labelOf = (c: JournalCount) =>
    targets.find((t) => t.table === c.table_name && t.column === c.column_name)?.label ?? c.table_name;
  const out = new Map<number, MergeCounts>();
  for (const c of counts) addMergeCount(out, c.merge_id, c.action, labelOf(c), c.n);
  return out;
}

/**
 * Inside the caller's transaction, with the contacts locked (`planOf` decides from the records read
 * under the lock): plans, survivor fields, tombstones, audit rows. The chunked path sweeps first;
 * the one-transaction path held the locks from its start, so nothing can have arrived on a loser.
 */
export async function completeMerges(
  q: Queryable,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  /** waveArrays(runs), built once by the caller. */
  arrays: WaveArrays,
  planOf: PlanOf,
  /** Exact per-merge counts when every row of these merges was journalled in this transaction. */
  counted?: ReadonlyMap<number, MergeCounts>,
): Promise<MergeOutcome[]> {
  // A resumed merge's rows were journalled across transactions: the journal has the totals.
  const perMerge =
    counted ??
    countsByMerge(
      await journalCounts(
        q,
        runs.map((r) => r.merge.id),
      ),
      targets,
    );
  const results: MergeOutcome[] = [];
  const audit = runs.map((r) => {
    const plan = planOf(r);
    const moved: MergeCounts = { moved: {}, set_aside: {}, linked: {}, ...perMerge.get(r.merge.id) };
    // In target (catalog) order, whichever path counted them: a resumed merge reads its counts back
    // from the journal in no particular order.
    const rank = (label: string) => targets.findIndex((t) => t.label === label);
    const unique = Object.entries(moved.set_aside)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([table, count]) => ({ kind: 'unique', table, count }));
    results.push({
      ...emptyOutcome(r.merge.id, 'completed'),
      survivorId: r.survivor,
      loserIds: r.losers,
      rowsMoved: moved.moved,
      setAside: moved.set_aside,
      linked: moved.linked,
      fieldConflicts: plan.conflicts.length,
    });
    // Stored plan: the values written (finishSql adds written.updated_at, so an undo can tell which
    // fields were changed since), the fields that changed, the rules that differ from the defaults,
    // the choices. Conflicts have their own column; the records before are the snapshot (taken by
    // finishSql from the locked rows).
    return {
      id: r.merge.id,
      survivor: r.survivor,
      losers: r.losers,
      plan: {
        values: plan.values,
        changed: plan.changes.map((c) => c.field),
        rules: Object.fromEntries(
          Object.entries(plan.rules).filter(([f, rule]) => DEFAULT_FIELD_RULES[f as MergeField] !== rule),
        ),
        fieldChoices: plan.fieldChoices,
      },
      conflicts: [...plan.conflicts, ...unique],
      rows_moved: moved,
    };
  });
  const [losers, survivors] = arrays.all;
  await q.query(finishSql, [
    JSON.stringify(audit),
    runs.map((r) => r.merge.id),
    losers,
    survivors,
    runs.map((r) => r.survivor),
  ]);
  return results;
}

export function reportConflicts(o: ResolvedOptions, outcomes: readonly MergeOutcome[]): void {
  for (const out of outcomes) {
    if (out.fieldConflicts > 0) o.hooks.onConflicts?.({ kind: 'field', count: out.fieldConflicts });
    const unique = Object.values(out.setAside).reduce((a, b) => a + b, 0);
    if (unique > 0) o.hooks.onConflicts?.({ kind: 'unique', count: unique });
  }
}

/** The chunked path's last transaction: lock, sweep late arrivals, complete. */
export async function finalizeWave(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
): Promise<MergeOutcome[]> {
  if (runs.length === 0) return [];
  const tally = new RowTally();
  const outcomes = await inTransaction(client, o, async (q) => {
    const byId = await lockContactRows(q, runs);
    const arrays = waveArrays(runs);
    await sweepTargets(q, targets, arrays, o, tally);
    const results = await completeMerges(q, targets, runs, arrays, plansFrom(byId, o));
    await step(o, 'finalize:before_commit', runs);
    return results;
  });
  tally.report(o);
  await step(o, 'finalize:committed', runs);
  reportConflicts(o, outcomes);
  return outcomes;
}
