import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { startRun } from '../../src/pipeline/start-run.js';
import { openQueues } from '../../src/queues/queues.js';
import { testEnv } from '../support/env.js';
import { smithSplitProfile } from '../support/profiles.js';
import { runEnded, startTestWorkers } from '../support/workers.js';

/** Detection at its edges. (Found by a bug hunt; the test failed before its fix.) */

const env = await testEnv();
const queues = openQueues(env.redisUrl, env.queuePrefix);
const host = await startTestWorkers(env);
afterAll(async () => {
  await host.close();
  await queues.close();
});

describe('oversized buckets', () => {
  it('a pair that a split yields twice (Smith is SM0 and XMT) is scored once', async () => {
    await sql`TRUNCATE contacts RESTART IDENTITY CASCADE`.execute(env.db);
    await sql`INSERT INTO contacts (first_name, last_name, email)
      SELECT 'John', 'Smith', 'j' || g || '@x.com' FROM generate_series(1, 3) g`.execute(env.db);
    const profile = smithSplitProfile();
    const run = await startRun(env.db, queues, { profile, dryRun: true, trigger: 'cli' });
    expect((await runEnded(env.db, run.id)).status).toBe('completed');
    const { rows } = await sql<{ scored: number; split: number }>`
      SELECT sum((result->>'pairs_scored')::int)::int AS scored,
             sum((result->>'buckets_split')::int + (result->>'buckets_capped')::int)::int AS split
        FROM run_tasks WHERE run_id = ${run.id} AND stage = 'score'`.execute(env.db);
    expect(rows[0]!.split).toBeGreaterThan(0);
    expect(rows[0]!.scored).toBe(3); // 1-2, 1-3, 2-3, each once
  });
});

describe('training', () => {
  it('the random pairs behind u never compare a contact with itself (997 contacts, the sampling stride)', async () => {
    await sql`TRUNCATE contacts RESTART IDENTITY CASCADE`.execute(env.db);
    await sql`
      INSERT INTO contacts (first_name, last_name, email, city, postcode)
      SELECT 'n' || md5(g::text), 'f' || md5((g * 7)::text), 'u' || g || '@ex' || g || '.com', 'c' || (g % 50), 'p' || g
        FROM generate_series(1, 997) g`.execute(env.db);
    const run = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    expect((await runEnded(env.db, run.id)).status).toBe('completed');
    const row = await env.db
      .selectFrom('dedupe_runs')
      .select('model')
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    const email = (row.model as { fields: { name: string; tfBase?: number }[] }).fields.find(
      (f) => f.name === 'email',
    );
    // Every e-mail is distinct: two random contacts never share one.
    expect(email?.tfBase).toBeLessThan(0.01);
  });
});
