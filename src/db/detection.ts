import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { CONTACT_COLUMNS } from '../core/profile/index.js';
import { BUCKET_SLOTS } from '../core/score-plan.js';
import { inPoolTransaction } from './connection.js';
import { copyRows } from './copy.js';
import { PAIRS_OF_CLUSTERS_TO_REVIEW_SQL } from './run-merges.js';
import type { Database } from './schema.js';

/** Repository of a detection run: contacts pages, blocking keys, buckets, pairs and clusters. */

export const CONTACT_MATCH_COLUMNS = [
  'id',
  ...CONTACT_COLUMNS,
  'attributes',
  'created_at',
  'updated_at',
] as const;

export type ContactRow = Record<(typeof CONTACT_MATCH_COLUMNS)[number], unknown> & { id: number };

/** Live (not merged) contact ids: bounds for splitting the indexer's work into id ranges. */
export async function liveContactBounds(db: Kysely<Database>) {
  const row = await db
    .selectFrom('contacts')
    .select([
      sql<number>`coalesce(min(id), 0)`.as('min'),
      sql<number>`coalesce(max(id), 0)`.as('max'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  return { min: Number(row.min), max: Number(row.max), count: Number(row.count) };
}

/** One keyset page of live contacts with from <= id < to and id > after. */
export async function contactsPage(
  db: Kysely<Database>,
  fromId: number,
  toId: number,
  afterId: number,
  limit: number,
) {
  return (await db
    .selectFrom('contacts')
    .select(CONTACT_MATCH_COLUMNS)
    .where('id', '>=', fromId)
    .where('id', '<', toId)
    .where('id', '>', afterId)
    .where('merged_into', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute()) as unknown as ContactRow[];
}

export async function contactsByIds(db: Kysely<Database>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return (await db
    .selectFrom('contacts')
    .select(CONTACT_MATCH_COLUMNS)
    .where('id', '=', sql<number>`any(${sql.val([...ids])}::bigint[])`)
    .execute()) as unknown as ContactRow[];
}

/** Marks a task done with its result, inside the caller's transaction (the task's checkpoint). */
async function markTaskDone(
  client: pg.PoolClient,
  runId: number,
  stage: string,
  taskNo: number,
  result: Record<string, unknown>,
) {
  await client.query(
    `UPDATE run_tasks SET status = 'done', result = $4, updated_at = now(), attempts = attempts + 1
     WHERE run_id = $1 AND stage = $2 AND task_no = $3`,
    [runId, stage, taskNo, JSON.stringify(result)],
  );
}

export interface IndexedContact {
  contactId: number;
  prepared: string;
  keyHashes: number[];
  tfValues: (string | null)[];
}

/**
 * Writes one index task atomically: its contacts' prepared records and blocking keys, and the task's
 * checkpoint. A crash anywhere rolls it all back, so a retry starts clean.
 */
export async function writeIndexTask(
  pool: pg.Pool,
  runId: number,
  stage: string,
  taskNo: number,
  contacts: readonly IndexedContact[],
  result: Record<string, number>,
) {
  await inPoolTransaction(pool, async (client) => {
    await copyRows(
      client,
      'run_contacts',
      ['run_id', 'contact_id', 'prepared', 'key_hashes', 'tf_values'],
      contacts,
      (c) => [runId, c.contactId, c.prepared, `{${c.keyHashes.join(',')}}`, pgTextArray(c.tfValues)],
    );
    await markTaskDone(client, runId, stage, taskNo, result);
  });
}

function pgTextArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** How many contacts the run indexed, and their smallest and largest id (span null when none). */
export async function runContactSpan(db: Kysely<Database>, runId: number) {
  const { rows } = await sql<{ n: number; min: string | null; max: string | null }>`
    SELECT count(*)::int AS n, min(contact_id) AS min, max(contact_id) AS max
    FROM run_contacts WHERE run_id = ${runId}`.execute(db);
  const r = rows[0];
  return {
    contacts: r?.n ?? 0,
    span: r?.min == null || r.max == null ? null : { min: Number(r.min), max: Number(r.max) },
  };
}

/**
 * Fresh statistics for a work table the run just filled: without them the planner takes the run's
 * million rows for one and scans them all to fetch a scoring task's few thousand.
 */
export async function analyzeWorkTable(db: Kysely<Database>, table: 'run_contacts' | 'run_buckets') {
  await sql`ANALYZE ${sql.table(table)}`.execute(db);
}

/**
 * Groups the run's contacts by blocking key into buckets of two or more (members sorted), for the key
 * hashes of one partition (hash % partitions): the partitions run at once on separate connections, so
 * the grouping uses every core of the server. Each bucket gets the slot of its first member (see
 * core/score-plan.ts). Idempotent: a second call finds the buckets already there.
 */
export async function buildBuckets(
  db: Kysely<Database>,
  runId: number,
  partition: { index: number; count: number },
  span: { min: number; max: number },
) {
  const slots = BUCKET_SLOTS;
  await db.transaction().execute(async (trx) => {
    // One statement over millions of keys: compiling it (JIT) costs more than it saves, and sorting
    // in memory beats spilling to disk.
    await sql`SET LOCAL jit = off`.execute(trx);
    await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
    await sql`
      INSERT INTO run_buckets (run_id, key_hash, size, slot, members)
      SELECT ${runId}, k, count(*)::int,
             -- slotOf (core/score-plan) of the first member; work-data.test checks the two agree.
             least(${slots - 1}, greatest(0, floor((min(contact_id) - ${span.min})::float8 * ${slots} / ${span.max - span.min + 1})))::int,
             array_agg(contact_id ORDER BY contact_id)
      FROM run_contacts, unnest(key_hashes) AS k
      WHERE run_id = ${runId} AND k % ${partition.count} = ${partition.index}
      GROUP BY k HAVING count(*) > 1
      ON CONFLICT DO NOTHING`.execute(trx);
  });
}

/** Candidate pairs per slot (an oversized bucket counted at the cap's worth), and bucket totals. */
export async function slotLoads(db: Kysely<Database>, runId: number, cap: number) {
  const { rows } = await sql<{ slot: number; pairs: string; buckets: number; oversized: number }>`
    SELECT slot, sum(least(size, ${cap})::bigint * (least(size, ${cap}) - 1) / 2 + size) AS pairs,
           count(*)::int AS buckets, count(*) FILTER (WHERE size > ${cap})::int AS oversized
    FROM run_buckets WHERE run_id = ${runId} GROUP BY slot ORDER BY slot`.execute(db);
  return {
    slots: rows.map((r) => ({ slot: r.slot, pairs: Number(r.pairs) })),
    buckets: rows.reduce((a, r) => a + r.buckets, 0),
    oversized: rows.reduce((a, r) => a + r.oversized, 0),
  };
}

/** Key hashes of the run's buckets over the cap (few; every scoring task needs them). */
export async function oversizedKeys(db: Kysely<Database>, runId: number, cap: number): Promise<number[]> {
  const rows = await db
    .selectFrom('run_buckets')
    .select('key_hash')
    .where('run_id', '=', runId)
    .where('size', '>', cap)
    .execute();
  return rows.map((r) => Number(r.key_hash));
}

export interface BucketMembers {
  keyHash: number;
  contactIds: number[];
}

/** A stored prepared record (packed with its blocking-key hashes, see core/profile/packed.ts). */
export interface PreparedRow {
  contactId: number;
  prepared: string;
}

interface StoredPrepared {
  contact_id: string | number;
  prepared: string;
}

const preparedRow = (r: StoredPrepared): PreparedRow => ({
  contactId: Number(r.contact_id),
  prepared: r.prepared,
});

/** The buckets of one scoring task with their members, and every member's prepared record (once). */
export async function loadScoreTask(
  db: Kysely<Database>,
  runId: number,
  slots: { fromSlot: number; toSlot: number },
) {
  const { rows } = await sql<{ key_hash: string; members: number[] }>`
    SELECT key_hash, members FROM run_buckets
    WHERE run_id = ${runId} AND slot BETWEEN ${slots.fromSlot} AND ${slots.toSlot}`.execute(db);
  const buckets: BucketMembers[] = rows.map((r) => ({
    keyHash: Number(r.key_hash),
    contactIds: r.members,
  }));
  const ids = [...new Set(buckets.flatMap((b) => b.contactIds))];
  const prepared = await preparedByIds(db, runId, ids);
  return { buckets, prepared };
}

export async function preparedByIds(
  db: Kysely<Database>,
  runId: number,
  ids: readonly number[],
): Promise<PreparedRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<StoredPrepared>`
    SELECT contact_id, prepared FROM run_contacts
    WHERE run_id = ${runId} AND contact_id = any(${sql.val([...ids])}::bigint[])`.execute(db);
  return rows.map(preparedRow);
}

/** A random sample of the run's prepared contacts (for u estimation from random pairs). */
export async function samplePrepared(
  db: Kysely<Database>,
  runId: number,
  limit: number,
): Promise<PreparedRow[]> {
  const { rows } = await sql<StoredPrepared>`
    SELECT contact_id, prepared FROM run_contacts
    WHERE run_id = ${runId} ORDER BY hashint8(contact_id), contact_id LIMIT ${limit}`.execute(db);
  return rows.map(preparedRow);
}

/** Some buckets' members (a spread of keys), for EM over blocked pairs. */
export async function sampleBuckets(
  db: Kysely<Database>,
  runId: number,
  maxBuckets: number,
  cap: number,
): Promise<BucketMembers[]> {
  const { rows } = await sql<{ key_hash: string; members: number[] }>`
    SELECT key_hash, members FROM run_buckets
    WHERE run_id = ${runId} AND size <= ${cap}
    ORDER BY hashint8(key_hash), key_hash LIMIT ${maxBuckets}`.execute(db);
  return rows.map((r) => ({ keyHash: Number(r.key_hash), contactIds: r.members }));
}

/** Frequencies of repeated values per TF field (values seen once get 1/N in the model). */
export async function computeTermFreqs(db: Kysely<Database>, runId: number) {
  await sql`
    INSERT INTO run_term_freqs (run_id, field_index, value, freq)
    SELECT ${runId}, (i - 1)::int, v, count(*)::double precision / (SELECT count(*) FROM run_contacts WHERE run_id = ${runId})
    FROM run_contacts, unnest(tf_values) WITH ORDINALITY AS u(v, i)
    WHERE run_id = ${runId} AND v IS NOT NULL
    GROUP BY i, v HAVING count(*) > 1
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function loadTermFreqs(db: Kysely<Database>, runId: number) {
  const rows = await db
    .selectFrom('run_term_freqs')
    .select(['field_index', 'value', 'freq'])
    .where('run_id', '=', runId)
    .execute();
  const byField = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const m = byField.get(r.field_index) ?? new Map<string, number>();
    byField.set(r.field_index, m);
    m.set(r.value, r.freq);
  }
  return byField;
}

export interface ScoredPair {
  a: number;
  b: number;
  score: number;
  weight: number;
  decision: 'merge' | 'review';
  weights: string;
}

/** Stores one scoring task's pairs and its checkpoint in one transaction (a pair already stored stays). */
export async function writeScoreTask(
  pool: pg.Pool,
  runId: number,
  taskNo: number,
  pairs: readonly ScoredPair[],
  result: Record<string, number>,
) {
  await inPoolTransaction(pool, async (client) => {
    for (let i = 0; i < pairs.length; i += 5000) {
      const chunk = pairs.slice(i, i + 5000);
      await client.query(
        `INSERT INTO pairs (run_id, a_id, b_id, score, match_weight, decision, weights)
         SELECT $1, a, b, s, mw, d, w::jsonb
         FROM unnest($2::bigint[], $3::bigint[], $4::real[], $5::real[], $6::text[], $7::text[]) AS t(a, b, s, mw, d, w)
         ON CONFLICT DO NOTHING`,
        [
          runId,
          chunk.map((p) => p.a),
          chunk.map((p) => p.b),
          chunk.map((p) => p.score),
          chunk.map((p) => p.weight),
          chunk.map((p) => p.decision),
          chunk.map((p) => p.weights),
        ],
      );
    }
    await markTaskDone(client, runId, 'score', taskNo, result);
  });
}

/** The run's sure pairs, as parallel arrays (a million edges stay compact). */
export async function sureEdges(db: Kysely<Database>, runId: number) {
  const { rows } = await sql<{ a: number[]; b: number[]; s: number[] }>`
    SELECT coalesce(array_agg(a_id), '{}') AS a, coalesce(array_agg(b_id), '{}') AS b, coalesce(array_agg(match_weight), '{}') AS s
    FROM pairs WHERE run_id = ${runId} AND decision = 'merge'`.execute(db);
  const r = rows[0];
  return { a: (r?.a ?? []).map(Number), b: (r?.b ?? []).map(Number), weight: (r?.s ?? []).map(Number) };
}

export interface ClusterRow {
  clusterNo: number;
  survivorId: number;
  members: number[];
  minScore: number;
  status: 'pending' | 'review';
  reason: string | null;
}

/** Replaces the run's clusters (idempotent), then marks its stage task done, in one transaction. */
export async function writeClusters(
  pool: pg.Pool,
  runId: number,
  clusters: readonly ClusterRow[],
  cutPairs: readonly [number, number][],
  result: Record<string, number>,
) {
  await inPoolTransaction(pool, async (client) => {
    await client.query('DELETE FROM clusters WHERE run_id = $1', [runId]);
    for (let i = 0; i < clusters.length; i += 5000) {
      const chunk = clusters.slice(i, i + 5000);
      await client.query(
        `INSERT INTO clusters (run_id, cluster_no, survivor_id, size, min_score, status, reason)
         SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::int[], $5::real[], $6::text[], $7::text[])`,
        [
          runId,
          chunk.map((c) => c.clusterNo),
          chunk.map((c) => c.survivorId),
          chunk.map((c) => c.members.length),
          chunk.map((c) => c.minScore),
          chunk.map((c) => c.status),
          chunk.map((c) => c.reason),
        ],
      );
      const memberCluster: number[] = [];
      const memberIds: number[] = [];
      for (const c of chunk)
        for (const m of c.members) {
          memberCluster.push(c.clusterNo);
          memberIds.push(m);
        }
      await client.query(
        `INSERT INTO cluster_members (run_id, cluster_no, contact_id) SELECT $1, * FROM unnest($2::int[], $3::bigint[])`,
        [runId, memberCluster, memberIds],
      );
    }
    // Clusters sent to review (over the size cap) show their pairs in the review list.
    const toReview = clusters.filter((c) => c.status === 'review').map((c) => c.clusterNo);
    if (toReview.length > 0) await client.query(PAIRS_OF_CLUSTERS_TO_REVIEW_SQL, [runId, toReview]);
    // Bridges cut by the chaining guard go to review, so that a person can still join the two groups.
    for (let i = 0; i < cutPairs.length; i += 5000) {
      const chunk = cutPairs.slice(i, i + 5000);
      await client.query(
        `UPDATE pairs SET decision = 'review' FROM unnest($2::bigint[], $3::bigint[]) AS t(a, b)
         WHERE run_id = $1 AND a_id = least(t.a, t.b) AND b_id = greatest(t.a, t.b)`,
        [runId, chunk.map((p) => p[0]), chunk.map((p) => p[1])],
      );
    }
    await client.query(
      `INSERT INTO run_tasks (run_id, stage, task_no, status, result, attempts) VALUES ($1, 'cluster', 0, 'done', $2, 1)
       ON CONFLICT (run_id, stage, task_no) DO UPDATE SET status = 'done', result = EXCLUDED.result, updated_at = now()`,
      [runId, JSON.stringify(result)],
    );
  });
}

/** Work tables of a finished run are derivable and large: drop its rows. */
export async function dropRunWorkData(db: Kysely<Database>, runId: number) {
  if (await truncateIdleWorkTables(db, runId)) return;
  await db.deleteFrom('run_contacts').where('run_id', '=', runId).execute();
  await db.deleteFrom('run_buckets').where('run_id', '=', runId).execute();
  await db.deleteFrom('run_term_freqs').where('run_id', '=', runId).execute();
}

/**
 * A million deleted rows stay as dead space that the next run scans; when no other run is live
 * (only live runs have work data: finishing and cancelling drop it), the tables are emptied outright
 * instead. Under the exclusive lock nobody can insert in between, and a run writes work data only
 * once it is running, which the check sees. A run busy with the tables keeps the lock from us
 * (NOWAIT): then false, and the caller deletes this run's rows.
 */
async function truncateIdleWorkTables(db: Kysely<Database>, runId: number): Promise<boolean> {
  return db
    .transaction()
    .execute(async (trx) => {
      await sql`LOCK TABLE run_contacts, run_buckets, run_term_freqs IN ACCESS EXCLUSIVE MODE NOWAIT`.execute(
        trx,
      );
      const { rows } = await sql<{ busy: boolean }>`
        SELECT EXISTS (SELECT 1 FROM dedupe_runs WHERE id <> ${runId} AND status IN ('pending', 'running')) AS busy`.execute(
        trx,
      );
      if (rows[0]?.busy) return false;
      await sql`TRUNCATE run_contacts, run_buckets, run_term_freqs`.execute(trx);
      return true;
    })
    .catch((err: { code?: string }) => {
      if (err.code !== '55P03') throw err; // lock_not_available: another run is using them
      return false;
    });
}
