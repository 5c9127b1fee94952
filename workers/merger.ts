import { UnrecoverableError } from 'bullmq';
import { executeMerge, isMergeError, markMergeJobFailed } from '../src/db/merge/index.js';
import type { SafetyRule } from '../src/db/run-merges.js';
import { failTask, isRunLive } from '../src/db/runs.js';
import { engineOptions, finishStartedMerges, mergeBatch } from '../src/pipeline/merge-batch.js';
import { QUEUES } from '../src/queues/names.js';
import { MergeJob } from '../src/queues/payloads.js';
import { defineWorker } from '../src/runtime/define-worker.js';

/** Batched merge worker: a run's clusters in batches, or one merge asked for by product code. */
export default defineWorker({
  queue: QUEUES.merge,
  payload: MergeJob,
  async process(job, ctx) {
    const opts = engineOptions(ctx.config, ctx.metrics);
    if (job.kind === 'single') {
      try {
        const out = await executeMerge(ctx.pool, job.mergeId, opts);
        return { status: out.status, code: out.code, rowsMoved: out.rowsMoved };
      } catch (err) {
        // Unknown merge or bad request: retrying cannot help. Busy contacts / lock timeouts retry.
        if (isMergeError(err) && !err.retryable) throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    }
    // An ended run merges nothing new, but what an earlier attempt started is finished.
    if (!(await isRunLive(ctx.db, job.runId)))
      return { skipped: 'run ended', finished: await finishStartedMerges(ctx.db, ctx.pool, job, opts) };
    const rules = ctx.config.DEDUPE_MERGE_SAFETY_RULES.split(',').filter(Boolean) as SafetyRule[];
    const result = await mergeBatch(ctx.db, ctx.pool, job, opts, rules);
    if (!result.skipped) ctx.metrics.runStageItems.inc({ stage: 'merge' }, result.merges);
    return result;
  },
  async onFinalFailure(job, err, ctx) {
    if (job.kind === 'batch') await failTask(ctx.db, job.runId, 'merge', job.taskNo, err.message);
    else await markMergeJobFailed(ctx.db, job.mergeId, err);
  },
});
