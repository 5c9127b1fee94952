import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { seedCrm } from '../../src/db/seed.js';
import { runReport } from '../../src/pipeline/report.js';
import { startRun } from '../../src/pipeline/start-run.js';
import { QUEUES } from '../../src/queues/names.js';
import { openQueues } from '../../src/queues/queues.js';
import { startWorkerHost } from '../../src/runtime/worker-host.js';
import { WORKER_DEFINITIONS } from '../../workers/index.js';
import { testEnv } from '../support/env.js';
import { runEnded, testApp } from '../support/workers.js';

const env = await testEnv();
const queues = openQueues(env.redisUrl, env.queuePrefix);
const hosts: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const h of hosts) await h.close();
  await queues.close();
});

describe('a poisoned job', () => {
  it('fails visibly with its reason while the run carries on', async () => {
    await seedCrm(env.pool, { contacts: 30_000, duplicateRate: 0.1, activitiesPerContact: 0, seed: 11 });
    // Small scoring jobs, so that the run has several and only one of them is poisoned.
    const app = { ...testApp(env) };
    app.config = loadConfig({ ...env.childEnv, LOG_LEVEL: 'silent', DEDUPE_SCORE_PAIRS_PER_TASK: '20000' });
    // Index and train only, so that one scoring task can be poisoned before any scorer runs.
    hosts.push(
      await startWorkerHost(app, {
        definitions: WORKER_DEFINITIONS,
        queues: [QUEUES.runs, QUEUES.index],
        concurrency: 2,
        metricsPort: 0,
      }),
    );
    const run = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    for (;;) {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM run_tasks WHERE run_id = ${run.id} AND stage = 'score'`.execute(
        env.db,
      );
      if ((rows[0]?.n ?? 0) > 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Corrupt the stored form of one contact of scoring task 0 (it starts at slot 0): that task can never succeed.
    await sql`
      UPDATE run_contacts SET prepared = '{not json' WHERE run_id = ${run.id} AND contact_id = (
        SELECT members[1] FROM run_buckets WHERE run_id = ${run.id} ORDER BY slot, key_hash LIMIT 1)`.execute(
      env.db,
    );
    hosts.push(
      await startWorkerHost(app, {
        definitions: WORKER_DEFINITIONS,
        queues: [QUEUES.score, QUEUES.cluster],
        concurrency: 2,
        metricsPort: 0,
      }),
    );
    const ended = await runEnded(env.db, run.id);
    expect(ended.status).toBe('completed');
    const report = await runReport(env.db, run.id);
    expect(report.stages.score?.failed).toBe(1);
    expect(report.stages.score?.done).toBe((report.stages.score?.tasks ?? 0) - 1);
    expect(report.stats.failed_tasks).toBe(1);
    const { rows } = await sql<{
      error: string;
    }>`SELECT error FROM run_tasks WHERE run_id = ${run.id} AND stage = 'score' AND status = 'failed'`.execute(
      env.db,
    );
    expect(rows[0]?.error).toMatch(/JSON/);
    const failed = await queues.queue(QUEUES.score).getJob(`run-${run.id}-score-0`);
    expect(failed?.failedReason).toMatch(/JSON/);
    expect(report.stages.cluster?.totals.clusters).toBeGreaterThan(0);
  });
});
