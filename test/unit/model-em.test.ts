import { describe, expect, it } from 'vitest';
import {
  estimateU,
  initialParams,
  type ModelParams,
  PatternCounts,
  PROB_MAX,
  PROB_MIN,
  trainEm,
} from '../../src/core/model/index.js';
import { draw, prng } from '../support/simulate.js';

/** Vectors simulated from known parameters: a pair is a match with probability λ, then each field draws its level. */
function simulate(truth: ModelParams, pairs: number, seed: number, missingRate = 0.1): PatternCounts {
  const rand = prng(seed);
  const counts = new PatternCounts(truth.fields.length, 4);
  const gamma = new Int8Array(truth.fields.length);
  for (let p = 0; p < pairs; p++) {
    const match = rand() < truth.lambda;
    truth.fields.forEach((f, i) => {
      const level = draw(match ? f.m : f.u, rand());
      gamma[i] = rand() < missingRate ? -1 : level;
    });
    counts.add(gamma);
  }
  return counts;
}

const truth: ModelParams = {
  lambda: 0.3,
  fields: [
    { name: 'first', m: [0.05, 0.15, 0.8], u: [0.7, 0.2, 0.1] },
    { name: 'last', m: [0.05, 0.1, 0.85], u: [0.8, 0.15, 0.05] },
    { name: 'email', m: [0.3, 0.7], u: [0.99, 0.01] },
    { name: 'phone', m: [0.2, 0.8], u: [0.95, 0.05] },
    { name: 'city', m: [0.1, 0.9], u: [0.6, 0.4] },
  ],
};
const start = initialParams(truth.fields.map((f) => ({ name: f.name, maxLevel: f.m.length - 1 })));

function expectClose(
  actual: ModelParams,
  expected: ModelParams,
  tolerance: number,
  which: ('m' | 'u')[],
): void {
  expect(Math.abs(actual.lambda - expected.lambda)).toBeLessThan(tolerance);
  actual.fields.forEach((f, i) => {
    for (const key of which) {
      f[key].forEach((v, l) => {
        const want = expected.fields[i]![key][l]!;
        expect(Math.abs(v - want), `${f.name}.${key}[${l}] = ${v}, want ${want}`).toBeLessThan(tolerance);
      });
    }
  });
}

/** Pattern → count, independent of the order patterns were first seen in. */
function countsByPattern(pc: PatternCounts): Map<string, number> {
  const json = pc.toJSON();
  return new Map(json.patterns.map((p, i) => [p.join(','), json.counts[i]!]));
}

describe('PatternCounts', () => {
  it('counts distinct vectors', () => {
    const pc = new PatternCounts(3, 2);
    pc.add([1, 2, -1]);
    pc.add(Int8Array.from([1, 2, -1]));
    pc.add([0, 0, 0], 5);
    pc.addPacked(Int8Array.from([1, 2, -1, 2, 2, 2]));
    expect(pc.size).toBe(3);
    expect(pc.total).toBe(9);
    expect(Array.from(pc.pattern(0))).toEqual([1, 2, -1]);
    expect(pc.count(0)).toBe(3);
    expect(pc.count(1)).toBe(5);
  });

  it.each([
    { fieldCount: 3, maxLevel: 2, why: 'numeric keys' },
    { fieldCount: 40, maxLevel: 14, why: 'string keys (too wide for a number)' },
  ])('merges and round-trips JSON with $why', ({ fieldCount, maxLevel }) => {
    const rand = prng(7);
    const a = new PatternCounts(fieldCount, maxLevel);
    const b = new PatternCounts(fieldCount, maxLevel);
    const all = new PatternCounts(fieldCount, maxLevel);
    for (let i = 0; i < 200; i++) {
      const v = Array.from({ length: fieldCount }, () => Math.floor(rand() * (maxLevel + 2)) - 1);
      (i % 2 === 0 ? a : b).add(v);
      all.add(v);
    }
    a.merge(b);
    expect(countsByPattern(a)).toEqual(countsByPattern(all));
    expect(a.total).toBe(200);
    const copy = PatternCounts.fromJSON(JSON.parse(JSON.stringify(a)), maxLevel);
    expect(countsByPattern(copy)).toEqual(countsByPattern(all));
  });

  it.each([
    { v: [3, 0], why: 'level above maxLevel' },
    { v: [-2, 0], why: 'level below -1' },
    { v: [0.5, 0], why: 'fractional level' },
    { v: [0], why: 'too short' },
  ])('rejects $why', ({ v }) => {
    expect(() => new PatternCounts(2, 2).add(v)).toThrow(RangeError);
  });
});

