import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { writesOnly } from '../../scripts/bench-merge-floor.js';
import {
  loadBenchCrm,
  repointInOneStatement,
  requestBenchMerges,
  resetBenchCrm,
} from '../../src/db/merge/bench-fixture.js';
import { executeMergeBatch } from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';

/**
 * bench:merge compares three ways of doing the same work: the engine, the engine's writes alone
 * (--floor) and one plain statement. The comparison means something only if they end in the same
 * place, which is what these tests hold them to, on the benchmark's own data.
 */

const env = await testEnv();
const { db, pool } = env;
const SHAPE = { clusters: 40, activities: 400 };
const OPTS = { chunkRows: 5000, maxWaveMerges: 8, lockTimeoutMs: 5000, statementTimeoutMs: 60_000 };

async function freshMerges(): Promise<number[][]> {
  await resetBenchCrm(pool);
  await loadBenchCrm(pool, SHAPE);
  const { ids } = await requestBenchMerges(db, pool, SHAPE.clusters);
  return [ids.slice(0, 20), ids.slice(20)];
}

/** Where every CRM row is, and the contacts' merge state. */
async function crmState() {
  const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows;
  return {
    activities: await rows(
      sql<{
        id: string;
        contact_id: string;
        duplicate_of: string | null;
      }>`SELECT id, contact_id, duplicate_of FROM activities ORDER BY id`,
    ),
    notes: await rows(sql`SELECT id, contact_id FROM notes ORDER BY id`),
    owners: await rows(sql`SELECT contact_id, user_id FROM contact_owners ORDER BY 1, 2`),
    lists: await rows(sql`SELECT contact_id, list_id FROM list_memberships ORDER BY 1, 2`),
    // Every column but the two timestamps a merge sets to now().
    contacts: await rows(
      sql`SELECT to_jsonb(c) - 'updated_at' - 'merged_at' AS c FROM contacts c ORDER BY id`,
    ),
  };
}

/** The audit and journal, minus timestamps. */
async function auditState() {
  const { rows: merges } =
    await sql`SELECT id, status, snapshot, conflicts, rows_moved, plan->'values' AS vals
                                       FROM merges ORDER BY id`.execute(db);
  const { rows: journal } = await sql<{
    table_name: string;
    action: string;
    n: number;
  }>`SELECT table_name, action, sum(row_count)::int AS n FROM merge_journal_entries
                                       GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const { rows: snapshots } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM merges WHERE jsonb_array_length(snapshot) = cardinality(loser_ids) + 1`.execute(
    db,
  );
  return { merges, journal, snapshots: snapshots[0]!.n };
}

describe('bench:merge', () => {
  it.each([
    { name: 'default settings', opts: OPTS },
    // Waves of 8 merges hold ~48 activity rows: the engine and the floor both slice them.
    {
      name: 'keep_loser owners, small chunks',
      opts: { ...OPTS, chunkRows: 20, uniquePolicies: { contact_owners: 'keep_loser' as const } },
    },
  ])('the floor (--floor) does exactly the writes the engine does: $name', async ({ opts }) => {
    const [a, b] = await freshMerges();
    const outs = [...(await executeMergeBatch(pool, a!, opts)), ...(await executeMergeBatch(pool, b!, opts))];
    expect(outs.every((o) => o.status === 'completed')).toBe(true);
    const engine = { crm: await crmState(), audit: await auditState() };
    expect(engine.audit.snapshots).toBe(SHAPE.clusters);
    expect(engine.audit.journal.map((j) => j.action)).toEqual(
      expect.arrayContaining(['linked', 'moved', 'set_aside']),
    );

    const floor = await writesOnly(pool, await freshMerges(), 2, opts);
    expect(floor.outcomes.filter((o) => o.status === 'completed')).toHaveLength(SHAPE.clusters);
    expect(await crmState()).toEqual(engine.crm);
    expect(await auditState()).toEqual(engine.audit);
  });

  it('the single statement re-points the same rows, deleting what the engine sets aside', async () => {
    const batches = await freshMerges();
    for (const ids of batches) await executeMergeBatch(pool, ids, OPTS);
    const engine = await crmState();
    const { rows } = await sql<{ n: number }>`
      SELECT coalesce(sum((rows_moved->'moved'->>t)::int), 0)::int + coalesce(sum((rows_moved->'set_aside'->>t)::int), 0)::int AS n
        FROM merges, unnest(ARRAY['activities', 'notes', 'contact_owners', 'list_memberships']) t`.execute(
      db,
    );

    await freshMerges();
    const repointed = await repointInOneStatement(pool, SHAPE.clusters);
    expect(repointed).toBe(rows[0]!.n);
    const single = await crmState();
    expect(single.activities.map(({ id, contact_id }) => ({ id, contact_id }))).toEqual(
      engine.activities.map(({ id, contact_id }) => ({ id, contact_id })),
    );
    expect(single.notes).toEqual(engine.notes);
    expect(single.owners).toEqual(engine.owners);
    expect(single.lists).toEqual(engine.lists);
  });
});
