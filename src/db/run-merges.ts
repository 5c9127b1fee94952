import { type Kysely, sql } from 'kysely';
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

/** Clusters that break a safety rule, with the reason; they go to review instead of merging. */
export async function unsafeClusters(
  db: Kysely<Database>,
  clusters: readonly PendingCluster[],
  rules: readonly SafetyRule[],
) {
  const reasons = new Map<number, string>();
  if (rules.length === 0 || clusters.length === 0) return reasons;
  const clusterOf = new Map<number, number>();
  for (const c of clusters) for (const m of c.members) clusterOf.set(m, c.clusterNo);
  const ids = [...clusterOf.keys()];
  if (rules.includes('different_owners')) {
    const owners = await db
      .selectFrom('contacts')
      .select(['id', 'owner_id'])
      .where('id', '=', sql<number>`any(${sql.val(ids)}::bigint[])`)
      .execute();
    const byCluster = new Map<number, Set<number>>();
    for (const o of owners) {
      if (o.owner_id === null) continue;
      const no = clusterOf.get(Number(o.id))!;
      const set = byCluster.get(no) ?? new Set<number>();
      set.add(Number(o.owner_id));
      byCluster.set(no, set);
    }
    for (const [no, set] of byCluster)
      if (set.size > 1) reasons.set(no, 'safety rule different_owners: members have different owners');
  }
  if (rules.includes('open_opportunities_on_both')) {
    const open = await db
      .selectFrom('opportunities')
      .select('contact_id')
      .distinct()
      .where('stage', '=', 'open')
      .where('contact_id', '=', sql<number>`any(${sql.val(ids)}::bigint[])`)
      .execute();
    const count = new Map<number, number>();
    for (const o of open) {
      const no = clusterOf.get(Number(o.contact_id))!;
      count.set(no, (count.get(no) ?? 0) + 1);
    }
    for (const [no, n] of count) {
      if (n > 1 && !reasons.has(no))
        reasons.set(no, 'safety rule open_opportunities_on_both: several members have open opportunities');
    }
  }
  return reasons;
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
