import { type Kysely, sql } from 'kysely';

// Job ids are derived from run and merge ids (`run-<id>-index-3`, `merge-<id>`), so that enqueueing
// the same work twice keeps one job. Several databases can share one Redis (a reset database, a
// test database, a benchmark): starting each database's ids at a random point keeps their job ids
// apart, where ids counting from 1 would make a new run's jobs collide with an old run's.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    SELECT setval(pg_get_serial_sequence('dedupe_runs', 'id'), greatest((SELECT max(id) FROM dedupe_runs), 0) + 1 + floor(random() * 1e9)::bigint, false);
    SELECT setval(pg_get_serial_sequence('merges', 'id'), greatest((SELECT max(id) FROM merges), 0) + 1 + floor(random() * 1e9)::bigint, false);
  `.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to undo: ids stay where they are.
}
