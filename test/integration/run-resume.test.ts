import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { seedCrm } from '../../src/db/seed.js';
import { startRun, startScheduledRun } from '../../src/pipeline/start-run.js';
import { openQueues } from '../../src/queues/queues.js';
import { BIN } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { runEnded } from '../support/workers.js';

const env = await testEnv();
const queues = openQueues(env.redisUrl, env.queuePrefix);
// Short job locks so that the jobs of killed workers are handed over quickly.
const workerEnv = { ...env.childEnv, DEDUPE_JOB_LOCK_MS: '2000' };
const children: ChildProcess[] = [];
const startWorkers = (n: number) => {
  for (let i = 0; i < n; i++)
    children.push(
      spawn(process.execPath, [BIN, 'worker', '--metrics-port', '0'], { env: workerEnv, stdio: 'ignore' }),
    );
};
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await queues.close();
});

async function clustersOf(runId: number) {
  const { rows } = await sql<{ members: string }>`
    SELECT string_agg(contact_id::text, ',' ORDER BY contact_id) AS members FROM cluster_members
    WHERE run_id = ${runId} GROUP BY cluster_no ORDER BY 1`.execute(env.db);
  return rows.map((r) => r.members);
}

async function tasksDone(runId: number) {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM run_tasks WHERE run_id = ${runId} AND status = 'done'`.execute(env.db);
  return rows[0]?.n ?? 0;
}

describe('a run survives SIGKILL of every worker', () => {
  it('finishes with the same clusters as an uninterrupted run', async () => {
    await seedCrm(env.pool, { contacts: 60_000, duplicateRate: 0.1, activitiesPerContact: 0, seed: 3 });
    startWorkers(2);
    const clean = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    expect((await runEnded(env.db, clean.id)).status).toBe('completed');

    const interrupted = await startRun(env.db, queues, {
      profile: DEFAULT_PROFILE,
      dryRun: true,
      trigger: 'cli',
    });
    // Kill every worker once some tasks are done but the run is not.
    while ((await tasksDone(interrupted.id)) < 2) await new Promise((r) => setTimeout(r, 20));
    for (const c of children.splice(0)) c.kill('SIGKILL');
    const midway = await tasksDone(interrupted.id);
    startWorkers(2);
    const ended = await runEnded(env.db, interrupted.id);
    expect(ended.status).toBe('completed');
    expect(midway).toBeLessThan(await tasksDone(interrupted.id));
    const [a, b] = [await clustersOf(clean.id), await clustersOf(interrupted.id)];
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
  });

  it('does not start a scheduled run while another run is going', async () => {
    const running = await startRun(env.db, queues, {
      profile: DEFAULT_PROFILE,
      dryRun: true,
      trigger: 'cli',
    });
    const skipped = await startScheduledRun(env.db, queues, {
      scheduleName: 'nightly',
      dryRun: true,
      profile: null,
    });
    expect(skipped).toMatchObject({ skipped: expect.stringContaining(String(running.id)) });
    await runEnded(env.db, running.id);
    const started = await startScheduledRun(env.db, queues, {
      scheduleName: 'nightly',
      dryRun: true,
      profile: null,
    });
    expect(started).toHaveProperty('runId');
    const run = await runEnded(env.db, (started as { runId: number }).runId);
    expect(run).toMatchObject({ status: 'completed', trigger: 'schedule', schedule_name: 'nightly' });
  });
});
