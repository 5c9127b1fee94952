import type { ModelParams } from './params.js';
import type { PatternCounts } from './patterns.js';

/** Field/level layout shared by u estimation and EM: counts live in flat arrays at offsets[f] + level. */
export interface LevelLayout {
  offsets: Int32Array;
  levelCounts: Int32Array;
  size: number;
}

export function levelLayout(params: ModelParams): LevelLayout {
  const offsets = new Int32Array(params.fields.length);
  const levelCounts = new Int32Array(params.fields.length);
  let size = 0;
  params.fields.forEach((f, i) => {
    if (f.m.length !== f.u.length || f.m.length < 2) {
      throw new RangeError(`field ${f.name}: m and u need the same number (≥ 2) of levels`);
    }
    offsets[i] = size;
    levelCounts[i] = f.m.length;
    size += f.m.length;
  });
  return { offsets, levelCounts, size };
}

/**
 * How many vectors have each field at each level (missing excluded). Also checks every level lies
 * within the field's range, so the EM loops can index without checks.
 */
export function countLevels(patterns: PatternCounts, params: ModelParams, layout: LevelLayout): Float64Array {
  const totals = new Float64Array(layout.size);
  const { levels, counts } = patterns.packed();
  const n = patterns.fieldCount;
  for (let p = 0; p < counts.length; p++) {
    for (let i = 0; i < n; i++) {
      const g = levels[p * n + i]!;
      if (g < 0) continue;
      if (g >= layout.levelCounts[i]!) {
        throw new RangeError(
          `field ${params.fields[i]!.name}: level ${g} outside -1..${layout.levelCounts[i]! - 1}`,
        );
      }
      totals[layout.offsets[i]! + g] = totals[layout.offsets[i]! + g]! + counts[p]!;
    }
  }
  return totals;
}

/**
 * New probabilities of one field's levels from accumulated (expected) counts. Levels with no
 * observation keep their previous value (the data says nothing about them) and the observed ones
 * share the remaining mass. Returns undefined when the field was never observed at all.
 * `pseudoCount` is added to every observed level's count (additive smoothing): a level seen in a
 * handful of pairs on one side and none on the other then weighs tens of bits at most, not ±20.
 */
export function levelProbabilities(
  acc: Float64Array,
  offset: number,
  previous: readonly number[],
  observed: Float64Array,
  pseudoCount = 0,
): number[] | undefined {
  const k = previous.length;
  let total = 0;
  let keptMass = 0;
  for (let l = 0; l < k; l++) {
    if (observed[offset + l]! > 0) total += acc[offset + l]! + pseudoCount;
    else keptMass += previous[l]!;
  }
  if (!(total > 0)) return undefined;
  const share = keptMass < 1 ? 1 - keptMass : 1;
  const out: number[] = [];
  for (let l = 0; l < k; l++) {
    out.push(observed[offset + l]! > 0 ? (share * (acc[offset + l]! + pseudoCount)) / total : previous[l]!);
  }
  return out;
}
