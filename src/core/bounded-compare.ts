import { type CompiledModel, tfAdjustment } from './model/weights.js';
import type { CompiledProfile, PreparedRecord } from './profile/compile.js';
import { fieldLevel } from './profile/match.js';

/**
 * Comparing a candidate pair field by field while keeping count of the best weight it could still
 * reach: as soon as even the best outcome of the fields left cannot lift it to the review threshold,
 * the pair is dropped without comparing them. Most candidate pairs are namesakes from the big name
 * buckets whose e-mail and phone already disagree: their costly fuzzy fields (Jaro-Winkler on names,
 * cities, company words) are never computed. Cheap comparators go first. The model's weights depend
 * on the stratifying field's level; until that field is compared, the weight is kept for every
 * stratum at once and the bound is the best of them. Decisions are exactly those of comparing
 * everything: a pair is only dropped when its final weight is certain to be below the threshold, and
 * a pair that is not dropped gets the complete comparison vector.
 */

// Rough relative cost of a comparison, cheapest first.
const COST: Record<string, number> = {
  exact: 0,
  levenshtein: 1,
  phone: 1,
  date: 1,
  email: 2,
  jaro_winkler: 3,
  name: 4,
  token_set: 5,
};

// Below the threshold by more than float summation order can explain.
const MARGIN = 1e-6;

export interface BoundedComparer {
  /**
   * Writes the pair's levels into `gamma` and the frequencies of its exactly agreeing TF values into
   * `tf` (0 elsewhere), as compareCompiled and the scorer do, and returns true; or returns false as
   * soon as the pair's weight is sure to stay below `dropBelow` (gamma and tf are then partial).
   */
  compare(
    a: PreparedRecord,
    b: PreparedRecord,
    gamma: Int8Array,
    tf: Float64Array,
    dropBelow: number,
  ): boolean;
}

/** `tfOf(field, value)`: the relative frequency of a TF field's value, 0 when unknown. */
export function boundedComparer(
  compiled: CompiledProfile,
  model: CompiledModel,
  tfOf: (field: number, value: string) => number,
): BoundedComparer {
  const fields = compiled.fields;
  const n = fields.length;
  if (model.fieldCount !== n) throw new RangeError(`model has ${model.fieldCount} fields, profile ${n}`);
  const stratifier = model.stratifier;
  const cost = (i: number) => COST[compiled.profile.fields[i]!.comparator.type] ?? 9;
  const order = Int32Array.from([...Array(n).keys()].sort((x, y) => cost(x) - cost(y) || x - y));
  const strata = model.table.length / model.stride;
  // rest[s * (n + 1) + p]: the most fields order[p..] can add in stratum s (a missing field adds 0).
  const rest = new Float64Array(strata * (n + 1));
  for (let s = 0; s < strata; s++) {
    for (let p = n - 1; p >= 0; p--) {
      const i = order[p]!;
      const max = model.maxLevels[i]!;
      const bestTf = Math.max(0, tfAdjustment(model, i, model.tfMinimum));
      let best = 0;
      for (let l = 0; l <= max; l++) {
        const w = model.table[s * model.stride + model.offsets[i]! + l]! + (l === max ? bestTf : 0);
        if (w > best) best = w;
      }
      rest[s * (n + 1) + p] = rest[s * (n + 1) + p + 1]! + best;
    }
  }

  // Partial weights per stratum while the stratum is unknown.
  const partial = new Float64Array(strata);
  const { table, stride, offsets, maxLevels } = model;

  return {
    compare(a, b, gamma, tf, dropBelow) {
      let stratum = stratifier < 0 ? 0 : -1;
      partial.fill(model.priorWeight);
      for (let p = 0; p < n; p++) {
        const i = order[p]!;
        const level = fieldLevel(fields, i, a.values, b.values);
        gamma[i] = level;
        tf[i] = 0;
        if (i === stratifier) stratum = level + 1;
        if (level >= 0) {
          let add = 0;
          if (level === maxLevels[i]! && fields[i]!.tf) {
            const v = a.keys[i];
            tf[i] = v != null ? tfOf(i, v) : 0;
            add = tfAdjustment(model, i, tf[i]!);
          }
          const at = offsets[i]! + level;
          if (stratum >= 0) partial[stratum] = partial[stratum]! + table[stratum * stride + at]! + add;
          else
            for (let st = 0; st < strata; st++) partial[st] = partial[st]! + table[st * stride + at]! + add;
        }
        let best: number;
        if (stratum >= 0) best = partial[stratum]! + rest[stratum * (n + 1) + p + 1]!;
        else {
          best = Number.NEGATIVE_INFINITY;
          for (let st = 0; st < strata; st++) {
            const b2 = partial[st]! + rest[st * (n + 1) + p + 1]!;
            if (b2 > best) best = b2;
          }
        }
        if (best < dropBelow - MARGIN) return false;
      }
      return true;
    },
  };
}
