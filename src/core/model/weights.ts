import { clampProbability, DEFAULT_TF_MINIMUM, type ModelParams } from './params.js';

/**
 * Parameters compiled for scoring: log2(m/u) of every field/level in one flat table, so scoring a
 * comparison vector is a lookup and a sum per field. Only term-frequency adjusted exact matches
 * take a logarithm.
 */
export interface CompiledModel {
  readonly fieldNames: readonly string[];
  readonly fieldCount: number;
  /** log2(λ / (1 - λ)). */
  readonly priorWeight: number;
  /** table[offsets[i] + level] = log2(m/u) of field i at that level. */
  readonly table: Float64Array;
  readonly offsets: Int32Array;
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
  const table = new Float64Array(size);
  params.fields.forEach((f, i) => {
    const base = offsets[i]!;
    for (let l = 0; l < f.m.length; l++) {
      table[base + l] = Math.log2(clampProbability(f.m[l]!) / clampProbability(f.u[l]!));
    }
    tfWeights[i] = f.tf ? (f.tfWeight ?? 1) : 0;
    log2UExact[i] = Math.log2(clampProbability(f.tfBase ?? f.u[f.u.length - 1]!));
  });
  return {
    fieldNames: params.fields.map((f) => f.name),
    fieldCount,
    priorWeight: Math.log2(lambda / (1 - lambda)),
    table,
    offsets,
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
  let w = model.priorWeight;
  for (let i = 0; i < n; i++) {
    const g = gamma[i]!;
    if (g < 0) continue;
    const max = maxLevels[i]!;
    if (g > max || (g | 0) !== g) throw levelError(model, i, g);
    w += table[offsets[i]! + g]!;
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
  const { table, offsets, maxLevels, tfWeights, priorWeight } = model;
  for (let p = 0, base = 0; p < count; p++, base += n) {
    let w = priorWeight;
    for (let i = 0; i < n; i++) {
      const g = gammas[base + i]!;
      if (g < 0) continue;
      const max = maxLevels[i]!;
      if (g > max) throw levelError(model, i, g);
      w += table[offsets[i]! + g]!;
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
  let total = model.priorWeight;
  for (let i = 0; i < n; i++) {
    const level = gamma[i]!;
    const field = model.fieldNames[i]!;
    if (level < 0) {
      fields.push({ field, level: -1, weight: 0 });
      continue;
    }
    if (level > model.maxLevels[i]! || (level | 0) !== level) throw levelError(model, i, level);
    let weight = model.table[model.offsets[i]! + level]!;
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
  return { prior: model.priorWeight, total, probability: matchProbability(total), fields };
}
