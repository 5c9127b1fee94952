import { describe, expect, it } from 'vitest';
import {
  compileModel,
  estimateU,
  fitModel,
  initialParams,
  type ModelParams,
  matchWeight,
  needsReview,
  PatternCounts,
  probabilityToWeight,
  TfReference,
  trainEm,
} from '../../src/core/model/index.js';
import { levelProbabilities } from '../../src/core/model/level-counts.js';
import { prng } from '../support/simulate.js';

const FIELDS = ['given', 'surname', 'phone', 'email', 'city'] as const;
const MAX_LEVEL = [2, 1, 1, 1, 1];

/**
 * Kinds of candidate pairs with their share and P(agree) per field (given: P(exact), P(fuzzy)), in
 * proportions like those of blocked CRM contacts. Non-matches are not independent across fields:
 * relatives share surname, phone and city but not the given name; namesakes share the names and
 * little else. (Were relatives as common as duplicates, nothing in the data would tell them apart:
 * EM would take them for duplicates whose given names differ.)
 */
const KINDS = {
  match: { share: 0.3, given: [0.9, 0.08], surname: 0.95, phone: 0.7, email: 0.7, city: 0.9 },
  namesake: { share: 0.3, given: [0.97, 0.03], surname: 0.95, phone: 0.005, email: 0.01, city: 0.2 },
  relative: { share: 0.02, given: [0, 0.02], surname: 0.97, phone: 0.8, email: 0.005, city: 0.98 },
  neighbour: { share: 0.2, given: [0, 0.05], surname: 0.97, phone: 0.005, email: 0.002, city: 0.97 },
  stranger: { share: 0.18, given: [0.02, 0.1], surname: 0.3, phone: 0.002, email: 0.002, city: 0.3 },
} as const;
type Kind = keyof typeof KINDS;

function pairOf(kind: Kind, rand: () => number): number[] {
  const k = KINDS[kind];
  const r = rand();
  const given = r < k.given[0] ? 2 : r < k.given[0] + k.given[1] ? 1 : 0;
  return [given, ...[k.surname, k.phone, k.email, k.city].map((p) => (rand() < p ? 1 : 0))];
}

function simulate(pairs: number, seed: number): { counts: PatternCounts; labelled: [number[], Kind][] } {
  const rand = prng(seed);
  const counts = new PatternCounts(FIELDS.length, 2);
  const labelled: [number[], Kind][] = [];
  for (let i = 0; i < pairs; i++) {
    let x = rand();
    let kind: Kind = 'stranger';
    for (const k of Object.keys(KINDS) as Kind[]) {
      if (x < KINDS[k].share) {
        kind = k;
        break;
      }
      x -= KINDS[k].share;
    }
    const gamma = pairOf(kind, rand);
    counts.add(gamma);
    labelled.push([gamma, kind]);
  }
  return { counts, labelled };
}

/** Random pairs: strangers, with the odd match. */
function randomPairs(seed: number): PatternCounts {
  const rand = prng(seed);
  const counts = new PatternCounts(FIELDS.length, 2);
  for (let i = 0; i < 20_000; i++) counts.add(pairOf(rand() < 0.001 ? 'match' : 'stranger', rand));
  return counts;
}

const start = (): ModelParams =>
  initialParams(
    FIELDS.map((name, i) => ({ name, maxLevel: MAX_LEVEL[i]! })),
    0.1,
  );

/** Precision and recall of sure matches (weight at the merge threshold, not sent to review). */
function quality(params: ModelParams, labelled: [number[], Kind][]) {
  const model = compileModel(params);
  const merge = probabilityToWeight(0.99);
  let tp = 0;
  let fp = 0;
  let matches = 0;
  for (const [gamma, kind] of labelled) {
    if (kind === 'match') matches++;
    if (matchWeight(model, gamma) < merge || needsReview(model, gamma, undefined, merge)) continue;
    if (kind === 'match') tp++;
    else fp++;
  }
  return { precision: tp / (tp + fp), recall: tp / matches, falsePositives: fp };
}

