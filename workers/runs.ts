import { isRunLive } from '../src/db/runs.js';
import { finishRunStep, startIndexing, trainAndPlanScoring } from '../src/pipeline/coordinator.js';
import { runSetup } from '../src/pipeline/run-profile.js';
import { startScheduledRun } from '../src/pipeline/start-run.js';
import { QUEUES } from '../src/queues/names.js';
import { RunsQueueJob } from '../src/queues/payloads.js';
import { defineWorker } from '../src/runtime/define-worker.js';

/** Run coordinator: starts runs (also scheduled ones) and moves them between stages. */
export default defineWorker({
  queue: QUEUES.runs,
  payload: RunsQueueJob,
  async process(data, ctx) {
    if ('scheduleName' in data) return startScheduledRun(ctx.db, ctx.queues, data);
    const { runId } = data;
    switch (ctx.job.name) {
      case 'start':
        return startIndexing(ctx.db, ctx.queues, runId);
      case 'train':
        if (!(await isRunLive(ctx.db, runId))) return { skipped: 'run ended' };
        return trainAndPlanScoring(
          ctx.db,
          ctx.queues,
          await runSetup(ctx.db, runId),
          ctx.config.DEDUPE_SCORE_PAIRS_PER_TASK,
        );
      case 'finish': {
        if (!(await isRunLive(ctx.db, runId))) return { skipped: 'run ended' };
        const result = await finishRunStep(ctx.db, runId);
        ctx.metrics.runs.inc({ outcome: 'completed' });
        return result;
      }
      default:
        throw new Error(`unknown runs job "${ctx.job.name}"`);
    }
  },
});
