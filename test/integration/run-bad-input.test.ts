import { afterAll, describe, expect, it } from 'vitest';
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
const start = async (names: (typeof QUEUES)[keyof typeof QUEUES][]) => {
  const host = await startWorkerHost(testApp(env), {
    definitions: WORKER_DEFINITIONS,
    queues: names,
    concurrency: 2,
    metricsPort: 0,
  });
  hosts.push(host);
  return host;
};
afterAll(async () => {
  for (const h of hosts) await h.close();
  await queues.close();
});

const HOSTILE = [
  { first_name: '', last_name: '', email: '', phone: '' },
  {
    first_name: 'x'.repeat(100_000),
    last_name: 'y'.repeat(100_000),
    email: `${'a'.repeat(100_000)}@example.com`,
    company: 'z'.repeat(100_000),
  },
  { first_name: '😀🎉', last_name: '👨‍👩‍👧‍👦', email: '😀@😀.com', phone: '☎️☎️' },
  {
    first_name: 'محمد',
    last_name: 'العلي',
    email: 'mohammed@example.com',
    phone: '+971 50 123 4567',
    city: 'دبي',
  },
  {
    first_name: 'Bad\u0000\u0007\u001b[31m',
    last_name: '\u202eevil\u202c',
    email: 'not-an-email',
    phone: '++--()',
  },
  { first_name: 'Ann', last_name: 'Lee', email: '@@@', phone: '123', country: 'ZZ', postcode: '\t\n' },
];

describe('hostile input', () => {
  it('indexes empty, huge, emoji, RTL and control-character fields without crashing a worker', async () => {
    await seedCrm(env.pool, { contacts: 2000, duplicateRate: 0.1, activitiesPerContact: 0, seed: 5 });
    for (const h of HOSTILE) {
      // Strings with NUL cannot be stored by PostgreSQL at all; the rest goes in as is.
      const row = Object.fromEntries(
        Object.entries(h).map(([k, v]) => [k, v.split(String.fromCharCode(0)).join('')]),
      );
      await env.db
        .insertInto('contacts')
        .values({ ...row, attributes: JSON.stringify({ note: '\u0001😀' }) })
        .execute();
    }
    await start(['runs', 'index', 'score', 'cluster']);
    const run = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    const ended = await runEnded(env.db, run.id);
    expect(ended.status).toBe('completed');
    const report = await runReport(env.db, run.id);
    expect(report.stages.index?.items).toBe(2000 + HOSTILE.length);
    expect(report.stages.index?.failed).toBe(0);
    expect(report.stages.score?.failed).toBe(0);
  });

  it('fails a job with a bad payload for good, with its reason', async () => {
    const job = await queues
      .queue(QUEUES.index)
      .add('index', { runId: 'not a number', taskNo: -1 }, { attempts: 3 });
    for (;;) {
      const state = await job.getState();
      if (state === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const failed = await queues.queue(QUEUES.index).getJob(job.id!);
    expect(failed?.failedReason).toMatch(/bad payload: runId/);
    expect(failed?.attemptsMade).toBe(1);
  });
});
