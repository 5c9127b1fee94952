import { failTask, isRunLive } from '../src/db/runs.js';
import { runSetup } from '../src/pipeline/run-profile.js';
import { scoreTask } from '../src/pipeline/score-task.js';
import { QUEUES } from '../src/queues/names.js';
import { ScoreJob } from '../src/queues/payloads.js';
import { defineWorker } from '../src/runtime/define-worker.js';

/** Pairwise scoring: one job scores a batch of buckets. */
export default defineWorker({
  queue: QUEUES.score,
  payload: ScoreJob,
  async process(job, ctx) {
    if (!(await isRunLive(ctx.db, job.runId))) return { skipped: 'run ended' };
    const setup = await runSetup(ctx.db, job.runId, { needModel: true });
    const r = await scoreTask(ctx.db, ctx.pool, setup, job);
    if (!r.skipped) {
      ctx.metrics.pairsScored.inc(r.pairs_scored);
      ctx.metrics.pairsMatched.inc({ decision: 'merge' }, r.pairs_merge);
      ctx.metrics.pairsMatched.inc({ decision: 'review' }, r.pairs_review);
      ctx.metrics.buckets.inc({ outcome: 'kept' }, r.buckets_kept);
      ctx.metrics.buckets.inc({ outcome: 'split' }, r.buckets_split);
      ctx.metrics.buckets.inc({ outcome: 'capped' }, r.buckets_capped);
      ctx.metrics.runStageItems.inc({ stage: 'score' }, r.buckets);
    }
    return r;
  },
  async onFinalFailure(job, err, ctx) {
    await failTask(ctx.db, job.runId, 'score', job.taskNo, err.message);
  },
});
