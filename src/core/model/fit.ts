import { type EmResult, trainEm } from './em.js';
import { estimateU } from './estimate-u.js';
import { countLevels, levelLayout } from './level-counts.js';
import { cloneParams, type ModelParams } from './params.js';
import type { PatternCounts } from './patterns.js';
import type { TfReference } from './tf-reference.js';

export interface FitOptions {
  /**
   * Field whose level selects the non-matches' u of the others (ModelParams.stratifyBy), typically
   * the given name: it is what tells relatives, colleagues and namesakes from duplicates.
   */
  stratifyBy?: string;
  /**
   * A stratum whose expected share of matches is below this (and that holds at least
   * `minStratumPairs` pairs) becomes review-only. Default 0.05.
   */
  reviewBelowShare?: number;
  /** Default 50. */
  minStratumPairs?: number;
  /**
   * Make the stratum where the stratifying field disagrees review-only whatever its fitted share of
   * matches (default true). Duplicates almost never have unrelated given names, but relatives who
   * share a surname, phone and address look like duplicates on every other field; when there are
   * many of them, EM can take them for duplicates and the fitted share no longer shows the risk.
   */
  reviewDisagreement?: boolean;
  /** Default 100 per EM run. */
  maxIterations?: number;
  /** EmOptions.pseudoCount of both EM runs. Default 0.5: no level weighs ±20 bits on a handful of pairs. */
  pseudoCount?: number;
  /** EmOptions.strataSmoothing. Default 5. */
  strataSmoothing?: number;
  /**
   * Term frequencies of the candidate pairs' exact agreements: sets tfBase of the fields it has
   * enough of. Other TF fields fall back on the random-pair exact rate.
   */
  tfReference?: TfReference;
}

export interface FitResult {
  params: ModelParams;
  iterations: number;
  converged: boolean;
  warnings: string[];
  /** Expected share of matches per stratum of the final fit. */
  strataMatchShare: number[];
}

/**
 * Fits a run's model from its own pairs:
 * 1. u from random pairs: EM's starting point (and tfBase where `tfReference` has too little);
 * 2. EM over candidate pairs with m, u and λ free (u fixed from random pairs would treat every
 *    blocked pair as a likely match: blocking gathers pairs that agree), from two starts (bestOf);
 * 3. with `stratifyBy`, EM again from there with the non-matches' u fitted per stratum, so that
 *    agreement on a shared phone counts for little among people with different given names.
 * Strata where duplicates are too rare become review-only.
 */
export function fitModel(
  start: ModelParams,
  random: PatternCounts,
  blocked: PatternCounts,
  options: FitOptions = {},
): FitResult {
  const maxIterations = options.maxIterations ?? 100;
  const u = estimateU(start, random);
  const warnings = [...u.warnings];
  if (blocked.total === 0) {
    warnings.push('no candidate pairs to train on: u from random pairs, m and λ as given');
    return {
      params: withTfBase(u.params, u.params, options.tfReference),
      iterations: 0,
      converged: false,
      warnings,
      strataMatchShare: [],
    };
  }
  const pseudoCount = options.pseudoCount ?? 0.5;
  const plain = bestOf(
    [u.params, candidateMarginals(u.params, blocked)].map((s) =>
      trainEm(blocked, s, { maxIterations, pseudoCount }),
    ),
  );
  warnings.push(...plain.warnings);
  let result = plain;
  if (options.stratifyBy !== undefined) {
    const stratified = trainEm(blocked, plain.params, {
      maxIterations,
      pseudoCount,
      stratifyBy: options.stratifyBy,
      strataSmoothing: options.strataSmoothing ?? 5,
    });
    warnings.push(...stratified.warnings.filter((w) => !plain.warnings.includes(w)));
    result = stratified;
    const bound = options.reviewBelowShare ?? 0.05;
    const minPairs = options.minStratumPairs ?? 50;
    const disagree = options.reviewDisagreement !== false ? 1 : -1;
    const review = stratified.strataMatchShare.flatMap((share, s) =>
      s === disagree || (share < bound && stratified.strataPairs[s]! >= minPairs) ? [s] : [],
    );
    if (review.length > 0) {
      result.params.reviewStrata = review;
      result.params.strataMatchShare = stratified.strataMatchShare;
    }
  }
  return {
    params: withTfBase(result.params, u.params, options.tfReference),
    iterations: plain.iterations + (result === plain ? 0 : result.iterations),
    converged: result.converged,
    warnings,
    strataMatchShare: result.strataMatchShare,
  };
}

/**
 * EM from two starts, because neither is safe alone. From the random-pair u every agreement looks
 * rare, so the first E-step may take any large group of candidate pairs that agree on a few fields
 * (same first name at the same company, in a million contacts) for the matches. From the candidate
 * pairs' own level frequencies only pairs agreeing more than usual look like matches, but where
 * most candidate pairs are matches that start sits on the matches' side and EM swaps the classes.
 * A fit where exact agreement on some field counts against a match is a swapped or captured one:
 * the fit with fewer such fields wins, then the more likely.
 */
function bestOf(fits: EmResult[]): EmResult {
  const swapped = (r: EmResult) =>
    r.params.fields.filter((f) => f.m[f.m.length - 1]! < f.u[f.u.length - 1]!).length;
  const likelihood = (r: EmResult) => r.history.at(-1)?.logLikelihood ?? Number.NEGATIVE_INFINITY;
  return fits.reduce((best, r) =>
    swapped(r) < swapped(best) || (swapped(r) === swapped(best) && likelihood(r) > likelihood(best))
      ? r
      : best,
  );
}

/** Start values with u = the level frequencies among the candidate pairs themselves. */
function candidateMarginals(params: ModelParams, blocked: PatternCounts): ModelParams {
  const out = cloneParams(params);
  const layout = levelLayout(out);
  const observed = countLevels(blocked, out, layout);
  out.fields.forEach((f, i) => {
    const at = layout.offsets[i]!;
    let total = 0;
    for (let l = 0; l < f.u.length; l++) total += observed[at + l]!;
    if (total > 0) f.u = f.u.map((_, l) => (observed[at + l]! + 0.5) / (total + 0.5 * f.u.length));
  });
  return out;
}

/**
 * The reference of TF adjustments: the candidate pairs' own agreements where counted, else the
 * random-pair exact rate (never the u fitted on blocked pairs, where agreement is far more common).
 */
function withTfBase(params: ModelParams, random: ModelParams, reference?: TfReference): ModelParams {
  params.fields.forEach((f, i) => {
    const ru = random.fields[i]!.u;
    f.tfBase = ru[ru.length - 1]!;
  });
  reference?.apply(params);
  return params;
}
