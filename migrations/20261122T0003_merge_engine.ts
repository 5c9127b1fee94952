import { type Kysely, sql } from 'kysely';

// What the merge engine needs beyond 0002: the contacts a merge really touched once chains were
// followed (overlap and undo-dependency checks), a machine-readable refusal/failure code, and an
// 'undoing' status so no merge starts on contacts being restored.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE merges
      ADD COLUMN effective_survivor_id bigint,
      ADD COLUMN effective_loser_ids bigint[],
      ADD COLUMN error_code text;
    ALTER TABLE merges DROP CONSTRAINT merges_status_check;
    ALTER TABLE merges ADD CONSTRAINT merges_status_check
      CHECK (status IN ('pending', 'running', 'completed', 'failed', 'refused', 'undoing', 'undone'));
    -- Merges in flight are few: other engines look for overlaps among them only. A merge that took a
    -- survivor as a loser has turned it into a tombstone, which the contact row itself says.
    CREATE INDEX merges_in_flight_idx ON merges (id) WHERE status IN ('running', 'undoing', 'failed');
    CREATE INDEX merges_effective_survivor_idx ON merges (effective_survivor_id);
    -- A merge that completes (or is undone) updates its cluster's status.
    CREATE INDEX clusters_merge_id_idx ON clusters (merge_id) WHERE merge_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX clusters_merge_id_idx, merges_in_flight_idx, merges_effective_survivor_idx;
    UPDATE merges SET status = 'completed' WHERE status = 'undoing';
    ALTER TABLE merges DROP CONSTRAINT merges_status_check;
    ALTER TABLE merges ADD CONSTRAINT merges_status_check
      CHECK (status IN ('pending', 'running', 'completed', 'failed', 'refused', 'undone'));
    ALTER TABLE merges DROP COLUMN effective_survivor_id, DROP COLUMN effective_loser_ids, DROP COLUMN error_code;
  `.execute(db);
}
