import { type Kysely, sql } from 'kysely';

// Work tables of a detection run: the prepared (normalized) form of every contact, the buckets and
// their assignment to scoring tasks, and the term frequencies of common values. All derivable from
// contacts, so unlogged and deleted when the run ends.
// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The run's fitted Fellegi-Sunter parameters (m, u, lambda), so anyone can see why pairs matched.
    ALTER TABLE dedupe_runs ADD COLUMN model jsonb;
    -- log2 odds of the pair being a match: unlike the probability it keeps its resolution near 1.
    ALTER TABLE pairs ADD COLUMN match_weight real NOT NULL DEFAULT 0;
    CREATE UNLOGGED TABLE run_contacts (
      run_id bigint NOT NULL,
      contact_id bigint NOT NULL,
      prepared text NOT NULL,
      key_hashes bigint[] NOT NULL,
      tf_values text[] NOT NULL,
      PRIMARY KEY (run_id, contact_id)
    );
    CREATE INDEX blocking_keys_run_key_idx ON blocking_keys (run_id, key_hash);
    CREATE UNLOGGED TABLE run_buckets (
      run_id bigint NOT NULL,
      key_hash bigint NOT NULL,
      size integer NOT NULL,
      task_no integer NOT NULL,
      PRIMARY KEY (run_id, key_hash)
    );
    CREATE INDEX run_buckets_task_idx ON run_buckets (run_id, task_no);
    CREATE UNLOGGED TABLE run_term_freqs (
      run_id bigint NOT NULL,
      field_index integer NOT NULL,
      value text NOT NULL,
      freq double precision NOT NULL,
      PRIMARY KEY (run_id, field_index, value)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE run_term_freqs, run_buckets, run_contacts;
    DROP INDEX blocking_keys_run_key_idx;
    ALTER TABLE dedupe_runs DROP COLUMN model;
    ALTER TABLE pairs DROP COLUMN match_weight;
  `.execute(db);
}
