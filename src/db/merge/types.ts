import type { ColumnType } from 'kysely';
import type { Database, MergesTable } from '../schema.js';

/**
 * Columns added to `merges` by migration 20261122T0003 (not in src/db/schema.ts): the contacts a
 * merge really touched once chains were followed, and the machine-readable error/refusal code.
 * The status set gains 'undoing'.
 */
export type MergeEngineStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'refused'
  | 'undoing'
  | 'undone';

export interface MergesEngineTable extends Omit<MergesTable, 'status'> {
  status: ColumnType<MergeEngineStatus, MergeEngineStatus | undefined, MergeEngineStatus>;
  effective_survivor_id: number | null;
  effective_loser_ids: number[] | null;
  error_code: string | null;
}

export interface MergeDatabase extends Omit<Database, 'merges'> {
  merges: MergesEngineTable;
}
