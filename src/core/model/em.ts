import { EmState } from './em-state.js';
import { countLevels, type LevelLayout, levelLayout, levelProbabilities } from './level-counts.js';
import { clampProbability, cloneParams, type ModelParams, strataCount } from './params.js';
import { asPatternCounts, type PatternCounts } from './patterns.js';

export interface EmOptions {
  /** Default 100. */
  maxIterations?: number;
  /** Converged when no m, u or λ moves by more than this in an iteration. Default 1e-4. */
  tolerance?: number;
  /**
   * Keep u as given (estimated from random pairs) and fit only m and λ: Splink's recommended way, as
   * u from random pairs is direct evidence while EM's u mixes in whatever the blocking selected.
   */
  fixU?: boolean;
  /** Keep λ as given. */
  fixLambda?: boolean;
  /**
   * Fields whose m and u stay as given: typically those the blocking rule forced to agree, about
   * which the candidate pairs carry no information.
   */
  fixedFields?: readonly string[];
  /**
   * Fit the non-matches' u of every other field per level of this field (ModelParams.stratifyBy).
   * Not with fixU: the strata's u come from the candidate pairs themselves.
   */
  stratifyBy?: string;
  /** Pseudo-pairs of the pooled u added to every stratum's counts. Default 10. */
  strataSmoothing?: number;
  /** Added to the expected count of every observed level before m and u are normalised. Default 0. */
  pseudoCount?: number;
}

export interface EmIteration {
  iteration: number;
  lambda: number;
  /** Largest change of any m, u or λ in this iteration. */
  maxChange: number;
  /** Natural-log likelihood of the data under the parameters this iteration started from. */
  logLikelihood: number;
}

export interface EmResult {
  params: ModelParams;
  iterations: number;
  converged: boolean;
  history: EmIteration[];
  warnings: string[];
  /** Expected share of matches among the pairs of each stratum (one entry when unstratified). */
  strataMatchShare: number[];
  /** Pairs (vectors counted) in each stratum. */
  strataPairs: number[];
}

/**
 * Expectation maximisation of m (and u unless fixed) and λ over the comparison vectors of blocked
 * candidate pairs, iterating over distinct patterns weighted by their counts. Missing levels take
 * no part in a field's estimates. A level never observed keeps its starting values.
 */
export function trainEm(
  vectors: PatternCounts | Int8Array,
  initial: ModelParams,
  options: EmOptions = {},
): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-4;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError('maxIterations must be ≥ 1');
  }
  if (!(tolerance > 0)) throw new RangeError('tolerance must be > 0');
  const patterns = asPatternCounts(vectors, initial.fields.length);
  const layout = levelLayout(initial);
  const observed = countLevels(patterns, initial, layout);
  const fixed = fixedFieldMask(initial, options.fixedFields ?? []);
  const params = cloneParams(initial);
  params.lambda = clampProbability(params.lambda);
  const stratifier = stratification(params, options);
  const strata = stratifier < 0 ? 1 : strataCount(params.fields[stratifier]!.m.length - 1);
  const smoothing = options.strataSmoothing ?? 10;
  if (!(smoothing > 0)) throw new RangeError('strataSmoothing must be > 0');
  const pseudoCount = options.pseudoCount ?? 0;
  if (!(pseudoCount >= 0)) throw new RangeError('pseudoCount must be ≥ 0');
  const warnings = degenerateWarnings(params, patterns, layout, observed, options.fixU === true);
  const history: EmIteration[] = [];
  const state = new EmState(patterns, layout, stratifier, strata);
  const strataOf = () => ({
    strataMatchShare: Array.from(state.strataTotals, (t, s) => (t > 0 ? state.strataMatches[s]! / t : 0)),
    strataPairs: Array.from(state.strataTotals),
  });
  if (patterns.total === 0 || (patterns.size < 2 && options.fixU !== true)) {
    return {
      params,
      iterations: 0,
      converged: false,
      history,
      warnings,
      strataMatchShare: [],
      strataPairs: [],
    };
  }
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { logLikelihood, expectedMatches } = state.expectation(params);
    let maxChange = 0;
    if (options.fixLambda !== true) {
      const lambda = clampProbability(expectedMatches / patterns.total);
      maxChange = Math.abs(lambda - params.lambda);
      params.lambda = lambda;
    }
    const pooled = strata > 1 ? state.pooledU() : state.accU;
    params.fields.forEach((field, i) => {
      if (fixed[i]) return;
      const offset = layout.offsets[i]!;
      const m = levelProbabilities(state.accM, offset, field.m, observed, pseudoCount);
      if (m) maxChange = Math.max(maxChange, replace(field.m, m));
      if (options.fixU === true) return;
      const u = levelProbabilities(pooled, offset, field.u, observed, pseudoCount);
      if (u) maxChange = Math.max(maxChange, replace(field.u, u));
      if (strata > 1 && i !== stratifier)
        maxChange = Math.max(maxChange, state.updateStrata(params, i, smoothing));
    });
    history.push({ iteration, lambda: params.lambda, maxChange, logLikelihood });
    if (maxChange < tolerance) {
      warnings.push(...swapWarnings(params, fixed));
      return { params, iterations: iteration, converged: true, history, warnings, ...strataOf() };
    }
  }
  warnings.push(`EM did not converge within ${maxIterations} iterations`, ...swapWarnings(params, fixed));
  return { params, iterations: maxIterations, converged: false, history, warnings, ...strataOf() };
}

