import type { LevelLayout } from './level-counts.js';
import { clampProbability, type ModelParams } from './params.js';
import type { PatternCounts } from './patterns.js';

/**
 * Scratch arrays of the E-step, allocated once per training run. With a stratifying field, the
 * non-match side keeps one block of level counts per stratum (the field's level + 1, 0 = missing).
 */
export class EmState {
  readonly accM: Float64Array;
  /** strata × layout.size expected non-match counts. */
  readonly accU: Float64Array;
  /** Expected matches and pairs per stratum. */
  readonly strataMatches: Float64Array;
  readonly strataTotals: Float64Array;
  private readonly lnM: Float64Array;
  private readonly lnU: Float64Array;
  private readonly levels: Int8Array;
  private readonly counts: Float64Array;
  private readonly fieldCount: number;

  constructor(
    patterns: PatternCounts,
    private readonly layout: LevelLayout,
    /** Index of the stratifying field, or -1. */
    readonly stratifier: number,
    readonly strata: number,
  ) {
    this.accM = new Float64Array(layout.size);
    this.accU = new Float64Array(layout.size * strata);
    this.lnM = new Float64Array(layout.size);
    this.lnU = new Float64Array(layout.size * strata);
    this.strataMatches = new Float64Array(strata);
    this.strataTotals = new Float64Array(strata);
    const packed = patterns.packed();
    this.levels = packed.levels;
    this.counts = packed.counts;
    this.fieldCount = patterns.fieldCount;
  }

  /** Posterior match probability of every pattern, accumulated into expected level counts. */
  expectation(params: ModelParams): { logLikelihood: number; expectedMatches: number } {
    const { offsets, size } = this.layout;
    const { accM, accU, lnM, lnU, levels, counts, fieldCount: n, stratifier: sf } = this;
    params.fields.forEach((f, i) => {
      for (let l = 0; l < f.m.length; l++) lnM[offsets[i]! + l] = Math.log(clampProbability(f.m[l]!));
      for (let s = 0; s < this.strata; s++) {
        const u = f.uStrata?.[s] ?? f.u;
        for (let l = 0; l < f.u.length; l++)
          lnU[s * size + offsets[i]! + l] = Math.log(clampProbability(u[l]!));
      }
    });
    accM.fill(0);
    accU.fill(0);
    this.strataMatches.fill(0);
    this.strataTotals.fill(0);
    const lnLambda = Math.log(params.lambda);
    const lnNotLambda = Math.log(1 - params.lambda);
    let logLikelihood = 0;
    let expectedMatches = 0;
    for (let p = 0, base = 0; p < counts.length; p++, base += n) {
      const stratum = sf < 0 || levels[base + sf]! < 0 ? 0 : levels[base + sf]! + 1;
      const su = stratum * size;
      let a = lnLambda;
      let b = lnNotLambda;
      for (let i = 0; i < n; i++) {
        const g = levels[base + i]!;
        if (g < 0) continue;
        a += lnM[offsets[i]! + g]!;
        b += lnU[su + offsets[i]! + g]!;
      }
      // log-sum-exp: products of many small probabilities underflow in the linear domain.
      const max = Math.max(a, b);
      const lse = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
      const c = counts[p]!;
      const matchShare = c * Math.exp(a - lse);
      const nonMatchShare = c * Math.exp(b - lse);
      logLikelihood += c * lse;
      expectedMatches += matchShare;
      this.strataMatches[stratum] = this.strataMatches[stratum]! + matchShare;
      this.strataTotals[stratum] = this.strataTotals[stratum]! + c;
      for (let i = 0; i < n; i++) {
        const g = levels[base + i]!;
        if (g < 0) continue;
        const at = offsets[i]! + g;
        accM[at] = accM[at]! + matchShare;
        accU[su + at] = accU[su + at]! + nonMatchShare;
      }
    }
    return { logLikelihood, expectedMatches };
  }

  /** Non-match counts of all strata added up (the pooled u's data). */
  pooledU(): Float64Array {
    const { size } = this.layout;
    const out = new Float64Array(size);
    for (let s = 0; s < this.strata; s++)
      for (let j = 0; j < size; j++) out[j] = out[j]! + this.accU[s * size + j]!;
    return out;
  }

  /**
   * u of field i in each stratum: the stratum's own non-match counts, shrunk towards the pooled u by
   * `smoothing` pseudo-pairs (a sparse stratum falls back on the pooled estimate, not on zeros).
   * Returns the largest change.
   */
  updateStrata(params: ModelParams, i: number, smoothing: number): number {
    const { offsets, levelCounts, size } = this.layout;
    const field = params.fields[i]!;
    const k = levelCounts[i]!;
    const pooled = field.u;
    const rows = field.uStrata ?? Array.from({ length: this.strata }, () => [...pooled]);
    let change = 0;
    for (let s = 0; s < this.strata; s++) {
      const at = s * size + offsets[i]!;
      let total = 0;
      for (let l = 0; l < k; l++) total += this.accU[at + l]!;
      const row = rows[s]!;
      for (let l = 0; l < k; l++) {
        const v = clampProbability((this.accU[at + l]! + smoothing * pooled[l]!) / (total + smoothing));
        change = Math.max(change, Math.abs(v - row[l]!));
        row[l] = v;
      }
    }
    field.uStrata = rows;
    return change;
  }
}
