import type { RepointTarget, UniqueKey } from './catalog.js';
import { quoteIdent as qi } from './pg.js';

/**
 * The set-based statements that re-point one table for MANY merges at once. Every statement takes
 * the merges as three parallel arrays ($1 losers, $2 survivors, $3 merge ids: one element per
 * loser), a row limit ($4: one chunk), and the journal's table and column names ($5, $6), and
 * journals what it changed in the same statement (data-modifying CTE → one entry of
 * merge_journal_entries per action: the combined statement writes two), returning the number
 * of rows per merge (see journalled).
 * Re-running a statement after a crash cannot move or journal anything twice: it only ever picks
 * rows still sitting on a loser (or, under keep_loser, survivor rows in a loser row's way, a step
 * that runs once per merge, before any loser row moves).
 *
 * Rows are picked through the contact index and changed by ctid in the same statement, so a chunk
 * costs index probes in proportion to its rows, whatever the size of the table. A row updated by
 * someone else in between no longer matches its ctid: it is skipped here and picked up by a later
 * chunk or the final sweep.
 *
 * Tables with a unique key on the contact are merged as if the losers came in one at a time, in id
 * order: the combined statement is given ONE loser per merge (each merge's k-th, rank by rank), and
 * a loser's row collides only with what the survivor holds by then (its own rows and those moved
 * from earlier losers). Rows of one contact never collide with each other, so which rows move and
 * which are set aside cannot depend on where chunks end, nor on a crash and resume in between.
 *
 * Journal row_key: the row's key where the row is after the action (for a set-aside row: where it
 * was). Merges in one call never share a contact, so merge_id identifies a survivor's group.
 */

const MERGES_CTE = `m AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(loser, survivor, merge_id))`;

// Dry run only, all losers at once: `earlier` are the losers of the same merge with a smaller id.
const MERGES_WITH_EARLIER_CTE = `m AS (SELECT loser, survivor, merge_id,
    coalesce(array_agg(loser) OVER (PARTITION BY merge_id ORDER BY loser ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
             '{}') AS earlier
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(loser, survivor, merge_id))`;

function eq(key: UniqueKey, a: string, b: string): string {
  return key.nullsNotDistinct ? `${a} IS NOT DISTINCT FROM ${b}` : `${a} = ${b}`;
}

function sameKey(key: UniqueKey, a: string, b: string): string {
  return key.others.map((o) => ` AND ${eq(key, `${a}.${qi(o)}`, `${b}.${qi(o)}`)}`).join('');
}

/** Row t collides, on one of the unique keys, with a row of the contacts `owners` matches (`= x` or `= ANY (xs)`). */
function collidesWithRowsOf(t: RepointTarget, owners: string): string[] {
  const c = qi(t.column);
  return t.uniqueKeys.map(
    (k) => `EXISTS (SELECT 1 FROM ${t.relation} o WHERE o.${c} ${owners}${sameKey(k, 'o', 't')})`,
  );
}

/** Row t (on loser m.loser) collides with a row already on the survivor. */
const collidesWithSurvivor = (t: RepointTarget) => collidesWithRowsOf(t, '= m.survivor');
/** Dry run: row t collides with a row of a lower-numbered loser of the same merge. */
const collidesWithEarlierLoser = (t: RepointTarget) => collidesWithRowsOf(t, '= ANY (m.earlier)');
/** Survivor row t (of merge ms) collides with a row of one of its losers: set aside under keep_loser. */
const survivorRowCollides = (t: RepointTarget) => collidesWithRowsOf(t, '= ANY (ms.losers)');

/**
 * Ends a statement: the rows it changed (`changed`: merge_id, from_contact, to_contact, row_key,
 * row_data) journalled as ONE entry of merge_journal_entries (parallel arrays, in one aggregate
 * pass, so element i of every array is the same row; to_jsonb(array_agg(x)) is jsonb_agg(x) at half
 * the cost), then the number of rows per merge as one
 * row of two parallel arrays (merge_ids, counts): a wave's thousand merges would otherwise come back
 * as a thousand result rows per statement for Node to parse. No entry when nothing changed.
 */
export function journalled(
  changed: string,
  table: string,
  column: string,
  action: string,
  picked?: string,
): string {
  return `, changed AS (${changed}),
  ${journalInsert('journal', 'changed', table, column, action)}
  SELECT ${picked ? pickedCount(picked) : ''}${perMergeArrays('changed', 'merge_ids', 'counts')}`;
}

/**
 * Select-list item: the rows a statement picked. Whether a chunk was full goes by this, not by the
 * rows changed: a picked row someone else updated meanwhile is skipped (ctid), and the chunk must
 * still count as full, or the rows after it would wait for the final sweep.
 */
