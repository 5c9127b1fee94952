import { type Kysely, sql } from 'kysely';
import { liveContacts } from './merge/resolve.js';
import type { Database } from './schema.js';

export interface ReviewPair {
  run_id: number;
  a_id: number;
  b_id: number;
  /** Where each contact lives now (itself, or the survivor it was merged into since). */
  a_live: number;
  b_live: number;
  score: number;
  match_weight: number;
  weights: Record<string, unknown>;
  a_name: string | null;
  b_name: string | null;
  a_email: string | null;
  b_email: string | null;
}

/** The live end of a contact's merged_into chain, as a LATERAL subquery yielding `root`. */
const liveRoot = (column: string) => sql`(
  WITH RECURSIVE r(id, next, depth) AS (
    SELECT c.id, c.merged_into, 0 FROM contacts c WHERE c.id = ${sql.ref(column)}
    UNION ALL
    SELECT c.id, c.merged_into, r.depth + 1 FROM r JOIN contacts c ON c.id = r.next WHERE r.depth < 1000)
  SELECT id AS root FROM r WHERE next IS NULL)`;

/**
 * Pairs waiting for a person, most likely first. A pair whose contacts were merged since (often by
 * its own run: a bridge between two groups, a maybe between two clusters) is still a question about
 * where they live now; only a pair whose two contacts now live in one contact has nothing left to
 * decide and leaves the list.
 */
export async function listReviewPairs(db: Kysely<Database>, opts: { runId?: number; limit: number }) {
  const { rows } = await sql<ReviewPair>`
    SELECT p.run_id, p.a_id, p.b_id, ra.root AS a_live, rb.root AS b_live, p.score, p.match_weight, p.weights,
           concat_ws(' ', a.first_name, a.last_name) AS a_name, concat_ws(' ', b.first_name, b.last_name) AS b_name,
           a.email AS a_email, b.email AS b_email
      FROM pairs p
      JOIN contacts a ON a.id = p.a_id
      JOIN contacts b ON b.id = p.b_id
      CROSS JOIN LATERAL ${liveRoot('p.a_id')} ra
      CROSS JOIN LATERAL ${liveRoot('p.b_id')} rb
     WHERE p.decision = 'review' AND p.review_status = 'pending' AND ra.root <> rb.root
       ${opts.runId !== undefined ? sql`AND p.run_id = ${opts.runId}` : sql``}
     ORDER BY p.match_weight DESC
     LIMIT ${opts.limit}`.execute(db);
  return rows.map((r) => ({ ...r, a_live: Number(r.a_live), b_live: Number(r.b_live) }));
}

/** Where two contacts live now (each followed along merged_into); undefined when one no longer exists. */
export async function livePair(
  db: Kysely<Database>,
  a: number,
  b: number,
): Promise<[number, number] | undefined> {
  const live = await liveContacts(db, [a, b]);
  const [ra, rb] = [live.get(a), live.get(b)];
  return ra === undefined || rb === undefined ? undefined : [ra, rb];
}

/**
 * Records a person's verdict on a review pair; returns false when there is no such pending pair
 * (unknown, already decided by someone, or its two contacts now one): a verdict never overwrites
 * an earlier one. `live` says where the pair's contacts live now.
 */
export async function setReviewVerdict(
  db: Kysely<Database>,
  pair: { runId: number; a: number; b: number },
  verdict: 'accepted' | 'rejected',
  reviewer: string,
): Promise<boolean> {
  const live = await livePair(db, pair.a, pair.b);
  if (!live || live[0] === live[1]) return false;
  const r = await db
    .updateTable('pairs')
    .set({ review_status: verdict, reviewed_by: reviewer, reviewed_at: sql`now()` })
    .where('run_id', '=', pair.runId)
    .where('a_id', '=', Math.min(pair.a, pair.b))
    .where('b_id', '=', Math.max(pair.a, pair.b))
    .where('decision', '=', 'review')
    .where('review_status', '=', 'pending')
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
