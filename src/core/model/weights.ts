import {
  clampProbability,
  DEFAULT_TF_MINIMUM,
  type ModelParams,
  strataCount,
  stratifierIndex,
} from './params.js';

/**
 * Parameters compiled for scoring: log2(m/u) of every stratum/field/level in one flat table, so
 * scoring a comparison vector is a lookup and a sum per field. Only term-frequency adjusted exact
 * matches take a logarithm.
 */
export interface CompiledModel {
  readonly fieldNames: readonly string[];
  readonly fieldCount: number;
  /** log2(λ / (1 - λ)). */
  readonly priorWeight: number;
  /**
   * table[stratum * stride + offsets[i] + level] = log2(m/u) of field i at that level in that
   * stratum (an unstratified model has one stratum).
   */
  readonly table: Float64Array;
  readonly offsets: Int32Array;
  /** Entries per stratum in `table`. */
  readonly stride: number;
  /** Field whose level + 1 is the stratum, or -1 (always stratum 0). */
  readonly stratifier: number;
  /** 1 for strata where only one decisive field lets the model merge on its own (see needsReview). */
  readonly reviewOnly: Uint8Array;
  /** log2 odds of a match among a stratum's candidate pairs (0 when unknown). */
  readonly strataPrior: Float64Array;
  /** Highest (exact) level of every field. */
  readonly maxLevels: Int8Array;
  /** TF weight (0 = no TF adjustment) of every field. */
  readonly tfWeights: Float64Array;
  /** log2(u_exact) of every field, the term the TF adjustment replaces. */
  readonly log2UExact: Float64Array;
  readonly tfMinimum: number;
}

export function compileModel(params: ModelParams): CompiledModel {
  const fieldCount = params.fields.length;
  if (fieldCount === 0) throw new RangeError('a model needs at least one field');
  const lambda = clampProbability(params.lambda);
  const stratifier = stratifierIndex(params);
  const strata = stratifier < 0 ? 1 : strataCount(params.fields[stratifier]!.m.length - 1);
  const offsets = new Int32Array(fieldCount);
  const maxLevels = new Int8Array(fieldCount);
  const tfWeights = new Float64Array(fieldCount);
  const log2UExact = new Float64Array(fieldCount);
  let size = 0;
  params.fields.forEach((f, i) => {
    if (f.m.length !== f.u.length || f.m.length < 2 || f.m.length > 127) {
      throw new RangeError(`field ${f.name}: m and u need the same number of levels (2..127)`);
    }
    offsets[i] = size;
    maxLevels[i] = f.m.length - 1;
    size += f.m.length;
  });
  const table = new Float64Array(size * strata);
  params.fields.forEach((f, i) => {
    if (f.uStrata !== undefined && f.uStrata.length !== strata) {
      throw new RangeError(`field ${f.name}: uStrata needs ${strata} strata`);
    }
    for (let s = 0; s < strata; s++) {
      const u = f.uStrata?.[s] ?? f.u;
      const base = s * size + offsets[i]!;
      for (let l = 0; l < f.m.length; l++) {
        table[base + l] = Math.log2(clampProbability(f.m[l]!) / clampProbability(u[l]!));
      }
    }
    tfWeights[i] = f.tf ? (f.tfWeight ?? 1) : 0;
    log2UExact[i] = Math.log2(clampProbability(f.tfBase ?? f.u[f.u.length - 1]!));
  });
  const reviewOnly = new Uint8Array(strata);
  for (const s of params.reviewStrata ?? []) {
    if (!(s >= 0 && s < strata)) throw new RangeError(`reviewStrata: stratum ${s} out of range`);
    reviewOnly[s] = 1;
  }
  const strataPrior = new Float64Array(strata);
  params.strataMatchShare?.forEach((share, s) => {
    const p = clampProbability(share);
    if (s < strata) strataPrior[s] = Math.log2(p / (1 - p));
  });
  return {
    fieldNames: params.fields.map((f) => f.name),
    fieldCount,
    priorWeight: Math.log2(lambda / (1 - lambda)),
    table,
    offsets,
    stride: size,
    stratifier,
    reviewOnly,
    strataPrior,
    maxLevels,
    tfWeights,
    log2UExact,
    tfMinimum: params.tfMinimum ?? DEFAULT_TF_MINIMUM,
  };
}

