/**
 * The run's merge stage and the review list at their edges: retried tasks, contacts deleted or
 * merged elsewhere since clustering, a run cancelled mid-merge, verdicts. (Found by a bug hunt; each
 * test failed before its fix.)
 */
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_PROFILE } from '../../src/core/profile/index.js';
import { contactLockKey } from '../../src/db/merge/locks.js';
import { StepInterrupted } from '../../src/db/merge/options.js';
import { listReviewPairs, setReviewVerdict } from '../../src/db/review.js';
import type { SafetyRule } from '../../src/db/run-merges.js';
import { createTasks } from '../../src/db/runs.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { cancelRun } from '../../src/pipeline/cancel-run.js';
import { mergeBatch } from '../../src/pipeline/merge-batch.js';
import { runReport } from '../../src/pipeline/report.js';
import { acceptReviewPair } from '../../src/pipeline/review-accept.js';
import merger from '../../workers/merger.js';
import { testEnv } from '../support/env.js';
import { contact, ensureUsersAndLists, mergeNow, related, resetCrm } from './merge-helpers.js';

const env = await testEnv();
const { db, pool } = env;

beforeEach(async () => {
  await sql`TRUNCATE dedupe_runs CASCADE`.execute(db);
  await resetCrm(db);
});

/** A run in its merge stage; with a profile when the code under test reads it (review accept). */
async function newRun(profile: unknown = {}): Promise<number> {
  const r = await db
    .insertInto('dedupe_runs')
    .values({ profile: JSON.stringify(profile), status: 'running', stage: 'merge' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Writes sure clusters (survivor first) as the clusterer would, plus their sure pairs. */
async function clusters(runId: number, list: number[][]) {
  for (const [i, members] of list.entries()) {
    await db
      .insertInto('clusters')
      .values({
        run_id: runId,
        cluster_no: i + 1,
        survivor_id: members[0]!,
        size: members.length,
        min_score: 20,
      })
      .execute();
    await db
      .insertInto('cluster_members')
      .values(members.map((m) => ({ run_id: runId, cluster_no: i + 1, contact_id: m })))
      .execute();
    const [a, b] = [Math.min(members[0]!, members[1]!), Math.max(members[0]!, members[1]!)];
    await sql`INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
      VALUES (${runId}, ${a}, ${b}, 0.999, 20, 'merge', '{}'::jsonb)`.execute(db);
  }
  await createTasks(db, runId, 'merge', 1);
}

const task = (runId: number, n: number) => ({ runId, taskNo: 0, fromCluster: 1, toCluster: n });
const completedMerges = async (runId: number) =>
  Number(
    (
      await db
        .selectFrom('merges')
        .select(db.fn.countAll().as('n'))
        .where('run_id', '=', runId)
        .where('status', '=', 'completed')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Four contacts with distinct e-mails, in id order (a test uses as many as it needs). */
async function contacts(): Promise<[number, number, number, number]> {
  return [
    await contact(db, { email: 'a@x' }),
    await contact(db, { email: 'b@x' }),
    await contact(db, { email: 'c@x' }),
    await contact(db, { email: 'd@x' }),
  ];
}

/** Four contacts clustered {a, b} and {c, d} by a run in its merge stage. */
async function twoClusters() {
  const [a, b, c, d] = await contacts();
  const runId = await newRun();
  await clusters(runId, [
    [a, b],
    [c, d],
  ]);
  return { a, b, c, d, runId };
}

/** Runs the task once while another engine holds `busy` (it fails MERGE_BUSY), then again once free. */
async function mergeTwiceAroundBusy(runId: number, busy: number, rules: SafetyRule[] = []) {
  const holder = await pool.connect();
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [contactLockKey(busy)]);
  await expect(mergeBatch(db, pool, task(runId, 2), { lockTimeoutMs: 100 }, rules)).rejects.toMatchObject({
    code: 'MERGE_BUSY',
  });
  await holder.query('SELECT pg_advisory_unlock_all()');
  holder.release();
  return mergeBatch(db, pool, task(runId, 2), { lockTimeoutMs: 100 }, rules);
}

/** A run clusters {d, b}; then, before its merge stage, b is merged into a elsewhere (API, another run). */
async function clusteredThenMergedElsewhere(a: number, b: number, d: number): Promise<number> {
  const runId = await newRun();
  await clusters(runId, [[d, b]]);
  await mergeElsewhere(a, b);
  return runId;
}

const mergeElsewhere = (survivorId: number, loser: number) => mergeNow(db, pool, survivorId, [loser]);

describe('run merge stage', () => {
  it('a merge task retried after MERGE_BUSY still reports every merge it made', async () => {
    const { d, runId } = await twoClusters();
    // Another engine holds contact d: cluster 2 comes back 'retry', cluster 1 is merged.
    const result = await mergeTwiceAroundBusy(runId, d);
    expect(await completedMerges(runId)).toBe(2);
    expect(result.merges).toBe(2);
    expect((await runReport(db, runId)).stages.merge?.items).toBe(2);
  });

  it('a retried task still counts the clusters it sent to review', async () => {
    const { a, b, d, runId } = await twoClusters();
    await related(db, a, { opportunities: 1 });
    await related(db, b, { opportunities: 1 });
    const result = await mergeTwiceAroundBusy(runId, d, ['open_opportunities_on_both']);
    const inReview = await db
      .selectFrom('clusters')
      .select('cluster_no')
      .where('run_id', '=', runId)
      .where('status', '=', 'review')
      .execute();
    expect(inReview).toHaveLength(1);
    expect(result.review).toBe(1);
  });

  it('one contact deleted since clustering does not keep the other clusters of the task from merging', async () => {
    const { d, runId } = await twoClusters();
    await db.deleteFrom('contacts').where('id', '=', d).execute(); // deleted by a CRM user meanwhile
    const err = await mergeBatch(db, pool, task(runId, 2), {}, []).then(
      () => null,
      (e) => e,
    );
    // Not the whole task failing for good on CONTACT_NOT_FOUND: cluster 2 alone is refused.
    expect(err).toBeNull();
    const c2 = await db
      .selectFrom('clusters')
      .select(['status', 'reason'])
      .where('run_id', '=', runId)
      .where('cluster_no', '=', 2)
      .executeTakeFirstOrThrow();
    expect(c2).toEqual({ status: 'refused', reason: `contact(s) ${d} no longer exist` });
    const c1 = await db
      .selectFrom('clusters')
      .select('status')
      .where('run_id', '=', runId)
      .where('cluster_no', '=', 1)
      .executeTakeFirstOrThrow();
    expect(c1.status).toBe('merged');
  });

  it('open_opportunities_on_both is checked on the contacts the merge really joins (after chains)', async () => {
    const [a, b, d] = await contacts();
    await related(db, a, { opportunities: 1 });
    await related(db, d, { opportunities: 1 });
    const runId = await clusteredThenMergedElsewhere(a, b, d);
    const r = await mergeBatch(db, pool, task(runId, 1), {}, ['open_opportunities_on_both']);
    const open = await db
      .selectFrom('opportunities')
      .select('contact_id')
      .where('stage', '=', 'open')
      .execute();
    // Not merged: d would hold both open opportunities.
    expect(r.review, JSON.stringify({ r, open })).toBe(1);
    expect(r.merges).toBe(0);
  });

  it('different_owners is checked on the contacts the merge really joins (after chains)', async () => {
    await ensureUsersAndLists(db);
    const [a, b, d] = await contacts();
    await db.updateTable('contacts').set({ owner_id: 2 }).where('id', '=', a).execute();
    await db.updateTable('contacts').set({ owner_id: 1 }).where('id', 'in', [b, d]).execute();
    const runId = await clusteredThenMergedElsewhere(a, b, d);
    const r = await mergeBatch(db, pool, task(runId, 1), {}, ['different_owners']);
    expect(r.review).toBe(1);
    expect(r.merges).toBe(0);
  });
});

describe('cancel', () => {
  it('a run cancelled while a merge is half applied does not leave it half applied', async () => {
    const [a, b] = await contacts();
    await related(db, b, { activities: 4 });
    const runId = await newRun();
    await clusters(runId, [[a, b]]);
    // The worker dies after the first chunk of b's activities moved (chunked path: chunkRows 1).
    let chunks = 0;
    const crash = {
      chunkRows: 1,
      hooks: {
        onStep: (s: { name: string }) => {
          if (s.name === 'chunk:committed' && ++chunks === 1) throw new StepInterrupted(new Error('SIGKILL'));
        },
      },
    };
    await expect(mergeBatch(db, pool, task(runId, 1), crash, [])).rejects.toBeInstanceOf(StepInterrupted);
    // The operator cancels the run; BullMQ then hands the job to another worker.
    expect(await cancelRun(db, runId)).toBe(true);
    const ctx = {
      db,
      pool,
      config: loadConfig({ ...env.childEnv, LOG_LEVEL: 'silent' }),
      metrics: createMetrics(),
    } as never;
    const out = await merger.process({ kind: 'batch', runId, taskNo: 0, fromCluster: 1, toCluster: 1 }, ctx);
    const m = await db
      .selectFrom('merges')
      .select(['status'])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    const split = await sql<{ contact_id: number; n: number }>`
      SELECT contact_id, count(*)::int AS n FROM activities GROUP BY contact_id ORDER BY 1`.execute(db);
    const tomb = await db
      .selectFrom('contacts')
      .select('merged_into')
      .where('id', '=', b)
      .executeTakeFirstOrThrow();
    // Finished, not left in between: b a tombstone, all 4 activities on a, the cluster merged.
    expect(m.status, JSON.stringify({ out, split: split.rows, tomb })).toBe('completed');
    expect(out).toEqual({ skipped: 'run ended', finished: 1 });
    expect(split.rows).toEqual([{ contact_id: a, n: 4 }]);
    expect(Number(tomb.merged_into)).toBe(a);
  });
});

describe('review verdicts', () => {
  it("accepting a review pair merges it once, its survivor by the run's survivorship rule", async () => {
    const a = await contact(db, { email: 'ann@x', company: 'Acme', city: 'Oslo' }); // the more complete
    const [b, c, d] = [await contact(db, { email: 'b@x' }), await contact(db), await contact(db)];
    const runId = await newRun(DEFAULT_PROFILE);
    for (const [x, y] of [
      [a, b],
      [c, d],
    ] as const)
      await sql`INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
        VALUES (${runId}, ${x}, ${y}, 0.7, 3, 'review', '{}'::jsonb)`.execute(db);
    const out = await acceptReviewPair(db, pool, { runId, a: b, b: a }, 'alice', {});
    expect(out).toMatchObject({ status: 'completed', survivorId: a, loserIds: [b] });
    const again = await acceptReviewPair(db, pool, { runId, a, b }, 'alice', {});
    expect(again.mergeId).toBe(out.mergeId);
    const m = await db
      .selectFrom('merges')
      .select(['requested_by', 'reason', 'run_id'])
      .where('id', '=', out.mergeId)
      .executeTakeFirstOrThrow();
    expect(m).toEqual({ requested_by: 'alice', reason: `accepted in review of run ${runId}`, run_id: null });
    // A rejected pair is not merged by a later accept.
    expect(await setReviewVerdict(db, { runId, a: c, b: d }, 'rejected', 'bob')).toBe(true);
    await expect(acceptReviewPair(db, pool, { runId, a: c, b: d }, 'alice', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a verdict cannot silently overwrite an earlier one', async () => {
    const [a, b] = await contacts();
    const runId = await newRun();
    await sql`INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
      VALUES (${runId}, ${a}, ${b}, 0.7, 3, 'review', '{}'::jsonb)`.execute(db);
    expect(await setReviewVerdict(db, { runId, a, b }, 'accepted', 'alice')).toBe(true);
    // Bob decides later from a stale list: "returns false when there is no such pending pair".
    expect(await setReviewVerdict(db, { runId, a: b, b: a }, 'rejected', 'bob')).toBe(false);
    const p = await db
      .selectFrom('pairs')
      .select(['review_status', 'reviewed_by'])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(p).toEqual({ review_status: 'accepted', reviewed_by: 'alice' });
  });

  it('a cluster a safety rule sent to review reaches the review list', async () => {
    const [a, b] = await contacts();
    await related(db, a, { opportunities: 1 });
    await related(db, b, { opportunities: 1 });
    const runId = await newRun();
    await clusters(runId, [[a, b]]);
    const r = await mergeBatch(db, pool, task(runId, 1), {}, ['open_opportunities_on_both']);
    expect(r.review).toBe(1);
    const listed = await listReviewPairs(db, { runId, limit: 50 });
    expect(listed.map((p) => [Number(p.a_id), Number(p.b_id)])).toEqual([[Math.min(a, b), Math.max(a, b)]]);
    // ...and a person can decide it.
    expect(await setReviewVerdict(db, { runId, a, b }, 'rejected', 'carol')).toBe(true);
  });

  it('the review list leaves out a pair whose two contacts now live in one', async () => {
    const [a, b] = await contacts();
    const runId = await newRun();
    await sql`INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
      VALUES (${runId}, ${a}, ${b}, 0.7, 3, 'review', '{}'::jsonb)`.execute(db);
    await mergeElsewhere(a, b);
    expect(await listReviewPairs(db, { runId, limit: 50 })).toHaveLength(0);
    expect(await setReviewVerdict(db, { runId, a, b }, 'accepted', 'alice')).toBe(false);
  });

  it('keeps a pair whose contact was merged into a third one (its own run, say), saying where it lives', async () => {
    const [a, b, c] = await contacts();
    const runId = await newRun(DEFAULT_PROFILE);
    await sql`INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
      VALUES (${runId}, ${a}, ${b}, 0.7, 3, 'review', '{}'::jsonb)`.execute(db);
    await mergeElsewhere(c, b); // b's cluster merged into c
    const [listed] = await listReviewPairs(db, { runId, limit: 50 });
    expect(listed).toMatchObject({ a_live: a, b_live: c });
    // Accepting it merges the contacts as they live now: a and c.
    const out = await acceptReviewPair(db, pool, { runId, a, b }, 'alice', {});
    expect(out.status).toBe('completed');
    expect(new Set([out.survivorId, ...out.loserIds])).toEqual(new Set([a, c]));
    expect((await acceptReviewPair(db, pool, { runId, a, b }, 'alice', {})).mergeId).toBe(out.mergeId);
  });
});
