import { type Kysely, sql } from 'kysely';
import { MergeError } from '../../core/merge/errors.js';
import { stableJson } from '../../core/merge/fields.js';
import { type FieldChoices, validateFieldChoices } from '../../core/merge/plan.js';
import type { Database, MergeStatus } from '../schema.js';

/** A request to merge duplicates into a survivor; recorded as a `merges` row (status pending). */
export interface MergeRequest {
  survivorId: number;
  duplicateIds: readonly number[];
  /** field (or attributes.<key>) → contact whose value wins. */
  fieldChoices?: FieldChoices | undefined;
  /** The same key always yields the same merge (a retried request creates nothing new). */
  idempotencyKey?: string | undefined;
  source: 'run' | 'api' | 'cli' | 'producer';
  requestedBy: string;
  runId?: number | undefined;
  score?: number | undefined;
  reason?: string | undefined;
}

/** The idempotency key of a run's merge of one cluster: the same request whichever attempt makes it. */
export const runMergeKey = (runId: number, clusterNo: number) => `run-${runId}-cluster-${clusterNo}`;
/** The idempotency key of the merge of an accepted review pair. */
export const reviewMergeKey = (runId: number, a: number, b: number) =>
  `review-${runId}-${Math.min(a, b)}-${Math.max(a, b)}`;

/**
 * Idempotency keys the service makes itself (runMergeKey, reviewMergeKey): no client may take one.
 */
const RESERVED_KEYS = /^(run-\d+-cluster-\d+|review-\d+-\d+-\d+)$/;

function checkRequest(r: MergeRequest): void {
  const ids = [r.survivorId, ...r.duplicateIds];
  if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
    throw new MergeError('BAD_REQUEST', `contact ids must be positive integers, got ${ids.join(', ')}`);
  }
  if (r.duplicateIds.length === 0)
    throw new MergeError('BAD_REQUEST', 'a merge needs at least one duplicate');
  if (!r.requestedBy) throw new MergeError('BAD_REQUEST', 'requestedBy is required');
  // PostgreSQL text and jsonb cannot hold a NUL character: refused here, not by the database.
  const texts = [r.idempotencyKey, r.requestedBy, r.reason, ...Object.keys(r.fieldChoices ?? {})];
  if (texts.some((t) => t?.includes('\u0000')))
    throw new MergeError('BAD_REQUEST', 'text fields cannot contain the NUL character (\\u0000)');
  if (
    (r.source === 'api' || r.source === 'producer') &&
    r.idempotencyKey &&
    RESERVED_KEYS.test(r.idempotencyKey)
  )
    throw new MergeError(
      'BAD_REQUEST',
      `idempotency key "${r.idempotencyKey}" has the form of the service's own keys (run-<run>-cluster-<n>, review-<run>-<a>-<b>): choose another`,
    );
  validateFieldChoices(r.fieldChoices ?? {}, ids);
}

const sameIds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length &&
  [...a].sort((x, y) => x - y).every((v, i) => v === [...b].sort((x, y) => x - y)[i]);

/**
 * Records many merge requests with one statement per 1000. Unknown contacts are refused up front
 * (CONTACT_NOT_FOUND); everything else (self-merges, cycles) is decided, and recorded as a
 * refusal, when the merge executes, because chains can change until then.
 */
export async function createMergeRequests(
  db: Kysely<Database>,
  requests: readonly MergeRequest[],
): Promise<{ id: number; created: boolean }[]> {
  for (const r of requests) checkRequest(r);
  const out: { id: number; created: boolean }[] = [];
  for (let start = 0; start < requests.length; start += 1000) {
    const batch = requests.slice(start, start + 1000);
    const ids = [...new Set(batch.flatMap((r) => [r.survivorId, ...r.duplicateIds]))];
    const found = await db.selectFrom('contacts').select('id').where('id', 'in', ids).execute();
    const known = new Set(found.map((f) => Number(f.id)));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw new MergeError('CONTACT_NOT_FOUND', `unknown contact id(s): ${missing.slice(0, 20).join(', ')}`);
    }
    // Ids are drawn first so each request maps to its row whatever order RETURNING comes back in.
    const { rows: drawn } = await sql<{ id: number }>`
      SELECT nextval(pg_get_serial_sequence('merges', 'id'))::bigint AS id FROM generate_series(1, ${batch.length})`.execute(
      db,
    );
    const values = batch.map((r, i) => ({
      id: Number(drawn[i]!.id),
      idempotency_key: r.idempotencyKey ?? null,
      source: r.source,
      requested_by: r.requestedBy,
      run_id: r.runId ?? null,
      survivor_id: r.survivorId,
      loser_ids: [...r.duplicateIds],
      score: r.score ?? null,
      reason: r.reason ?? null,
      field_choices: JSON.stringify(r.fieldChoices ?? {}),
    }));
    const inserted = await db
      .insertInto('merges')
      .values(values)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .execute();
    const created = new Set(inserted.map((r) => Number(r.id)));
    const keys = batch
      .filter((r, i) => r.idempotencyKey && !created.has(values[i]!.id))
      .map((r) => r.idempotencyKey!);
    const existing =
      keys.length > 0
        ? await db
            .selectFrom('merges')
            .select(['id', 'idempotency_key', 'survivor_id', 'loser_ids', 'field_choices'])
            .where('idempotency_key', 'in', keys)
            .execute()
        : [];
    const byKey = new Map(existing.map((e) => [e.idempotency_key!, e]));
    batch.forEach((r, i) => {
      const id = values[i]!.id;
      if (created.has(id)) {
        out.push({ id, created: true });
        return;
      }
      const prior = byKey.get(r.idempotencyKey ?? '');
      if (!prior)
        throw new MergeError(
          'CONCURRENT_CHANGE',
          `merge with idempotency key ${r.idempotencyKey} vanished; retry`,
        );
      // The same key with another request (other contacts, or other field choices) is refused:
      // answering with the first merge would drop what the second asked for.
      if (
        Number(prior.survivor_id) !== r.survivorId ||
        !sameIds(prior.loser_ids.map(Number), r.duplicateIds) ||
        stableJson(prior.field_choices ?? {}) !== stableJson(r.fieldChoices ?? {})
      ) {
        throw new MergeError(
          'IDEMPOTENCY_CONFLICT',
          `idempotency key ${r.idempotencyKey} was used for merge ${prior.id} (${prior.survivor_id} ← ${prior.loser_ids.join(', ')}, field choices ${stableJson(prior.field_choices ?? {})})`,
        );
      }
      out.push({ id: Number(prior.id), created: false });
    });
  }
  return out;
}

