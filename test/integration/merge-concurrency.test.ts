import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connection.js';
import {
  createMergeRequest,
  executeMerge,
  executeMergeBatch,
  isMergeError,
  type MergeOutcome,
} from '../../src/db/merge/index.js';
import { testEnv } from '../support/env.js';
import {
  contact,
  expectNoRowOnTombstone,
  pairs,
  related,
  resetCrm,
  rootsOf,
  rowCounts,
} from './merge-helpers.js';

/**
 * 50 overlapping merge requests at once, from concurrent engines (single merges, or batches):
 * chains, shared contacts and one two-way cycle. The end state must be a forest of tombstones with
 * every row accounted for.
 */

const env = await testEnv();
const { db } = env;
const wide = createDb({ url: env.databaseUrl, poolSize: 14 });
afterAll(() => wide.db.destroy());

/** Runs a merge like a queue worker would: retryable failures are retried after a short pause. */
async function workerRun(mergeId: number): Promise<MergeOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await executeMerge(wide.pool, mergeId, { chunkRows: 3, lockTimeoutMs: 200 });
    } catch (err) {
      if (!isMergeError(err) || !err.retryable || attempt > 200) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
}

/** 80 contacts with rows, 50 overlapping requests (neighbours, a chain, a cycle), not yet executed. */
async function scenario() {
  await resetCrm(db);
  const ids: number[] = [];
  for (let i = 0; i < 80; i++) {
    const id = await contact(db, { email: `c${i}@x.com`, city: `city${i % 7}` });
    ids.push(id);
    await related(db, id, {
      activities: 1 + (i % 4),
      notes: i % 3,
      owners: [1 + (i % 4), 1 + ((i + 1) % 4)].filter((u, k, a) => a.indexOf(u) === k),
      lists: [1 + (i % 3)],
      messages: i % 5 === 0 ? ['shared-mail'] : [],
    });
  }
  const c = (i: number) => ids[i]!;
  const before = await rowCounts(db);
  const ownersBefore = await pairs(db, 'contact_owners');
  const listsBefore = await pairs(db, 'list_memberships');

  // Deterministic pseudo-random overlapping requests among neighbours in 0..71, plus a chain and a cycle.
  let x = 12345;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const requests: { survivor: number; losers: number[] }[] = [];
  while (requests.length < 44) {
    const s = rnd(72);
    const l = [s + 1 + rnd(3), s + 1 + rnd(4)].filter((v, k, a) => v < 72 && a.indexOf(v) === k);
    if (l.length > 0) requests.push({ survivor: c(s), losers: l.map(c) });
  }
  requests.push(
    { survivor: c(72), losers: [c(73)] },
    { survivor: c(73), losers: [c(74)] },
    { survivor: c(74), losers: [c(75)] },
  );
  requests.push({ survivor: c(76), losers: [c(72)] });
  const cycle = [
    { survivor: c(78), losers: [c(79)] },
    { survivor: c(79), losers: [c(78)] },
  ];
  requests.push(...cycle);

  const created = [];
  for (const r of requests) {
    created.push(
      (
        await createMergeRequest(db, {
          survivorId: r.survivor,
          duplicateIds: r.losers,
          source: 'producer',
          requestedBy: 'test',
        })
      ).id,
    );
  }
  return { ids, requests, created, cycle, before, ownersBefore, listsBefore };
}

type Scenario = Awaited<ReturnType<typeof scenario>>;

