import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  createMergeRequests,
  type EngineOptions,
  executeMergeBatch,
  MergeError,
  undoMergeBatch,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, expectNoRowOnTombstone, related, resetCrm } from './merge-helpers.js';

/**
 * A crash at any step boundary (between statements and COMMIT, right after a COMMIT) followed by a
 * resume ends in exactly the state of one clean run: same CRM rows, same journal, nothing twice.
 */

const env = await testEnv();
const { db, pool } = env;

/** Six contacts, three merges: a pair, a chain through the first survivor, a triple with key collisions. */
async function scenario(): Promise<number[]> {
  await resetCrm(db);
  const c: number[] = [];
  for (let i = 0; i < 8; i++)
    c.push(await contact(db, { email: `p${i}@x.com`, company: i % 2 ? 'Acme' : null, city: `c${i}` }));
  const [a, b, d, e, f, g, h] = c as [number, number, number, number, number, number, number];
  await related(db, a, { activities: 3, messages: ['m1'], owners: [1, 2], lists: [1], notes: 1 });
  await related(db, b, { activities: 4, messages: ['m1'], owners: [2], lists: [1, 2], tickets: 2 });
  await related(db, d, { activities: 2, owners: [1, 3], notes: 3 });
  await related(db, e, { activities: 5, owners: [4], lists: [3], opportunities: 2 });
  await related(db, f, {
    activities: 1,
    owners: [4, 5],
    lists: [3],
    events: [{ kind: 'call', at: '2025-03-01T09:00:00Z', subject: 'hi' }],
  });
  await related(db, g, {
    owners: [4],
    lists: [3, 4],
    events: [{ kind: 'call', at: '2025-03-01T09:00:00Z', subject: 'hi' }],
  });
  await related(db, h, { activities: 2 });
  const reqs = [
    { survivorId: a, duplicateIds: [b] },
    { survivorId: d, duplicateIds: [a] }, // chain: a (survivor above) goes into d
    { survivorId: e, duplicateIds: [f, g] },
    { survivorId: h, duplicateIds: [h] }, // refused: self
  ];
  const created = await createMergeRequests(
    db,
    reqs.map((r) => ({ ...r, source: 'run' as const, requestedBy: 'test' })),
  );
  return created.map((x) => x.id);
}

/** Final state, minus the clock: merge times and the survivors' updated_at differ between runs. */
async function state() {
  const crm = await dumpCrm(db);
  crm.contacts = crm.contacts!.map((r) => {
    const o = JSON.parse(r) as Record<string, unknown>;
    return JSON.stringify({ ...o, merged_at: o.merged_at !== null, updated_at: null });
  });
  const { rows: journal } = await sql<{ r: string }>`
    SELECT jsonb_build_array(merge_id, table_name, column_name, action, row_key, from_contact, to_contact, row_data)::text AS r
      FROM merge_journal ORDER BY 1`.execute(db);
  const { rows: merges } = await sql<{ r: string }>`
    SELECT jsonb_build_array(id, status, error_code, effective_survivor_id, effective_loser_ids, rows_moved, conflicts)::text AS r
      FROM merges ORDER BY id`.execute(db);
  return { crm, journal: journal.map((j) => j.r), merges: merges.map((m) => m.r) };
}

// chunkRows 2: every wave is too big for one transaction (chunked, resumable path); 1000: the
// one-transaction path. Both must converge.
let base: EngineOptions = { chunkRows: 2, maxWaveMerges: 2 };

async function countSteps(run: (opts: EngineOptions) => Promise<unknown>): Promise<string[]> {
  const steps: string[] = [];
  await run({ ...base, hooks: { onStep: (s) => void steps.push(s.name) } });
  return steps;
}

function crashAt(k: number, retryable: boolean): EngineOptions {
  let n = 0;
  return {
    ...base,
    hooks: {
      onStep: () => {
        if (n++ === k)
          throw retryable
            ? new MergeError('DATABASE_UNAVAILABLE', 'simulated kill')
            : new Error('simulated crash');
      },
    },
  };
}

describe.each([2, 1000])('crash and resume, chunks of %i rows', (chunkRows) => {
  it('forward: a crash at any step, then a resume, converges to the clean result', async () => {
    base = { chunkRows, maxWaveMerges: 2 };
    const ids = await scenario();
    const steps = await countSteps((o) => executeMergeBatch(pool, ids, o));
    const clean = await state();
    expect(clean.merges.filter((m) => m.includes('"completed"'))).toHaveLength(3);
    expect(steps.length).toBeGreaterThan(chunkRows === 2 ? 10 : 3);
    expect(steps.some((s) => s.startsWith('fast:'))).toBe(chunkRows !== 2);
    for (let k = 0; k < steps.length; k++) {
      const again = await scenario();
      await expect(executeMergeBatch(pool, again, crashAt(k, k % 2 === 0))).rejects.toThrow(/simulated/);
      const out = await executeMergeBatch(pool, again, base);
      expect(out.map((o) => o.status)).toEqual(['completed', 'completed', 'completed', 'refused']);
      expect({ k, step: steps[k], ...(await state()) }).toEqual({ k, step: steps[k], ...clean });
      await expectNoRowOnTombstone(db);
    }
  });

  it('undo: a crash at any step, then a resume, restores the CRM as before the merges', async () => {
    base = { chunkRows, maxWaveMerges: 2 };
    const ids = await scenario();
    const before = await dumpCrm(db);
    await executeMergeBatch(pool, ids, base);
    const newestFirst = [...ids].reverse();
    const steps = await countSteps((o) => undoMergeBatch(pool, newestFirst, o));
    expect(await dumpCrm(db)).toEqual(before);
    expect(steps.length).toBeGreaterThan(5);
    for (let k = 0; k < steps.length; k++) {
      const again = await scenario();
      const snapshot = await dumpCrm(db);
      await executeMergeBatch(pool, again, base);
      const order = [...again].reverse();
      await expect(undoMergeBatch(pool, order, crashAt(k, k % 2 === 1))).rejects.toThrow(/simulated/);
      const out = await undoMergeBatch(pool, order, base);
      expect(out.map((o) => o.status)).toEqual(['refused', 'undone', 'undone', 'undone']);
      expect({ k, step: steps[k], crm: await dumpCrm(db) }).toEqual({ k, step: steps[k], crm: snapshot });
    }
  });
});