/**
 * The TF adjustment of an exact match on field i whose agreed value has relative frequency `tf`:
 * the exact level's u is replaced by the value's frequency, i.e. log2(u_exact / tf), scaled by the
 * field's TF weight. A common value ("smith", a shared info@ address) makes it negative, a rare one
 * positive. 0 when the field has no TF adjustment or no frequency was given.
 */
export function tfAdjustment(model: CompiledModel, field: number, tf: number): number {
  const w = model.tfWeights[field]!;
  if (w === 0 || !(tf > 0)) return 0;
  const freq = tf < model.tfMinimum ? model.tfMinimum : Math.min(tf, 1);
  return w * (model.log2UExact[field]! - Math.log2(freq));
}

/** The stratum of a comparison vector: the stratifying field's level + 1, 0 when it is missing. */
export function stratumOf(model: CompiledModel, gamma: ArrayLike<number>): number {
  if (model.stratifier < 0) return 0;
  const g = gamma[model.stratifier]!;
  if (g > model.maxLevels[model.stratifier]!) throw levelError(model, model.stratifier, g);
  return g < 0 ? 0 : g + 1;
}

/**
 * Whether a pair whose weight reaches the merge threshold must still go to a person. Only in a
 * review-only stratum (ModelParams.reviewStrata), and only when no single field makes the case on its
 * own: the stratum's prior odds plus the strongest field's weight stay below `mergeWeight`. One field
 * counted once cannot be inflated by look-alikes agreeing on several correlated fields; an exact
 * shared email can still decide, a shared phone, surname and address cannot.
 */
export function needsReview(
  model: CompiledModel,
  gamma: ArrayLike<number>,
  tf: ArrayLike<number> | undefined,
  mergeWeight: number,
): boolean {
  const s = stratumOf(model, gamma);
  if (model.reviewOnly[s] !== 1) return false;
  const base = s * model.stride;
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < model.fieldCount; i++) {
    const g = gamma[i]!;
    if (g < 0) continue;
    if (g > model.maxLevels[i]!) throw levelError(model, i, g);
    let w = model.table[base + model.offsets[i]! + g]!;
    if (g === model.maxLevels[i] && tf !== undefined) w += tfAdjustment(model, i, tf[i]!);
    if (w > best) best = w;
  }
  return model.strataPrior[s]! + best < mergeWeight;
}

function levelError(model: CompiledModel, field: number, level: number): RangeError {
  return new RangeError(
    `field ${model.fieldNames[field]}: level ${level} outside -1..${model.maxLevels[field]}`,
  );
}

/**
 * Match weight of one comparison vector: log2(λ/(1-λ)) + Σ log2(m/u), missing fields adding 0.
 * `tf[i]` is the relative frequency of the agreed value when field i agrees exactly (ignored otherwise).
 */
export function matchWeight(model: CompiledModel, gamma: ArrayLike<number>, tf?: ArrayLike<number>): number {
  const n = model.fieldCount;
  if (gamma.length !== n) throw new RangeError(`vector has ${gamma.length} levels, model ${n} fields`);
  const { table, offsets, maxLevels, tfWeights } = model;
  const base = stratumOf(model, gamma) * model.stride;
  let w = model.priorWeight;
  for (let i = 0; i < n; i++) {
    const g = gamma[i]!;
    if (g < 0) continue;
    const max = maxLevels[i]!;
    if (g > max || (g | 0) !== g) throw levelError(model, i, g);
    w += table[base + offsets[i]! + g]!;
    if (g === max && tf !== undefined && tfWeights[i] !== 0) w += tfAdjustment(model, i, tf[i]!);
  }
  return w;
}

