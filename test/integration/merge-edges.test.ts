import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMergeRequest, type EngineOptions, executeMerge } from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, related, resetCrm } from './merge-helpers.js';

/**
 * The engine at its edges: consolidation across successive merges, look-alike e-mails, a field
 * choice whose contact was merged elsewhere, a foreign key to contacts that is not the id. (Found by
 * a bug hunt; each test failed before its fix.)
 */

const { db, pool } = await testEnv();
const request = async (s: number, l: number[], fieldChoices?: Record<string, number>) =>
  (
    await createMergeRequest(db, {
      survivorId: s,
      duplicateIds: l,
      fieldChoices,
      source: 'api',
      requestedBy: 't',
    })
  ).id;
const merge = async (s: number, l: number[], o: EngineOptions = {}) =>
  executeMerge(pool, await request(s, l), { chunkRows: 100, ...o });
const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(db)).rows[0]!.n;

beforeEach(() => resetCrm(db));

describe('activity consolidation', () => {
  it('never chains duplicate_of across successive merges of the same e-mail', async () => {
    const [s1, l1, s2] = [await contact(db), await contact(db), await contact(db)];
    for (const c of [s1, l1, s2]) await related(db, c, { messages: ['m1'] });
    await merge(s1, [l1]);
    await merge(s2, [s1]);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM activities a
        JOIN activities b ON b.id = a.duplicate_of WHERE b.duplicate_of IS NOT NULL`),
    ).toBe(0);
    // The e-mail shows once: two of its three copies point at the third.
    expect(await count(sql`SELECT count(*)::int AS n FROM activities WHERE duplicate_of IS NOT NULL`)).toBe(
      2,
    );
  });

  it('does not link two e-mails with different message ids, however alike', async () => {
    const [s, l] = [await contact(db), await contact(db)];
    await sql`INSERT INTO activities (contact_id, kind, occurred_at, subject, external_message_id) VALUES
      (${s}, 'email', '2025-03-01T09:00Z', 'Newsletter', '<a1@m>'),
      (${l}, 'email', '2025-03-01T09:00Z', 'Newsletter', '<a2@m>'),
      (${l}, 'email', '2025-03-02T09:00Z', 'Digest', NULL),
      (${s}, 'email', '2025-03-02T09:00Z', 'Digest', '<d1@m>')`.execute(db);
    await merge(s, [l]);
    // The digest (one side without an id) is still linked; the newsletters are two e-mails.
    const { rows } = await sql<{ subject: string }>`
      SELECT subject FROM activities WHERE duplicate_of IS NOT NULL`.execute(db);
    expect(rows.map((r) => r.subject)).toEqual(['Digest']);
  });
});

describe('field choices', () => {
  it('refuses a choice naming a contact merged elsewhere since the request, instead of taking another value', async () => {
    const s = await contact(db, { company: 'S corp' });
    const a = await contact(db, { company: 'A corp' });
    const b = await contact(db, { company: 'B corp' });
    const id = await request(s, [a, b], { company: b });
    await merge(a, [b]); // meanwhile
    const out = await executeMerge(pool, id);
    expect(out).toMatchObject({ status: 'refused', code: 'BAD_REQUEST' });
    expect(out.reason).toContain(`contact ${b} has been merged into ${a}`);
  });
});

describe('catalog', () => {
  it('leaves out a foreign key to contacts(external_id): merges still run', async () => {
    await sql`CREATE TABLE sync_refs (id int PRIMARY KEY, ext text REFERENCES contacts (external_id))`.execute(
      db,
    );
    try {
      const [s, l] = [await contact(db, { external_id: 'S-1' }), await contact(db, { external_id: 'L-1' })];
      await sql`INSERT INTO sync_refs VALUES (1, 'L-1')`.execute(db);
      await expect(merge(s, [l])).resolves.toMatchObject({ status: 'completed' });
      // The reference names the record (the tombstone keeps its external id), not the person.
      expect(await count(sql`SELECT count(*)::int AS n FROM sync_refs WHERE ext = 'L-1'`)).toBe(1);
    } finally {
      await sql`DROP TABLE sync_refs`.execute(db);
    }
  });
});
