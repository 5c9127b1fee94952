import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { slotOf } from '../../src/core/score-plan.js';
import { buildBuckets, dropRunWorkData, runContactSpan } from '../../src/db/detection.js';
import { createRun } from '../../src/db/runs.js';
import { testEnv } from '../support/env.js';

/**
 * A run's work data (prepared contacts, buckets, term frequencies) is dropped when it ends; the
 * tables are emptied outright (no dead space for the next run to scan) only when no other run is
 * live, so a run never loses another run's data.
 */
const env = await testEnv();

async function fill(runId: number, contacts: number) {
  await sql`INSERT INTO run_contacts (run_id, contact_id, prepared, key_hashes, tf_values)
            SELECT ${runId}, g, '[]', '{1,2}', '{}' FROM generate_series(1, ${contacts}) g`.execute(env.db);
  await sql`INSERT INTO run_buckets (run_id, key_hash, size, slot, members)
            VALUES (${runId}, 1, 2, 0, '{1,2}')`.execute(env.db);
  await sql`INSERT INTO run_term_freqs (run_id, field_index, value, freq) VALUES (${runId}, 0, 'x', 0.5)`.execute(
    env.db,
  );
}
const rowsOf = async (runId: number) =>
  Number(
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM run_contacts WHERE run_id = ${runId}`.execute(
        env.db,
      )
    ).rows[0]?.n,
  );
const bytes = async () =>
  Number((await sql<{ n: string }>`SELECT pg_relation_size('run_contacts') AS n`.execute(env.db)).rows[0]?.n);
const setStatus = (id: number, status: string) =>
  sql`UPDATE dedupe_runs SET status = ${status} WHERE id = ${id}`.execute(env.db);

describe('dropping a run’s work data', () => {
  it('keeps a live run’s data, and empties the tables once no run is live', async () => {
    const a = await createRun(env.db, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    const b = await createRun(env.db, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    await setStatus(a.id, 'running');
    await setStatus(b.id, 'running');
    await fill(a.id, 5000);
    await fill(b.id, 5000);

    await setStatus(a.id, 'completed');
    await dropRunWorkData(env.db, a.id);
    expect(await rowsOf(a.id)).toBe(0);
    expect(await rowsOf(b.id)).toBe(5000);
    // b is live: a's rows were deleted, the table keeps its pages.
    expect(await bytes()).toBeGreaterThan(0);

    await setStatus(b.id, 'completed');
    await dropRunWorkData(env.db, b.id);
    expect(await rowsOf(b.id)).toBe(0);
    expect(await bytes()).toBe(0);
    const left = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM run_buckets) + (SELECT count(*) FROM run_term_freqs) AS n`.execute(env.db);
    expect(Number(left.rows[0]?.n)).toBe(0);
  });

  it('deletes only its own rows when another session holds the tables', async () => {
    const a = await createRun(env.db, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    await setStatus(a.id, 'running');
    await fill(a.id, 100);
    await setStatus(a.id, 'completed');
    const holder = await env.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM run_term_freqs LIMIT 1'); // ACCESS SHARE: blocks the TRUNCATE lock
      await dropRunWorkData(env.db, a.id);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect(await rowsOf(a.id)).toBe(0);
    expect(await bytes()).toBeGreaterThan(0);
  });
});

describe('building buckets', () => {
  it('groups contacts by key hash in every partition, with the slot of the first member', async () => {
    const run = await createRun(env.db, { profile: DEFAULT_PROFILE, dryRun: true, trigger: 'cli' });
    await setStatus(run.id, 'running');
    // Contact g has keys g % 7 and 100 + g % 11: buckets of 7 and 11 sizes; key 1000 only on contact 5.
    await sql`INSERT INTO run_contacts (run_id, contact_id, prepared, key_hashes, tf_values)
              SELECT ${run.id}, g, '[]', ARRAY[g % 7, 100 + g % 11] || CASE WHEN g = 5 THEN ARRAY[1000]::bigint[] ELSE '{}' END, '{}'
              FROM generate_series(10, 2009) g`.execute(env.db);
    const { span } = await runContactSpan(env.db, run.id);
    expect(span).toEqual({ min: 10, max: 2009 });
    await Promise.all([0, 1, 2].map((index) => buildBuckets(env.db, run.id, { index, count: 3 }, span!)));
    const { rows } = await sql<{ key_hash: number; size: number; slot: number; members: number[] }>`
      SELECT key_hash, size, slot, members FROM run_buckets WHERE run_id = ${run.id} ORDER BY key_hash`.execute(
      env.db,
    );
    expect(rows.map((r) => Number(r.key_hash))).toEqual([
      ...Array.from({ length: 7 }, (_, i) => i),
      ...Array.from({ length: 11 }, (_, i) => 100 + i),
    ]);
    for (const r of rows) {
      const members = r.members.map(Number);
      expect(members).toEqual([...members].sort((a, b) => a - b));
      expect(r.size).toBe(members.length);
      expect(r.slot).toBe(slotOf(members[0]!, 10, 2009));
    }
    expect(rows.reduce((a, r) => a + r.size, 0)).toBe(4000);
  });
});
