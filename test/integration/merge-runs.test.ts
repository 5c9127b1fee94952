import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMergeRequest,
  createMergeRequests,
  executeMerge,
  executeMergeBatch,
  getMerge,
  listMerges,
  resolveContact,
  undoMerge,
  undoRun,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, expectNoRowOnTombstone, related, resetCrm } from './merge-helpers.js';

const env = await testEnv();
const { db, pool } = env;

beforeEach(async () => {
  await sql`TRUNCATE dedupe_runs CASCADE`.execute(db);
  await resetCrm(db);
});

async function people(n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = await contact(db, { email: `p${i}@x.com`, city: `c${i}` });
    await related(db, id, {
      activities: 2 + i,
      owners: [1 + (i % 3)],
      lists: [1 + (i % 2)],
      notes: 1,
      messages: ['same'],
    });
    ids.push(id);
  }
  return ids;
}

const req = (survivorId: number, duplicateIds: number[], extra = {}) => ({
  survivorId,
  duplicateIds,
  source: 'cli' as const,
  requestedBy: 'test',
  ...extra,
});

describe('chains', () => {
  it('a merge whose survivor or loser has since been merged follows the chain', async () => {
    const [a, b, c, d] = (await people(4)) as [number, number, number, number];
    await executeMerge(pool, (await createMergeRequest(db, req(a, [b]))).id);
    // b is a tombstone of a now: merging c into b lands on a.
    const viaSurvivor = await executeMerge(pool, (await createMergeRequest(db, req(b, [c]))).id);
    expect(viaSurvivor).toMatchObject({ status: 'completed', survivorId: a, loserIds: [c] });
    // and merging b (→ a) into d moves a, the live contact.
    const viaLoser = await executeMerge(pool, (await createMergeRequest(db, req(d, [b]))).id);
    expect(viaLoser).toMatchObject({ status: 'completed', survivorId: d, loserIds: [a] });
    expect(await resolveContact(db, c)).toEqual({
      requestedId: c,
      contactId: d,
      chain: [c, a, d],
      merged: true,
    });
    expect(await resolveContact(db, d)).toMatchObject({ contactId: d, merged: false });
    await expect(resolveContact(db, 987_654)).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
    // merging back the other way is a cycle: a was merged into d.
    const back = await executeMerge(pool, (await createMergeRequest(db, req(a, [d]))).id);
    expect(back).toMatchObject({ status: 'refused', code: 'MERGE_CYCLE' });
    expect(back.reason).toMatch(/cycle/);
    await expectNoRowOnTombstone(db);
  });
});

