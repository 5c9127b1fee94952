import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { submitMerge } from '../../client/submit.js';
import type { EnqueuedMerge, UndoResultView } from '../../client/types.js';
import { toMergeView, toResolvedView } from '../../client/views.js';
import { type EngineOptions, getMerge, resolveContact, undoMerge } from '../../db/merge/index.js';
import type { Database } from '../../db/schema.js';
import type { DedupeMetrics } from '../../metrics/registry.js';
import type { QueueSet } from '../../queues/queues.js';
import { ApiError, parseOr400 } from '../errors.js';
import { IdParams, MergeRequestBody, RequestedBy } from '../schemas.js';

export interface MergeRouteDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  queues: QueueSet;
  /** Lock/statement timeouts and chunk size of the undo transactions. */
  engineOptions: EngineOptions;
  enqueueTimeoutMs: number;
  /** dedupe_merges_total{outcome="undone"} counts the undos done through the API. */
  metrics?: DedupeMetrics;
}

/** The API client recorded as `requested_by`: `X-Requested-By` when given, else `api`. */
function requestedBy(req: FastifyRequest): string {
  const header = req.headers['x-requested-by'];
  if (header === undefined) return 'api';
  return parseOr400(RequestedBy, Array.isArray(header) ? header[0] : header, 'X-Requested-By header');
}

/** The `/v1` routes: queue a merge, read it, undo it, resolve a contact to its survivor. */
export function registerMergeRoutes(app: FastifyInstance, deps: MergeRouteDeps): void {
  app.post('/v1/merges', async (req, reply) => {
    const body = parseOr400(MergeRequestBody, req.body, 'body');
    const submitted = await submitMerge(
      deps.db,
      deps.queues,
      { ...body, source: 'api', requestedBy: requestedBy(req) },
      deps.enqueueTimeoutMs,
    );
    const answer: EnqueuedMerge = {
      id: submitted.mergeId,
      status: submitted.status,
      created: submitted.created,
    };
    // 202: accepted, a worker will execute it; 200: the idempotency key matched an earlier request.
    return reply
      .status(submitted.created ? 202 : 200)
      .header('location', `/v1/merges/${submitted.mergeId}`)
      .send(answer);
  });

  app.get('/v1/merges/:id', async (req) => {
    const { id } = parseOr400(IdParams, req.params, 'merge id');
    const merge = await getMerge(deps.db, id);
    if (!merge) throw new ApiError(404, 'MERGE_NOT_FOUND', `merge ${id} does not exist`);
    return toMergeView(merge);
  });

  app.post('/v1/merges/:id/undo', async (req) => {
    const { id } = parseOr400(IdParams, req.params, 'merge id');
    if (!(await getMerge(deps.db, id)))
      throw new ApiError(404, 'MERGE_NOT_FOUND', `merge ${id} does not exist`);
    // Throws UNDO_DEPENDENT / UNDO_NOT_APPLICABLE (409) or a retryable code (409/503): see errors.ts.
    const outcome = await undoMerge(deps.pool, id, deps.engineOptions);
    if (!outcome.replayed) deps.metrics?.merges.inc({ outcome: 'undone' });
    const result: UndoResultView = {
      id,
      status: 'undone',
      movedBack: outcome.movedBack,
      reinserted: outcome.reinserted,
      unlinked: outcome.unlinked,
      keyTaken: outcome.keyTaken,
    };
    return result;
  });

  app.get('/v1/contacts/:id/resolve', async (req) => {
    const { id } = parseOr400(IdParams, req.params, 'contact id');
    return toResolvedView(await resolveContact(deps.db, id));
  });
}
