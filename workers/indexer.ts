import { failTask, isRunLive } from '../src/db/runs.js';
import { indexRange } from '../src/pipeline/index-range.js';
import { runSetup } from '../src/pipeline/run-profile.js';
import { QUEUES } from '../src/queues/names.js';
import { IndexJob } from '../src/queues/payloads.js';
import { defineWorker } from '../src/runtime/define-worker.js';

/** Blocking-key indexer: one job per contact id range. */
export default defineWorker({
  queue: QUEUES.index,
  payload: IndexJob,
  async process(job, ctx) {
    if (!(await isRunLive(ctx.db, job.runId))) return { skipped: 'run ended' };
    const setup = await runSetup(ctx.db, job.runId);
    const result = await indexRange(ctx.db, ctx.pool, setup, job);
    if (!result.skipped) {
      ctx.metrics.contactsIndexed.inc(result.contacts);
      ctx.metrics.blockingKeys.inc(result.keys);
      ctx.metrics.runStageItems.inc({ stage: 'index' }, result.contacts);
    }
    return result;
  },
  async onFinalFailure(job, err, ctx) {
    await failTask(ctx.db, job.runId, 'index', job.taskNo, err.message);
  },
});
