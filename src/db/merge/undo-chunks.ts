import type pg from 'pg';
import { activitiesTarget } from './activities.js';
import type { RepointTarget } from './catalog.js';
import { emitStep, type ResolvedOptions } from './options.js';
import { inTransaction, type Queryable } from './pg.js';
import type { Checkpoint, EngineMerge } from './store.js';
import { moveBackSql, nextWindowSql, reinsertSql, unlinkSql, windowEntriesSql } from './undo-sql.js';

/**
 * The journal walk of an undo: newest journal entries first (the reverse of how they were made),
 * one window of at most chunkRows entries per transaction, the window's lower bound saved as the
 * merges' cursor (checkpoint.undo_below) in the same transaction, so a crash resumes exactly there.
 */

export interface UndoCounts {
  movedBack: Record<string, number>;
  reinserted: Record<string, number>;
  unlinked: Record<string, number>;
  /** Set-aside rows that could not come back because their key is taken now (they stay in the journal). */
  keyTaken: Record<string, number>;
}

type Kind = Exclude<keyof UndoCounts, 'keyTaken'>;

async function runPerMerge(
  q: Queryable,
  text: string,
  params: unknown[],
  counts: Map<number, UndoCounts>,
  kind: Kind,
  label: string,
  o: ResolvedOptions,
) {
  const { rows } = await q.query<{ merge_id: number; n: number; key_taken?: number }>(text, params);
  for (const r of rows) {
    const c = counts.get(Number(r.merge_id));
    if (c) c[kind][label] = (c[kind][label] ?? 0) + r.n;
    if (c && r.key_taken) c.keyTaken[label] = (c.keyTaken[label] ?? 0) + r.key_taken;
    if (r.n > 0) o.hooks.onRows?.({ table: label, action: 'restored', rows: r.n });
  }
}

/** A window's journal ids [lo, hi) to replay for one target. */
type Range = { t: RepointTarget; lo: number; hi: number };

/**
 * The targets grouped by table. Rows of different tables never meet, so each table's entries can be
 * replayed whole; but a table with two contact columns (two targets) may have one row moved on one
 * column and then set aside on the other, so its entries go back strictly newest first: the window
 * is cut into runs of consecutive entries of one column.
 */
async function rangesOf(
  q: Queryable,
  targets: readonly RepointTarget[],
  lo: number,
  hi: number,
): Promise<Range[]> {
  const tables = new Map<string, RepointTarget[]>();
  for (const t of targets) tables.set(t.table, [...(tables.get(t.table) ?? []), t]);
  const out: Range[] = [];
  for (const [table, ts] of tables) {
    if (ts.length === 1) {
      out.push({ t: ts[0]!, lo, hi });
      continue;
    }
    const { rows } = await q.query<{ id: number; column_name: string }>(windowEntriesSql, [lo, hi, table]);
    for (const e of rows) {
      const t = ts.find((x) => x.column === e.column_name);
      const last = out.at(-1);
      if (!t) continue;
      // Same column as the entry just after it (in this table): the run grows down to it.
      if (last?.t === t) last.lo = Number(e.id);
      else out.push({ t, lo: Number(e.id), hi: Number(e.id) + 1 });
    }
  }
  return out;
}

export async function undoChunks(
  client: pg.PoolClient,
  wave: EngineMerge[],
  targets: readonly RepointTarget[],
  o: ResolvedOptions,
): Promise<Map<number, UndoCounts>> {
  const ids = wave.map((m) => m.id);
  const counts = new Map<number, UndoCounts>(
    ids.map((id) => [id, { movedBack: {}, reinserted: {}, unlinked: {}, keyTaken: {} }]),
  );
  const { rows } = await client.query<{ id: number; checkpoint: Checkpoint }>(
    'SELECT id, checkpoint FROM merges WHERE id IN (SELECT unnest($1::bigint[])) ORDER BY id',
    [ids],
  );
  const below = rows.map((r) => Number(r.checkpoint.undo_below ?? 0));
  const floor = Math.min(...rows.map((r) => Number(r.checkpoint.undo_floor ?? 0)));
  const orderedIds = rows.map((r) => Number(r.id));
  const acts = activitiesTarget(targets);
  for (;;) {
    const hi = Math.max(...below);
    if (!(hi > floor)) break;
    const { rows: edge } = await client.query<{ id: number }>(nextWindowSql, [hi, o.chunkRows - 1, floor]);
    const lo = edge[0] ? Number(edge[0].id) : floor;
    await inTransaction(client, o, async (q) => {
      for (const r of await rangesOf(q, targets, lo, hi)) {
        const t = r.t;
        const params = [orderedIds, below, r.lo, r.hi, t.table, t.column];
        await runPerMerge(q, moveBackSql(t), params, counts, 'movedBack', t.label, o);
        if (t.uniqueKeys.length > 0)
          await runPerMerge(q, reinsertSql(t), params, counts, 'reinserted', t.label, o);
        if (t === acts) await runPerMerge(q, unlinkSql(t), params, counts, 'unlinked', t.label, o);
      }
      await q.query(
        `UPDATE merges SET checkpoint = checkpoint || jsonb_build_object('undo_below', least((checkpoint->>'undo_below')::bigint, $2))
          WHERE id IN (SELECT unnest($1::bigint[]))`,
        [orderedIds, lo],
      );
      await emitStep(o, { name: 'undo:chunk:before_commit', mergeIds: orderedIds });
    });
    for (let i = 0; i < below.length; i++) below[i] = Math.min(below[i]!, lo);
    await emitStep(o, { name: 'undo:chunk:committed', mergeIds: orderedIds });
  }
  return counts;
}
