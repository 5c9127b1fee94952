import type { Kysely } from 'kysely';
import type pg from 'pg';
import { splitOversizedBucket } from '../core/blocking.js';
import { boundedComparer } from '../core/bounded-compare.js';
import {
  decide,
  explainWeight,
  matchProbability,
  matchWeight,
  needsReview,
  probabilityToWeight,
} from '../core/model/index.js';
import { type PreparedRecord, unpackStored } from '../core/profile/index.js';
import {
  loadScoreTask,
  loadTermFreqs,
  oversizedKeys,
  type ScoredPair,
  writeScoreTask,
} from '../db/detection.js';
import { taskResult } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import type { RunSetup } from './run-profile.js';

const NONE_SHARED: ReadonlySet<number> = new Set();

/**
 * For a split bucket with members placed in several sub-buckets: true the first time a pair of two
 * such members comes up, false after (only such a pair can come out twice). Other pairs: true.
 */
function firstTimeOf(shared: ReadonlySet<number>): (x: number, y: number) => boolean {
  const seen = new Set<string>();
  return (x, y) => {
    if (!shared.has(x) || !shared.has(y)) return true;
    const key = x < y ? `${x}:${y}` : `${y}:${x}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

export interface ScoreResult {
  buckets: number;
  buckets_kept: number;
  buckets_split: number;
  buckets_capped: number;
  pairs_scored: number;
  pairs_merge: number;
  pairs_review: number;
  [k: string]: number;
}

// Per-run data every scoring task needs; loaded once per worker process.
const runCache = new Map<number, { oversized: Set<number>; freqs: Map<number, Map<string, number>> }>();

async function runData(db: Kysely<Database>, setup: RunSetup) {
  let data = runCache.get(setup.runId);
  if (!data) {
    const cap = setup.profile.blocking.maxBucketSize;
    data = {
      oversized: new Set(await oversizedKeys(db, setup.runId, cap)),
      freqs: await loadTermFreqs(db, setup.runId),
    };
    if (runCache.size > 4) runCache.clear();
    runCache.set(setup.runId, data);
  }
  return data;
}

/**
 * A pair shared by several buckets is scored in exactly one: the smallest key hash the two contacts
 * share among buckets within the cap (or, when all shared buckets are oversized, the smallest of those).
 */
export function ownerKey(a: readonly number[], b: readonly number[], oversized: ReadonlySet<number>): number {
  let best = Number.POSITIVE_INFINITY;
  let bestOversized = Number.POSITIVE_INFINITY;
  for (const k of a) {
    if (!b.includes(k)) continue;
    if (oversized.has(k)) bestOversized = Math.min(bestOversized, k);
    else best = Math.min(best, k);
  }
  return best !== Number.POSITIVE_INFINITY ? best : bestOversized;
}

/** Scores every candidate pair of one task's buckets and stores matches with their per-field weights. */
export async function scoreTask(
  db: Kysely<Database>,
  pool: pg.Pool,
  setup: RunSetup,
  task: { taskNo: number; fromSlot: number; toSlot: number },
) {
  const { taskNo } = task;
  const done = await taskResult<ScoreResult>(db, setup.runId, 'score', taskNo);
  if (done) return { ...done, skipped: true };
  const model = setup.model!;
  const { oversized, freqs } = await runData(db, setup);
  const { buckets, prepared } = await loadScoreTask(db, setup.runId, task);
  const recs = new Map<number, { rec: PreparedRecord; keys: number[] }>();
  for (const p of prepared) {
    const { record, keyHashes } = unpackStored(setup.compiled, p.prepared);
    recs.set(p.contactId, { rec: record, keys: keyHashes });
  }
  const fields = setup.compiled.fields;
  const gamma = new Int8Array(fields.length);
  const tf = new Float64Array(fields.length);
  const thresholds = setup.profile.thresholds;
  const mergeWeight = probabilityToWeight(thresholds.merge);
  const reviewWeight = probabilityToWeight(thresholds.review);
  const comparer = boundedComparer(setup.compiled, model, (i, v) => freqs.get(i)?.get(v) ?? 0);
  const pairs: ScoredPair[] = [];
  const result: ScoreResult = {
    buckets: buckets.length,
    buckets_kept: 0,
    buckets_split: 0,
    buckets_capped: 0,
    pairs_scored: 0,
    pairs_merge: 0,
    pairs_review: 0,
  };

  const score = (keyHash: number, x: number, y: number) => {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    const ra = recs.get(a);
    const rb = recs.get(b);
    if (!ra || !rb || a === b || ownerKey(ra.keys, rb.keys, oversized) !== keyHash) return;
    result.pairs_scored++;
    // Fields compared until the pair is sure to fall below the review threshold (then dropped).
    if (!comparer.compare(ra.rec, rb.rec, gamma, tf, reviewWeight)) return;
    const weight = matchWeight(model, gamma, tf);
    const prob = matchProbability(weight);
    let decision = decide(prob, thresholds);
    if (decision === 'drop') return;
    // Where duplicates are rare (different given names), summed evidence is not trusted: a person decides.
    if (decision === 'merge' && needsReview(model, gamma, tf, mergeWeight)) decision = 'review';
    result[decision === 'merge' ? 'pairs_merge' : 'pairs_review']++;
    pairs.push({
      a,
      b,
      score: prob,
      weight,
      decision,
      weights: JSON.stringify(explainWeight(model, gamma, tf)),
    });
  };

  for (const bucket of buckets) {
    let shared: ReadonlySet<number> = NONE_SHARED;
    let groups = [bucket.contactIds];
    let windowPairs: [number, number][] = [];
    if (bucket.contactIds.length > setup.profile.blocking.maxBucketSize) {
      const members = bucket.contactIds.flatMap((id) => {
        const r = recs.get(id);
        return r ? [{ id, prepared: r.rec }] : [];
      });
      const split = splitOversizedBucket(setup.profile, members);
      groups = split.buckets;
      windowPairs = split.pairs;
      shared = split.shared;
      result[split.strategy === 'window' ? 'buckets_capped' : 'buckets_split']++;
    } else result.buckets_kept++;
    const once = shared.size === 0 ? undefined : firstTimeOf(shared);
    for (const g of groups)
      for (let i = 0; i < g.length; i++)
        for (let j = i + 1; j < g.length; j++)
          if (!once || once(g[i]!, g[j]!)) score(bucket.keyHash, g[i]!, g[j]!);
    for (const [x, y] of windowPairs) if (!once || once(x, y)) score(bucket.keyHash, x, y);
  }
  await writeScoreTask(pool, setup.runId, taskNo, pairs, result);
  return { ...result, skipped: false };
}
