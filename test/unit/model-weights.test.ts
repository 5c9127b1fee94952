import { describe, expect, it } from 'vitest';
import {
  compileModel,
  decide,
  decideByWeight,
  explainWeight,
  initialParams,
  type ModelParams,
  matchProbability,
  matchWeight,
  PROB_MAX,
  PROB_MIN,
  parseModelParams,
  probabilityToWeight,
  scoreBatch,
  thresholdsAsWeights,
  validateThresholds,
} from '../../src/core/model/index.js';

// Ratios chosen as powers of two (or 2/3) so the expected weights are computed by hand:
// a: log2(m/u) = [-2, +2]; b: [-3, log2(2/3), +4]; prior log2(0.2/0.8) = -2.
const params: ModelParams = {
  lambda: 0.2,
  fields: [
    { name: 'a', m: [0.2, 0.8], u: [0.8, 0.2] },
    { name: 'b', m: [0.1, 0.1, 0.8], u: [0.8, 0.15, 0.05], tf: true },
  ],
  tfMinimum: 1e-3,
};
const model = compileModel(params);
const TWO_THIRDS = Math.log2(2 / 3);

describe('matchWeight', () => {
  it.each([
    { gamma: [1, 2], weight: -2 + 2 + 4 },
    { gamma: [0, 0], weight: -2 - 2 - 3 },
    { gamma: [1, 1], weight: -2 + 2 + TWO_THIRDS },
    { gamma: [0, 2], weight: -2 - 2 + 4 },
    // missing fields contribute 0
    { gamma: [-1, 2], weight: -2 + 4 },
    { gamma: [1, -1], weight: -2 + 2 },
    { gamma: [-1, -1], weight: -2 },
  ])('$gamma → $weight', ({ gamma, weight }) => {
    expect(matchWeight(model, Int8Array.from(gamma))).toBeCloseTo(weight, 12);
    expect(matchWeight(model, gamma)).toBeCloseTo(weight, 12);
  });

  it.each([
    { gamma: [2, 0], why: 'level above the exact level' },
    { gamma: [1, 3], why: 'level above the exact level' },
    { gamma: [0.5, 1], why: 'fractional level' },
    { gamma: [1], why: 'too few fields' },
    { gamma: [1, 1, 1], why: 'too many fields' },
  ])('rejects $gamma ($why)', ({ gamma }) => {
    expect(() => matchWeight(model, gamma)).toThrow(RangeError);
  });

  it('clamps m and u of 0 and 1 to finite weights', () => {
    const extreme = compileModel({ lambda: 0, fields: [{ name: 'x', m: [0, 1], u: [1, 0] }] });
    const disagree = matchWeight(extreme, [0]);
    const agree = matchWeight(extreme, [1]);
    expect(Number.isFinite(disagree) && Number.isFinite(agree)).toBe(true);
    const bound = Math.log2(PROB_MAX / PROB_MIN);
    expect(agree - extreme.priorWeight).toBeCloseTo(bound, 9);
    expect(disagree - extreme.priorWeight).toBeCloseTo(-bound, 9);
  });

  it('scoreBatch gives the same weights as matchWeight, with and without TF', () => {
    const vectors = [
      [1, 2],
      [0, 0],
      [-1, 2],
      [1, 1],
    ];
    const tfs = [0, 0.2, 0, 0, 0, 0.0125, 0, 0.5];
    const out = scoreBatch(model, Int8Array.from(vectors.flat()), vectors.length, new Float64Array(4));
    const outTf = scoreBatch(
      model,
      Int8Array.from(vectors.flat()),
      vectors.length,
      new Float64Array(4),
      Float64Array.from(tfs),
    );
    vectors.forEach((v, i) => {
      expect(out[i]).toBeCloseTo(matchWeight(model, v), 12);
      expect(outTf[i]).toBeCloseTo(matchWeight(model, v, tfs.slice(2 * i, 2 * i + 2)), 12);
    });
  });
});

describe('term-frequency adjustment', () => {
  // b's exact u is 0.05: a value with frequency f shifts the weight by log2(0.05 / f).
  it.each([
    { what: 'common value (f = 0.2)', tf: [0, 0.2], weight: -2 + 2 + 4 - 2 },
    { what: 'rare value (f = 0.0125)', tf: [0, 0.0125], weight: -2 + 2 + 4 + 2 },
    { what: 'value as frequent as u_exact', tf: [0, 0.05], weight: -2 + 2 + 4 },
    { what: 'frequency floored at tfMinimum', tf: [0, 1e-9], weight: -2 + 2 + 4 + Math.log2(0.05 / 1e-3) },
    { what: 'no frequency given (0)', tf: [0, 0], weight: -2 + 2 + 4 },
    { what: 'frequency NaN', tf: [0, Number.NaN], weight: -2 + 2 + 4 },
    { what: 'TF on a field without TF is ignored', tf: [0.9, 0.05], weight: -2 + 2 + 4 },
  ])('$what', ({ tf, weight }) => {
    expect(matchWeight(model, [1, 2], tf)).toBeCloseTo(weight, 12);
  });

  it('applies only to the exact level', () => {
    expect(matchWeight(model, [1, 1], [0, 0.2])).toBeCloseTo(matchWeight(model, [1, 1]), 12);
  });

  it('a common value weighs less than a rare one', () => {
    const common = matchWeight(model, [1, 2], [0, 0.3]);
    const rare = matchWeight(model, [1, 2], [0, 0.001]);
    expect(common).toBeLessThan(matchWeight(model, [1, 2]));
    expect(rare).toBeGreaterThan(matchWeight(model, [1, 2]));
    expect(common).toBeLessThan(rare);
  });

  it('tfWeight scales the adjustment', () => {
    const half = compileModel({
      ...params,
      fields: [params.fields[0]!, { ...params.fields[1]!, tfWeight: 0.5 }],
    });
    expect(matchWeight(half, [1, 2], [0, 0.2])).toBeCloseTo(-2 + 2 + 4 - 1, 12);
  });
});