const pickedCount = (picked: string) => `(SELECT count(*) FROM ${picked})::int AS picked, `;

/** A CTE journalling the rows of `source` as one entry (none when it is empty). */
function journalInsert(name: string, source: string, table: string, column: string, action: string): string {
  return `${name} AS (
    INSERT INTO merge_journal_entries
      (table_name, column_name, action, row_count, merge_ids, from_contacts, to_contacts, row_keys, row_data)
    SELECT ${table}, ${column}, '${action}', count(*), array_agg(merge_id), array_agg(from_contact), array_agg(to_contact),
           to_jsonb(array_agg(row_key)), ${action === 'moved' ? 'NULL' : 'to_jsonb(array_agg(row_data))'}
      FROM ${source} HAVING count(*) > 0
    RETURNING id)`;
}

/** Select list and FROM: the rows of `source` per merge as two parallel arrays, in one row (an aggregate). */
function perMergeArrays(source: string, ids: string, counts: string): string {
  return `coalesce(array_agg(merge_id), '{}') AS ${ids}, coalesce(array_agg(n), '{}') AS ${counts}
    FROM (SELECT merge_id, count(*) AS n FROM ${source} GROUP BY merge_id) per_merge`;
}

// Key columns come back as k0, k1... so they cannot clash with loser/survivor/merge_id.
const keyList = (t: RepointTarget, alias: string) =>
  t.key.map((k, i) => `${alias}.${qi(k.name)} AS k${i}`).join(', ');
const keyJson = (t: RepointTarget) =>
  `jsonb_build_object(${t.key.map((k, i) => `'${k.name.replace(/'/g, "''")}', k${i}`).join(', ')})`;

/**
 * Rows of `owner` (a contact column of m or ms) matching `where`, through the contact index: the
 * LATERAL subquery (kept apart by OFFSET 0) runs once per contact, so the planner cannot trade it
 * for a scan of the whole table.
 */
function rowsOf(t: RepointTarget, owner: string, where: string[], extra = ''): string {
  const c = qi(t.column);
  return `CROSS JOIN LATERAL (SELECT t.ctid AS tid, t.${c} AS owner${extra} FROM ${t.relation} t
             WHERE t.${c} = ${owner}${where.length > 0 ? ` AND (${where.join(' OR ')})` : ''} OFFSET 0) t`;
}

/** Loser rows matching `where` (none: every row), as (tid, loser, survivor, merge_id). */
function movableRows(t: RepointTarget, limit: string, where: string[] = []): string {
  return `SELECT t.tid, m.loser, m.survivor, m.merge_id FROM m ${rowsOf(t, 'm.loser', where)} ${limit}`;
}

/** keep_loser: the survivor's rows that collide with a row of one of its losers: (tid, owner, survivor, merge_id). */
function survivorRowsInTheWay(t: RepointTarget, limit: string): string {
  return `SELECT t.tid, t.owner, ms.survivor, ms.merge_id
            FROM (SELECT survivor, merge_id, array_agg(loser) AS losers FROM m GROUP BY survivor, merge_id) ms
            ${rowsOf(t, 'ms.survivor', survivorRowCollides(t))} ${limit}`;
}

/**
 * The UPDATE moving the rows of `picked` (tid, loser, survivor, merge_id) chosen by `which`; ctid =
 * ANY(...) makes it a TID scan of exactly those rows.
 */
function moveUpdate(t: RepointTarget, picked: string, which = ''): string {
  const c = qi(t.column);
  return `UPDATE ${t.relation} t SET ${c} = p.survivor FROM ${picked} p
     WHERE t.ctid = ANY (ARRAY(SELECT tid FROM ${picked}${which})) AND t.ctid = p.tid AND t.${c} = p.loser
    RETURNING ${keyList(t, 't')}, p.loser, p.survivor, p.merge_id`;
}

/** The DELETE of the rows of `doomed` (tid, owner, survivor, merge_id) chosen by `which`, each returned whole. */
function setAsideDelete(t: RepointTarget, doomed: string, which = ''): string {
  const c = qi(t.column);
  return `DELETE FROM ${t.relation} t USING ${doomed} d
     WHERE t.ctid = ANY (ARRAY(SELECT tid FROM ${doomed}${which})) AND t.ctid = d.tid AND t.${c} = d.owner
    RETURNING ${keyList(t, 't')}, d.owner, d.survivor, d.merge_id, to_jsonb(t) AS row_data`;
}

/** Journal rows of what moveUpdate returned, and of what setAsideDelete returned. */
const movedRows = (t: RepointTarget, moved: string) =>
  `SELECT merge_id, loser AS from_contact, survivor AS to_contact, ${keyJson(t)} AS row_key FROM ${moved}`;
