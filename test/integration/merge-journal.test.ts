import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMergeRequests,
  executeMergeBatch,
  undoMerge,
  undoMergeBatch,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, expectNoRowOnTombstone, related, resetCrm } from './merge-helpers.js';

/**
 * The compact journal (migration 20261122T0007): one entry per statement, holding the rows of every
 * merge of the wave. Undo must still put back exactly the rows of the merges undone, per merge and
 * per batch, and the merge_journal view must still show one row per changed row.
 */

const env = await testEnv();
const { db, pool } = env;

beforeEach(async () => {
  await resetCrm(db);
});

/** Three clusters (3, 2, 2 contacts) with activities, notes, a shared owner and list, a shared e-mail. */
async function clusters() {
  const groups: number[][] = [];
  for (const size of [3, 2, 2]) {
    const ids: number[] = [];
    for (let k = 0; k < size; k++) {
      const id = await contact(db, { email: `p${groups.length}.${k}@x.com` });
      await related(db, id, {
        activities: 3,
        notes: 1,
        owners: [1 + k],
        lists: [1],
        messages: [`thread-${groups.length}`],
      });
      ids.push(id);
    }
    groups.push(ids);
  }
  const created = await createMergeRequests(
    db,
    groups.map(([survivorId, ...duplicateIds]) => ({
      survivorId: survivorId!,
      duplicateIds,
      source: 'api' as const,
      requestedBy: 'test',
    })),
  );
  return { groups, ids: created.map((c) => c.id) };
}

async function entries() {
  const { rows } = await sql<{
    id: number;
    action: string;
    row_count: number;
    merges: number;
  }>`SELECT id, action, row_count, cardinality(ARRAY(SELECT DISTINCT unnest(merge_ids)))::int AS merges
       FROM merge_journal_entries ORDER BY id`.execute(db);
  return rows;
}

async function journalRows(mergeId: number) {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM merge_journal WHERE merge_id = ${mergeId}`.execute(db);
  return rows[0]!.n;
}

describe('compact merge journal', () => {
  it('journals a wave in a few entries shared by its merges, one view row per changed row', async () => {
    const { ids } = await clusters();
    const out = await executeMergeBatch(pool, ids, { chunkRows: 1000 });
    expect(out.map((o) => o.status)).toEqual(['completed', 'completed', 'completed']);
    const list = await entries();
    // One entry per statement that changed rows, each holding the rows of all three merges.
    expect(list.length).toBeLessThanOrEqual(10);
    expect(list.some((e) => e.merges === 3)).toBe(true);
    const viewRows = list.reduce((a, e) => a + e.row_count, 0);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM merge_journal`.execute(db);
    expect(rows[0]!.n).toBe(viewRows);
    // The view's rows agree with the outcomes' counts, merge by merge.
    for (const o of out) {
      const counted = [o.rowsMoved, o.setAside, o.linked]
        .flatMap((r) => Object.values(r))
        .reduce((a, b) => a + b, 0);
      expect(await journalRows(o.mergeId)).toBe(counted);
    }
  });

  it('undoes one merge of a shared entry alone, then the others, back to the CRM as it was', async () => {
    const { groups, ids } = await clusters();
    const start = await dumpCrm(db);
    await executeMergeBatch(pool, ids, { chunkRows: 1000 });
    const merged = await dumpCrm(db);

    const middle = await undoMerge(pool, ids[1]!, { chunkRows: 1000 });
    expect(middle.status).toBe('undone');
    const afterOne = await dumpCrm(db);
    // The undone merge's contacts are back; the other two merges' rows did not move.
    const own = new Set(groups[1]!);
    for (const table of ['activities', 'notes', 'contact_owners', 'list_memberships']) {
      const isOwn = (r: string) => own.has(Number((JSON.parse(r) as { contact_id: number }).contact_id));
      const pick = (rows: string[], mine: boolean) => rows.filter((r) => isOwn(r) === mine).sort();
      expect(pick(afterOne[table]!, true)).toEqual(pick(start[table]!, true));
      expect(pick(afterOne[table]!, false)).toEqual(pick(merged[table]!, false));
    }
    await expectNoRowOnTombstone(db);

    const rest = await undoMergeBatch(pool, [ids[2]!, ids[0]!], { chunkRows: 1000 });
    expect(rest.map((o) => o.status)).toEqual(['undone', 'undone']);
    expect(await dumpCrm(db)).toEqual(start);
  });

  it('chunked path: entries hold at most a chunk, undo walks them in windows of about a chunk', async () => {
    const { ids } = await clusters();
    const start = await dumpCrm(db);
    // Interrupted after the first committed chunk, then resumed: nothing journalled twice.
    let chunks = 0;
    await expect(
      executeMergeBatch(pool, ids, {
        chunkRows: 2,
        hooks: {
          onStep: (s) => {
            if (s.name === 'chunk:committed' && ++chunks === 2) throw new Error('simulated crash');
          },
        },
      }),
    ).rejects.toThrow(/simulated/);
    const out = await executeMergeBatch(pool, ids, { chunkRows: 2 });
    expect(out.map((o) => o.status)).toEqual(['completed', 'completed', 'completed']);
    const list = await entries();
    expect(list.filter((e) => e.action !== 'linked').every((e) => e.row_count <= 2)).toBe(true);
    const { rows: dup } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT table_name, action, row_key FROM merge_journal
                                       GROUP BY 1, 2, 3 HAVING count(*) > 1) d`.execute(db);
    expect(dup[0]!.n).toBe(0);

    let windows = 0;
    const undone = await undoMergeBatch(pool, [...ids].reverse(), {
      chunkRows: 3,
      hooks: { onStep: (s) => void (s.name === 'undo:chunk:committed' && windows++) },
    });
    expect(undone.map((o) => o.status)).toEqual(['undone', 'undone', 'undone']);
    expect(windows).toBeGreaterThan(1);
    expect(await dumpCrm(db)).toEqual(start);
  });
});
