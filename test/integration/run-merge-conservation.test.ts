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
import { CRM_TABLES, dumpCrm, expectNoRowOnTombstone, pairs, rootsOf, rowCounts } from './merge-helpers.js';

/** The promise to users, end to end: a full run with merges over seeded data loses nothing. */
const env = await testEnv();
const host = await startTestWorkers(env);
const queues = openQueues(env.redisUrl, env.queuePrefix);
afterAll(async () => {
  await host.close();
  await queues.close();
});

const NO_UNIQUE_KEY_ON_CONTACT = ['activities', 'notes', 'opportunities', 'tickets'] as const;

describe('a full run with merges over seeded data', () => {
  let before: Record<string, string[]> = {};
  let runId = 0;

  it('keeps every row: counts, owner and list pairs (moved or journalled), nothing on a tombstone', async () => {
    await seedCrm(env.pool, { contacts: 6000, duplicateRate: 0.15, activitiesPerContact: 3, seed: 17 });
    before = await dumpCrm(env.db);
    const owners = await pairs(env.db, 'contact_owners');
    const lists = await pairs(env.db, 'list_memberships');
    const counts = await rowCounts(env.db);

    const run = await startRun(env.db, queues, { profile: DEFAULT_PROFILE, dryRun: false, trigger: 'cli' });
    runId = run.id;
    expect((await runEnded(env.db, run.id)).status).toBe('completed');
    const report = await runReport(env.db, run.id);
    expect(report.stages.merge?.items).toBeGreaterThan(100);
    expect(report.stages.merge?.failed).toBe(0);

    const countsAfter = await rowCounts(env.db);
    for (const t of NO_UNIQUE_KEY_ON_CONTACT) expect(countsAfter[t], t).toBe(counts[t]);
    // Where did each contact go? Its live survivor (following chains).
    const survivorOf = await rootsOf(env.db);
    for (const [table, col, pairsBefore] of [
      ['contact_owners', 'user_id', owners],
      ['list_memberships', 'list_id', lists],
    ] as const) {
      const now = new Set((await pairs(env.db, table)).map(([c, o]) => `${c}:${o}`));
      const { rows: setAside } = await sql<{ k: string }>`
        SELECT (row_data->>'contact_id') || ':' || (row_data->>${col}) AS k FROM merge_journal WHERE table_name = ${table} AND action = 'set_aside'`.execute(
        env.db,
      );
      const journalled = new Set(setAside.map((r) => r.k));
      for (const [c, o] of pairsBefore) {
        expect(now.has(`${survivorOf.get(c)}:${o}`), `${table} ${c}:${o}`).toBe(true);
        if (survivorOf.get(c) !== c && !now.has(`${c}:${o}`)) {
          // Moved, or set aside in the journal because the survivor already had it.
          const moved = now.has(`${survivorOf.get(c)}:${o}`);
          expect(moved || journalled.has(`${c}:${o}`)).toBe(true);
        }
      }
    }
    await expectNoRowOnTombstone(env.db);
    const { rows: unique } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM merge_journal WHERE action = 'set_aside'`.execute(env.db);
    expect(unique[0]?.n).toBeGreaterThan(0);
  });

  it('unmerge --run restores the CRM tables to their pre-run contents, row for row', async () => {
    const r = await runCli(['unmerge', '--run', String(runId)], env.childEnv);
    expect(r.code, r.stderr).toBe(0);
    // One summary, not a line per merge.
    const { rows: merged } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM merges WHERE run_id = ${runId}`.execute(env.db);
    expect(r.stdout).toContain(`run ${runId}: ${merged[0]!.n} of ${merged[0]!.n} merges undone`);
    expect(r.stdout).toMatch(/moved back: .*activities \d+/);
    expect(r.stdout).not.toMatch(/^merge \d+ undone/m);
    const after = await dumpCrm(env.db);
    for (const t of CRM_TABLES) {
      expect(after[t]!.length, t).toBe(before[t]!.length);
      expect(after[t], t).toEqual(before[t]);
    }
  });
});
