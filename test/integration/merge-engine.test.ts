import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMergeRequest,
  executeMerge,
  executeMergeBatch,
  getMerge,
  MergeError,
  planMergeDryRun,
  resolveContact,
  undoMerge,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, expectNoRowOnTombstone, related, resetCrm, rowCounts } from './merge-helpers.js';

const env = await testEnv();
const { db, pool } = env;

async function merge(
  survivorId: number,
  duplicateIds: number[],
  extra: { fieldChoices?: Record<string, number>; key?: string } = {},
) {
  const { id } = await createMergeRequest(db, {
    survivorId,
    duplicateIds,
    fieldChoices: extra.fieldChoices,
    idempotencyKey: extra.key,
    source: 'api',
    requestedBy: 'test',
  });
  return executeMerge(pool, id, { chunkRows: 2 });
}

beforeEach(async () => {
  await resetCrm(db);
});

/** Survivor S and duplicate L sharing an owner, a list and an e-mail thread. */
async function pair() {
  const s = await contact(db, {
    email: 'ann@x.com',
    phone: '+44 20 7946 0000',
    company: 'Acme',
    attributes: { tier: 'gold' },
  });
  const l = await contact(db, {
    email: 'ann.lee@y.org',
    phone: null,
    company: 'ACME Ltd',
    city: 'Leeds',
    attributes: { tier: 'silver', vip: true },
  });
  await related(db, s, { activities: 3, messages: ['m1'], owners: [1, 2], lists: [1], notes: 1 });
  await related(db, l, {
    activities: 4,
    messages: ['m1', 'm2'],
    owners: [2, 3],
    lists: [1, 2],
    notes: 2,
    opportunities: 1,
    tickets: 2,
  });
  return { s, l };
}