/** Sets up params for a stratified fit; returns the stratifying field's index or -1. */
function stratification(params: ModelParams, options: EmOptions): number {
  const name = options.stratifyBy ?? params.stratifyBy;
  if (name === undefined) return -1;
  const i = params.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new RangeError(`stratifyBy: unknown field ${name}`);
  if (options.fixU === true && options.stratifyBy !== undefined) {
    throw new RangeError('stratifyBy fits u per stratum and cannot be combined with fixU');
  }
  params.stratifyBy = name;
  const strata = strataCount(params.fields[i]!.m.length - 1);
  for (const [j, f] of params.fields.entries()) {
    if (j === i) delete f.uStrata;
    else if (f.uStrata === undefined || f.uStrata.length !== strata) {
      f.uStrata = Array.from({ length: strata }, () => [...f.u]);
    }
  }
  return i;
}

/**
 * EM is symmetric in matches and non-matches: started on the wrong side it fits them swapped, and
 * exact agreement then counts against a match. Worth a warning rather than a silent bad model.
 */
function swapWarnings(params: ModelParams, fixed: readonly boolean[]): string[] {
  const out: string[] = [];
  params.fields.forEach((f, i) => {
    const exact = f.m.length - 1;
    if (!fixed[i] && f.m[exact]! < f.u[exact]!) {
      out.push(
        `field ${f.name}: exact agreement fitted as evidence against a match (m < u); check the starting values`,
      );
    }
  });
  return out;
}

/** Overwrites target with clamped values; returns the largest change. */
function replace(target: number[], values: readonly number[]): number {
  let change = 0;
  for (let l = 0; l < target.length; l++) {
    const v = clampProbability(values[l]!);
    change = Math.max(change, Math.abs(v - target[l]!));
    target[l] = v;
  }
  return change;
}

function fixedFieldMask(params: ModelParams, names: readonly string[]): boolean[] {
  const known = new Set(params.fields.map((f) => f.name));
  for (const name of names) if (!known.has(name)) throw new RangeError(`fixedFields: unknown field ${name}`);
  const fixed = new Set(names);
  return params.fields.map((f) => fixed.has(f.name));
}

function degenerateWarnings(
  params: ModelParams,
  patterns: PatternCounts,
  layout: LevelLayout,
  observed: Float64Array,
  fixU: boolean,
): string[] {
  const warnings: string[] = [];
  if (patterns.total === 0) return ['no candidate pairs: parameters unchanged'];
  if (patterns.size < 2 && !fixU) {
    warnings.push('every pair has the same comparison vector: matches and non-matches cannot be told apart');
  }
  params.fields.forEach((f, i) => {
    const offset = layout.offsets[i]!;
    const never: number[] = [];
    let present = 0;
    for (let l = 0; l < f.m.length; l++) {
      present += observed[offset + l]!;
      if (observed[offset + l] === 0) never.push(l);
    }
    if (present === 0) warnings.push(`field ${f.name}: missing in every pair, m and u unchanged`);
    else if (never.length > 0)
      warnings.push(`field ${f.name}: level(s) ${never.join(', ')} never observed, kept`);
  });
  return warnings;
}
