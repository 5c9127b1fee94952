import { type CompiledModel, tfAdjustment } from './model/weights.js';
import type { CompiledProfile, PreparedRecord } from './profile/compile.js';

/**
 * Comparing a candidate pair field by field while keeping count of the best weight it could still
 * reach: as soon as even the best outcome of the fields left cannot lift it to the review threshold,
 * the pair is dropped without comparing them. Most candidate pairs are namesakes from the big name
 * buckets whose e-mail and phone already disagree: their costly fuzzy fields (Jaro-Winkler on names,
 * cities, company words) are never computed. Cheap comparators go first; the stratifying field (the
 * model's weights depend on its level) goes before all. Decisions are exactly those of comparing
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
  const order = Int32Array.from(
    [...Array(n).keys()].sort((x, y) =>
      x === stratifier ? -1 : y === stratifier ? 1 : cost(x) - cost(y) || x - y,
    ),
  );
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

  const levelOf = (i: number, a: PreparedRecord, b: PreparedRecord): number => {
    const x = a.values[i];
    const y = b.values[i];
    if (x === null || y === null) return -1;
    const f = fields[i]!;
    let level = f.comparator.compare(x, y);
    if (level === 0 && f.swapIndex >= 0) {
      const ax = a.values[f.swapIndex];
      const by = b.values[f.swapIndex];
      if (ax !== null && by !== null) {
        const cross = Math.min(f.comparator.compare(x, by), f.comparator.compare(ax, y));
        level = Math.min(cross, f.comparator.k - 1);
      }
    }
    return level;
  };

  return {
    compare(a, b, gamma, tf, dropBelow) {
      let stratum = 0;
      let w = model.priorWeight;
      for (let p = 0; p < n; p++) {
        const i = order[p]!;
        const level = levelOf(i, a, b);
        gamma[i] = level;
        tf[i] = 0;
        if (level >= 0) {
          const max = model.maxLevels[i]!;
          if (p === 0 && i === stratifier) stratum = level + 1;
          w += model.table[stratum * model.stride + model.offsets[i]! + level]!;
          if (level === max && fields[i]!.tf) {
            const v = a.keys[i];
            tf[i] = v != null ? tfOf(i, v) : 0;
            w += tfAdjustment(model, i, tf[i]!);
          }
        }
        if (w + rest[stratum * (n + 1) + p + 1]! < dropBelow - MARGIN) return false;
      }
      return true;
    },
  };
}
