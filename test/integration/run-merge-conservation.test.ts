import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { seedCrm } from '../../src/db/seed.js';
import { runReport } from '../../src/pipeline/report.js';
import { startRun } from '../../src/pipeline/start-run.js';
import { openQueues } from '../../src/queues/queues.js';
import { runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { runEnded, startTestWorkers } from '../support/workers.js';

/** The promise to users, end to end: a full run with merges over seeded data loses nothing. */
const env = await testEnv();
const host = await startTestWorkers(env);
const queues = openQueues(env.redisUrl, env.queuePrefix);
afterAll(async () => {
  await host.close();
  await queues.close();
});

const CRM_TABLES = {
  contacts: 'id',
  activities: 'id',
  notes: 'id',
  opportunities: 'id',
  tickets: 'id',
  contact_owners: 'contact_id, user_id',
  list_memberships: 'contact_id, list_id',
} as const;
const NO_UNIQUE_KEY_ON_CONTACT = ['activities', 'notes', 'opportunities', 'tickets'] as const;

async function dump(table: keyof typeof CRM_TABLES) {
  const { rows } = await sql<{
    r: string;
  }>`SELECT to_jsonb(t)::text AS r FROM ${sql.table(table)} t ORDER BY ${sql.raw(CRM_TABLES[table])}`.execute(
    env.db,
  );
  return rows.map((x) => x.r);
}

async function count(table: string) {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
    env.db,
  );
  return rows[0]?.n ?? 0;
}

describe('a full run with merges over seeded data', () => {
  const before: Record<string, string[]> = {};
  let runId = 0;

  it('keeps every row: counts, owner and list pairs (moved or journalled), nothing on a tombstone', async () => {
    await seedCrm(env.pool, { contacts: 6000, duplicateRate: 0.15, activitiesPerContact: 3, seed: 17 });
    for (const t of Object.keys(CRM_TABLES) as (keyof typeof CRM_TABLES)[]) before[t] = await dump(t);
    const pairsBefore = async (table: 'contact_owners' | 'list_memberships', col: string) =>
      (
        await sql<{
          c: number;
          o: number;
        }>`SELECT contact_id AS c, ${sql.ref(col)} AS o FROM ${sql.table(table)}`.execute(env.db)
      ).rows;
    const owners = await pairsBefore('contact_owners', 'user_id');
    const lists = await pairsBefore('list_memberships', 'list_id');
    const counts = Object.fromEntries(
      await Promise.all(NO_UNIQUE_KEY_ON_CONTACT.map(async (t) => [t, await count(t)])),
    );

    const run = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: false, trigger: 'cli' });
    runId = run.id;
    expect((await runEnded(env.db, run.id)).status).toBe('completed');
    const report = await runReport(env.db, run.id);
    expect(report.stages.merge?.items).toBeGreaterThan(100);
    expect(report.stages.merge?.failed).toBe(0);

    for (const t of NO_UNIQUE_KEY_ON_CONTACT) expect(await count(t), t).toBe(counts[t]);
    // Where did each contact go? Its live survivor (following chains).
    const { rows: live } = await sql<{ id: number; survivor: number }>`
      WITH RECURSIVE chain(id, cur) AS (
        SELECT id, id FROM contacts
        UNION ALL SELECT chain.id, c.merged_into FROM chain JOIN contacts c ON c.id = chain.cur WHERE c.merged_into IS NOT NULL)
      SELECT id, cur AS survivor FROM chain c WHERE NOT EXISTS (SELECT 1 FROM contacts x WHERE x.id = c.cur AND x.merged_into IS NOT NULL)`.execute(
      env.db,
    );
    const survivorOf = new Map(live.map((r) => [Number(r.id), Number(r.survivor)]));
    for (const [table, col, pairs] of [
      ['contact_owners', 'user_id', owners],
      ['list_memberships', 'list_id', lists],
    ] as const) {
      const now = new Set((await pairsBefore(table, col)).map((r) => `${r.c}:${r.o}`));
      const { rows: setAside } = await sql<{ k: string }>`
        SELECT (row_data->>'contact_id') || ':' || (row_data->>${col}) AS k FROM merge_journal WHERE table_name = ${table} AND action = 'set_aside'`.execute(
        env.db,
      );
      const journalled = new Set(setAside.map((r) => r.k));
      for (const p of pairs) {
        expect(now.has(`${survivorOf.get(Number(p.c))}:${p.o}`), `${table} ${p.c}:${p.o}`).toBe(true);
        if (survivorOf.get(Number(p.c)) !== Number(p.c) && !now.has(`${p.c}:${p.o}`)) {
          // Moved, or set aside in the journal because the survivor already had it.
          const moved = now.has(`${survivorOf.get(Number(p.c))}:${p.o}`);
          expect(moved || journalled.has(`${p.c}:${p.o}`)).toBe(true);
        }
      }
    }
    for (const t of [
      'activities',
      'notes',
      'opportunities',
      'tickets',
      'contact_owners',
      'list_memberships',
    ]) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(t)} r JOIN contacts c ON c.id = r.contact_id WHERE c.merged_into IS NOT NULL`.execute(
        env.db,
      );
      expect(rows[0]?.n, `${t} rows on tombstones`).toBe(0);
    }
    const { rows: unique } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM merge_journal WHERE action = 'set_aside'`.execute(env.db);
    expect(unique[0]?.n).toBeGreaterThan(0);
  });

  it('unmerge --run restores the CRM tables to their pre-run contents, row for row', async () => {
    const r = await runCli(['unmerge', '--run', String(runId)], env.childEnv);
    expect(r.code, r.stderr).toBe(0);
    for (const t of Object.keys(CRM_TABLES) as (keyof typeof CRM_TABLES)[]) {
      const after = await dump(t);
      expect(after.length, t).toBe(before[t]!.length);
      expect(after, t).toEqual(before[t]);
    }
  });
});
