import type { FlowJobNode } from 'bullmq';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { planScoreTasks } from '../core/score-plan.js';
import {
  analyzeWorkTable,
  buildBuckets,
  computeTermFreqs,
  dropRunWorkData,
  liveContactBounds,
  runContactSpan,
  slotLoads,
} from '../db/detection.js';
import { clusterQuality, pairCompleteness } from '../db/quality.js';
import { createTasks, enterStage, finishRun, mergeRunStats, stageCounts } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { QUEUES } from '../queues/names.js';
import { jobIds } from '../queues/payloads.js';
import { DEFAULT_JOB_OPTIONS, type QueueSet } from '../queues/queues.js';
import type { RunSetup } from './run-profile.js';
import { trainRunModel } from './train-model.js';

/**
 * Moves a run from stage to stage with BullMQ flows: each stage's tasks are the children of the job
 * that starts the next stage, so the next stage begins when the last task ends. A task that fails for
 * good does not block the run (ignoreDependencyOnFailure): it is reported, and the run carries on.
 * Every step is idempotent (deterministic job ids, ON CONFLICT, checkpoints), so a retry after a
 * crash anywhere converges to the same run.
 */

export const INDEX_CONTACTS_PER_TASK = 20_000;
/** One full wave of the merge engine per task (DEFAULT_MAX_WAVE_MERGES): a call's fixed costs are paid once per wave. */
export const MERGE_CLUSTERS_PER_TASK = 500;
/** Bucket-building statements run at once (key hash partitions), beside the term frequencies. */
export const BUCKET_PARTITIONS = 3;

const child = (queueName: string, name: string, data: object, jobId: string): FlowJobNode => ({
  name,
  queueName,
  data,
  opts: { ...DEFAULT_JOB_OPTIONS, jobId, ignoreDependencyOnFailure: true },
});

/** Stage 1: split live contacts into id ranges and index them; `train` runs when all are done. */
export async function startIndexing(db: Kysely<Database>, queues: QueueSet, runId: number) {
  if (!(await enterStage(db, runId, 'index'))) return { skipped: true };
  const bounds = await liveContactBounds(db);
  const tasks = Math.max(1, Math.ceil(bounds.count / INDEX_CONTACTS_PER_TASK));
  const span = Math.max(1, Math.ceil((bounds.max - bounds.min + 1) / tasks));
  await createTasks(db, runId, 'index', tasks);
  await mergeRunStats(db, runId, { contacts_total: bounds.count });
  const children = Array.from({ length: tasks }, (_, t) =>
    child(
      QUEUES.index,
      'index',
      { runId, taskNo: t, fromId: bounds.min + t * span, toId: bounds.min + (t + 1) * span },
      jobIds.index(runId, t),
    ),
  );
  await queues.flow.add({
    name: 'train',
    queueName: QUEUES.runs,
    data: { runId },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: jobIds.runStep(runId, 'train') },
    children,
  });
  return { tasks };
}

