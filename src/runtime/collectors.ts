import type { Kysely } from 'kysely';
import { activeRuns, stageCounts } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import {
  attachQueueCollector,
  attachRunProgressCollector,
  type DedupeMetrics,
  type QueueCountsByQueue,
  RUN_STAGES,
  type RunStage,
} from '../metrics/registry.js';
import { ALL_QUEUES } from '../queues/names.js';
import type { QueueSet } from '../queues/queues.js';

/** Queue depth and age from Redis, run progress from PostgreSQL: refreshed when Prometheus scrapes. */
export function attachCollectors(metrics: DedupeMetrics, db: Kysely<Database>, queues: QueueSet): () => void {
  const detachQueues = attachQueueCollector(metrics, async () => {
    const out: QueueCountsByQueue = {};
    await Promise.all(
      ALL_QUEUES.map(async (name) => {
        const q = queues.queue(name);
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
        const [oldest] = await q.getJobs(['wait'], 0, 0, true);
        out[name] = {
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          oldestWaitingSeconds: oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0,
        };
      }),
    );
    return out;
  });
  const detachRuns = attachRunProgressCollector(metrics, async () => {
    const [run] = await activeRuns(db);
    if (!run) return { active: false, stages: {} };
    const stages: Partial<Record<RunStage, number>> = {};
    for (const s of await stageCounts(db, run.id)) {
      if ((RUN_STAGES as readonly string[]).includes(s.stage))
        stages[s.stage as RunStage] = s.total > 0 ? s.done / s.total : 0;
    }
    return { active: true, stages };
  });
  return () => {
    detachQueues();
    detachRuns();
  };
}
