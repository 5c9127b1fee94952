import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createMergeRequest, executeMerge, undoMerge } from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, expectNoRowOnTombstone } from './merge-helpers.js';

const env = await testEnv();
const { db, pool } = env;
const ACTIVITIES = 200_000;

describe('a large merge', () => {
  it('moves 200,000 activities in chunks, journals each once, and undoes them', async () => {
    const survivor = await contact(db, { email: 'big@x.com' });
    const loser = await contact(db, { email: 'big@y.com' });
    await sql`INSERT INTO activities (contact_id, kind, occurred_at, subject)
              SELECT ${loser}, 'email', timestamptz '2025-01-01' + g * interval '1 second', 'm' || g
                FROM generate_series(1, ${ACTIVITIES}) g`.execute(db);
    await sql`ANALYZE activities`.execute(db);
    const { id } = await createMergeRequest(db, {
      survivorId: survivor,
      duplicateIds: [loser],
      source: 'cli',
      requestedBy: 'test',
    });
    let chunks = 0;
    const out = await executeMerge(pool, id, {
      chunkRows: 5000,
      hooks: { onStep: (s) => void (s.name === 'chunk:committed' && s.target === 'activities' && chunks++) },
    });
    expect(out.rowsMoved.activities).toBe(ACTIVITIES);
    expect(chunks).toBe(ACTIVITIES / 5000 + 1);
    const { rows } = await sql<{ n: number; d: number }>`
      SELECT count(*)::int AS n, count(DISTINCT row_key)::int AS d FROM merge_journal WHERE merge_id = ${id} AND action = 'moved'`.execute(
      db,
    );
    expect(rows[0]).toEqual({ n: ACTIVITIES, d: ACTIVITIES });
    await expectNoRowOnTombstone(db);

    const undone = await undoMerge(pool, id, { chunkRows: 20_000 });
    expect(undone.movedBack.activities).toBe(ACTIVITIES);
    const { rows: back } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM activities WHERE contact_id = ${loser}`.execute(db);
    expect(back[0]!.n).toBe(ACTIVITIES);
  });
});
