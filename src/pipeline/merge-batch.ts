import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { SliceMemory } from '../core/merge/slices.js';
import {
  createMergeRequests,
  type EngineOptions,
  engineOptionsFromConfig,
  executeMergeBatch,
  type MergeHooks,
  runMergeKey,
} from '../db/merge/index.js';
import {
  clustersWithMissingContacts,
  liveMembers,
  mergeStageCounts,
  pendingClusters,
  type SafetyRule,
  sendClustersToReview,
  setClusterOutcomes,
  startedMergesOfTask,
  unsafeClusters,
} from '../db/run-merges.js';
import { completeTask, taskResult } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';
import type { DedupeMetrics } from '../metrics/registry.js';

/** What this process's merge jobs have learnt of how many merges fit in one transaction. */
const sliceMemory: SliceMemory = {};

/**
 * The engine settings of the configuration, with the metrics counted through the engine's hooks
 * and the slice size learnt by this process's earlier merge jobs.
 */
export function engineOptions(config: Config, metrics: DedupeMetrics): EngineOptions {
  const hooks: MergeHooks = {
    onRows: (e) => {
      if (e.action === 'moved') metrics.rowsRepointed.inc({ table: e.table }, e.rows);
    },
    onConflicts: (e) => metrics.mergeConflicts.inc({ kind: e.kind }, e.count),
    onOutcome: (o) => {
      if (o.status === 'completed' || o.status === 'failed' || o.status === 'refused')
        metrics.merges.inc({ outcome: o.status });
      if (o.status === 'retry') metrics.mergeConflicts.inc({ kind: 'concurrent' });
    },
  };
  return { ...engineOptionsFromConfig(config), hooks, sliceMemory };
}

export interface MergeBatchResult {
  merges: number;
  refused: number;
  review: number;
  failed: number;
}

/**
 * The merge task of a run that has ended (cancelled, failed): nothing new is merged, but the merges
 * an earlier attempt started are finished, so none stays half applied (its contacts blocked for
 * every later merge). Returns how many were finished.
 */
export async function finishStartedMerges(
  db: Kysely<Database>,
  pool: pg.Pool,
  task: { runId: number; fromCluster: number; toCluster: number },
  opts: EngineOptions,
): Promise<number> {
  const started = await startedMergesOfTask(db, task.runId, task.fromCluster, task.toCluster);
  if (started.length === 0) return 0;
  const outcomes = await executeMergeBatch(
    pool,
    started.map((s) => s.mergeId),
    opts,
  );
  const done = started.filter((_, i) => outcomes[i]!.status === 'completed');
  await setClusterOutcomes(
    db,
    task.runId,
    done.map((s) => ({
      clusterNo: s.clusterNo,
      status: 'merged' as const,
      mergeId: s.mergeId,
      reason: null,
    })),
  );
  // Contacts busy elsewhere: the job retries later rather than leave these half applied.
  const busy = outcomes.filter((o) => o.status === 'retry').length;
  if (busy > 0)
    throw new DomainError('MERGE_BUSY', `${busy} started merge(s) found their contacts busy; retrying`, true);
  return done.length;
}

/**
 * One merge task of a run: its pending clusters become merge requests (idempotency key per cluster,
 * so a retry creates nothing twice), unsafe ones go to review, clusters with a contact deleted since
 * are refused (alone: the others still merge), the rest are merged together in batched statements.
 * Contacts busy in another merge make the job retry later. The counts are read back from the
 * clusters of the task's range, so a retried task reports what all its attempts did.
 */
export async function mergeBatch(
  db: Kysely<Database>,
  pool: pg.Pool,
  task: { runId: number; taskNo: number; fromCluster: number; toCluster: number },
  opts: EngineOptions,
  rules: readonly SafetyRule[],
): Promise<MergeBatchResult & { skipped?: boolean }> {
  const done = await taskResult<MergeBatchResult>(db, task.runId, 'merge', task.taskNo);
  if (done) return { ...done, skipped: true };
  const clusters = await pendingClusters(db, task.runId, task.fromCluster, task.toCluster);
  const live = await liveMembers(db, clusters);
  const missing = clustersWithMissingContacts(clusters, live);
  await setClusterOutcomes(
    db,
    task.runId,
    [...missing].map(([clusterNo, reason]) => ({
      clusterNo,
      status: 'refused' as const,
      mergeId: null,
      reason,
    })),
  );
  const present = clusters.filter((c) => !missing.has(c.clusterNo));
  const unsafe = await unsafeClusters(db, present, rules, live);
  await sendClustersToReview(
    db,
    task.runId,
    [...unsafe].map(([clusterNo, reason]) => ({ clusterNo, reason })),
  );
  const safe = present.filter((c) => !unsafe.has(c.clusterNo));
  const created = await createMergeRequests(
    db,
    safe.map((c) => ({
      survivorId: c.survivorId,
      duplicateIds: c.members.filter((m) => m !== c.survivorId),
      idempotencyKey: runMergeKey(task.runId, c.clusterNo),
      source: 'run' as const,
      requestedBy: `run ${task.runId}`,
      runId: task.runId,
      ...(c.minScore !== null ? { score: c.minScore } : {}),
      reason: 'sure cluster of a detection run',
    })),
  );
  const outcomes = await executeMergeBatch(
    pool,
    created.map((c) => c.id),
    opts,
  );
  const retry = outcomes.filter((o) => o.status === 'retry');
  await setClusterOutcomes(
    db,
    task.runId,
    safe.flatMap((c, i) => {
      const o = outcomes[i]!;
      if (o.status === 'retry') return [];
      const status = o.status === 'completed' ? 'merged' : o.status === 'refused' ? 'refused' : 'failed';
      return [{ clusterNo: c.clusterNo, status, mergeId: o.mergeId, reason: o.reason ?? null } as const];
    }),
  );
  if (retry.length > 0) {
    throw new DomainError(
      'MERGE_BUSY',
      `${retry.length} merge(s) found their contacts busy; retrying the batch`,
      true,
    );
  }
  const result = await mergeStageCounts(db, task.runId, task.fromCluster, task.toCluster);
  await completeTask(db, task.runId, 'merge', task.taskNo, { ...result });
  return result;
}
