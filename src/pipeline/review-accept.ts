import type { Kysely } from 'kysely';
import type pg from 'pg';
import { contactsByIds } from '../db/detection.js';
import {
  createMergeRequest,
  type EngineOptions,
  executeMerge,
  type MergeOutcome,
  mergeIdByKey,
  reviewMergeKey,
} from '../db/merge/index.js';
import { livePair, reviewStatus, setReviewVerdict } from '../db/review.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { survivorOf, survivorRule } from './cluster-run.js';
import { runSetup } from './run-profile.js';

/**
 * A person accepted a review pair: the verdict is recorded and the two contacts are merged (where
 * they live now, if merged since), the survivor chosen by the run's own survivorship rule (as its clusters' were), audited as asked by
 * that person. Idempotent per pair (the merge's idempotency key is the pair's): accepting again, or
 * after the merge failed, finishes the same merge instead of making another. Not tied to the run:
 * undoing the run leaves a person's decision alone.
 */
export async function acceptReviewPair(
  db: Kysely<Database>,
  pool: pg.Pool,
  pair: { runId: number; a: number; b: number },
  reviewer: string,
  opts: EngineOptions,
): Promise<MergeOutcome> {
  const recorded = await setReviewVerdict(db, pair, 'accepted', reviewer);
  const state = await reviewStatus(db, pair);
  if (!recorded && state?.status !== 'accepted')
    throw new DomainError(
      'NOT_FOUND',
      !state
        ? `no review pair ${pair.a} ~ ${pair.b} in run ${pair.runId}`
        : state.status === 'pending'
          ? `review pair ${pair.a} ~ ${pair.b}: both contacts now live in one contact; nothing to decide`
          : `review pair ${pair.a} ~ ${pair.b} of run ${pair.runId} was already ${state.status}`,
    );
  // Accepted before: the same merge, finished if it was not (its outcome again if it was).
  const key = reviewMergeKey(pair.runId, pair.a, pair.b);
  const earlier = await mergeIdByKey(db, key);
  if (earlier !== undefined) return executeMerge(pool, earlier, opts);
  // The two contacts as they live now: either may have been merged since (by its own run, say).
  const live = await livePair(db, pair.a, pair.b);
  if (!live || live[0] === live[1])
    throw new DomainError('NOT_FOUND', `review pair ${pair.a} ~ ${pair.b}: nothing left to merge`);
  const setup = await runSetup(db, pair.runId);
  const records = await contactsByIds(db, live);
  const survivor = survivorOf(
    records as unknown as Parameters<typeof survivorOf>[0],
    survivorRule(setup.profile),
  ).id;
  const loser = survivor === live[0] ? live[1] : live[0];
  const { id } = await createMergeRequest(db, {
    survivorId: survivor,
    duplicateIds: [loser],
    idempotencyKey: key,
    source: 'cli',
    requestedBy: reviewer,
    ...(state ? { score: state.score } : {}),
    reason: `accepted in review of run ${pair.runId}`,
  });
  return executeMerge(pool, id, opts);
}
