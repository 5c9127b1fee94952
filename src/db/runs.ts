import { type Kysely, sql } from 'kysely';
import type { Database, RunStatus } from './schema.js';

export interface NewRun {
  profile: Record<string, unknown>;
  dryRun: boolean;
  trigger: 'cli' | 'schedule' | 'api' | 'bench';
  scheduleName?: string | null;
}

export async function createRun(db: Kysely<Database>, run: NewRun) {
  return db
    .insertInto('dedupe_runs')
    .values({
      profile: JSON.stringify(run.profile),
      dry_run: run.dryRun,
      trigger: run.trigger,
      schedule_name: run.scheduleName ?? null,
      stats: JSON.stringify({}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getRun(db: Kysely<Database>, runId: number) {
  return db.selectFrom('dedupe_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

export async function listRuns(db: Kysely<Database>, limit = 20) {
  return db
    .selectFrom('dedupe_runs')
    .select([
      'id',
      'status',
      'dry_run',
      'trigger',
      'schedule_name',
      'stage',
      'stats',
      'error',
      'created_at',
      'started_at',
      'finished_at',
    ])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function activeRuns(db: Kysely<Database>) {
  return db
    .selectFrom('dedupe_runs')
    .select(['id', 'status', 'stage'])
    .where('status', 'in', ['pending', 'running'])
    .execute();
}

/** Moves a run to `stage` (and running) unless it already ended; returns false when it has ended. */
export async function enterStage(db: Kysely<Database>, runId: number, stage: string): Promise<boolean> {
  const r = await db
    .updateTable('dedupe_runs')
    .set({
      stage,
      status: 'running',
      started_at: sql`coalesce(started_at, now())`,
      // The first time a stage is entered is kept: the report's per-stage times come from it.
      stats: sql`CASE WHEN stats ? ${`started_${stage}`} THEN stats ELSE stats || jsonb_build_object(${`started_${stage}`}::text, now()) END`,
    })
    .where('id', '=', runId)
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishRun(
  db: Kysely<Database>,
  runId: number,
  status: Exclude<RunStatus, 'pending' | 'running'>,
  error?: string,
) {
  await db
    .updateTable('dedupe_runs')
    .set({
      status,
      error: error ?? null,
      finished_at: sql`now()`,
      stage: status === 'completed' ? 'done' : sql`stage`,
    })
    .where('id', '=', runId)
    .where('status', 'in', ['pending', 'running'])
    .execute();
}

/** Merges `patch` into the run's stats (a shallow jsonb merge, so each stage writes its own keys). */
export async function mergeRunStats(db: Kysely<Database>, runId: number, patch: Record<string, unknown>) {
  await db
    .updateTable('dedupe_runs')
    .set({ stats: sql`stats || ${JSON.stringify(patch)}::jsonb` })
    .where('id', '=', runId)
    .execute();
}

export async function isRunLive(db: Kysely<Database>, runId: number): Promise<boolean> {
  const run = await db.selectFrom('dedupe_runs').select('status').where('id', '=', runId).executeTakeFirst();
  return run?.status === 'pending' || run?.status === 'running';
}

// ---- progress checkpoints: one run_tasks row per job of a stage ----

export async function createTasks(db: Kysely<Database>, runId: number, stage: string, count: number) {
  if (count === 0) return;
  await sql`
    INSERT INTO run_tasks (run_id, stage, task_no)
    SELECT ${runId}, ${stage}, g FROM generate_series(0, ${count - 1}) g
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function taskResult<T>(
  db: Kysely<Database>,
  runId: number,
  stage: string,
  taskNo: number,
): Promise<T | undefined> {
  const row = await db
    .selectFrom('run_tasks')
    .select(['status', 'result'])
    .where('run_id', '=', runId)
    .where('stage', '=', stage)
    .where('task_no', '=', taskNo)
    .executeTakeFirst();
  return row?.status === 'done' ? (row.result as T) : undefined;
}

export async function completeTask(
  db: Kysely<Database>,
  runId: number,
  stage: string,
  taskNo: number,
  result: Record<string, unknown>,
) {
  await db
    .updateTable('run_tasks')
    .set({
      status: 'done',
      result: JSON.stringify(result),
      updated_at: sql`now()`,
      attempts: sql`attempts + 1`,
    })
    .where('run_id', '=', runId)
    .where('stage', '=', stage)
    .where('task_no', '=', taskNo)
    .execute();
}

export async function failTask(
  db: Kysely<Database>,
  runId: number,
  stage: string,
  taskNo: number,
  error: string,
) {
  await db
    .updateTable('run_tasks')
    .set({ status: 'failed', error, updated_at: sql`now()`, attempts: sql`attempts + 1` })
    .where('run_id', '=', runId)
    .where('stage', '=', stage)
    .where('task_no', '=', taskNo)
    .where('status', '<>', 'done')
    .execute();
}

export interface StageCounts {
  stage: string;
  total: number;
  done: number;
  failed: number;
}

export interface StageProgress extends StageCounts {
  result: Record<string, number>;
}

/** A stage's tasks in all, done and failed (per GROUP BY stage). */
const TASK_COUNTS = sql`count(*)::int AS total,
  count(*) FILTER (WHERE status = 'done')::int AS done,
  count(*) FILTER (WHERE status = 'failed')::int AS failed`;

/**
 * Per stage: tasks in all, done and failed. Cheap enough for every metrics scrape (stageProgress
 * also sums every task's results).
 */
export async function stageCounts(db: Kysely<Database>, runId: number): Promise<StageCounts[]> {
  const { rows } = await sql<StageCounts>`
    SELECT stage, ${TASK_COUNTS} FROM run_tasks WHERE run_id = ${runId} GROUP BY stage`.execute(db);
  return rows;
}

/** Per stage: tasks done/failed and the sum of every numeric field of the done tasks' results. */
export async function stageProgress(db: Kysely<Database>, runId: number): Promise<StageProgress[]> {
  const { rows } = await sql<{
    stage: string;
    total: number;
    done: number;
    failed: number;
    sums: Record<string, number> | null;
  }>`
    SELECT stage, ${TASK_COUNTS},
           (SELECT jsonb_object_agg(k, s) FROM (
              SELECT k, sum(v::numeric) AS s
              FROM run_tasks t2, jsonb_each_text(t2.result) AS e(k, v)
              WHERE t2.run_id = t.run_id AND t2.stage = t.stage AND t2.status = 'done' AND v ~ '^-?[0-9.]+$'
              GROUP BY k) x) AS sums
    FROM run_tasks t
    WHERE run_id = ${runId}
    GROUP BY run_id, stage`.execute(db);
  return rows.map((r) => ({
    stage: r.stage,
    total: r.total,
    done: r.done,
    failed: r.failed,
    result: mapNumbers(r.sums ?? {}),
  }));
}

function mapNumbers(o: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]));
}