/** The merge recorded under an idempotency key, if any. */
export async function mergeIdByKey(db: Kysely<Database>, key: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('merges')
    .select('id')
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

export async function createMergeRequest(
  db: Kysely<Database>,
  request: MergeRequest,
): Promise<{ id: number; created: boolean }> {
  const [result] = await createMergeRequests(db, [request]);
  return result!;
}

export interface MergeRecord {
  id: number;
  idempotencyKey: string | null;
  source: string;
  requestedBy: string;
  runId: number | null;
  survivorId: number;
  loserIds: number[];
  effectiveSurvivorId: number | null;
  effectiveLoserIds: number[] | null;
  score: number | null;
  reason: string | null;
  status: MergeStatus;
  errorCode: string | null;
  error: string | null;
  fieldChoices: Record<string, unknown>;
  plan: Record<string, unknown> | null;
  snapshot: unknown[] | null;
  conflicts: unknown[];
  rowsMoved: Record<string, unknown>;
  checkpoint: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  undoneAt: Date | null;
}

function selectMerges(db: Kysely<Database>) {
  return db.selectFrom('merges').selectAll();
}
type Row = Awaited<ReturnType<ReturnType<typeof selectMerges>['execute']>>[number];

function toRecord(r: Row): MergeRecord {
  return {
    id: Number(r.id),
    idempotencyKey: r.idempotency_key,
    source: r.source,
    requestedBy: r.requested_by,
    runId: r.run_id,
    survivorId: Number(r.survivor_id),
    loserIds: r.loser_ids.map(Number),
    effectiveSurvivorId: r.effective_survivor_id,
    effectiveLoserIds: r.effective_loser_ids,
    score: r.score,
    reason: r.reason,
    status: r.status,
    errorCode: r.error_code,
    error: r.error,
    fieldChoices: r.field_choices,
    plan: r.plan,
    snapshot: r.snapshot,
    conflicts: r.conflicts,
    rowsMoved: r.rows_moved,
    checkpoint: r.checkpoint,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undoneAt: r.undone_at,
  };
}

export async function getMerge(db: Kysely<Database>, id: number): Promise<MergeRecord | undefined> {
  const row = await selectMerges(db).where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row as Row) : undefined;
}

export interface MergeFilter {
  runId?: number | undefined;
  status?: MergeStatus | undefined;
  /** Merges whose survivor or losers (requested or effective) include this contact. */
  contactId?: number | undefined;
  limit?: number | undefined;
  /** Only merges with a smaller id (paging, newest first). */
  beforeId?: number | undefined;
}

/** Newest first. Snapshots are left out (they can be large): use getMerge for one merge. */
export async function listMerges(db: Kysely<Database>, filter: MergeFilter = {}): Promise<MergeRecord[]> {
  let q = selectMerges(db);
  if (filter.runId !== undefined) q = q.where('run_id', '=', filter.runId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  if (filter.contactId !== undefined) {
    const c = filter.contactId;
    q = q.where((eb) =>
      eb.or([
        eb('survivor_id', '=', c),
        eb('effective_survivor_id', '=', c),
        sql<boolean>`loser_ids @> ARRAY[${c}]::bigint[]`,
        sql<boolean>`effective_loser_ids @> ARRAY[${c}]::bigint[]`,
      ]),
    );
  }
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => ({ ...toRecord(r as Row), snapshot: null }));
}
