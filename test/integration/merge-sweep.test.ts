import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { sweepTombstones, undoMerge } from '../../src/db/merge/index.js';
import { contactLockKey } from '../../src/db/merge/locks.js';
import { runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import {
  contact,
  dumpCrm,
  ensureUsersAndLists,
  expectNoRowOnTombstone,
  mergeNow,
  related,
  resetCrm,
} from './merge-helpers.js';

/**
 * Rows written to a merged id after the merge (an application with a stale id) end on the live
 * survivor with `dedupe sweep`, journalled under the merge that made the tombstone, so its undo
 * takes them back too.
 */

const env = await testEnv();
const { db, pool } = env;

beforeEach(async () => {
  await resetCrm(db);
  await ensureUsersAndLists(db);
});

const merge = (survivorId: number, loser: number) => mergeNow(db, pool, survivorId, [loser]);

const contactOf = async (table: 'notes' | 'activities', id: number) =>
  Number(
    (await db.selectFrom(table).select('contact_id').where('id', '=', id).executeTakeFirstOrThrow())
      .contact_id,
  );

describe('dedupe sweep', () => {
  it('moves late rows to the survivor under the merge, sets aside a colliding owner, and undo takes them back', async () => {
    const s = await contact(db, { email: 's@x.com' });
    const l = await contact(db, { email: 'l@x.com' });
    await related(db, s, { owners: [1] });
    const start = await dumpCrm(db);
    const m = await merge(s, l);
    // Written to the old id after the merge: a note, and an owner the survivor already has.
    await related(db, l, { notes: 1, owners: [1] });
    const withLate = await dumpCrm(db);

    const r = await sweepTombstones(pool);
    expect(r).toEqual({ merges: 1, moved: { notes: 1 }, setAside: { contact_owners: 1 }, skipped: 0 });
    await expectNoRowOnTombstone(db);
    const note = await db.selectFrom('notes').select('id').executeTakeFirstOrThrow();
    expect(await contactOf('notes', Number(note.id))).toBe(s);
    const audit = await db
      .selectFrom('merges')
      .select('rows_moved')
      .where('id', '=', m)
      .executeTakeFirstOrThrow();
    expect(audit.rows_moved).toMatchObject({ moved: { notes: 1 }, set_aside: { contact_owners: 1 } });
    // Nothing left: a second sweep does nothing.
    expect(await sweepTombstones(pool)).toEqual({ merges: 0, moved: {}, setAside: {}, skipped: 0 });

    // Undo puts back the merge's rows and the late ones where they were written.
    await undoMerge(pool, m);
    const after = await dumpCrm(db);
    for (const t of ['notes', 'contact_owners'] as const) expect(after[t]).toEqual(withLate[t]);
    expect(after.contacts).toEqual(start.contacts);
  });

  it('leaves the merges whose contacts are busy for the next sweep, and sweeps the others', async () => {
    const [s1, l1, s2, l2] = [await contact(db), await contact(db), await contact(db), await contact(db)];
    await merge(s1, l1);
    await merge(s2, l2);
    await related(db, l1, { notes: 1 });
    await related(db, l2, { notes: 1 });
    const holder = await pool.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [contactLockKey(s2)]);
    try {
      expect(await sweepTombstones(pool, { lockTimeoutMs: 50 })).toEqual({
        merges: 1,
        moved: { notes: 1 },
        setAside: {},
        skipped: 1,
      });
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
    expect(await sweepTombstones(pool)).toMatchObject({ merges: 1, skipped: 0 });
    await expectNoRowOnTombstone(db);
  });

  it('follows a chain: a row on the first tombstone ends on the live end of the chain', async () => {
    const [a, b, c] = [await contact(db), await contact(db), await contact(db)];
    await merge(b, a);
    await merge(c, b);
    await related(db, a, { activities: 1 });
    const act = await db.selectFrom('activities').select('id').executeTakeFirstOrThrow();
    const out = await runCli(['sweep'], env.childEnv);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 0, stderr: '' });
    expect(out.stdout).toContain('merge(s) took late rows to their survivor');
    expect(await contactOf('activities', Number(act.id))).toBe(c);
    await expectNoRowOnTombstone(db);
    const { rows } = await sql<{ n: number }>`
      SELECT count(DISTINCT merge_id)::int AS n FROM merge_journal WHERE action = 'moved' AND table_name = 'activities'`.execute(
      db,
    );
    expect(rows[0]!.n).toBe(2); // a → b under the first merge, b → c under the second
  });
});
