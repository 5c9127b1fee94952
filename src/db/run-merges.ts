import { CompiledQuery, type Kysely, sql } from 'kysely';
import { runMergeKey } from './merge/requests.js';
import { liveContacts } from './merge/resolve.js';
import type { Database } from './schema.js';

export const SAFETY_RULES = ['different_owners', 'open_opportunities_on_both'] as const;
export type SafetyRule = (typeof SAFETY_RULES)[number];

export interface PendingCluster {
  clusterNo: number;
  survivorId: number;
  members: number[];
  minScore: number | null;
}

/** A merge task's clusters still to merge (cluster_no within the task's range, status pending). */
export async function pendingClusters(
  db: Kysely<Database>,
  runId: number,
  fromNo: number,
  toNo: number,
): Promise<PendingCluster[]> {
  const { rows } = await sql<{
    cluster_no: number;
    survivor_id: number;
    min_score: number | null;
    members: number[];
  }>`
    SELECT c.cluster_no, c.survivor_id, c.min_score, array_agg(m.contact_id ORDER BY m.contact_id) AS members
    FROM clusters c JOIN cluster_members m ON m.run_id = c.run_id AND m.cluster_no = c.cluster_no
    WHERE c.run_id = ${runId} AND c.cluster_no BETWEEN ${fromNo} AND ${toNo} AND c.status = 'pending'
    GROUP BY c.cluster_no, c.survivor_id, c.min_score
    ORDER BY c.cluster_no`.execute(db);
  return rows.map((r) => ({
    clusterNo: r.cluster_no,
    survivorId: Number(r.survivor_id),
    members: r.members.map(Number),
    minScore: r.min_score,
  }));
}

/** Reasons written by the merge stage when a safety rule sends a cluster to review (counted back by mergeStageCounts). */
export const SAFETY_REASON_PREFIX = 'safety rule ';

/** Where the members of these clusters live now (liveContacts): read once per merge task. */
export const liveMembers = (db: Kysely<Database>, clusters: readonly PendingCluster[]) =>
  liveContacts(
    db,
    clusters.flatMap((c) => c.members),
  );

/** Clusters with a member that no longer exists (deleted since the run clustered it), with the reason. */
export function clustersWithMissingContacts(
  clusters: readonly PendingCluster[],
  live: ReadonlyMap<number, number>,
): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of clusters) {
    const gone = c.members.filter((m) => !live.has(m));
    if (gone.length > 0) out.set(c.clusterNo, `contact(s) ${gone.join(', ')} no longer exist`);
  }
  return out;
}

/**
 * Clusters that break a safety rule, with the reason; they go to review instead of merging. Rules
 * are checked on the contacts the merge would really join: a member merged elsewhere since the run
 * clustered it counts as its survivor (the engine follows the chain), with everything it holds.
 */
export async function unsafeClusters(
  db: Kysely<Database>,
  clusters: readonly PendingCluster[],
  rules: readonly SafetyRule[],
  /** Where each member lives now (liveMembers). */
  live: ReadonlyMap<number, number>,
) {
  const reasons = new Map<number, string>();
  if (rules.length === 0 || clusters.length === 0) return reasons;
  // The live contacts of each cluster; a live contact may belong to several clusters of the task.
  const rootsOf = new Map(
    clusters.map((c) => [
      c.clusterNo,
      new Set(c.members.flatMap((m) => (live.has(m) ? [live.get(m)!] : []))),
    ]),
  );
  const ids = [...new Set(live.values())];
  const perCluster = (found: { has(id: number): boolean }, no: number) =>
    [...rootsOf.get(no)!].filter((id) => found.has(id));
  if (rules.includes('different_owners')) {
    const owners = await db
      .selectFrom('contacts')
      .select(['id', 'owner_id'])
      .where('id', '=', sql<number>`any(${sql.val(ids)}::bigint[])`)
      .where('owner_id', 'is not', null)
      .execute();
    const ownerOf = new Map(owners.map((o) => [Number(o.id), Number(o.owner_id)]));
    for (const c of clusters) {
      const distinct = new Set(perCluster(ownerOf, c.clusterNo).map((id) => ownerOf.get(id)));
      if (distinct.size > 1)
        reasons.set(c.clusterNo, `${SAFETY_REASON_PREFIX}different_owners: members have different owners`);
    }
  }
  if (rules.includes('open_opportunities_on_both')) {
    const open = await db
      .selectFrom('opportunities')
      .select('contact_id')
      .distinct()
      .where('stage', '=', 'open')
      .where('contact_id', '=', sql<number>`any(${sql.val(ids)}::bigint[])`)
      .execute();
    const withOpen = new Set(open.map((o) => Number(o.contact_id)));
    for (const c of clusters) {
      if (perCluster(withOpen, c.clusterNo).length > 1 && !reasons.has(c.clusterNo))
        reasons.set(
          c.clusterNo,
          `${SAFETY_REASON_PREFIX}open_opportunities_on_both: several members have open opportunities`,
        );
    }
  }
  return reasons;
}

