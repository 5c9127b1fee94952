import { describe, expect, it } from 'vitest';
import {
  cloneParams,
  compileModel,
  explainWeight,
  type ModelParams,
  matchWeight,
  needsReview,
  parseModelParams,
  scoreBatch,
  stratumOf,
  TfReference,
} from '../../src/core/model/index.js';

// A stratified model: field `given` (levels 0..1) picks the stratum (0 given missing, 1 disagrees,
// 2 agrees); `phone` has its own non-match u in each stratum.
const params: ModelParams = {
  lambda: 0.2,
  stratifyBy: 'given',
  fields: [
    { name: 'given', m: [0.2, 0.8], u: [0.8, 0.2] },
    {
      name: 'phone',
      m: [0.25, 0.75],
      u: [0.75, 0.25],
      uStrata: [
        [0.75, 0.25],
        [0.5, 0.5],
        [0.5, 0.5],
      ],
    },
  ],
};
const prior = Math.log2(0.2 / 0.8);
const model = compileModel(params);
const w = (m: number, u: number) => Math.log2(m / u);

describe('stratified weights', () => {
  it.each([
    { gamma: [-1, 0], stratum: 0, want: prior + w(0.25, 0.75) },
    { gamma: [-1, 1], stratum: 0, want: prior + w(0.75, 0.25) },
    { gamma: [0, 1], stratum: 1, want: prior + w(0.2, 0.8) + w(0.75, 0.5) },
    { gamma: [1, 1], stratum: 2, want: prior + w(0.8, 0.2) + w(0.75, 0.5) },
    { gamma: [1, -1], stratum: 2, want: prior + w(0.8, 0.2) },
  ])('$gamma is in stratum $stratum and weighs with that stratum u', ({ gamma, stratum, want }) => {
    expect(stratumOf(model, gamma)).toBe(stratum);
    expect(matchWeight(model, gamma)).toBeCloseTo(want, 12);
    const e = explainWeight(model, gamma);
    expect(e.total).toBeCloseTo(want, 12);
    expect(e.stratum).toBe(stratum);
    expect(e.fields.reduce((s, f) => s + f.weight, e.prior)).toBeCloseTo(e.total, 12);
  });

  it('scoreBatch agrees with matchWeight in every stratum', () => {
    const gammas = Int8Array.from([-1, 0, -1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, -1]);
    const out = scoreBatch(model, gammas, 7, new Float64Array(7));
    for (let p = 0; p < 7; p++)
      expect(out[p]).toBeCloseTo(matchWeight(model, gammas.subarray(2 * p, 2 * p + 2)), 12);
  });

  it('an unstratified model has one stratum and ignores nothing', () => {
    const plain = compileModel({ lambda: 0.2, fields: params.fields.map(({ uStrata: _, ...f }) => f) });
    expect(stratumOf(plain, [0, 1])).toBe(0);
    expect(matchWeight(plain, [0, 1])).toBeCloseTo(prior + w(0.2, 0.8) + w(0.75, 0.25), 12);
    expect(explainWeight(plain, [0, 1]).stratum).toBeUndefined();
  });

  it('rejects a level of the stratifying field beyond its range', () => {
    expect(() => stratumOf(model, [2, 0])).toThrow(RangeError);
    expect(() => matchWeight(model, [2, 0])).toThrow(RangeError);
  });
});

describe('needsReview', () => {
  // Stratum 1 (given disagrees) is review-only with 1% matches: prior log2(0.01/0.99) ≈ -6.63.
  const reviewed = compileModel({
    ...params,
    fields: [
      params.fields[0]!,
      params.fields[1]!,
      { name: 'email', m: [0.5, 0.5], u: [1 - 2 ** -16, 2 ** -16], tf: true, tfBase: 1e-3 },
    ],
    reviewStrata: [1],
    strataMatchShare: [0.5, 0.01, 0.6],
  });
  const merge = Math.log2(0.99 / 0.01);

  it.each([
    { gamma: [0, 1, 0], want: true, why: 'no single field outweighs the stratum prior' },
    { gamma: [0, 1, 1], want: false, why: 'an exact email alone makes the case' },
    { gamma: [1, 1, 0], want: false, why: 'a stratum that is not review-only' },
    { gamma: [-1, 1, 0], want: false, why: 'the missing stratum is not review-only here' },
  ])('$why', ({ gamma, want }) => {
    expect(needsReview(reviewed, gamma, undefined, merge)).toBe(want);
  });

  it('counts the TF adjustment of the decisive field', () => {
    // log2(1e-3 / 0.5) ≈ -9 bits: a shared email held by half the contacts decides nothing.
    const tf = Float64Array.from([0, 0, 0.5]);
    expect(needsReview(reviewed, [0, 1, 1], tf, merge)).toBe(true);
    expect(explainWeight(reviewed, [0, 1, 1], tf).reviewOnly).toBe(true);
  });
});