describe('fitModel', () => {
  const train = simulate(30_000, 1);
  const test = simulate(30_000, 2);
  const random = randomPairs(3);
  const plain = fitModel(start(), random, train.counts);
  const stratified = fitModel(start(), random, train.counts, { stratifyBy: 'given' });

  it('without a stratifying field fits one u per field', () => {
    expect(plain.params.stratifyBy).toBeUndefined();
    expect(plain.params.fields.every((f) => f.uStrata === undefined)).toBe(true);
    expect(plain.strataMatchShare).toHaveLength(1);
  });

  it('fits the non-matches per given-name stratum and learns what relatives share', () => {
    const p = stratified.params;
    expect(p.stratifyBy).toBe('given');
    const phone = p.fields[2]!;
    // Stratum 1 (given disagrees) holds the relatives: a shared phone is far more common among its
    // non-matches than among namesakes (stratum 3, given exact).
    expect(phone.uStrata![1]![1]!).toBeGreaterThan(3 * phone.uStrata![3]![1]!);
    expect(stratified.strataMatchShare[1]!).toBeLessThan(0.05);
    expect(stratified.strataMatchShare[3]!).toBeGreaterThan(0.3);
  });

  it('makes the disagreeing stratum review-only and the agreeing one not', () => {
    expect(stratified.params.reviewStrata).toContain(1);
    expect(stratified.params.reviewStrata).not.toContain(3);
    expect(stratified.params.strataMatchShare).toEqual(stratified.strataMatchShare);
  });

  it('leaves the disagreeing stratum alone when asked to trust its fitted share', () => {
    const r = fitModel(start(), random, train.counts, {
      stratifyBy: 'given',
      reviewDisagreement: false,
      reviewBelowShare: 0.01,
    });
    expect(r.params.reviewStrata).toBeUndefined();
  });

  it('tells relatives and namesakes from duplicates better than one u per field', () => {
    const a = quality(plain.params, test.labelled);
    const b = quality(stratified.params, test.labelled);
    expect(b.precision).toBeGreaterThanOrEqual(0.998);
    expect(b.falsePositives).toBeLessThan(a.falsePositives / 2);
    expect(b.recall).toBeGreaterThan(a.recall - 0.02);
  });

  it('takes tfBase from the random pairs', () => {
    const u = random.toJSON();
    const exact = u.patterns.reduce((s, p, i) => s + (p[0] === 2 ? u.counts[i]! : 0), 0) / random.total;
    expect(stratified.params.fields[0]!.tfBase).toBeCloseTo(exact, 6);
  });

  it('centres TF on the candidate pairs where a reference counted enough agreements', () => {
    const reference = new TfReference(FIELDS.length);
    for (let i = 0; i < 30; i++) reference.add(1, 4e-4);
    reference.add(0, 1e-3);
    const p = start();
    p.fields[0]!.tf = true;
    p.fields[1]!.tf = true;
    const r = fitModel(p, random, train.counts, { stratifyBy: 'given', tfReference: reference });
    expect(r.params.fields[1]!.tfBase).toBeCloseTo(4e-4, 12);
    expect(r.params.fields[0]!.tfBase).toBeCloseTo(stratified.params.fields[0]!.tfBase!, 12);
  });

  it('warns and keeps the random-pair u when there are no candidate pairs', () => {
    const r = fitModel(start(), random, new PatternCounts(FIELDS.length, 2), { stratifyBy: 'given' });
    expect(r.warnings.some((w) => w.includes('no candidate pairs'))).toBe(true);
    expect(r.params.stratifyBy).toBeUndefined();
  });
});

