import type { Kysely } from 'kysely';
import type pg from 'pg';
import { buildClusters } from '../core/cluster/index.js';
import { PERSON_COLUMNS } from '../core/contact-columns.js';
import { probabilityToWeight } from '../core/model/index.js';
import { chooseSurvivor, SURVIVOR_RULES, type SurvivorRule } from '../core/survivor.js';
import { type ClusterRow, contactsByIds, sureEdges, writeClusters } from '../db/detection.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';
import type { RunSetup } from './run-profile.js';

const SURVIVOR_FIELDS = PERSON_COLUMNS;

type SurvivorContact = { id: number; created_at: Date; updated_at: Date };

/** The profile's survivorship rule, checked. */
export function survivorRule(profile: RunSetup['profile']): SurvivorRule {
  const rule = profile.survivorship as SurvivorRule;
  if (!SURVIVOR_RULES.includes(rule)) {
    throw new DomainError(
      'PROFILE_INVALID',
      `unknown survivorship rule "${rule}" (known: ${SURVIVOR_RULES.join(', ')})`,
    );
  }
  return rule;
}

/** The survivor among these contacts by the rule (as every cluster's is chosen). */
export const survivorOf = (records: readonly SurvivorContact[], rule: SurvivorRule) =>
  chooseSurvivor(records, rule, SURVIVOR_FIELDS);

/**
 * Clusters of the run's sure pairs: connected components guarded against chaining (weak bridges
 * between dense groups are cut and go to review), each with a survivor chosen by the profile's rule.
 */
export async function clusterRun(db: Kysely<Database>, pool: pg.Pool, setup: RunSetup) {
  const rule = survivorRule(setup.profile);
  const edges = await sureEdges(db, setup.runId);
  const { clusters, cutEdges, stats } = buildClusters(edges, {
    bridgeThreshold: probabilityToWeight(setup.profile.cluster.bridgeThreshold),
    maxClusterSize: setup.profile.cluster.maxClusterSize,
  });
  const rows: ClusterRow[] = [];
  for (let i = 0; i < clusters.length; i += 2000) {
    const chunk = clusters.slice(i, i + 2000);
    const contacts = new Map(
      (
        await contactsByIds(
          db,
          chunk.flatMap((c) => c.members),
        )
      ).map((c) => [c.id, c]),
    );
    for (const c of chunk) {
      const records = c.members.flatMap((id) => {
        const r = contacts.get(id);
        return r ? [r as SurvivorContact] : [];
      });
      if (records.length < 2) continue;
      rows.push({
        clusterNo: c.no,
        survivorId: survivorOf(records, rule).id,
        members: records.map((r) => r.id),
        minScore: c.minWeight,
        status: c.status === 'merge' ? 'pending' : 'review',
        reason: c.reason ?? null,
      });
    }
  }
  const result = {
    clusters: rows.length,
    clusters_merge: rows.filter((r) => r.status === 'pending').length,
    clusters_review: rows.filter((r) => r.status === 'review').length,
    contacts_in_clusters: rows.reduce((s, r) => s + r.members.length, 0),
    bridges_cut: stats.bridgesCut,
    sure_pairs: stats.edges,
  };
  await writeClusters(
    pool,
    setup.runId,
    rows,
    cutEdges.map((e) => [e.a, e.b] as [number, number]),
    result,
  );
  return result;
}
