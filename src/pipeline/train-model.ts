import type { Kysely } from 'kysely';
import { estimateU, initialParams, type ModelParams, PatternCounts, trainEm } from '../core/model/index.js';
import { compareCompiled, type PreparedRecord } from '../core/profile/index.js';
import { type PreparedRow, preparedByIds, sampleBuckets, samplePrepared } from '../db/detection.js';
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
}

/**
 * Fits the run's Fellegi-Sunter model on its own data, the way Splink recommends: u from random pairs
 * of contacts, then EM for m and λ over pairs drawn from the run's buckets with u held fixed.
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

  const gamma = new Int8Array(fields.length);
  const random = new PatternCounts(fields.length, MAX_LEVEL);
  const sample = (await samplePrepared(db, setup.runId, RANDOM_CONTACTS)).map(parse);
  for (let i = 0; i < sample.length; i++) {
    for (let j = 1; j <= RANDOM_PAIRS_PER_CONTACT && i + j < sample.length; j++) {
      random.add(compareCompiled(setup.compiled, sample[i]!, sample[(i + j * 997) % sample.length]!, gamma));
    }
  }
  const u = estimateU(start, random);

  const blocked = new PatternCounts(fields.length, MAX_LEVEL);
  const buckets = await sampleBuckets(db, setup.runId, EM_BUCKETS, setup.profile.blocking.maxBucketSize);
  const ids = [...new Set(buckets.flatMap((b) => b.contactIds.slice(0, EM_BUCKET_MEMBERS)))];
  const byId = new Map((await preparedByIds(db, setup.runId, ids)).map((r) => [r.contactId, parse(r)]));
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
        if (a && c) blocked.add(compareCompiled(setup.compiled, a, c, gamma));
      }
    }
  }
  const em = blocked.total > 0 ? trainEm(blocked, u.params, { fixU: false, maxIterations: 100 }) : undefined;
  const params = em?.params ?? u.params;
  params.tfMinimum = start.tfMinimum;
  // u was fitted on blocked pairs: term frequencies are compared with the random-pair exact rate.
  params.fields.forEach((f, i) => {
    const ru = u.params.fields[i]!.u;
    f.tfBase = ru[ru.length - 1]!;
  });
  return {
    params,
    randomPairs: random.total,
    blockedPairs: blocked.total,
    iterations: em?.iterations ?? 0,
    converged: em?.converged ?? false,
    warnings: [...u.warnings, ...(em?.warnings ?? [])],
  };
}

export function parse(row: PreparedRow): PreparedRecord {
  return JSON.parse(row.prepared) as PreparedRecord;
}
