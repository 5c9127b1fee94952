import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMergeRequest,
  type EngineOptions,
  executeMerge,
  undoMerge,
  undoMergeBatch,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, resetCrm } from './merge-helpers.js';

/**
 * Undo order. Merges into one survivor build on each other (a later one's snapshot, written fields
 * and set-aside rows come from what the earlier one left), so they are undone newest first and an
 * older one is refused while a newer one stands. Within one merge, a table with two contact columns
 * has its journal replayed strictly newest first across both columns.
 */

const env = await testEnv();
const { db, pool } = env;
await sql`CREATE TABLE refs (id int PRIMARY KEY, a_contact bigint NOT NULL REFERENCES contacts,
  x_contact bigint NOT NULL REFERENCES contacts, tag text NOT NULL, UNIQUE (x_contact, tag))`.execute(db);
await sql`CREATE TABLE seats (id int PRIMARY KEY, contact_id bigint NOT NULL REFERENCES contacts,
  topic text NOT NULL, UNIQUE (contact_id, topic))`.execute(db);

beforeEach(async () => {
  await sql`TRUNCATE refs, seats`.execute(db);
  await resetCrm(db);
});

async function merge(survivorId: number, loserId: number, opts: EngineOptions = {}) {
  const { id } = await createMergeRequest(db, {
    survivorId,
    duplicateIds: [loserId],
    source: 'api',
    requestedBy: 'test',
  });
  expect((await executeMerge(pool, id, opts)).status).toBe('completed');
  return id;
}

const owners = async () =>
  (
    await sql<{ r: string }>`SELECT concat(contact_id, ':', user_id, ':', role) AS r
      FROM contact_owners ORDER BY 1`.execute(db)
  ).rows.map((r) => r.r);
const seats = async () =>
  (
    await sql<{ r: string }>`SELECT concat(id, ':', contact_id) AS r FROM seats ORDER BY id`.execute(db)
  ).rows.map((r) => r.r);
const refs = async () =>
  (await sql<{ r: string }>`SELECT to_jsonb(r)::text AS r FROM refs r ORDER BY id`.execute(db)).rows.map(
    (r) => r.r,
  );

async function threeContacts() {
  return [
    await contact(db, { email: 'a@x.com' }),
    await contact(db, { email: 'b@x.com' }),
    await contact(db, { email: 'c@x.com' }),
  ] as const;
}

describe('undo order', () => {
  it('keep_loser owners: the older of two merges into one survivor waits; newest first restores every row', async () => {
    const opts = { uniquePolicies: { contact_owners: 'keep_loser' as const } };
    const [a, b, c] = await threeContacts();
    await sql`INSERT INTO contact_owners (contact_id, user_id, role, created_at) VALUES
      (${a}, 1, 'viewer', '2025-01-01Z'), (${c}, 1, 'owner', '2025-01-02Z')`.execute(db);
    const start = await owners();
    const m1 = await merge(b, a, opts); // a's row moves to b
    const m2 = await merge(b, c, opts); // b's row (a's) is set aside, c's moves in
    const early = await undoMerge(pool, m1, opts).catch((e: Error & { code?: string }) => e);
    expect(early).toMatchObject({ code: 'UNDO_DEPENDENT' });
    expect((early as Error).message).toContain(`merge ${m2} merged into the same survivor (contact ${b})`);
    expect(await owners()).toEqual([`${b}:1:owner`]);

    await undoMerge(pool, m2, opts);
    await undoMerge(pool, m1, opts);
    expect(await owners()).toEqual(start);
  });

  it('keep_loser on a table with its own key: newest first restores each row to its contact', async () => {
    const opts = { uniquePolicies: { seats: 'keep_loser' as const } };
    const [a, b, c] = await threeContacts();
    await sql`INSERT INTO seats VALUES (1, ${a}, 'news'), (2, ${c}, 'news')`.execute(db);
    const start = await seats();
    const m1 = await merge(b, a, opts);
    const m2 = await merge(b, c, opts);
    // Asked together oldest first, the older one is refused and the newer one undone.
    const outs = await undoMergeBatch(pool, [m1, m2], opts);
    expect(outs.map((o) => [o.status, o.code])).toEqual([
      ['refused', 'UNDO_DEPENDENT'],
      ['undone', undefined],
    ]);
    expect(outs[0]!.dependents).toEqual([m2]);
    expect((await undoMergeBatch(pool, [m1], opts))[0]!.status).toBe('undone');
    expect(await seats()).toEqual(start);
  });

  it('survivor fields: undoing newest first gives the survivor back exactly its own values', async () => {
    const [a, b, c] = await threeContacts();
    const start = await dumpCrm(db);
    const m1 = await merge(b, a);
    const m2 = await merge(b, c);
    // Older first would keep a's e-mail on b (m2's snapshot of b holds it): refused.
    expect((await undoMergeBatch(pool, [m1]))[0]).toMatchObject({
      status: 'refused',
      code: 'UNDO_DEPENDENT',
    });
    expect((await undoMergeBatch(pool, [m2, m1]))[1]!.status).toBe('undone');
    expect((await dumpCrm(db)).contacts).toEqual(start.contacts);
  });

  it('a set-aside row whose key was taken since is not re-inserted, and the undo says so', async () => {
    const opts = { uniquePolicies: { seats: 'keep_loser' as const } };
    const s = await contact(db, { email: 's@x.com' });
    const l = await contact(db, { email: 'l@x.com' });
    await sql`INSERT INTO seats VALUES (1, ${s}, 'news'), (2, ${l}, 'news')`.execute(db);
    const m = await merge(s, l, opts); // seat 1 set aside, seat 2 moves to s
    // Meanwhile a user replaces seat 2 with a new seat 3 on the same topic.
    await sql`DELETE FROM seats WHERE id = 2`.execute(db);
    await sql`INSERT INTO seats VALUES (3, ${s}, 'news')`.execute(db);
    const out = await undoMerge(pool, m, opts);
    expect(out).toMatchObject({ status: 'undone', reinserted: {}, keyTaken: { seats: 1 } });
    expect(await seats()).toEqual([`3:${s}`]);
    // Seat 1 is still in the journal, whole.
    const { rows } = await sql<{ d: { id: number } }>`
      SELECT row_data AS d FROM merge_journal WHERE merge_id = ${m} AND action = 'set_aside'`.execute(db);
    expect(rows.map((r) => r.d.id)).toEqual([1]);
  });

  it.each([{ chunkRows: 5000 }, { chunkRows: 1 }])(
    'a table with two contact columns: a row moved on one and set aside on the other comes back whole (chunks of $chunkRows)',
    async (opts) => {
      const s = await contact(db, { email: 's@x.com' });
      const l = await contact(db, { email: 'l@x.com' });
      // Row 2 moves to s on a_contact, then collides with row 1 on (x_contact, tag) and is set aside.
      await sql`INSERT INTO refs VALUES (1, ${s}, ${s}, 't'), (2, ${l}, ${l}, 't'), (3, ${l}, ${s}, 'u')`.execute(
        db,
      );
      const before = await refs();
      const m = await merge(s, l, opts);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM refs`.execute(db);
      expect(rows[0]!.n).toBe(2);
      await undoMerge(pool, m, opts);
      expect(await refs()).toEqual(before);
    },
  );
});
