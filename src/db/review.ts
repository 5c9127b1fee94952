import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export interface ReviewPair {
  run_id: number;
  a_id: number;
  b_id: number;
  score: number;
  match_weight: number;
  weights: Record<string, unknown>;
  a_name: string | null;
  b_name: string | null;
  a_email: string | null;
  b_email: string | null;
}

/** Pairs waiting for a person, most likely first. */
export async function listReviewPairs(db: Kysely<Database>, opts: { runId?: number; limit: number }) {
  let q = db
    .selectFrom('pairs as p')
    .innerJoin('contacts as a', 'a.id', 'p.a_id')
    .innerJoin('contacts as b', 'b.id', 'p.b_id')
    .select([
      'p.run_id',
      'p.a_id',
      'p.b_id',
      'p.score',
      'p.match_weight',
      'p.weights',
      sql<string>`concat_ws(' ', a.first_name, a.last_name)`.as('a_name'),
      sql<string>`concat_ws(' ', b.first_name, b.last_name)`.as('b_name'),
      'a.email as a_email',
      'b.email as b_email',
    ])
    .where('p.decision', '=', 'review')
    .where('p.review_status', '=', 'pending')
    // Merged since (by another run, the API...): nothing left to decide.
    .where('a.merged_at', 'is', null)
    .where('b.merged_at', 'is', null)
    .orderBy('p.match_weight', 'desc')
    .limit(opts.limit);
  if (opts.runId !== undefined) q = q.where('p.run_id', '=', opts.runId);
  return (await q.execute()) as unknown as ReviewPair[];
}

/**
 * Records a person's verdict on a review pair; returns false when there is no such pending pair
 * (unknown, already decided by someone, or one of its contacts merged since): a verdict never
 * overwrites an earlier one.
 */
export async function setReviewVerdict(
  db: Kysely<Database>,
  pair: { runId: number; a: number; b: number },
  verdict: 'accepted' | 'rejected',
  reviewer: string,
): Promise<boolean> {
  const r = await db
    .updateTable('pairs')
    .set({ review_status: verdict, reviewed_by: reviewer, reviewed_at: sql`now()` })
    .where('run_id', '=', pair.runId)
    .where('a_id', '=', Math.min(pair.a, pair.b))
    .where('b_id', '=', Math.max(pair.a, pair.b))
    .where('decision', '=', 'review')
    .where('review_status', '=', 'pending')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('contacts as c')
            .select('c.id')
            .where('c.id', 'in', [pair.a, pair.b])
            .where('c.merged_at', 'is not', null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A pair's review state (pending, accepted, rejected), or undefined when the run has no such review pair. */
export async function reviewStatus(
  db: Kysely<Database>,
  pair: { runId: number; a: number; b: number },
): Promise<{ status: 'pending' | 'accepted' | 'rejected'; score: number } | undefined> {
  const row = await db
    .selectFrom('pairs')
    .select(['review_status', 'score'])
    .where('run_id', '=', pair.runId)
    .where('a_id', '=', Math.min(pair.a, pair.b))
    .where('b_id', '=', Math.max(pair.a, pair.b))
    .where('decision', '=', 'review')
    .executeTakeFirst();
  return row ? { status: row.review_status, score: row.score } : undefined;
}

/** Clusters of two or more contacts of a run, one row per contact, in a stable order (streamed in pages). */
export async function* clusterMembersForExport(db: Kysely<Database>, runId: number, pageSize = 10_000) {
  let after = { cluster: -1, contact: -1 };
  for (;;) {
    const rows = await db
      .selectFrom('cluster_members as m')
      .innerJoin('clusters as c', (j) =>
        j.onRef('c.run_id', '=', 'm.run_id').onRef('c.cluster_no', '=', 'm.cluster_no'),
      )
      .innerJoin('contacts as k', 'k.id', 'm.contact_id')
      .select(['m.cluster_no', 'm.contact_id', 'k.external_id', 'c.status'])
      .where('m.run_id', '=', runId)
      .where('c.size', '>=', 2)
      .where(sql<boolean>`(m.cluster_no, m.contact_id) > (${after.cluster}, ${after.contact})`)
      .orderBy('m.cluster_no')
      .orderBy('m.contact_id')
      .limit(pageSize)
      .execute();
    yield* rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { cluster: last.cluster_no, contact: last.contact_id };
  }
}
