import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createMergeRequest } from '../../src/db/merge/index.js';
import { QUEUES } from '../../src/queues/names.js';
import { jobIds } from '../../src/queues/payloads.js';
import { openQueues } from '../../src/queues/queues.js';
import { BIN } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { until } from '../support/until.js';
import { contact, ensureUsersAndLists, expectNoRowOnTombstone, related, rowCounts } from './merge-helpers.js';

/** Real worker processes killed with SIGKILL in the middle of merges; restarted ones finish them. */
const env = await testEnv();
const queues = openQueues(env.redisUrl, env.queuePrefix);
// Small chunks and short job locks: the kill lands mid-merge, and the job is handed over quickly.
const workerEnv = { ...env.childEnv, DEDUPE_MERGE_CHUNK_ROWS: '2000', DEDUPE_JOB_LOCK_MS: '2000' };
const workers: ChildProcess[] = [];
const startWorker = () => {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'merge', '--metrics-port', '0'], {
    env: workerEnv,
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
};
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await queues.close();
});

async function mergeStatus(id: number) {
  const row = await env.db
    .selectFrom('merges')
    .select(['status', 'rows_moved'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row;
}

describe('SIGKILL of a merge worker', () => {
  it('in the middle of a large merge (200,000 activities): a restarted worker completes it, nothing lost', async () => {
    await ensureUsersAndLists(env.db);
    const survivor = await contact(env.db, { first_name: 'Big', last_name: 'Survivor' });
    const loser = await contact(env.db, { first_name: 'Big', last_name: 'Loser' });
    await related(env.db, survivor, { owners: [1], lists: [1, 2] });
    await related(env.db, loser, { owners: [1, 2], lists: [2, 3], notes: 10 });
    await sql`
      INSERT INTO activities (contact_id, kind, occurred_at, subject)
      SELECT ${loser}, 'email', now() - g * interval '1 minute', 'mail ' || g FROM generate_series(1, 200000) g`.execute(
      env.db,
    );
    const before = await rowCounts(env.db);
    const { id } = await createMergeRequest(env.db, {
      survivorId: survivor,
      duplicateIds: [loser],
      source: 'producer',
      requestedBy: 'test',
    });
    await queues
      .queue(QUEUES.merge)
      .add('merge-single', { kind: 'single', mergeId: id }, { jobId: jobIds.singleMerge(id) });
    const first = startWorker();
    // Kill once some chunks have moved, well before the last one.
    await until(async () => {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM merge_journal WHERE merge_id = ${id} AND action = 'moved'`.execute(
        env.db,
      );
      return (rows[0]?.n ?? 0) >= 4000;
    });
    first.kill('SIGKILL');
    const midway = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM activities WHERE contact_id = ${loser}`.execute(env.db);
    expect(midway.rows[0]?.n).toBeGreaterThan(0);
    startWorker();
    await until(async () => (await mergeStatus(id)).status === 'completed');
    const after = await rowCounts(env.db);
    expect(after.activities).toBe(before.activities);
    expect(after.notes).toBe(before.notes);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM activities WHERE contact_id = ${survivor}`.execute(env.db);
    expect(rows[0]?.n).toBe(200_000);
    await expectNoRowOnTombstone(env.db);
    const journal = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM merge_journal WHERE merge_id = ${id} AND table_name = 'activities' AND action = 'moved'`.execute(
      env.db,
    );
    expect(journal.rows[0]?.n).toBe(200_000);
  });

  it('in the middle of a batch of small merges: every merge completes after a restart', async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) {
      const a = await contact(env.db, { first_name: `A${i}` });
      const b = await contact(env.db, { first_name: `B${i}` });
      await related(env.db, a, { activities: 3, owners: [1] });
      await related(env.db, b, { activities: 3, owners: [1, 2], lists: [1] });
      ids.push(
        (
          await createMergeRequest(env.db, {
            survivorId: a,
            duplicateIds: [b],
            source: 'producer',
            requestedBy: 'test',
          })
        ).id,
      );
    }
    const before = await rowCounts(env.db);
    await queues.queue(QUEUES.merge).addBulk(
      ids.map((id) => ({
        name: 'merge-single',
        data: { kind: 'single', mergeId: id },
        opts: { jobId: jobIds.singleMerge(id) },
      })),
    );
    const first = startWorker();
    await until(async () => {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM merges WHERE id = ANY(${ids}) AND status = 'completed'`.execute(
        env.db,
      );
      return (rows[0]?.n ?? 0) >= 20;
    });
    first.kill('SIGKILL');
    startWorker();
    await until(async () => {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM merges WHERE id = ANY(${ids}) AND status = 'completed'`.execute(
        env.db,
      );
      return rows[0]?.n === ids.length;
    });
    const after = await rowCounts(env.db);
    expect(after.activities).toBe(before.activities);
    await expectNoRowOnTombstone(env.db);
  });
});
