import { countLevels, type LevelLayout, levelLayout, levelProbabilities } from './level-counts.js';
import { clampProbability, cloneParams, type ModelParams } from './params.js';
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
  const warnings = degenerateWarnings(params, patterns, layout, observed, options.fixU === true);
  const history: EmIteration[] = [];
  if (patterns.total === 0 || (patterns.size < 2 && options.fixU !== true)) {
    return { params, iterations: 0, converged: false, history, warnings };
  }
  const state = new EmState(patterns, layout);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { logLikelihood, expectedMatches } = state.expectation(params);
    let maxChange = 0;
    if (options.fixLambda !== true) {
      const lambda = clampProbability(expectedMatches / patterns.total);
      maxChange = Math.abs(lambda - params.lambda);
      params.lambda = lambda;
    }
    params.fields.forEach((field, i) => {
      if (fixed[i]) return;
      const offset = layout.offsets[i]!;
      const m = levelProbabilities(state.accM, offset, field.m, observed);
      if (m) maxChange = Math.max(maxChange, replace(field.m, m));
      if (options.fixU === true) return;
      const u = levelProbabilities(state.accU, offset, field.u, observed);
      if (u) maxChange = Math.max(maxChange, replace(field.u, u));
    });
    history.push({ iteration, lambda: params.lambda, maxChange, logLikelihood });
    if (maxChange < tolerance) {
      warnings.push(...swapWarnings(params, fixed));
      return { params, iterations: iteration, converged: true, history, warnings };
    }
  }
  warnings.push(`EM did not converge within ${maxIterations} iterations`, ...swapWarnings(params, fixed));
  return { params, iterations: maxIterations, converged: false, history, warnings };
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

/** Scratch arrays of the E-step, allocated once per training run. */
class EmState {
  readonly accM: Float64Array;
  readonly accU: Float64Array;
  private readonly lnM: Float64Array;
  private readonly lnU: Float64Array;
  private readonly levels: Int8Array;
  private readonly counts: Float64Array;
  private readonly fieldCount: number;

  constructor(
    patterns: PatternCounts,
    private readonly layout: LevelLayout,
  ) {
    this.accM = new Float64Array(layout.size);
    this.accU = new Float64Array(layout.size);
    this.lnM = new Float64Array(layout.size);
    this.lnU = new Float64Array(layout.size);
    const packed = patterns.packed();
    this.levels = packed.levels;
    this.counts = packed.counts;
    this.fieldCount = patterns.fieldCount;
  }

  /** Posterior match probability of every pattern, accumulated into expected level counts. */
  expectation(params: ModelParams): { logLikelihood: number; expectedMatches: number } {
    const { offsets } = this.layout;
    const { accM, accU, lnM, lnU, levels, counts, fieldCount: n } = this;
    params.fields.forEach((f, i) => {
      for (let l = 0; l < f.m.length; l++) {
        lnM[offsets[i]! + l] = Math.log(clampProbability(f.m[l]!));
        lnU[offsets[i]! + l] = Math.log(clampProbability(f.u[l]!));
      }
    });
    accM.fill(0);
    accU.fill(0);
    const lnLambda = Math.log(params.lambda);
    const lnNotLambda = Math.log(1 - params.lambda);
    let logLikelihood = 0;
    let expectedMatches = 0;
    for (let p = 0, base = 0; p < counts.length; p++, base += n) {
      let a = lnLambda;
      let b = lnNotLambda;
      for (let i = 0; i < n; i++) {
        const g = levels[base + i]!;
        if (g < 0) continue;
        a += lnM[offsets[i]! + g]!;
        b += lnU[offsets[i]! + g]!;
      }
      // log-sum-exp: products of many small probabilities underflow in the linear domain.
      const max = Math.max(a, b);
      const lse = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
      const c = counts[p]!;
      const matchShare = c * Math.exp(a - lse);
      const nonMatchShare = c * Math.exp(b - lse);
      logLikelihood += c * lse;
      expectedMatches += matchShare;
      for (let i = 0; i < n; i++) {
        const g = levels[base + i]!;
        if (g < 0) continue;
        const at = offsets[i]! + g;
        accM[at] = accM[at]! + matchShare;
        accU[at] = accU[at]! + nonMatchShare;
      }
    }
    return { logLikelihood, expectedMatches };
  }
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
