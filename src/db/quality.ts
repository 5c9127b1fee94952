import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export interface Quality {
  true_pairs: number;
  predicted_pairs: number;
  true_positives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function f1Of(tp: number, predicted: number, truth: number): Quality {
  const precision = predicted > 0 ? tp / predicted : 1;
  const recall = truth > 0 ? tp / truth : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { true_pairs: truth, predicted_pairs: predicted, true_positives: tp, precision, recall, f1 };
}

/**
 * Pairwise quality of a run's sure clusters against the seeded ground truth: a pair is predicted when
 * both contacts share a cluster (not sent to review), true when both share a truth entity and both
 * were live when the run started (an earlier run may have merged some already).
 */
export async function clusterQuality(db: Kysely<Database>, runId: number): Promise<Quality> {
  const { rows } = await sql<{ predicted: number; tp: number; truth: number }>`
    WITH members AS (
      SELECT m.cluster_no, m.contact_id, t.entity_id
      FROM cluster_members m
      JOIN clusters c ON c.run_id = m.run_id AND c.cluster_no = m.cluster_no AND c.status <> 'review'
      LEFT JOIN seed_truth t ON t.contact_id = m.contact_id
      WHERE m.run_id = ${runId}),
    per_cluster AS (SELECT cluster_no, count(*)::bigint AS n FROM members GROUP BY cluster_no),
    per_cluster_entity AS (SELECT cluster_no, entity_id, count(*)::bigint AS n FROM members WHERE entity_id IS NOT NULL GROUP BY 1, 2),
    -- The truth among contacts the run saw: live when it started (merged later, or never).
    per_entity AS (
      SELECT t.entity_id, count(*)::bigint AS n FROM seed_truth t JOIN contacts c ON c.id = t.contact_id
      WHERE c.merged_into IS NULL OR c.merged_at >= (SELECT started_at FROM dedupe_runs WHERE id = ${runId})
      GROUP BY t.entity_id)
    SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM per_cluster)::float8 AS predicted,
           (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM per_cluster_entity)::float8 AS tp,
           (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM per_entity)::float8 AS truth`.execute(db);
  const r = rows[0] ?? { predicted: 0, tp: 0, truth: 0 };
  return f1Of(Number(r.tp), Number(r.predicted), Number(r.truth));
}

/** Pair completeness of blocking: share of true duplicate pairs that share at least one blocking key. */
export async function pairCompleteness(db: Kysely<Database>, runId: number): Promise<number> {
  const { rows } = await sql<{ covered: number; total: number }>`
    WITH tp AS (
      SELECT a.contact_id AS a, b.contact_id AS b
      FROM seed_truth a JOIN seed_truth b ON a.entity_id = b.entity_id AND a.contact_id < b.contact_id)
    SELECT count(*) FILTER (WHERE ra.key_hashes && rb.key_hashes)::float8 AS covered, count(*)::float8 AS total
    FROM tp JOIN run_contacts ra ON ra.run_id = ${runId} AND ra.contact_id = tp.a
            JOIN run_contacts rb ON rb.run_id = ${runId} AND rb.contact_id = tp.b`.execute(db);
  const r = rows[0];
  return r && r.total > 0 ? r.covered / r.total : 1;
}