const setAsideRows = (t: RepointTarget, gone: string) =>
  `SELECT merge_id, owner AS from_contact, survivor AS to_contact, ${keyJson(t)} AS row_key, row_data FROM ${gone}`;

/** Tables without a unique key on the contact: moves up to $4 rows from losers to survivors, journalled ('moved'). */
export function moveRowsSql(t: RepointTarget): string {
  return `WITH ${MERGES_CTE},
  picked AS (${movableRows(t, 'LIMIT $4')}),
  moved AS (${moveUpdate(t, 'picked')})
  ${journalled(movedRows(t, 'moved'), '$5', '$6', 'moved', 'picked')}`;
}

/**
 * keep_loser, before any loser row moves (all losers at once): deletes up to $4 of the survivor's
 * rows that a loser's row would collide with, saving each whole row in the journal ('set_aside',
 * row_data) in the same statement: never a silent delete. The survivor's own rows do not depend on
 * one another, so chunks cannot change which go. After this the losers' rows go rank by rank
 * (repointRankSql): one that collides with a row an earlier loser brought is set aside, so among
 * losers the first keeps its row.
 */
export function setAsideSurvivorRowsSql(t: RepointTarget): string {
  return `WITH ${MERGES_CTE},
  doomed AS (${survivorRowsInTheWay(t, 'LIMIT $4')}),
  gone AS (${setAsideDelete(t, 'doomed')})
  ${journalled(setAsideRows(t, 'gone'), '$5', '$6', 'set_aside', 'doomed')}`;
}

/**
 * Tables with unique keys, ONE loser per merge (a rank): sets aside and moves in one statement, up
 * to $4 loser rows in all. Each row picked is classified once: colliding with a row the survivor
 * holds → deleted and journalled whole ('set_aside'), else moved ('moved'). The two sets are
 * disjoint and rows of one loser never collide with each other, so neither has to come first.
 * Returns one row: rows set aside per merge (set_aside_ids, set_aside_counts) and moved (merge_ids,
 * counts).
 */
export function repointRankSql(t: RepointTarget): string {
  const collides = collidesWithSurvivor(t).join(' OR ');
  return `WITH ${MERGES_CTE},
  picked AS (
    SELECT t.tid, t.owner, t.collides, m.loser, m.survivor, m.merge_id
      FROM m ${rowsOf(t, 'm.loser', [], `, (${collides}) AS collides`)}
     LIMIT $4),
  gone AS (${setAsideDelete(t, 'picked', ' WHERE collides')}),
  moved AS (${moveUpdate(t, 'picked', ' WHERE NOT collides')}),
  set_aside_rows AS (${setAsideRows(t, 'gone')}),
  moved_rows AS (${movedRows(t, 'moved')}),
  ${journalInsert('journal_set_aside', 'set_aside_rows', '$5', '$6', 'set_aside')},
  ${journalInsert('journal_moved', 'moved_rows', '$5', '$6', 'moved')}
  SELECT ${pickedCount('picked')}sa.merge_ids AS set_aside_ids, sa.counts AS set_aside_counts, mv.merge_ids, mv.counts
    FROM (SELECT ${perMergeArrays('set_aside_rows', 'merge_ids', 'counts')}) sa,
         (SELECT ${perMergeArrays('moved_rows', 'merge_ids', 'counts')}) mv`;
}

/**
 * Dry run, all losers at once (same $1..$3 arrays): rows that would move and rows that would be set
 * aside. A loser's row that collides with an earlier loser's row counts as set aside: exact with one
 * unique key; with two or more, a row colliding only with a row that is itself set aside on the
 * other key would in fact move.
 */
export function countRowsSql(t: RepointTarget): string {
  if (t.uniqueKeys.length === 0)
    return `WITH ${MERGES_CTE} SELECT (SELECT count(*) FROM (${movableRows(t, '')}) x)::int AS moved, 0 AS set_aside`;
  const earlier = collidesWithEarlierLoser(t);
  const loserAside = [...(t.policy === 'keep_survivor' ? collidesWithSurvivor(t) : []), ...earlier];
  const survivorAside =
    t.policy === 'keep_loser' ? `(SELECT count(*) FROM (${survivorRowsInTheWay(t, '')}) x) + ` : '';
  return `WITH ${MERGES_WITH_EARLIER_CTE}
  SELECT (SELECT count(*) FROM (${movableRows(t, '', [`NOT (${loserAside.join(' OR ')})`])}) x)::int AS moved,
         (${survivorAside}(SELECT count(*) FROM (${movableRows(t, '', loserAside)}) x))::int AS set_aside`;
}