describe('stratified parameters', () => {
  it('validate and round-trip through JSON', () => {
    const full = { ...params, reviewStrata: [1], strataMatchShare: [0.4, 0.01, 0.7] };
    expect(parseModelParams(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });

  it.each([
    { why: 'stratifyBy names no field', patch: (p: ModelParams) => Object.assign(p, { stratifyBy: 'nope' }) },
    {
      why: 'uStrata without stratifyBy',
      patch: (p: ModelParams) => {
        delete p.stratifyBy;
      },
    },
    {
      why: 'a wrong number of strata',
      patch: (p: ModelParams) => {
        p.fields[1]!.uStrata!.pop();
      },
    },
    {
      why: 'uStrata on the stratifying field',
      patch: (p: ModelParams) => {
        p.fields[0]!.uStrata = [
          [0.5, 0.5],
          [0.5, 0.5],
          [0.5, 0.5],
        ];
      },
    },
    {
      why: 'a review stratum out of range',
      patch: (p: ModelParams) => Object.assign(p, { reviewStrata: [3], strataMatchShare: [0.1, 0.1, 0.1] }),
    },
    {
      why: 'review strata without match shares',
      patch: (p: ModelParams) => Object.assign(p, { reviewStrata: [1] }),
    },
  ])('are rejected with $why', ({ patch }) => {
    const bad = cloneParams(params);
    patch(bad);
    expect(() => parseModelParams(bad)).toThrow();
  });

  it('cloneParams copies the strata deeply', () => {
    const copy = cloneParams({ ...params, reviewStrata: [1], strataMatchShare: [0.4, 0.01, 0.7] });
    copy.fields[1]!.uStrata![1]![0] = 0.123;
    copy.reviewStrata!.push(2);
    copy.strataMatchShare![0] = 0.9;
    expect(params.fields[1]!.uStrata![1]![0]).toBe(0.5);
    expect(copy.stratifyBy).toBe('given');
  });
});

describe('TfReference', () => {
  it('is the geometric mean frequency of exact agreements, ignoring unknown frequencies', () => {
    const ref = new TfReference(2);
    for (const tf of [1e-4, 1e-2, 0, -1]) ref.add(0, tf);
    expect(ref.count(0)).toBe(2);
    expect(ref.reference(0)).toBeCloseTo(1e-3, 12);
    expect(ref.reference(1)).toBeUndefined();
  });

  it('sets tfBase of TF fields with enough agreements only', () => {
    const p: ModelParams = {
      lambda: 0.1,
      fields: [
        { name: 'a', m: [0.1, 0.9], u: [0.9, 0.1], tf: true, tfBase: 0.5 },
        { name: 'b', m: [0.1, 0.9], u: [0.9, 0.1], tf: false },
        { name: 'c', m: [0.1, 0.9], u: [0.9, 0.1], tf: true, tfBase: 0.5 },
      ],
    };
    const ref = new TfReference(3);
    for (let i = 0; i < 25; i++) {
      ref.add(0, 2e-4);
      ref.add(1, 2e-4);
    }
    ref.add(2, 2e-4);
    ref.apply(p, 20);
    expect(p.fields[0]!.tfBase).toBeCloseTo(2e-4, 12);
    expect(p.fields[1]!.tfBase).toBeUndefined();
    expect(p.fields[2]!.tfBase).toBe(0.5);
  });

  it('rejects a model of another width and fields out of range', () => {
    expect(() =>
      new TfReference(2).apply({ lambda: 0.1, fields: [{ name: 'a', m: [0.5, 0.5], u: [0.5, 0.5] }] }),
    ).toThrow(RangeError);
    expect(() => new TfReference(2).add(2, 0.1)).toThrow(RangeError);
  });
});
