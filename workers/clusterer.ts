import { enterStage, taskResult } from '../src/db/runs.js';
import { clusterRun } from '../src/pipeline/cluster-run.js';
import { enqueueFinish, planMerges } from '../src/pipeline/coordinator.js';
import { runSetup } from '../src/pipeline/run-profile.js';
import { QUEUES } from '../src/queues/names.js';
import { ClusterJob } from '../src/queues/payloads.js';
import { defineWorker } from '../src/runtime/define-worker.js';

/** Clusters a run's sure pairs; then merges them, or (dry run) finishes the run. */
export default defineWorker({
  queue: QUEUES.cluster,
  payload: ClusterJob,
  async process({ runId }, ctx) {
    if (!(await enterStage(ctx.db, runId, 'cluster'))) return { skipped: 'run ended' };
    const setup = await runSetup(ctx.db, runId);
    // Clustering is done once: a retry after a crash past this point goes straight to the next stage.
    const done = await taskResult<Awaited<ReturnType<typeof clusterRun>>>(ctx.db, runId, 'cluster', 0);
    const result = done ?? (await clusterRun(ctx.db, ctx.pool, setup));
    // Counted by the attempt that clustered, not again by a retry that finds the result stored.
    if (!done) ctx.metrics.runStageItems.inc({ stage: 'cluster' }, result.clusters);
    if (setup.dryRun || result.clusters_merge === 0) await enqueueFinish(ctx.queues, runId);
    else await planMerges(ctx.db, ctx.queues, runId);
    return result;
  },
});
