import type { Kysely } from 'kysely';
import {
  fitModel,
  initialParams,
  type ModelParams,
  PatternCounts,
  TfReference,
} from '../core/model/index.js';
import { compareCompiled, tfValuesOf, unpackRecord } from '../core/profile/index.js';
import { loadTermFreqs, preparedByIds, sampleBuckets, samplePrepared } from '../db/detection.js';
import type { Database } from '../db/schema.js';
import type { RunSetup } from './run-profile.js';

const RANDOM_CONTACTS = 20_000;
const RANDOM_PAIRS_PER_CONTACT = 10;
const EM_BUCKETS = 20_000;
const EM_BUCKET_MEMBERS = 30;
const MAX_LEVEL = 14;

export interface TrainReport {
  params: ModelParams;
  randomPairs: number;
  blockedPairs: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
  /** Expected share of matches per stratum (see ModelParams.stratifyBy). */
  strataMatchShare: number[];
}

/**
 * Fits the run's Fellegi-Sunter model on its own data (fitModel): u from random pairs of contacts,
 * EM over pairs drawn from the run's buckets, then EM with the non-matches' u stratified by the
 * profile's given-name field when it has one; TF adjustments centred on the candidate pairs' own
 * exact agreements.
 */
export async function trainRunModel(
  db: Kysely<Database>,
  setup: RunSetup,
  contactCount: number,
): Promise<TrainReport> {
  const fields = setup.compiled.fields;
  const start = initialParams(
    fields.map((f) => ({ name: f.name, maxLevel: f.comparator.k, tf: f.tf })),
    0.05,
  );
  // Starting values given in the profile win over the generic ones.
  setup.profile.fields.forEach((f, i) => {
    const p = start.fields[i]!;
    if (f.m) p.m = [...f.m];
    if (f.u) p.u = [...f.u];
    if (f.tfWeight !== undefined) p.tfWeight = f.tfWeight;
  });
  start.tfMinimum = 1 / Math.max(2, contactCount);

  const random = await randomPairs(db, setup);
  const { blocked, tfReference } = await candidatePairs(db, setup);
  const stratifyBy = givenNameField(setup);
  const fit = fitModel(start, random, blocked, { tfReference, ...(stratifyBy ? { stratifyBy } : {}) });
  const params = fit.params;
  params.tfMinimum = start.tfMinimum;
  return {
    params,
    randomPairs: random.total,
    blockedPairs: blocked.total,
    iterations: fit.iterations,
    converged: fit.converged,
    warnings: fit.warnings,
    strataMatchShare: fit.strataMatchShare,
  };
}

/** Comparison vectors of pairs of a random sample of the run's contacts (nearly all non-matches). */
async function randomPairs(db: Kysely<Database>, setup: RunSetup): Promise<PatternCounts> {
  const gamma = new Int8Array(setup.compiled.fields.length);
  const random = new PatternCounts(gamma.length, MAX_LEVEL);
  const sample = (await samplePrepared(db, setup.runId, RANDOM_CONTACTS)).map((r) =>
    unpackRecord(setup.compiled, r.prepared),
  );
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    for (let j = 1; j <= RANDOM_PAIRS_PER_CONTACT && i + j < n; j++) {
      // Strided partners spread over the sample; never the contact itself (a stride that is a
      // multiple of n would pair every contact with itself and make "everything agrees" look random).
      const partner = (i + 1 + ((j * 997) % (n - 1))) % n;
      random.add(compareCompiled(setup.compiled, sample[i]!, sample[partner]!, gamma));
    }
  }
  return random;
}

/**
 * Comparison vectors of candidate pairs from a sample of the run's buckets, and the term
 * frequencies of their exact agreements.
 */
async function candidatePairs(db: Kysely<Database>, setup: RunSetup) {
  const fields = setup.compiled.fields;
  const gamma = new Int8Array(fields.length);
  const blocked = new PatternCounts(fields.length, MAX_LEVEL);
  const tfReference = new TfReference(fields.length);
  const buckets = await sampleBuckets(db, setup.runId, EM_BUCKETS, setup.profile.blocking.maxBucketSize);
  const ids = [...new Set(buckets.flatMap((b) => b.contactIds.slice(0, EM_BUCKET_MEMBERS)))];
  const rows = await preparedByIds(db, setup.runId, ids);
  const byId = new Map(
    rows.map((r) => {
      const rec = unpackRecord(setup.compiled, r.prepared);
      return [r.contactId, { rec, tf: tfValuesOf(setup.compiled, rec) }];
    }),
  );
  const freqs = await loadTermFreqs(db, setup.runId);
  const seen = new Set<string>();
  for (const b of buckets) {
    const members = b.contactIds.slice(0, EM_BUCKET_MEMBERS);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const key = `${members[i]}:${members[j]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const a = byId.get(members[i]!);
        const c = byId.get(members[j]!);
        if (!a || !c) continue;
        blocked.add(compareCompiled(setup.compiled, a.rec, c.rec, gamma));
        for (let f = 0; f < fields.length; f++) {
          const v = a.tf[f];
          if (v != null && gamma[f] === fields[f]!.comparator.k)
            tfReference.add(f, freqs.get(f)?.get(v) ?? 0);
        }
      }
    }
  }
  return { blocked, tfReference };
}

/**
 * The field that stratifies the model: the profile's given name. Look-alike non-matches (relatives,
 * colleagues) share nearly everything but the given name, namesakes share it and little else.
 */
export function givenNameField(setup: Pick<RunSetup, 'profile'>): string | undefined {
  return setup.profile.fields.find((f) => f.normalizer === 'given_name')?.name;
}