describe('idempotency', () => {
  it('the same key gives the same merge; a different merge under that key is refused', async () => {
    const [a, b, c] = (await people(3)) as [number, number, number];
    const first = await createMergeRequest(db, req(a, [b], { idempotencyKey: 'k-1' }));
    const again = await createMergeRequest(db, req(a, [b], { idempotencyKey: 'k-1' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    await expect(createMergeRequest(db, req(a, [c], { idempotencyKey: 'k-1' }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
    const both = await createMergeRequests(db, [
      req(a, [c], { idempotencyKey: 'k-2' }),
      req(a, [c], { idempotencyKey: 'k-2' }),
    ]);
    expect(both[1]).toEqual({ id: both[0]!.id, created: false });
    // Executing twice applies once.
    const one = await executeMerge(pool, first.id);
    const two = await executeMerge(pool, first.id);
    expect(two).toEqual({ ...one, replayed: true });
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM merge_journal WHERE merge_id = ${first.id}`.execute(db);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((x, y) => x + y, 0);
    expect(one.linked).toEqual({ activities: 1 });
    expect(rows[0]!.n).toBe(sum(one.rowsMoved) + sum(one.setAside) + sum(one.linked));
  });
});

describe('undo', () => {
  it('refuses while a later merge depends on it, then works newest first', async () => {
    const [a, b, c] = (await people(3)) as [number, number, number];
    const before = await dumpCrm(db);
    const m1 = await executeMerge(pool, (await createMergeRequest(db, req(a, [b]))).id);
    const m2 = await executeMerge(pool, (await createMergeRequest(db, req(c, [a]))).id);
    await expect(undoMerge(pool, m1.mergeId)).rejects.toMatchObject({
      code: 'UNDO_DEPENDENT',
      retryable: false,
    });
    expect((await getMerge(db, m1.mergeId))?.status).toBe('completed');
    await undoMerge(pool, m2.mergeId);
    await undoMerge(pool, m1.mergeId);
    expect(await dumpCrm(db)).toEqual(before);
    await expect(undoMerge(pool, 424_242)).rejects.toMatchObject({ code: 'MERGE_NOT_FOUND' });
  });

  it('two undos of the same merge at once: it is undone once', async () => {
    const [a, b] = (await people(2)) as [number, number];
    const before = await dumpCrm(db);
    const m = await executeMerge(pool, (await createMergeRequest(db, req(a, [b]))).id);
    const both = await Promise.all([undoMerge(pool, m.mergeId), undoMerge(pool, m.mergeId)]);
    expect(both.map((u) => u.status)).toEqual(['undone', 'undone']);
    expect(await dumpCrm(db)).toEqual(before);
  });

  it('a refused merge cannot be undone', async () => {
    const [a] = (await people(1)) as [number];
    const m = await executeMerge(pool, (await createMergeRequest(db, req(a, [a]))).id);
    await expect(undoMerge(pool, m.mergeId)).rejects.toMatchObject({ code: 'UNDO_NOT_APPLICABLE' });
  });

  it('keeps survivor fields changed after the merge', async () => {
    const [a, b] = (await people(2)) as [number, number];
    const m = await executeMerge(pool, (await createMergeRequest(db, req(a, [b]))).id);
    await db.updateTable('contacts').set({ city: 'Edited later' }).where('id', '=', a).execute();
    await undoMerge(pool, m.mergeId);
    const row = await db.selectFrom('contacts').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
    expect(row.city).toBe('Edited later');
    expect(row.attributes).toEqual({});
  });

  it('undoes a whole run, newest first, back to the CRM as it was', async () => {
    const ids = await people(9);
    const before = await dumpCrm(db);
    const run = await db
      .insertInto('dedupe_runs')
      .values({ profile: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = (i: number) => ids[i]!;
    const reqs = [
      req(c(0), [c(1)]),
      req(c(2), [c(3), c(4)]),
      req(c(5), [c(0)]),
      req(c(6), [c(7)]),
      req(c(8), [c(6)]),
    ].map((r) => ({
      ...r,
      source: 'run' as const,
      runId: Number(run.id),
    }));
    const created = await createMergeRequests(db, reqs);
    const out = await executeMergeBatch(
      pool,
      created.map((x) => x.id),
      { maxWaveMerges: 2, chunkRows: 2 },
    );
    expect(out.map((o) => o.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    expect(await listMerges(db, { runId: Number(run.id), status: 'completed' })).toHaveLength(5);
    const undone = await undoRun(pool, Number(run.id), { chunkRows: 3, maxWaveMerges: 2 });
    expect(undone.map((u) => u.status)).toEqual(['undone', 'undone', 'undone', 'undone', 'undone']);
    expect(await dumpCrm(db)).toEqual(before);
    expect(await listMerges(db, { runId: Number(run.id), status: 'undone' })).toHaveLength(5);
  });
});

describe('a merge that cannot be written', () => {
  it('fails alone; the rest of its batch goes through, and it runs once the cause is gone', async () => {
    const ids = await people(10);
    const poisoned = ids[7]!;
    await sql`CREATE FUNCTION refuse_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.merged_into IS NOT NULL THEN RAISE EXCEPTION 'contact % may not be merged', NEW.id; END IF; RETURN NEW; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER refuse_tombstone BEFORE UPDATE ON contacts FOR EACH ROW
      WHEN (NEW.id = ${sql.lit(poisoned)}) EXECUTE FUNCTION refuse_tombstone()`.execute(db);
    try {
      const created = await createMergeRequests(
        db,
        [0, 2, 4, 6, 8].map((i) => req(ids[i]!, [ids[i + 1]!])),
      );
      const out = await executeMergeBatch(
        pool,
        created.map((c) => c.id),
      );
      expect(out.map((o) => o.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'failed',
        'completed',
      ]);
      expect(out[3]).toMatchObject({ code: 'INTERNAL', reason: expect.stringMatching(/may not be merged/) });
      expect((await getMerge(db, out[3]!.mergeId))?.status).toBe('failed');
      const row = await db
        .selectFrom('contacts')
        .select('merged_into')
        .where('id', '=', poisoned)
        .executeTakeFirstOrThrow();
      expect(row.merged_into).toBeNull();
      await expect(executeMerge(pool, out[3]!.mergeId)).rejects.toMatchObject({
        code: 'INTERNAL',
        retryable: false,
      });
    } finally {
      await sql`DROP TRIGGER refuse_tombstone ON contacts; DROP FUNCTION refuse_tombstone()`.execute(db);
    }
    const [again] = await listMerges(db, { status: 'failed' });
    await expect(executeMerge(pool, again!.id)).resolves.toMatchObject({
      status: 'completed',
      loserIds: [poisoned],
    });
    await expectNoRowOnTombstone(db);
  });
});

describe('concurrent writes', () => {
  it('rows added to a loser while the merge runs are swept before it completes', async () => {
    const [a, b] = (await people(2)) as [number, number];
    const { id } = await createMergeRequest(db, req(a, [b]));
    let added = 0;
    const out = await executeMerge(pool, id, {
      chunkRows: 1,
      hooks: {
        onStep: async (s) => {
          if (s.name === 'chunk:committed' && added < 3) {
            added++;
            await db
              .insertInto('notes')
              .values({ contact_id: b, body: `late ${added}` })
              .execute();
          }
        },
      },
    });
    expect(added).toBe(3);
    expect(out.rowsMoved.notes).toBe(4);
    await expectNoRowOnTombstone(db);
  });
});
