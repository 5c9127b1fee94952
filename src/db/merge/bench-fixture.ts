import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createPool } from '../connection.js';
import type { Database } from '../schema.js';
import { createMergeRequests } from './requests.js';

/**
 * The merge benchmark's data and its baseline, kept here because SQL lives under src/db. The data
 * is generated server-side and deterministically, so it can be loaded twice for two measurements.
 *
 * Shape: clusters of 3 and 2 contacts alternating (the first contact of each survives); every
 * contact has ~activitiesPerContact activities (in every fifth cluster the members share one e-mail
 * thread: consolidation work), two in five contacts a note, one owner and one list membership,
 * chosen so that some losers collide with their survivor on (contact, user) and (contact, list).
 */

export interface BenchShape {
  clusters: number;
  activities: number;
}

/** Contacts of cluster i (0-based): sizes 3, 2, 3, 2...; ids are dense, from 1. */
export function clusterMembers(i: number): number[] {
  const first = Math.floor(i / 2) * 5 + (i % 2 === 0 ? 0 : 3) + 1;
  return Array.from({ length: i % 2 === 0 ? 3 : 2 }, (_, k) => first + k);
}

export function contactCount(clusters: number): number {
  return Math.floor(clusters / 2) * 5 + (clusters % 2 === 1 ? 3 : 0);
}

const MEMBERS = `SELECT (i / 2) * 5 + CASE WHEN i % 2 = 0 THEN 0 ELSE 3 END + k + 1 AS id, i AS cl, k
                   FROM generate_series(0, $1::int - 1) i, generate_series(0, 2) k
                  WHERE k < CASE WHEN i % 2 = 0 THEN 3 ELSE 2 END`;

export async function loadBenchCrm(pool: pg.Pool, shape: BenchShape): Promise<Record<string, number>> {
  const perContact = Math.max(1, Math.round(shape.activities / contactCount(shape.clusters)));
  const run = async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rowCount ?? 0;
  await run(
    `INSERT INTO users (id, name) SELECT g, 'user ' || g FROM generate_series(1, 50) g ON CONFLICT DO NOTHING`,
  );
  await run(
    `INSERT INTO lists (id, name) SELECT g, 'list ' || g FROM generate_series(1, 20) g ON CONFLICT DO NOTHING`,
  );
  const rows: Record<string, number> = {};
  rows.contacts = await run(
    `INSERT INTO contacts (id, first_name, last_name, email, company, city, attributes, created_at, updated_at)
     SELECT id, 'First' || cl, 'Last' || cl, 'p' || id || '@example.com', CASE WHEN k = 0 THEN 'Acme ' || cl END,
            'City ' || (cl % 100), jsonb_build_object('source', CASE WHEN k = 0 THEN 'crm' ELSE 'import' END),
            timestamptz '2024-01-01' + cl * interval '1 minute', timestamptz '2024-06-01' + (cl + k) * interval '1 minute'
       FROM (${MEMBERS}) m`,
    [shape.clusters],
  );
  rows.activities = await run(
    `INSERT INTO activities (contact_id, kind, occurred_at, subject, external_message_id)
     SELECT m.id, 'email', timestamptz '2025-01-01' + (m.id * 10 + r) * interval '1 minute', 'Subject ' || m.id || '/' || r,
            CASE WHEN r = 0 AND m.cl % 5 = 0 THEN 'msg-' || m.cl END
       FROM (${MEMBERS}) m, generate_series(0, $2::int - 1) r`,
    [shape.clusters, perContact],
  );
  rows.notes = await run(
    `INSERT INTO notes (contact_id, body, created_at) SELECT id, 'Note on ' || id, timestamptz '2025-01-01'
       FROM (${MEMBERS}) m WHERE id % 5 < 2`,
    [shape.clusters],
  );
  // Even clusters: every member owned by the same user (losers collide with the survivor).
  rows.contact_owners = await run(
    `INSERT INTO contact_owners (contact_id, user_id, created_at)
     SELECT id, 1 + (cl + CASE WHEN cl % 2 = 0 THEN 0 ELSE k END) % 50, timestamptz '2025-01-01' FROM (${MEMBERS}) m`,
    [shape.clusters],
  );
  // One cluster in three: every member on the same list.
  rows.list_memberships = await run(
    `INSERT INTO list_memberships (contact_id, list_id, added_at)
     SELECT id, 1 + (cl + CASE WHEN cl % 3 = 0 THEN 0 ELSE k END) % 20, timestamptz '2025-01-01' FROM (${MEMBERS}) m`,
    [shape.clusters],
  );
  await run(`SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts))`);
  await run('VACUUM ANALYZE contacts, activities, notes, contact_owners, list_memberships');
  return rows;
}