/**
 * The sure pairs inside clusters sent to review become review pairs, so that a person sees them in
 * `dedupe review list` (the list shows review pairs; these were sure, but their cluster is not).
 * $1 run id, $2 cluster numbers.
 */
export const PAIRS_OF_CLUSTERS_TO_REVIEW_SQL = `UPDATE pairs p SET decision = 'review'
  FROM cluster_members ma, cluster_members mb
 WHERE ma.run_id = $1 AND ma.cluster_no = ANY($2::int[])
   AND p.run_id = $1 AND p.a_id = ma.contact_id AND p.decision = 'merge'
   AND mb.run_id = $1 AND mb.contact_id = p.b_id AND mb.cluster_no = ma.cluster_no`;
// Driven by each member's pairs (primary key on (run_id, a_id, ...)) and the other end's cluster
// (primary key on (run_id, contact_id)): linear in the pairs, not in the square of a cluster's size.

/**
 * What a merge task's clusters came to, read from the clusters themselves, so that a task retried
 * (after contacts were busy, or a crash) reports every cluster of its range, not only the last
 * attempt's: merged, refused, failed, and sent to review by a safety rule.
 */
export async function mergeStageCounts(
  db: Kysely<Database>,
  runId: number,
  fromNo: number,
  toNo: number,
): Promise<{ merges: number; refused: number; failed: number; review: number }> {
  const { rows } = await sql<{ merges: number; refused: number; failed: number; review: number }>`
    SELECT count(*) FILTER (WHERE status = 'merged')::int AS merges,
           count(*) FILTER (WHERE status = 'refused')::int AS refused,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           count(*) FILTER (WHERE status = 'review' AND reason LIKE ${`${SAFETY_REASON_PREFIX}%`})::int AS review
      FROM clusters WHERE run_id = ${runId} AND cluster_no BETWEEN ${fromNo} AND ${toNo}`.execute(db);
  return rows[0]!;
}

export async function setClusterOutcomes(
  db: Kysely<Database>,
  runId: number,
  outcomes: readonly {
    clusterNo: number;
    status: 'merged' | 'review' | 'refused' | 'failed';
    mergeId: number | null;
    reason: string | null;
  }[],
) {
  if (outcomes.length === 0) return;
  await sql`
    UPDATE clusters c SET status = o.status, merge_id = o.merge_id, reason = coalesce(o.reason, c.reason)
    FROM unnest(${sql.val(outcomes.map((o) => o.clusterNo))}::int[], ${sql.val(outcomes.map((o) => o.status))}::text[],
                ${sql.val(outcomes.map((o) => o.mergeId))}::bigint[], ${sql.val(outcomes.map((o) => o.reason))}::text[]) AS o(no, status, merge_id, reason)
    WHERE c.run_id = ${runId} AND c.cluster_no = o.no`.execute(db);
}

/** Clusters a person must look at instead: status review with the reason, their pairs in the review list. */
export async function sendClustersToReview(
  db: Kysely<Database>,
  runId: number,
  clusters: readonly { clusterNo: number; reason: string }[],
): Promise<void> {
  if (clusters.length === 0) return;
  // Pairs first: a crash in between leaves the clusters pending, to be sent again by the retry.
  await db.executeQuery(
    CompiledQuery.raw(PAIRS_OF_CLUSTERS_TO_REVIEW_SQL, [runId, clusters.map((c) => c.clusterNo)]),
  );
  await setClusterOutcomes(
    db,
    runId,
    clusters.map((c) => ({
      clusterNo: c.clusterNo,
      status: 'review' as const,
      mergeId: null,
      reason: c.reason,
    })),
  );
}

/**
 * Merges of a task's clusters that started and did not finish (running, or failed half-way): a
 * cancelled run stops merging, but these are finished rather than left half applied. Found by
 * their idempotency keys (runMergeKey).
 */
export async function startedMergesOfTask(
  db: Kysely<Database>,
  runId: number,
  fromNo: number,
  toNo: number,
): Promise<{ mergeId: number; clusterNo: number }[]> {
  const clusterOf = new Map<string, number>();
  for (let no = fromNo; no <= toNo; no++) clusterOf.set(runMergeKey(runId, no), no);
  const { rows } = await sql<{ id: number; idempotency_key: string }>`
    SELECT m.id, m.idempotency_key FROM merges m
     WHERE m.idempotency_key IN (SELECT unnest(${sql.val([...clusterOf.keys()])}::text[]))
       AND m.status IN ('running', 'failed') AND m.effective_survivor_id IS NOT NULL`.execute(db);
  return rows.map((r) => ({ mergeId: Number(r.id), clusterNo: clusterOf.get(r.idempotency_key)! }));
}
