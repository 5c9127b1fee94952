import { probabilityToWeight } from './weights.js';

export type Decision = 'merge' | 'review' | 'drop';

/** Match-probability thresholds: ≥ merge → merged, ≥ review → a person decides, else dropped. */
export interface Thresholds {
  merge: number;
  review: number;
}

export function validateThresholds(t: Thresholds): Thresholds {
  for (const [name, p] of Object.entries(t)) {
    if (!(p > 0 && p < 1)) throw new RangeError(`threshold ${name}=${p} must be strictly between 0 and 1`);
  }
  if (t.review > t.merge)
    throw new RangeError(`review threshold ${t.review} exceeds merge threshold ${t.merge}`);
  return t;
}

export function decide(probability: number, thresholds: Thresholds): Decision {
  if (Number.isNaN(probability)) throw new RangeError('probability is NaN');
  if (probability >= thresholds.merge) return 'merge';
  if (probability >= thresholds.review) return 'review';
  return 'drop';
}

/**
 * The same thresholds as match weights. Probability is monotone in weight, so comparing weights
 * decides identically without computing a power per pair.
 */
export function thresholdsAsWeights(t: Thresholds): Thresholds {
  validateThresholds(t);
  return { merge: probabilityToWeight(t.merge), review: probabilityToWeight(t.review) };
}

/** decide() on a weight, with thresholds from thresholdsAsWeights(). */
export function decideByWeight(weight: number, weightThresholds: Thresholds): Decision {
  if (Number.isNaN(weight)) throw new RangeError('weight is NaN');
  if (weight >= weightThresholds.merge) return 'merge';
  if (weight >= weightThresholds.review) return 'review';
  return 'drop';
}
