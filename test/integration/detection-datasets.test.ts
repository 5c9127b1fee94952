import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS, DATASETS_DIR, loadDataset, PROFILES_DIR } from '../../src/bench/datasets.js';
import { clusterQuality } from '../../src/db/quality.js';
import { loadProfile, startRun } from '../../src/pipeline/start-run.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';
import { runEnded, startTestWorkers } from '../support/workers.js';

// One dataset per file keeps databases isolated; febrl_dataset1 is the smallest labelled set with truth.
const env = await testEnv();
const host = await startTestWorkers(env);
const queues = openQueues(env.redisUrl, env.queuePrefix);
afterAll(async () => {
  await host.close();
  await queues.close();
});

describe('detection run over febrl_dataset1', () => {
  it('finds the labelled duplicates with F1 >= 0.99 by configuration alone', async () => {
    const spec = DATASETS.find((d) => d.name === 'febrl_dataset1')!;
    await loadDataset(env.pool, spec, DATASETS_DIR);
    const run = await startRun(env.db, queues, {
      profile: loadProfile(join(PROFILES_DIR, spec.profile)),
      dryRun: true,
      trigger: 'cli',
    });
    const ended = await runEnded(env.db, run.id);
    expect(ended.status).toBe('completed');
    const q = await clusterQuality(env.db, run.id);
    expect(q.true_pairs).toBe(500);
    expect(q.f1).toBeGreaterThanOrEqual(0.99);
  });
});
