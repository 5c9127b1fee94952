import { countLevels, levelLayout } from './level-counts.js';
import { clampProbability, cloneParams, type ModelParams } from './params.js';
import { asPatternCounts, type PatternCounts } from './patterns.js';

export interface UEstimate {
  /** The input parameters with u replaced where the sample says something. */
  params: ModelParams;
  /** Random pairs counted. */
  pairs: number;
  warnings: string[];
}

/**
 * u probabilities from comparison vectors of random pairs (nearly all of which are non-matches):
 * u[l] = share of pairs, among those where the field is present, at level l. A level never seen in
 * the sample (typically exact agreement on an email) is rarer than one in the sample size n, so it
 * gets 1/(2n) rather than 0; a field missing in every pair keeps its u.
 */
export function estimateU(params: ModelParams, randomPairs: PatternCounts | Int8Array): UEstimate {
  const patterns = asPatternCounts(randomPairs, params.fields.length);
  const layout = levelLayout(params);
  const observed = countLevels(patterns, params, layout);
  const out = cloneParams(params);
  const warnings: string[] = [];
  if (patterns.total === 0) warnings.push('no random pairs: u probabilities unchanged');
  out.fields.forEach((field, i) => {
    const offset = layout.offsets[i]!;
    const k = layout.levelCounts[i]!;
    let n = 0;
    for (let l = 0; l < k; l++) n += observed[offset + l]!;
    if (n === 0) {
      if (patterns.total > 0) warnings.push(`field ${field.name}: missing in every random pair, u unchanged`);
      return;
    }
    const raw: number[] = [];
    for (let l = 0; l < k; l++) {
      const c = observed[offset + l]!;
      if (c === 0)
        warnings.push(`field ${field.name}: level ${l} never seen in ${n} random pairs, u = 1/(2n)`);
      raw.push(c > 0 ? c : 0.5);
    }
    const sum = raw.reduce((s, v) => s + v, 0);
    field.u = raw.map((c) => clampProbability(c / sum));
  });
  return { params: out, pairs: patterns.total, warnings };
}
