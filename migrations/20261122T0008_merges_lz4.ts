import { type Kysely, sql } from 'kysely';

// The audit row of a merge (snapshot of every record, plan, conflicts) is usually over the TOAST
// threshold, so every completed merge compresses it: lz4 does that in about half pglz's time. Only
// values written from now on use it; servers built without lz4 keep pglz.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      ALTER TABLE merges ALTER COLUMN snapshot SET COMPRESSION lz4, ALTER COLUMN plan SET COMPRESSION lz4,
                         ALTER COLUMN conflicts SET COMPRESSION lz4, ALTER COLUMN rows_moved SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN
      RAISE NOTICE 'lz4 not available: merges keeps pglz';
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE merges ALTER COLUMN snapshot SET COMPRESSION default, ALTER COLUMN plan SET COMPRESSION default,
                       ALTER COLUMN conflicts SET COMPRESSION default, ALTER COLUMN rows_moved SET COMPRESSION default;
  `.execute(db);
}
