import { type Kysely, sql } from 'kysely';

// Buckets are dealt to scoring tasks by their first (smallest) member: a bucket's slot is where that
// member falls in the run's id span, and a task takes a range of slots. Buckets that share contacts
// (a duplicate pair shares several keys) then land in the same task, which loads each contact once
// instead of once per bucket. The column held a task number before; tasks are now slot ranges.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE run_buckets RENAME COLUMN task_no TO slot;
    ALTER INDEX run_buckets_task_idx RENAME TO run_buckets_slot_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER INDEX run_buckets_slot_idx RENAME TO run_buckets_task_idx;
    ALTER TABLE run_buckets RENAME COLUMN slot TO task_no;
  `.execute(db);
}