/** Stage 2: buckets, term frequencies and the model; then scoring tasks, with `cluster` as their parent. */
export async function trainAndPlanScoring(
  db: Kysely<Database>,
  queues: QueueSet,
  setup: RunSetup,
  pairsPerTask: number,
) {
  const runId = setup.runId;
  if (!(await enterStage(db, runId, 'train'))) return { skipped: true };
  const cap = setup.profile.blocking.maxBucketSize;
  // Seconds per step, in the run's stats: where a slow training stage spends its time.
  const steps: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    steps[name] = Math.round(performance.now() - t0) / 1000;
    return out;
  };
  await timed('analyze_contacts', () => analyzeWorkTable(db, 'run_contacts'));
  const { contacts, span } = await runContactSpan(db, runId);
  // Buckets (in partitions) and term frequencies at once, each on its own connection.
  await Promise.all([
    timed('buckets', () =>
      Promise.all(
        Array.from({ length: span ? BUCKET_PARTITIONS : 0 }, (_, index) =>
          buildBuckets(db, runId, { index, count: BUCKET_PARTITIONS }, span!),
        ),
      ),
    ),
    timed('term_freqs', () => computeTermFreqs(db, runId)),
  ]);
  await timed('analyze_buckets', () => analyzeWorkTable(db, 'run_buckets'));
  const loads = await timed('plan', () => slotLoads(db, runId, cap));
  const tasks = planScoreTasks(loads.slots, pairsPerTask);
  const plan = { buckets: loads.buckets, oversized: loads.oversized, tasks: tasks.length };
  const trained = await timed('model', () => trainRunModel(db, setup, contacts));
  await db
    .updateTable('dedupe_runs')
    .set({ model: JSON.stringify(trained.params) })
    .where('id', '=', runId)
    .execute();
  await mergeRunStats(db, runId, {
    buckets: plan.buckets,
    buckets_oversized: plan.oversized,
    train_steps_seconds: steps,
    model: {
      random_pairs: trained.randomPairs,
      blocked_pairs: trained.blockedPairs,
      em_iterations: trained.iterations,
      converged: trained.converged,
      warnings: trained.warnings,
      strata_match_share: trained.strataMatchShare,
    },
  });
  if (!(await enterStage(db, runId, 'score'))) return { skipped: true };
  await createTasks(db, runId, 'score', plan.tasks);
  const children = tasks.map(({ fromSlot, toSlot }, t) =>
    child(QUEUES.score, 'score', { runId, taskNo: t, fromSlot, toSlot }, jobIds.score(runId, t)),
  );
  await queues.flow.add({
    name: 'cluster',
    queueName: QUEUES.cluster,
    data: { runId },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: jobIds.cluster(runId) },
    children,
  });
  return { buckets: plan.buckets, tasks: plan.tasks };
}

/** Stage 4 (not in a dry run): merge batches of sure clusters, with `finish` as their parent. */
export async function planMerges(db: Kysely<Database>, queues: QueueSet, runId: number) {
  if (!(await enterStage(db, runId, 'merge'))) return { skipped: true };
  const clusters = await db
    .selectFrom('clusters')
    .select('cluster_no')
    .where('run_id', '=', runId)
    .where('status', '<>', 'review')
    .orderBy('cluster_no')
    .execute();
  const tasks = Math.ceil(clusters.length / MERGE_CLUSTERS_PER_TASK);
  await createTasks(db, runId, 'merge', tasks);
  const children = Array.from({ length: tasks }, (_, t) => {
    const first = clusters[t * MERGE_CLUSTERS_PER_TASK]!.cluster_no;
    const last = clusters[Math.min(clusters.length, (t + 1) * MERGE_CLUSTERS_PER_TASK) - 1]!.cluster_no;
    return child(
      QUEUES.merge,
      'merge-batch',
      { kind: 'batch', runId, taskNo: t, fromCluster: first, toCluster: last },
      jobIds.mergeBatch(runId, t),
    );
  });
  await queues.flow.add({
    name: 'finish',
    queueName: QUEUES.runs,
    data: { runId },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: jobIds.runStep(runId, 'finish') },
    children,
  });
  return { tasks };
}

export async function enqueueFinish(queues: QueueSet, runId: number) {
  await queues.queue(QUEUES.runs).add('finish', { runId }, { jobId: jobIds.runStep(runId, 'finish') });
}

/** On seeded data (ground truth present): blocking's pair completeness and the clusters' quality. */
async function seededQuality(db: Kysely<Database>, runId: number) {
  const seeded = await db.selectFrom('seed_truth').select('contact_id').limit(1).executeTakeFirst();
  if (!seeded) return {};
  // Fresh tables have no statistics yet: without them the planner picks nested loops over millions of rows.
  await sql`ANALYZE clusters, cluster_members, seed_truth`.execute(db);
  return { pair_completeness: await pairCompleteness(db, runId), quality: await clusterQuality(db, runId) };
}

/** Last step: the report's totals, the work tables dropped, the run marked completed. */
export async function finishRunStep(db: Kysely<Database>, runId: number) {
  const progress = await stageCounts(db, runId);
  const failedTasks = progress.reduce((s, p) => s + p.failed + (p.total - p.done - p.failed), 0);
  await mergeRunStats(db, runId, { failed_tasks: failedTasks, ...(await seededQuality(db, runId)) });
  await dropRunWorkData(db, runId);
  await finishRun(db, runId, 'completed');
  return { failedTasks };
}