describe('estimateU', () => {
  it('takes level shares among present fields, 1/(2n) for unseen levels', () => {
    const random = new PatternCounts(2, 2);
    random.add([0, 0], 8);
    random.add([1, 0], 1);
    random.add([1, 1], 1);
    random.add([-1, 0], 2);
    const init = initialParams([
      { name: 'a', maxLevel: 1 },
      { name: 'b', maxLevel: 2 },
    ]);
    const { params, pairs, warnings } = estimateU(init, random);
    expect(pairs).toBe(12);
    expect(params.fields[0]!.u).toEqual([0.8, 0.2]);
    // b: 11 at level 0, 1 at level 1, none at level 2 → counts 11, 1, 0.5 over 12.5
    params.fields[1]!.u.forEach((u, l) => {
      expect(u).toBeCloseTo([11 / 12.5, 1 / 12.5, 0.5 / 12.5][l]!, 12);
    });
    expect(warnings.join('\n')).toMatch(/field b: level 2 never seen/);
    expect(init.fields[0]!.u).not.toEqual([0.8, 0.2]);
  });

  it('recovers u from simulated random pairs', () => {
    const random = simulate({ ...truth, lambda: 0 }, 50_000, 11);
    expectClose({ ...estimateU(start, random).params, lambda: 0 }, { ...truth, lambda: 0 }, 0.01, ['u']);
  });

  it('keeps u of a field missing in every random pair', () => {
    const random = new PatternCounts(2, 2);
    random.add([0, -1], 10);
    const init = initialParams([
      { name: 'a', maxLevel: 1 },
      { name: 'b', maxLevel: 1 },
    ]);
    const { params, warnings } = estimateU(init, random);
    expect(params.fields[1]!.u).toEqual(init.fields[1]!.u);
    expect(warnings.join('\n')).toMatch(/field b: missing in every random pair/);
  });
});