/** Empties the CRM and the merge audit, so the same data can be loaded again. */
export async function resetBenchCrm(pool: pg.Pool): Promise<void> {
  await pool.query(
    `TRUNCATE merge_journal_entries, merges, activities, notes, opportunities, tickets, contact_owners, list_memberships, contacts
     RESTART IDENTITY CASCADE`,
  );
  await pool.query('VACUUM ANALYZE merge_journal_entries, merges');
}

export async function createBenchRun(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO dedupe_runs (profile, trigger) VALUES ('{}', 'bench') RETURNING id`,
  );
  return Number(rows[0]!.id);
}

/** One merge request per cluster (first member survives), in a new run: the run and the merge ids, in cluster order. */
export async function requestBenchMerges(
  db: Kysely<Database>,
  pool: pg.Pool,
  clusters: number,
): Promise<{ runId: number; ids: number[] }> {
  const runId = await createBenchRun(pool);
  const created = await createMergeRequests(
    db,
    Array.from({ length: clusters }, (_, i) => {
      const [survivorId, ...duplicateIds] = clusterMembers(i);
      return { survivorId: survivorId!, duplicateIds, source: 'run' as const, requestedBy: 'bench', runId };
    }),
  );
  return { runId, ids: created.map((c) => c.id) };
}

/**
 * The baseline: the same re-pointing as one plain statement (an UPDATE ... FROM per table, in one
 * statement), with no chunking, journal, locks or audit. Rows that would break a unique key on the
 * survivor are deleted instead (the engine sets them aside). Returns the rows re-pointed or deleted.
 */
export async function repointInOneStatement(pool: pg.Pool, clusters: number): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `WITH c AS (SELECT id, cl, k FROM (${MEMBERS}) x),
     m AS MATERIALIZED (SELECT l.id AS loser, s.id AS survivor FROM c l JOIN c s ON s.cl = l.cl AND s.k = 0 WHERE l.k > 0),
     a AS (UPDATE activities t SET contact_id = m.survivor FROM m WHERE t.contact_id = m.loser RETURNING 1),
     n AS (UPDATE notes t SET contact_id = m.survivor FROM m WHERE t.contact_id = m.loser RETURNING 1),
     od AS (DELETE FROM contact_owners t USING m WHERE t.contact_id = m.loser
              AND EXISTS (SELECT 1 FROM contact_owners s WHERE s.contact_id = m.survivor AND s.user_id = t.user_id) RETURNING 1),
     o AS (UPDATE contact_owners t SET contact_id = m.survivor FROM m WHERE t.contact_id = m.loser
              AND NOT EXISTS (SELECT 1 FROM contact_owners s WHERE s.contact_id = m.survivor AND s.user_id = t.user_id) RETURNING 1),
     ld AS (DELETE FROM list_memberships t USING m WHERE t.contact_id = m.loser
              AND EXISTS (SELECT 1 FROM list_memberships s WHERE s.contact_id = m.survivor AND s.list_id = t.list_id) RETURNING 1),
     l AS (UPDATE list_memberships t SET contact_id = m.survivor FROM m WHERE t.contact_id = m.loser
              AND NOT EXISTS (SELECT 1 FROM list_memberships s WHERE s.contact_id = m.survivor AND s.list_id = t.list_id) RETURNING 1)
     SELECT ((SELECT count(*) FROM a) + (SELECT count(*) FROM n) + (SELECT count(*) FROM od) + (SELECT count(*) FROM o)
           + (SELECT count(*) FROM ld) + (SELECT count(*) FROM l))::int AS n`,
    [clusters],
  );
  return rows[0]!.n;
}

/** A scratch database on the server of `url` (dropped by the returned function). */
export async function createScratchDatabase(
  url: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = createPool({ url, poolSize: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