describe('one merge', () => {
  it('re-points every row, keeps both e-mails, sets aside duplicate keys, links the shared e-mail, audits', async () => {
    const { s, l } = await pair();
    const before = await rowCounts(db);
    const out = await merge(s, [l]);
    expect(out).toMatchObject({ status: 'completed', survivorId: s, loserIds: [l] });
    expect(out.rowsMoved).toEqual({
      activities: 6,
      notes: 2,
      opportunities: 1,
      tickets: 2,
      contact_owners: 1,
      list_memberships: 1,
    });
    expect(out.setAside).toEqual({ contact_owners: 1, list_memberships: 1 });
    expect(out.linked).toEqual({ activities: 1 });

    const after = await rowCounts(db);
    expect(after).toEqual({
      ...before,
      contact_owners: before.contact_owners! - 1,
      list_memberships: before.list_memberships! - 1,
    });
    await expectNoRowOnTombstone(db);

    const survivor = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', s)
      .executeTakeFirstOrThrow();
    expect(survivor).toMatchObject({ email: 'ann@x.com', company: 'Acme', city: 'Leeds', merged_into: null });
    expect(survivor.attributes).toMatchObject({
      tier: 'gold',
      vip: true,
      secondary_emails: ['ann.lee@y.org'],
    });
    const loser = await db.selectFrom('contacts').selectAll().where('id', '=', l).executeTakeFirstOrThrow();
    expect(loser.merged_into).toBe(s);
    expect(loser.merged_at).not.toBeNull();

    const owners = await db
      .selectFrom('contact_owners')
      .select('user_id')
      .where('contact_id', '=', s)
      .orderBy('user_id')
      .execute();
    expect(owners.map((o) => Number(o.user_id))).toEqual([1, 2, 3]);
    const setAside = await db
      .selectFrom('merge_journal')
      .selectAll()
      .where('action', '=', 'set_aside')
      .orderBy('table_name')
      .execute();
    expect(setAside.map((j) => [j.table_name, j.row_data])).toEqual([
      ['contact_owners', expect.objectContaining({ contact_id: l, user_id: 2, role: 'owner' })],
      ['list_memberships', expect.objectContaining({ contact_id: l, list_id: 1 })],
    ]);

    const mails = await db
      .selectFrom('activities')
      .selectAll()
      .where('external_message_id', '=', 'm1')
      .orderBy('id')
      .execute();
    expect(
      mails.map((m) => [Number(m.contact_id), m.duplicate_of === null ? null : Number(m.duplicate_of)]),
    ).toEqual([
      [s, null],
      [s, Number(mails[0]!.id)],
    ]);

    const audit = (await getMerge(db, out.mergeId))!;
    expect(audit).toMatchObject({
      status: 'completed',
      effectiveSurvivorId: s,
      effectiveLoserIds: [l],
      source: 'api',
    });
    expect(audit.snapshot).toHaveLength(2);
    expect(audit.rowsMoved).toMatchObject({ moved: out.rowsMoved, set_aside: out.setAside });
    const fields = (audit.conflicts as { kind: string; field?: string; table?: string }[]).map(
      (c) => c.field ?? `unique:${c.table}`,
    );
    expect(fields.sort()).toEqual([
      'attributes.tier',
      'company',
      'email',
      'unique:contact_owners',
      'unique:list_memberships',
    ]);
    expect(audit.finishedAt).not.toBeNull();
    expect((await resolveContact(db, l)).contactId).toBe(s);
  });

  it('honours field choices', async () => {
    const { s, l } = await pair();
    await merge(s, [l], { fieldChoices: { email: l, company: l, 'attributes.tier': l } });
    const survivor = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', s)
      .executeTakeFirstOrThrow();
    expect(survivor).toMatchObject({ email: 'ann.lee@y.org', company: 'ACME Ltd' });
    expect(survivor.attributes).toMatchObject({ tier: 'silver', secondary_emails: ['ann@x.com'] });
  });

  it('dry run shows the plan and the rows, and writes nothing', async () => {
    const { s, l } = await pair();
    const before = await dumpCrm(db);
    const dry = await planMergeDryRun(db, { survivorId: s, duplicateIds: [l] });
    expect(dry.refused).toBeUndefined();
    expect(dry.plan?.values.email).toBe('ann@x.com');
    expect(dry.rows.contact_owners).toEqual({ move: 1, setAside: 1 });
    expect(dry.rows.activities).toEqual({ move: 6, setAside: 0 });
    expect(dry.linkable).toBe(1);
    expect(await dumpCrm(db)).toEqual(before);
    expect(await db.selectFrom('merges').selectAll().execute()).toEqual([]);
  });

  it('undo restores every CRM table row for row', async () => {
    const { s, l } = await pair();
    const before = await dumpCrm(db);
    const out = await merge(s, [l]);
    const undone = await undoMerge(pool, out.mergeId, { chunkRows: 3 });
    expect(undone.status).toBe('undone');
    expect(undone.movedBack).toMatchObject({ activities: 6, contact_owners: 1 });
    expect(undone.reinserted).toEqual({ contact_owners: 1, list_memberships: 1 });
    expect(undone.unlinked).toEqual({ activities: 1 });
    expect(await dumpCrm(db)).toEqual(before);
    expect((await getMerge(db, out.mergeId))?.status).toBe('undone');
    // Undo twice: nothing more to do, same state.
    await expect(undoMerge(pool, out.mergeId)).resolves.toMatchObject({ status: 'undone' });
    expect(await dumpCrm(db)).toEqual(before);
  });

  it('keeps rows that reached the survivor after the merge when undoing', async () => {
    const { s, l } = await pair();
    const out = await merge(s, [l]);
    await related(db, s, { notes: 2 });
    await undoMerge(pool, out.mergeId);
    const notes = await db.selectFrom('notes').select(['contact_id']).execute();
    expect(notes.filter((n) => Number(n.contact_id) === s)).toHaveLength(3);
    expect(notes.filter((n) => Number(n.contact_id) === l)).toHaveLength(2);
  });

  // keep_survivor with two losers holding a key the survivor lacks: the first loser's row moves, the
  // second's is set aside, whether both rows are in one chunk (and one transaction) or one per chunk.
  it.each([1, 1000])(
    'moves the first loser row of a shared key and sets the other aside (chunks of %i)',
    async (chunkRows) => {
      const s = await contact(db, { email: 's@x.com' });
      const l1 = await contact(db, { email: 'l1@x.com' });
      const l2 = await contact(db, { email: 'l2@x.com' });
      await related(db, s, { owners: [1], lists: [1] });
      await related(db, l1, { owners: [2, 3], lists: [2] });
      await related(db, l2, { owners: [2, 4], lists: [1, 2] });
      const before = await dumpCrm(db);
      const dry = await planMergeDryRun(db, { survivorId: s, duplicateIds: [l1, l2] });
      expect(dry.rows.contact_owners).toEqual({ move: 3, setAside: 1 });
      expect(dry.rows.list_memberships).toEqual({ move: 1, setAside: 2 });

      const { id } = await createMergeRequest(db, {
        survivorId: s,
        duplicateIds: [l1, l2],
        source: 'api',
        requestedBy: 'test',
      });
      const out = await executeMerge(pool, id, { chunkRows });
      expect(out.status).toBe('completed');
      expect(out.rowsMoved).toMatchObject({ contact_owners: 3, list_memberships: 1 });
      expect(out.setAside).toEqual({ contact_owners: 1, list_memberships: 2 });
      const owners = await db.selectFrom('contact_owners').select(['contact_id', 'user_id']).execute();
      expect(owners.map((o) => [Number(o.contact_id), Number(o.user_id)]).sort()).toEqual(
        [
          [s, 1],
          [s, 2],
          [s, 3],
          [s, 4],
        ].sort(),
      );
      const { rows: aside } = await sql<{ from_contact: number; row_data: { user_id: number } }>`
      SELECT from_contact, row_data FROM merge_journal WHERE merge_id = ${id} AND action = 'set_aside'
         AND table_name = 'contact_owners'`.execute(db);
      expect(aside.map((r) => [Number(r.from_contact), Number(r.row_data.user_id)])).toEqual([[l2, 2]]);
      await expectNoRowOnTombstone(db);

      await undoMerge(pool, id, { chunkRows });
      expect(await dumpCrm(db)).toEqual(before);
    },
  );

  // A wave with more rows than a chunk would be rolled back whole and redone in chunks: it is tried
  // in smaller slices first, and only a merge too big on its own goes the chunked path.
  it('tries a wave too big for one transaction in smaller slices', async () => {
    const ids: number[] = [];
    const losers: number[] = [];
    for (const n of [4, 4, 4, 4, 12]) {
      const s = await contact(db, {});
      const l = await contact(db, {});
      await related(db, l, { activities: n });
      losers.push(l);
      const { id } = await createMergeRequest(db, {
        survivorId: s,
        duplicateIds: [l],
        source: 'run',
        requestedBy: 'test',
      });
      ids.push(id);
    }
    const steps: string[] = [];
    const sliceMemory = {};
    const out = await executeMergeBatch(pool, ids, {
      chunkRows: 10,
      maxWaveMerges: 5,
      sliceMemory,
      hooks: { onStep: (s) => void steps.push(`${s.name} ${s.mergeIds.length}`) },
    });
    // What the next call of this worker starts from.
    expect(sliceMemory).toEqual({ size: 2 });
    expect(out.map((o) => [o.status, o.rowsMoved.activities])).toEqual([
      ['completed', 4],
      ['completed', 4],
      ['completed', 4],
      ['completed', 4],
      ['completed', 12],
    ]);
    // Five merges (28 rows) are too many; two (8 rows) fit; the last one alone is chunked.
    expect(steps.filter((s) => s.startsWith('fast:committed'))).toEqual([
      'fast:committed 2',
      'fast:committed 2',
    ]);
    expect(steps.filter((s) => s.startsWith('chunk:committed')).every((s) => s.endsWith(' 1'))).toBe(true);
    expect(steps.some((s) => s.startsWith('chunk:committed'))).toBe(true);
    const left = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM activities WHERE contact_id IN (${sql.join(losers)})`.execute(db);
    expect(left.rows[0]!.n).toBe(0);
    await expectNoRowOnTombstone(db);
  });

  it('refuses self-merges and unknown contacts with a code', async () => {
    const { s, l } = await pair();
    const self = await merge(s, [s, l]);
    expect(self).toMatchObject({ status: 'refused', code: 'MERGE_SELF' });
    expect((await getMerge(db, self.mergeId))?.errorCode).toBe('MERGE_SELF');
    await expect(merge(s, [999_999])).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND', retryable: false });
    await expect(executeMerge(pool, 123_456)).rejects.toBeInstanceOf(MergeError);
  });
});