describe('explainWeight', () => {
  it.each([
    { gamma: [1, 2], tf: undefined, parts: [2, 4] },
    { gamma: [-1, 2], tf: [0, 0.2], parts: [0, 4 - 2] },
    { gamma: [0, -1], tf: undefined, parts: [-2, 0] },
  ])('per-field weights of $gamma sum to matchWeight', ({ gamma, tf, parts }) => {
    const ex = explainWeight(model, gamma, tf);
    expect(ex.prior).toBeCloseTo(-2, 12);
    expect(ex.fields.map((f) => f.field)).toEqual(['a', 'b']);
    expect(ex.fields.map((f) => f.level)).toEqual(gamma);
    ex.fields.forEach((f, i) => {
      expect(f.weight).toBeCloseTo(parts[i]!, 12);
    });
    expect(ex.total).toBeCloseTo(matchWeight(model, gamma, tf), 12);
    expect(ex.probability).toBeCloseTo(matchProbability(ex.total), 12);
  });

  it('records the frequency used for a TF adjustment', () => {
    expect(explainWeight(model, [1, 2], [0, 0.2]).fields[1]).toMatchObject({ tf: 0.2 });
    expect(explainWeight(model, [1, 1], [0, 0.2]).fields[1]).not.toHaveProperty('tf');
  });
});

describe('matchProbability', () => {
  it.each([
    { weight: 0, p: 0.5 },
    { weight: 4, p: 16 / 17 },
    { weight: -7, p: 1 / 129 },
    { weight: -2, p: 0.2 },
    { weight: 2000, p: 1 },
    { weight: -2000, p: 0 },
  ])('weight $weight → $p', ({ weight, p }) => {
    expect(matchProbability(weight)).toBeCloseTo(p, 12);
  });

  it.each([0.01, 0.2, 0.5, 0.9, 0.999])('probabilityToWeight inverts it at %f', (p) => {
    expect(matchProbability(probabilityToWeight(p))).toBeCloseTo(p, 12);
  });

  it.each([0, 1, -0.5, Number.NaN])('probabilityToWeight rejects %f', (p) => {
    expect(() => probabilityToWeight(p)).toThrow(RangeError);
  });
});

describe('decide', () => {
  const thresholds = { merge: 0.95, review: 0.7 };
  it.each([
    { p: 0.999, decision: 'merge' },
    { p: 0.95, decision: 'merge' },
    { p: 0.9, decision: 'review' },
    { p: 0.7, decision: 'review' },
    { p: 0.69, decision: 'drop' },
    { p: 0, decision: 'drop' },
  ])('$p → $decision', ({ p, decision }) => {
    expect(decide(p, thresholds)).toBe(decision);
  });

  it('decideByWeight agrees with decide on probabilities', () => {
    const byWeight = thresholdsAsWeights(thresholds);
    for (let w = -20; w <= 20; w += 0.37) {
      expect(decideByWeight(w, byWeight)).toBe(decide(matchProbability(w), thresholds));
    }
  });

  it.each([
    { t: { merge: 0.7, review: 0.9 }, why: 'review above merge' },
    { t: { merge: 1, review: 0.5 }, why: 'merge at 1' },
    { t: { merge: 0.9, review: 0 }, why: 'review at 0' },
  ])('rejects thresholds with $why', ({ t }) => {
    expect(() => validateThresholds(t)).toThrow(RangeError);
  });

  it('rejects NaN', () => {
    expect(() => decide(Number.NaN, thresholds)).toThrow(RangeError);
  });
});

describe('parameters', () => {
  it.each([
    {
      input: { lambda: 0.1, fields: [{ name: 'a', m: [0.1, 0.9], u: [0.9] }] },
      why: 'm and u lengths differ',
    },
    { input: { lambda: 1.5, fields: [{ name: 'a', m: [0.1, 0.9], u: [0.9, 0.1] }] }, why: 'λ above 1' },
    { input: { lambda: 0.1, fields: [] }, why: 'no fields' },
    {
      input: {
        lambda: 0.1,
        fields: [
          { name: 'a', m: [0.1, 0.9], u: [0.9, 0.1] },
          { name: 'a', m: [0.1, 0.9], u: [0.9, 0.1] },
        ],
      },
      why: 'duplicate field names',
    },
  ])('parseModelParams rejects $why', ({ input }) => {
    expect(() => parseModelParams(input)).toThrow();
  });

  it('parseModelParams accepts valid parameters', () => {
    expect(parseModelParams(params)).toEqual(params);
  });

  it.each([1, 2, 4])('initialParams with maxLevel %i orders the weights by level', (maxLevel) => {
    const init = initialParams([{ name: 'f', maxLevel }]);
    const compiled = compileModel(init);
    const f = init.fields[0]!;
    expect(f.m.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(f.u.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    for (let l = 1; l <= maxLevel; l++) {
      expect(matchWeight(compiled, [l])).toBeGreaterThan(matchWeight(compiled, [l - 1]));
    }
    expect(matchWeight(compiled, [0])).toBeLessThan(compiled.priorWeight);
  });
});
