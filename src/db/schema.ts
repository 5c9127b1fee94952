import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** kysely table types. bigint ids are read as strings by pg; we parse int8 to number (ids < 2^53). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object = Record<string, unknown>> = JSONColumnType<T, string | undefined, string>;

export interface ContactsTable {
  id: Generated<number>;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  job_title: string | null;
  city: string | null;
  country: string | null;
  postcode: string | null;
  attributes: Json;
  owner_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  merged_into: number | null;
  merged_at: Date | null;
}

export interface ActivitiesTable {
  id: Generated<number>;
  contact_id: number;
  kind: 'email' | 'call' | 'meeting' | 'note' | 'task' | 'form_submission';
  occurred_at: Timestamp;
  subject: string | null;
  body: string | null;
  external_message_id: string | null;
  duplicate_of: number | null;
}

export interface NotesTable {
  id: Generated<number>;
  contact_id: number;
  body: string;
  created_at: Timestamp;
}

export interface OpportunitiesTable {
  id: Generated<number>;
  contact_id: number;
  name: string;
  amount: string | null;
  stage: 'open' | 'won' | 'lost';
  created_at: Timestamp;
}

export interface TicketsTable {
  id: Generated<number>;
  contact_id: number;
  subject: string;
  status: 'open' | 'pending' | 'closed';
  created_at: Timestamp;
}

export interface ContactOwnersTable {
  contact_id: number;
  user_id: number;
  role: Generated<string>;
  created_at: Timestamp;
}

export interface ListMembershipsTable {
  contact_id: number;
  list_id: number;
  added_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  email: string | null;
}

export interface ListsTable {
  id: Generated<number>;
  name: string;
}

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface DedupeRunsTable {
  id: Generated<number>;
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  profile: Json;
  trigger: ColumnType<string, string | undefined, string>;
  schedule_name: string | null;
  stage: string | null;
  stats: Json;
  model: Json | null;
  error: string | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RunTasksTable {
  run_id: number;
  stage: string;
  task_no: number;
  status: ColumnType<'pending' | 'done' | 'failed', 'pending' | 'done' | 'failed' | undefined>;
  attempts: ColumnType<number, number | undefined>;
  result: Json | null;
  error: string | null;
  updated_at: Timestamp;
}

export interface PairsTable {
  run_id: number;
  a_id: number;
  b_id: number;
  score: number;
  match_weight: ColumnType<number, number | undefined, number>;
  decision: 'merge' | 'review';
  weights: Json;
  review_status: ColumnType<
    'pending' | 'accepted' | 'rejected',
    'pending' | 'accepted' | 'rejected' | undefined
  >;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

export interface ClustersTable {
  run_id: number;
  cluster_no: number;
  survivor_id: number;
  size: number;
  min_score: number | null;
  status: ColumnType<string, string | undefined>;
  reason: string | null;
  merge_id: number | null;
}

export interface ClusterMembersTable {
  run_id: number;
  cluster_no: number;
  contact_id: number;
}

export type MergeStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'refused'
  // 'undoing' since migration 20261122T0003.
  | 'undoing'
  | 'undone';

export interface MergesTable {
  id: Generated<number>;
  idempotency_key: string | null;
  source: 'run' | 'api' | 'cli' | 'producer';
  requested_by: string;
  run_id: number | null;
  survivor_id: number;
  loser_ids: number[];
  score: number | null;
  reason: string | null;
  status: ColumnType<MergeStatus, MergeStatus | undefined>;
  field_choices: Json;
  plan: Json | null;
  snapshot: JSONColumnType<unknown[], string | undefined, string> | null;
  conflicts: JSONColumnType<unknown[], string | undefined, string>;
  rows_moved: Json;
  checkpoint: Json;
  error: string | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  undone_at: Date | null;
  // Since migration 20261122T0003: the contacts the merge really touched once chains were followed,
  // and the machine-readable error or refusal code.
  effective_survivor_id: number | null;
  effective_loser_ids: number[] | null;
  error_code: string | null;
}

/**
 * The journal as one row per changed row: a view (migration 20261122T0007) over
 * merge_journal_entries; `id` is the entry's id, shared by the rows of one entry.
 */
export interface MergeJournalTable {
  id: Generated<number>;
  merge_id: number;
  table_name: string;
  column_name: string;
  action: 'moved' | 'set_aside' | 'linked';
  row_key: JSONColumnType<Record<string, unknown>, string, string>;
  from_contact: number;
  to_contact: number;
  row_data: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
}

/** The journal as stored: one entry per statement, its rows as parallel arrays (element i = row i). */
export interface MergeJournalEntriesTable {
  id: Generated<number>;
  table_name: string;
  column_name: string;
  action: 'moved' | 'set_aside' | 'linked';
  row_count: number;
  merge_ids: number[];
  from_contacts: number[];
  to_contacts: number[];
  row_keys: JSONColumnType<Record<string, unknown>[], string, string>;
  row_data: JSONColumnType<Record<string, unknown>[], string | null, string | null> | null;
}

export interface SeedTruthTable {
  contact_id: number;
  entity_id: number;
  variant: string;
}

export interface RunContactsTable {
  run_id: number;
  contact_id: number;
  prepared: string;
  key_hashes: number[];
  tf_values: (string | null)[];
}

export interface RunBucketsTable {
  run_id: number;
  key_hash: number;
  size: number;
  /** Where the bucket's first member falls in the run's id span (0 .. BUCKET_SLOTS - 1). */
  slot: number;
  members: ColumnType<number[], number[] | undefined, number[]>;
}

export interface RunTermFreqsTable {
  run_id: number;
  field_index: number;
  value: string;
  freq: number;
}

export interface Database {
  contacts: ContactsTable;
  activities: ActivitiesTable;
  notes: NotesTable;
  opportunities: OpportunitiesTable;
  tickets: TicketsTable;
  contact_owners: ContactOwnersTable;
  list_memberships: ListMembershipsTable;
  users: UsersTable;
  lists: ListsTable;
  dedupe_runs: DedupeRunsTable;
  run_tasks: RunTasksTable;
  pairs: PairsTable;
  clusters: ClustersTable;
  cluster_members: ClusterMembersTable;
  merges: MergesTable;
  merge_journal: MergeJournalTable;
  merge_journal_entries: MergeJournalEntriesTable;
  seed_truth: SeedTruthTable;
  run_contacts: RunContactsTable;
  run_buckets: RunBucketsTable;
  run_term_freqs: RunTermFreqsTable;
}