describe('trainEm', () => {
  const candidates = simulate(truth, 40_000, 42);

  it('recovers m, u and λ from simulated vectors', () => {
    const result = trainEm(candidates, start, { maxIterations: 500, tolerance: 1e-6 });
    expect(result.converged).toBe(true);
    expectClose(result.params, truth, 0.03, ['m', 'u']);
    // EM never lowers the likelihood.
    for (let i = 1; i < result.history.length; i++) {
      const [prev, cur] = [result.history[i - 1]!, result.history[i]!];
      expect(cur.logLikelihood).toBeGreaterThanOrEqual(
        prev.logLikelihood - 1e-6 * Math.abs(prev.logLikelihood),
      );
    }
    expect(start.lambda).toBe(0.01);
  });

  it('fits m and λ with u fixed from random pairs', () => {
    const { params: withU } = estimateU(start, simulate({ ...truth, lambda: 0 }, 50_000, 5));
    const result = trainEm(candidates, withU, { fixU: true, tolerance: 1e-6, maxIterations: 500 });
    expect(result.converged).toBe(true);
    expectClose(result.params, truth, 0.03, ['m']);
    expect(result.params.fields.map((f) => f.u)).toEqual(withU.fields.map((f) => f.u));
  });

  it('accepts packed vectors like counted patterns', () => {
    const packed = Int8Array.from([1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0]);
    const init = initialParams([
      { name: 'a', maxLevel: 1 },
      { name: 'b', maxLevel: 1 },
    ]);
    const counted = new PatternCounts(2, 1);
    counted.addPacked(packed);
    expect(trainEm(packed, init).params).toEqual(trainEm(counted, init).params);
  });

  it('keeps λ and fixed fields as given', () => {
    const result = trainEm(candidates, start, { fixLambda: true, fixedFields: ['city'] });
    expect(result.params.lambda).toBe(start.lambda);
    expect(result.params.fields[4]).toEqual(start.fields[4]);
    expect(result.params.fields[0]).not.toEqual(start.fields[0]);
    expect(() => trainEm(candidates, start, { fixedFields: ['nope'] })).toThrow(/unknown field nope/);
  });

  it('warns when started on the wrong side it fits matches and non-matches swapped', () => {
    const swapped: ModelParams = {
      lambda: 0.5,
      fields: start.fields.map((f) => ({ ...f, m: [...f.u], u: [...f.m] })),
    };
    const result = trainEm(candidates, swapped, { maxIterations: 500 });
    expect(result.warnings.join('\n')).toMatch(
      /field first: exact agreement fitted as evidence against a match/,
    );
    expect(trainEm(candidates, start, { maxIterations: 500 }).warnings).toEqual([]);
  });

  it('reports non-convergence when iterations run out', () => {
    const result = trainEm(candidates, start, { maxIterations: 2, tolerance: 1e-12 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
    expect(result.history).toHaveLength(2);
    expect(result.warnings.join('\n')).toMatch(/did not converge/);
  });
});

describe('trainEm on degenerate input', () => {
  const init = initialParams([
    { name: 'a', maxLevel: 2 },
    { name: 'b', maxLevel: 1 },
  ]);
  const inRange = (p: ModelParams) =>
    [p.lambda, ...p.fields.flatMap((f) => [...f.m, ...f.u])].every((v) => v >= PROB_MIN && v <= PROB_MAX);

  it.each([
    {
      case: 'no pairs',
      add: (_pc: PatternCounts) => {},
      fixU: false,
      warn: /no candidate pairs/,
      unchanged: true,
    },
    {
      case: 'all pairs identical',
      add: (pc: PatternCounts) => pc.add([2, 1], 1000),
      fixU: false,
      warn: /same comparison vector/,
      unchanged: true,
    },
    {
      case: 'all pairs identical, u fixed',
      add: (pc: PatternCounts) => pc.add([2, 1], 1000),
      fixU: true,
      warn: /level\(s\) 0, 1 never observed/,
      unchanged: false,
    },
    {
      case: 'a field missing everywhere',
      add: (pc: PatternCounts) => {
        pc.add([2, -1], 300);
        pc.add([0, -1], 700);
        pc.add([1, -1], 50);
      },
      fixU: false,
      warn: /field b: missing in every pair/,
      unchanged: false,
    },
    {
      case: 'a level never seen',
      add: (pc: PatternCounts) => {
        pc.add([2, 1], 300);
        pc.add([0, 0], 700);
        pc.add([0, 1], 20);
      },
      fixU: false,
      warn: /field a: level\(s\) 1 never observed/,
      unchanged: false,
    },
  ])('$case', ({ add, fixU, warn, unchanged }) => {
    const pc = new PatternCounts(2, 2);
    add(pc);
    const result = trainEm(pc, init, { fixU });
    expect(result.warnings.join('\n')).toMatch(warn);
    expect(inRange(result.params)).toBe(true);
    if (unchanged) {
      expect(result.params).toEqual(init);
      expect(result.converged).toBe(false);
    } else {
      expect(result.converged).toBe(true);
    }
  });

  it('keeps the m and u of a field missing everywhere, and of unseen levels', () => {
    const pc = new PatternCounts(2, 2);
    pc.add([2, -1], 300);
    pc.add([0, -1], 700);
    const { params } = trainEm(pc, init);
    expect(params.fields[1]).toEqual(init.fields[1]);
    expect(params.fields[0]!.m[1]).toBe(init.fields[0]!.m[1]);
    expect(params.fields[0]!.u[1]).toBe(init.fields[0]!.u[1]);
  });
});