/**
 * Scores `count` vectors packed one after another in `gammas` (fieldCount levels each) into `out`.
 * `tfs`, when given, is packed the same way. The batch form avoids a call and a subarray per pair.
 */
export function scoreBatch(
  model: CompiledModel,
  gammas: Int8Array,
  count: number,
  out: Float64Array,
  tfs?: Float64Array,
): Float64Array {
  const n = model.fieldCount;
  if (gammas.length < count * n) throw new RangeError('gammas holds fewer than count vectors');
  if (out.length < count) throw new RangeError('out is shorter than count');
  if (tfs !== undefined && tfs.length < count * n) throw new RangeError('tfs holds fewer than count vectors');
  const { table, offsets, maxLevels, tfWeights, priorWeight, stratifier, stride } = model;
  for (let p = 0, base = 0; p < count; p++, base += n) {
    let w = priorWeight;
    const sg = stratifier < 0 ? -1 : gammas[base + stratifier]!;
    const at = sg < 0 ? 0 : (sg + 1) * stride;
    for (let i = 0; i < n; i++) {
      const g = gammas[base + i]!;
      if (g < 0) continue;
      const max = maxLevels[i]!;
      if (g > max) throw levelError(model, i, g);
      w += table[at + offsets[i]! + g]!;
      if (g === max && tfs !== undefined && tfWeights[i] !== 0) w += tfAdjustment(model, i, tfs[base + i]!);
    }
    out[p] = w;
  }
  return out;
}

/** P(match | weight) = 2^w / (1 + 2^w), written to stay finite for large |w|. */
export function matchProbability(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** Inverse of matchProbability: the weight at which a pair reaches probability p. */
export function probabilityToWeight(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} must be strictly between 0 and 1`);
  return Math.log2(p / (1 - p));
}

export interface PartialWeight {
  field: string;
  /** -1 = missing. */
  level: number;
  /** log2(m/u), including the TF adjustment; 0 when missing. */
  weight: number;
  /** The relative frequency used for the TF adjustment, when one was applied. */
  tf?: number;
}

export interface WeightExplanation {
  /** log2(λ/(1-λ)). */
  prior: number;
  total: number;
  probability: number;
  fields: PartialWeight[];
  /** Stratum of a stratified model (the stratifying field's level + 1; 0 missing). */
  stratum?: number;
  /** Set when the stratum is review-only: merged only on one decisive field (see needsReview). */
  reviewOnly?: boolean;
}

/** Per-field contributions, so a stored pair can show why it scored what it did. */
export function explainWeight(
  model: CompiledModel,
  gamma: ArrayLike<number>,
  tf?: ArrayLike<number>,
): WeightExplanation {
  const n = model.fieldCount;
  if (gamma.length !== n) throw new RangeError(`vector has ${gamma.length} levels, model ${n} fields`);
  const fields: PartialWeight[] = [];
  const stratum = stratumOf(model, gamma);
  const base = stratum * model.stride;
  let total = model.priorWeight;
  for (let i = 0; i < n; i++) {
    const level = gamma[i]!;
    const field = model.fieldNames[i]!;
    if (level < 0) {
      fields.push({ field, level: -1, weight: 0 });
      continue;
    }
    if (level > model.maxLevels[i]! || (level | 0) !== level) throw levelError(model, i, level);
    let weight = model.table[base + model.offsets[i]! + level]!;
    const part: PartialWeight = { field, level, weight };
    const freq = tf?.[i];
    if (level === model.maxLevels[i] && freq !== undefined && model.tfWeights[i] !== 0 && freq > 0) {
      weight += tfAdjustment(model, i, freq);
      part.weight = weight;
      part.tf = freq;
    }
    total += weight;
    fields.push(part);
  }
  const out: WeightExplanation = {
    prior: model.priorWeight,
    total,
    probability: matchProbability(total),
    fields,
  };
  if (model.stratifier >= 0) out.stratum = stratum;
  if (model.reviewOnly[stratum] === 1) out.reviewOnly = true;
  return out;
}
