import type pg from 'pg';
import { activitiesTarget, linkActivitiesSql } from './activities.js';
import type { RepointTarget } from './catalog.js';
import { emitStep, type ResolvedOptions } from './options.js';
import { bigintArray, inTransaction, type Queryable } from './pg.js';
import type { RunnableMerge } from './prepare.js';
import { moveRowsSql, repointRankSql, setAsideSurvivorRowsSql } from './statements.js';
import { addDoneTarget, patchCheckpoint } from './store.js';

/**
 * The long part of a wave: consolidate activities, then re-point every target table in chunks.
 * Each chunk is one short transaction running one set-based statement (per loser rank) for the
 * whole wave, whatever the number of merges in it. Progress is the data itself (rows still on a
 * loser are what is left to do) plus the journal; merges.checkpoint records which steps finished.
 */

/** The parameters $1..$3 of the set-based statements (losers, their survivors, their merges). */
type LoserArrays = readonly [losers: string, survivors: string, mergeIds: string];

/**
 * A wave's losers as the statements take them, built once: every loser at once (`all`), and rank by
 * rank (`ranks[k]`: each merge's k-th loser by id, for tables with unique keys), as bigint[] literals.
 */
export interface WaveArrays {
  all: LoserArrays;
  ranks: LoserArrays[];
}

/** Parallel bigint[] literals of (contact, survivor, merge id) rows. */
function arraysOf(
  rows: readonly (readonly [contact: number, survivor: number, mergeId: number])[],
): LoserArrays {
  return [
    bigintArray(rows.map((r) => r[0])),
    bigintArray(rows.map((r) => r[1])),
    bigintArray(rows.map((r) => r[2])),
  ];
}

export function waveArrays(runs: readonly RunnableMerge[]): WaveArrays {
  const all: [number, number, number][] = [];
  const ranks: [number, number, number][][] = [];
  for (const r of runs) {
    const losers = [...r.losers].sort((a, b) => a - b);
    for (const [k, l] of losers.entries()) {
      const row: [number, number, number] = [l, r.survivor, r.merge.id];
      all.push(row);
      if (!ranks[k]) ranks[k] = [];
      ranks[k].push(row);
    }
  }
  return { all: arraysOf(all), ranks: ranks.map(arraysOf) };
}

export async function step(
  o: ResolvedOptions,
  name: string,
  runs: readonly RunnableMerge[],
  target?: string,
): Promise<void> {
  await emitStep(o, { name, mergeIds: runs.map((r) => r.merge.id), ...(target ? { target } : {}) });
}

export type JournalAction = 'moved' | 'set_aside' | 'linked';
/** What a journalled statement returns: rows changed per merge, as parallel arrays (one row). */
type PerMerge = { merge_ids: number[]; counts: number[] };
/** What a re-pointing statement returns: the rows it picked (at most a chunk), and per merge. */
type Picked = PerMerge & { picked: number };
export type MergeCounts = Record<JournalAction, Record<string, number>>;

/** Adds n rows of `table` and `action` to merge `id`'s counts. */
export function addMergeCount(
  perMerge: Map<number, MergeCounts>,
  id: number,
  action: JournalAction,
  table: string,
  n: number,
): void {
  let counts = perMerge.get(id);
  if (!counts) {
    counts = { moved: {}, set_aside: {}, linked: {} };
    perMerge.set(id, counts);
  }
  counts[action][table] = (counts[action][table] ?? 0) + n;
}

/**
 * Rows changed in one transaction, per merge and per table and action (from the statements' own
 * per-merge counts); reported to the hooks once the transaction commits.
 */
export class RowTally {
  readonly perMerge = new Map<number, MergeCounts>();
  private readonly unreported = new Map<string, number>();

  add(table: string, action: JournalAction, per: PerMerge | undefined): void {
    let total = 0;
    const ids = per?.merge_ids ?? [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const n = per?.counts[i] ?? 0;
      addMergeCount(this.perMerge, id, action, table, n);
      total += n;
    }
    const key = `${action}\u0000${table}`;
    if (total > 0) this.unreported.set(key, (this.unreported.get(key) ?? 0) + total);
  }

  report(o: ResolvedOptions): void {
    for (const [k, rows] of this.unreported) {
      const [action, table] = k.split('\u0000') as [JournalAction, string];
      o.hooks.onRows?.({ table, action, rows });
    }
    this.unreported.clear();
  }
}

/**
 * One statement kind of a table with its arrays: moved (no unique key), the survivor's rows set
 * aside (keep_loser, before any loser row moves), or a rank of losers moved or set aside row by row.
 */
type RepointPhase = { kind: 'moved' | 'set_aside_survivor' | 'rank'; arrays: LoserArrays };

/**
 * The phases of a table, in order. Under keep_loser the survivor's colliding rows go first and once
 * (`survivorRows`: the losers of the merges that have not done it yet; null once done). After that
 * the survivor also holds rows moved from its losers, which must not be taken for its own: the final
 * sweep, and a resumed merge, go rank by rank only, so a row arriving late on a loser that collides
 * is set aside, and undo never meets a moved row that was later set aside.
 */
function phasesOf(t: RepointTarget, a: WaveArrays, survivorRows: LoserArrays | null): RepointPhase[] {
  if (t.uniqueKeys.length === 0) return [{ kind: 'moved', arrays: a.all }];
  const ranks = a.ranks.map((arrays) => ({ kind: 'rank' as const, arrays }));
  if (t.policy === 'keep_survivor' || !survivorRows) return ranks;
  return [{ kind: 'set_aside_survivor', arrays: survivorRows }, ...ranks];
}