describe('trainEm with stratifyBy', () => {
  const train = simulate(5_000, 4);

  it('reports the pairs and match share of each stratum', () => {
    const r = trainEm(train.counts, start(), { stratifyBy: 'given' });
    expect(r.strataPairs.reduce((s, n) => s + n, 0)).toBe(5_000);
    expect(r.strataPairs[0]).toBe(0); // no missing given names in the simulation
    expect(r.strataMatchShare).toHaveLength(4);
    r.params.fields.forEach((f, i) => {
      if (i === 0) expect(f.uStrata).toBeUndefined();
      else for (const row of f.uStrata!) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    });
  });

  it.each([
    { why: 'an unknown field', options: { stratifyBy: 'nope' } },
    { why: 'fixU', options: { stratifyBy: 'given', fixU: true } },
    { why: 'a smoothing of 0', options: { stratifyBy: 'given', strataSmoothing: 0 } },
    { why: 'a negative pseudo-count', options: { pseudoCount: -1 } },
  ])('rejects $why', ({ options }) => {
    expect(() => trainEm(train.counts, start(), options)).toThrow(RangeError);
  });
});

describe('levelProbabilities with a pseudo-count', () => {
  it('smooths observed levels and leaves unobserved ones as they were', () => {
    const acc = Float64Array.from([0, 8, 2]);
    const observed = Float64Array.from([0, 10, 2]);
    const smoothed = levelProbabilities(acc, 0, [0.2, 0.4, 0.4], observed, 1)!;
    const plain = levelProbabilities(acc, 0, [0.2, 0.4, 0.4], observed)!;
    for (const [l, want] of [0.2, 0.8 * (9 / 12), 0.8 * (3 / 12)].entries())
      expect(smoothed[l]).toBeCloseTo(want, 12);
    for (const [l, want] of [0.2, 0.8 * 0.8, 0.8 * 0.2].entries()) expect(plain[l]).toBeCloseTo(want, 12);
  });
});

describe('fitModel starts EM twice and keeps the fit that is not swapped or captured', () => {
  // Fields: given, surname, company, email, phone (0 disagree, 1 agree).
  const kinds = (spec: [share: number, agree: number[]][], pairs: number, seed: number) => {
    const rand = prng(seed);
    const counts = new PatternCounts(5, 1);
    for (let i = 0; i < pairs; i++) {
      let x = rand();
      let agree = spec[spec.length - 1]![1];
      for (const [share, a] of spec) {
        if (x < share) {
          agree = a;
          break;
        }
        x -= share;
      }
      counts.add(agree.map((p) => (rand() < p ? 1 : 0)));
    }
    return counts;
  };
  const names = ['given', 'surname', 'company', 'email', 'phone'];
  const begin = () =>
    initialParams(
      names.map((name) => ({ name, maxLevel: 1 })),
      0.1,
    );
  const random = kinds([[1, [0.01, 0.01, 0.002, 0.0001, 0.0001]]], 20_000, 5);
  const exactAgainst = (p: ModelParams) => p.fields.filter((f) => f.m[1]! < f.u[1]!).length;

  it('is not captured by a large group of non-matches agreeing on two rare fields', () => {
    const match = [0.95, 0.95, 0.8, 0.7, 0.7];
    const blocked = kinds(
      [
        [0.05, match],
        [0.45, [1, 0.02, 1, 0.01, 0.005]], // same first name at the same company
        [0.3, [1, 1, 0.02, 0.01, 0.005]], // namesakes
        [0.2, [0.1, 0.3, 0.05, 0.001, 0.001]],
      ],
      40_000,
      6,
    );
    const r = fitModel(begin(), random, blocked);
    expect(exactAgainst(r.params)).toBe(0);
    expect(r.params.lambda).toBeLessThan(0.1);
    // EM from the random-pair u alone takes the colleagues for the matches.
    const fromRandom = trainEm(blocked, estimateU(begin(), random).params);
    expect(fromRandom.params.lambda).toBeGreaterThan(0.3);
    expect(exactAgainst(fromRandom.params)).toBeGreaterThan(0);
  });

  it('does not swap the classes when most candidate pairs are matches', () => {
    const blocked = kinds(
      [
        [0.85, [0.95, 0.95, 0.5, 0.7, 0.7]],
        [0.15, [0.3, 0.6, 0.05, 0.01, 0.01]],
      ],
      5_000,
      7,
    );
    const r = fitModel(begin(), random, blocked);
    expect(exactAgainst(r.params)).toBe(0);
    expect(r.params.lambda).toBeGreaterThan(0.7);
  });
});
