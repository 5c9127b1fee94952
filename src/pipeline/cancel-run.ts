import type { Kysely } from 'kysely';
import { dropRunWorkData } from '../db/detection.js';
import { finishRun, isRunLive } from '../db/runs.js';
import type { Database } from '../db/schema.js';

/** Cancels a live run: every job of it still queued finds the run ended and does nothing. */
export async function cancelRun(db: Kysely<Database>, runId: number): Promise<boolean> {
  if (!(await isRunLive(db, runId))) return false;
  await finishRun(db, runId, 'cancelled');
  await dropRunWorkData(db, runId);
  return true;
}
