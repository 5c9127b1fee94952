import { MERGE_FIELDS } from '../../core/merge/fields.js';

/**
 * The end of a wave of merges as ONE statement: survivors get their planned fields, losers become
 * tombstones, and the audit rows are completed (with the snapshot of every record, taken here from
 * the locked rows as they were before this statement: all its parts read the same snapshot), and
 * the clusters of a run are marked merged. (Every data-modifying CTE runs to completion whether the
 * final SELECT reads it or not.)
 *
 * $1: one JSON object per merge {id, survivor, losers, plan, conflicts, rows_moved}, the plan with
 * the survivor's new `values`; $2: the merge ids; $3: the losers and $4 their survivors (parallel);
 * $5: the survivors.
 * Contacts are reached through their primary key (the arrays), never by scanning the table: a wave
 * touches a few thousand of them. `updated_at = now()` is the transaction's timestamp, which the
 * audit records as the survivor's written updated_at (undo's three-way restore compares it).
 * The snapshot is to_jsonb of an array of rows, the same JSON as jsonb_agg(to_jsonb(c)) in a third
 * less time (each row is converted once, not built and then copied into the aggregate). Each record
 * is fetched by a scalar subquery on the primary key: joined instead, a small contacts table (a few
 * thousand rows) was scanned whole once per merge, the planner expecting 100 contacts per merge
 * instead of 2 or 3 (1.3 s a wave of 1,000 merges at 5,000 contacts).
 */

const FIELD_COLUMNS = MERGE_FIELDS.map((f) => `${f} ${f === 'owner_id' ? 'bigint' : 'text'}`).join(', ');

export const finishSql = `WITH v AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS v(id bigint, survivor bigint, losers jsonb, plan jsonb, conflicts jsonb, rows_moved jsonb)),
  survivors AS (
    UPDATE contacts c SET ${MERGE_FIELDS.map((f) => `${f} = f.${f}`).join(', ')}, attributes = f.attributes, updated_at = now()
      FROM v CROSS JOIN LATERAL jsonb_to_record(v.plan->'values') AS f(${FIELD_COLUMNS}, attributes jsonb)
     WHERE c.id = v.survivor AND c.id IN (SELECT unnest($5::bigint[]))),
  tombstones AS (
    UPDATE contacts c SET merged_into = t.survivor, merged_at = now()
      FROM unnest($3::bigint[], $4::bigint[]) AS t(loser, survivor)
     WHERE c.id = t.loser AND c.id IN (SELECT unnest($3::bigint[]))),
  audit AS (
    UPDATE merges m SET status = 'completed', started_at = coalesce(m.started_at, now()), finished_at = clock_timestamp(),
           effective_survivor_id = v.survivor, effective_loser_ids = ARRAY(SELECT jsonb_array_elements_text(v.losers)::bigint),
           plan = v.plan || jsonb_build_object('written', jsonb_build_object('updated_at', to_jsonb(now()))),
           snapshot = (SELECT to_jsonb(array_agg((SELECT c FROM contacts c WHERE c.id = o.contact::bigint) ORDER BY o.n))
                         FROM jsonb_array_elements_text(jsonb_build_array(v.survivor) || v.losers) WITH ORDINALITY o(contact, n)),
           conflicts = v.conflicts, rows_moved = v.rows_moved,
           checkpoint = m.checkpoint || '{"phase": "done"}'::jsonb, error = NULL, error_code = NULL
      FROM v
     WHERE m.id = v.id AND m.id IN (SELECT unnest($2::bigint[]))),
  clusters AS (UPDATE clusters SET status = 'merged', reason = NULL WHERE merge_id IN (SELECT unnest($2::bigint[])))
  SELECT 1`;
