import { type Kysely, sql } from 'kysely';

// Buckets keep their members as an array, built in one GROUP BY over the prepared contacts' key
// arrays: scoring tasks then read their buckets without joining a row per (key, contact), and the
// separate blocking_keys table (with its index maintained on every COPY) is no longer needed.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE run_buckets ADD COLUMN members bigint[] NOT NULL DEFAULT '{}';
    DROP TABLE blocking_keys;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE blocking_keys (run_id bigint NOT NULL, key_hash bigint NOT NULL, contact_id bigint NOT NULL);
    CREATE INDEX blocking_keys_run_key_idx ON blocking_keys (run_id, key_hash);
    ALTER TABLE run_buckets DROP COLUMN members;
  `.execute(db);
}