type RankPerMerge = Picked & { set_aside_ids: number[]; set_aside_counts: number[] };

/** What one or more statements did: `rows` picked by the busiest one, `full` when it took the limit (more may be left). */
type Filled = { full: boolean; rows: number };

/** One statement of a phase, `limit` rows at most. */
async function repointPhase(
  q: Queryable,
  t: RepointTarget,
  phase: RepointPhase,
  limit: number,
  tally: RowTally,
): Promise<Filled> {
  const params = [...phase.arrays, limit, t.table, t.column];
  if (phase.kind === 'rank') {
    const row = (await q.query<RankPerMerge>(repointRankSql(t), params)).rows[0];
    tally.add(t.label, 'set_aside', row && { merge_ids: row.set_aside_ids, counts: row.set_aside_counts });
    tally.add(t.label, 'moved', row);
    return filled(row, limit);
  }
  const [sql, action] =
    phase.kind === 'moved'
      ? [moveRowsSql(t), 'moved' as const]
      : [setAsideSurvivorRowsSql(t), 'set_aside' as const];
  const row = (await q.query<Picked>(sql, params)).rows[0];
  tally.add(t.label, action, row);
  return filled(row, limit);
}

const filled = (row: Picked | undefined, limit: number): Filled => {
  const rows = row?.picked ?? 0;
  return { full: rows >= limit, rows };
};

/** Every phase of a table once (a chunk each): whether some statement filled its chunk, and the most rows one picked. */
export async function repointOnce(
  q: Queryable,
  t: RepointTarget,
  arrays: WaveArrays,
  limit: number,
  tally: RowTally,
  /** keep_loser: set the survivors' colliding rows aside first (not in the final sweep: see phasesOf). */
  survivorRows: boolean,
): Promise<Filled> {
  const out: Filled = { full: false, rows: 0 };
  for (const phase of phasesOf(t, arrays, survivorRows ? arrays.all : null)) {
    const r = await repointPhase(q, t, phase, limit, tally);
    out.full ||= r.full;
    out.rows = Math.max(out.rows, r.rows);
  }
  return out;
}

/** Consolidates the activities of these merges (before any row moves). */
export async function linkOnce(
  q: Queryable,
  targets: readonly RepointTarget[],
  runs: readonly RunnableMerge[],
  tally: RowTally,
) {
  const t = activitiesTarget(targets);
  if (!t || runs.length === 0) return;
  // Every contact of each merge, the survivor included.
  const contacts = runs.flatMap((r) =>
    [r.survivor, ...r.losers].map((c) => [c, r.survivor, r.merge.id] as const),
  );
  const { rows } = await q.query<PerMerge>(linkActivitiesSql(t), [...arraysOf(contacts)]);
  tally.add(t.label, 'linked', rows[0]);
}

async function linkActivities(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
) {
  const todo = runs.filter((r) => r.merge.checkpoint.linked !== true);
  if (todo.length === 0) return;
  const tally = new RowTally();
  await inTransaction(client, o, async (q) => {
    await linkOnce(q, targets, todo, tally);
    await patchCheckpoint(
      q,
      todo.map((r) => r.merge.id),
      { linked: true },
    );
    await step(o, 'link:before_commit', todo);
  });
  tally.report(o);
  for (const r of todo) r.merge.checkpoint.linked = true;
  await step(o, 'link:committed', todo);
}

/** The checkpoint label saying a keep_loser table's survivor rows were set aside. */
const survivorRowsLabel = (t: RepointTarget) => `${t.label}:survivor_rows`;

export async function moveAll(
  client: pg.PoolClient,
  targets: readonly RepointTarget[],
  runs: RunnableMerge[],
  o: ResolvedOptions,
) {
  await linkActivities(client, targets, runs, o);
  const doneOf = (r: RunnableMerge) => r.merge.checkpoint.done ?? [];
  const wave = waveArrays(runs);
  for (const t of targets) {
    const todo = runs.filter((r) => !doneOf(r).includes(t.label));
    if (todo.length === 0) continue;
    const ids = todo.map((r) => r.merge.id);
    // Usually every merge of the wave; fewer only when resumed merges stopped at different tables.
    const arrays = todo.length === runs.length ? wave : waveArrays(todo);
    // keep_loser only: the merges that have not set the survivor's colliding rows aside yet.
    const survivorRowsTodo =
      t.uniqueKeys.length > 0 && t.policy === 'keep_loser'
        ? todo.filter((r) => !doneOf(r).includes(survivorRowsLabel(t)))
        : [];
    const survivorRows =
      survivorRowsTodo.length === 0
        ? null
        : survivorRowsTodo.length === todo.length
          ? arrays.all
          : waveArrays(survivorRowsTodo).all;
    const tally = new RowTally();
    for (const phase of phasesOf(t, arrays, survivorRows)) {
      for (;;) {
        const r = await inTransaction(client, o, async (q) => {
          const done = await repointPhase(q, t, phase, o.chunkRows, tally);
          if (!done.full && phase.kind === 'set_aside_survivor')
            await addDoneTarget(
              q,
              survivorRowsTodo.map((r) => r.merge.id),
              survivorRowsLabel(t),
            );
          await step(o, 'chunk:before_commit', todo, t.label);
          return done;
        });
        tally.report(o);
        await step(o, 'chunk:committed', todo, t.label);
        if (!r.full) break;
      }
    }
    await inTransaction(client, o, (q) => addDoneTarget(q, ids, t.label));
    for (const r of todo) r.merge.checkpoint.done = [...doneOf(r), t.label];
  }
}