async function expectConsistent(sc: Scenario, outcomes: MergeOutcome[]) {
  const { ids, requests, cycle, before, ownersBefore, listsBefore } = sc;
  // Every request is decided; refusals carry a code.
  for (const o of outcomes) expect(['completed', 'refused']).toContain(o.status);
  for (const o of outcomes.filter((x) => x.status === 'refused'))
    expect(['MERGE_SELF', 'MERGE_CYCLE']).toContain(o.code);
  const cycleOut = outcomes.slice(requests.indexOf(cycle[0]!), requests.indexOf(cycle[0]!) + 2);
  expect(cycleOut.map((o) => o.status).sort()).toEqual(['completed', 'refused']);
  expect(cycleOut.find((o) => o.status === 'refused')?.code).toBe('MERGE_CYCLE');

  // A forest: chains end at a live contact, every completed merge's contacts share one root.
  const roots = await rootsOf(db);
  for (const [, root] of roots) {
    const row = await db
      .selectFrom('contacts')
      .select('merged_into')
      .where('id', '=', root)
      .executeTakeFirstOrThrow();
    expect(row.merged_into).toBeNull();
  }
  for (const o of outcomes.filter((x) => x.status === 'completed')) {
    for (const l of o.loserIds) expect(roots.get(l)).toBe(roots.get(o.survivorId!));
  }
  // The partition is exactly the union of the completed requests; each refusal was justified
  // (its loser had already joined the survivor), so no merge was refused that should have run.
  const uf = new Map<number, number>();
  const find = (v: number): number => (uf.get(v) === undefined || uf.get(v) === v ? v : find(uf.get(v)!));
  requests.forEach((r, i) => {
    if (outcomes[i]!.status !== 'completed') return;
    for (const l of r.losers) uf.set(find(l), find(r.survivor));
  });
  for (const id of ids)
    for (const other of ids) {
      expect(find(id) === find(other)).toBe(roots.get(id) === roots.get(other));
    }
  requests.forEach((r, i) => {
    if (outcomes[i]!.status === 'refused')
      expect(r.losers.some((l) => roots.get(l) === roots.get(r.survivor))).toBe(true);
  });
  const { rows: running } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM merges WHERE status NOT IN ('completed', 'refused')`.execute(db);
  expect(running[0]!.n).toBe(0);

  // Nothing lost: tables without a unique key on the contact keep their rows; every owner and
  // list pair of before exists on the root; whatever is missing was set aside in the journal.
  const after = await rowCounts(db);
  for (const t of ['activities', 'notes', 'opportunities', 'tickets', 'contacts'] as const)
    expect(after[t]).toBe(before[t]);
  for (const [table, list] of [
    ['contact_owners', ownersBefore],
    ['list_memberships', listsBefore],
  ] as const) {
    const now = new Set((await pairs(db, table)).map(([cid, o]) => `${cid}/${o}`));
    for (const [cid, o] of list) expect(now.has(`${roots.get(cid)}/${o}`)).toBe(true);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM merge_journal WHERE table_name = ${table} AND action = 'set_aside'`.execute(
      db,
    );
    expect(now.size + rows[0]!.n).toBe(list.length);
  }
  await expectNoRowOnTombstone(db);
}

describe('concurrent merges', () => {
  it('50 single merges at once end in a consistent forest, no lost rows, a clear refusal for the cycle', async () => {
    const sc = await scenario();
    expect(sc.created).toHaveLength(50);
    await expectConsistent(sc, await Promise.all(sc.created.map((id) => workerRun(id))));
  });

  it('overlapping batches and single merges at once end the same way', async () => {
    const sc = await scenario();
    const outcomes = new Map<number, MergeOutcome>();
    // Three batch engines over overlapping thirds, and singles for every fifth request, all at once;
    // whatever comes back 'retry' (contacts busy) runs again, as a worker would.
    const thirds = [0, 1, 2].map((k) => sc.created.filter((_, i) => i % 3 !== k));
    await Promise.all([
      ...thirds.map(async (ids) => {
        let todo = ids;
        for (let round = 0; todo.length > 0 && round < 200; round++) {
          const out = await executeMergeBatch(wide.pool, todo, {
            chunkRows: 4,
            maxWaveMerges: 8,
            lockTimeoutMs: 200,
          });
          for (const o of out) if (o.status !== 'retry') outcomes.set(o.mergeId, o);
          todo = out.filter((o) => o.status === 'retry').map((o) => o.mergeId);
        }
      }),
      ...sc.created.filter((_, i) => i % 5 === 0).map(async (id) => outcomes.set(id, await workerRun(id))),
    ]);
    await expectConsistent(
      sc,
      sc.created.map((id) => outcomes.get(id)!),
    );
  });
});
