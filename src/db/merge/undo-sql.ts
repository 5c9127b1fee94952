import { MERGE_FIELDS } from '../../core/merge/fields.js';
import type { RepointTarget } from './catalog.js';
import { quoteIdent as qi } from './pg.js';
import { JOURNAL_OF_MERGES } from './store.js';

/**
 * The statements of an undo, driven by the journal. Each takes $1 merge ids and $2 per-merge
 * cursors (journal entry ids at or above the cursor are already reverted), $3..$4 the journal id window
 * of this chunk [lo, hi), and $5, $6 the journal's table and column names; each returns one row
 * per merge with the number of rows it put back. Each is idempotent: a row is only moved back if
 * it still sits where the merge put it, a set-aside row only re-inserted if its key is free, a
 * link only removed if it still points where the merge pointed it.
 */

/**
 * The journal rows of these merges in the window, for one table and action: the entries of the id
 * window, each opened into its rows (parallel arrays), keeping (hash join) only the rows of these
 * merges below their cursors. No `merge_ids && $1` filter here: array overlap compares every
 * element with every other, thousands by thousands per entry.
 */
const JOURNAL_ROWS = `CROSS JOIN LATERAL ROWS FROM (
      unnest(e.merge_ids), unnest(e.from_contacts), unnest(e.to_contacts),
      jsonb_array_elements(e.row_keys), jsonb_array_elements(coalesce(e.row_data, '[]'))
    ) AS r(merge_id, from_contact, to_contact, row_key, row_data)`;

function journalCte(action: 'moved' | 'set_aside' | 'linked'): string {
  return `c AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS c(merge_id, below)),
  j AS (SELECT r.merge_id, r.row_key, r.row_data, r.from_contact, r.to_contact
          FROM merge_journal_entries e ${JOURNAL_ROWS}
          JOIN c ON c.merge_id = r.merge_id
         WHERE e.id >= $3 AND e.id < $4 AND e.id < c.below
           AND e.table_name = $5 AND e.column_name = $6 AND e.action = '${action}')`;
}

const perMerge = 'SELECT merge_id, count(*)::int AS n FROM done GROUP BY merge_id';

export function moveBackSql(t: RepointTarget): string {
  const c = qi(t.column);
  const match = t.key
    .map((k) => `t.${qi(k.name)} = (j.row_key->>'${k.name.replace(/'/g, "''")}')::${k.type}`)
    .join(' AND ');
  return `WITH ${journalCte('moved')},
  done AS (UPDATE ${t.relation} t SET ${c} = j.from_contact FROM j
            WHERE ${match} AND t.${c} = j.to_contact RETURNING j.merge_id)
  ${perMerge}`;
}

/**
 * Set-aside rows back where they were. A row whose key has been taken since (say a user added the
 * same owner again) cannot come back: it stays in the journal and is counted as `key_taken`, never
 * dropped silently. A row already back (an earlier run of this statement, before a crash) is
 * neither: it is found as it was journalled (to_jsonb equal to the saved row). The checks read the
 * table as it was before this statement's INSERT, so a row inserted here is not taken for either.
 */
export function reinsertSql(t: RepointTarget): string {
  const cols = t.insertColumns.map(qi).join(', ');
  const keyOf = (alias: string) =>
    t.key
      .map((k) => `${alias}.${qi(k.name)} = (j.row_key->>'${k.name.replace(/'/g, "''")}')::${k.type}`)
      .join(' AND ');
  return `WITH ${journalCte('set_aside')},
  done AS (INSERT INTO ${t.relation} (${cols}) OVERRIDING SYSTEM VALUE
           SELECT ${t.insertColumns.map((col) => `r.${qi(col)}`).join(', ')}
             FROM j CROSS JOIN LATERAL jsonb_populate_record(NULL::${t.relation}, j.row_data) r
           ON CONFLICT DO NOTHING
           RETURNING ${t.key.map((k) => qi(k.name)).join(', ')}),
  fate AS (
    SELECT j.merge_id, j.inserted,
           -- Only for a row not inserted now: probing the table and building the row's JSON costs.
           CASE WHEN j.inserted THEN false
                ELSE EXISTS (SELECT 1 FROM ${t.relation} x WHERE ${keyOf('x')} AND to_jsonb(x) = j.row_data) END AS already_back
      FROM (SELECT j.*, EXISTS (SELECT 1 FROM done d WHERE ${keyOf('d')}) AS inserted FROM j) j)
  SELECT merge_id, count(*) FILTER (WHERE inserted)::int AS n,
         count(*) FILTER (WHERE NOT inserted AND NOT already_back)::int AS key_taken
    FROM fate GROUP BY merge_id`;
}

export function unlinkSql(t: RepointTarget): string {
  return `WITH ${journalCte('linked')},
  done AS (UPDATE ${t.relation} t SET duplicate_of = NULL FROM j
            WHERE t.id = (j.row_key->>'id')::bigint AND t.duplicate_of = (j.row_data->>'duplicate_of')::bigint
           RETURNING j.merge_id)
  ${perMerge}`;
}

/**
 * The next chunk's lower bound: going down from $1 (hi), the first entry at or above $3 (the walk's
 * floor) at which the entries' rows add up to more than $2 (chunkRows - 1), so a window holds about
 * chunkRows rows (at least one entry; entries of other merges in between only make it smaller).
 * The running sum streams down the primary key and stops there.
 */
export const nextWindowSql = `SELECT id FROM (
    SELECT id, sum(row_count) OVER (ORDER BY id DESC) AS upto
      FROM merge_journal_entries WHERE id < $1 AND id >= $3) x
  WHERE upto > $2 ORDER BY id DESC LIMIT 1`;

/**
 * The entries of one table in the window [$1, $2), newest first, with their column: a table with
 * two contact columns has its entries replayed in that order across both (see undoChunks).
 */
export const windowEntriesSql = `SELECT id, column_name FROM merge_journal_entries
  WHERE id >= $1 AND id < $2 AND table_name = $3 ORDER BY id DESC`;

/**
 * Per merge, its lowest and highest journal entry ids: where an undo's walk starts and stops. The
 * entries come from the GIN index on merge_ids; their rows are matched by a hash join.
 */
export const journalRangeSql = `SELECT r.merge_id, min(e.id) AS lo, max(e.id) AS hi
  FROM ${JOURNAL_OF_MERGES} GROUP BY r.merge_id`;

const RESTORED = [...MERGE_FIELDS, 'attributes', 'updated_at'];

/**
 * Survivors back to their snapshot, three-way: a field goes back only if it still holds what the
 * merge wrote; a value a user changed since stays. (Later merges into the same survivor are undone
 * first: see dependentsOf in undo.ts.)
 */
export const restoreSurvivorsSql = `UPDATE contacts c SET ${RESTORED.map(
  (f) => `${f} = CASE WHEN c.${f} IS NOT DISTINCT FROM w.${f} THEN b.${f} ELSE c.${f} END`,
).join(', ')}
  FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, before jsonb, written jsonb)
  CROSS JOIN LATERAL jsonb_populate_record(NULL::contacts, v.before) b
  CROSS JOIN LATERAL jsonb_populate_record(NULL::contacts, v.written) w
  WHERE c.id = v.id`;

/** Losers live again: merged_into / merged_at as they were before the merge. */
export const restoreLosersSql = `UPDATE contacts c SET merged_into = b.merged_into, merged_at = b.merged_at
  FROM jsonb_populate_recordset(NULL::contacts, $1::jsonb) b WHERE c.id = b.id`;
