import { describe, expect, it } from 'vitest';
import {
  compileModel,
  type ModelParams,
  matchWeight,
  PatternCounts,
  scoreBatch,
  trainEm,
} from '../../src/core/model/index.js';
import { draw, prng } from '../support/simulate.js';

// Throughput measurements, printed rather than asserted (the machine is shared). Heavy, so they
// only run on request: DEDUPE_BENCH=1 npx vitest run test/unit/model-bench.test.ts

/** A 10-field profile of the size a CRM contact model has: names, emails, phones, address parts. */
const truth: ModelParams = {
  lambda: 0.05,
  fields: [
    { name: 'first_name', m: [0.05, 0.05, 0.1, 0.8], u: [0.8, 0.1, 0.07, 0.03], tf: true },
    { name: 'last_name', m: [0.05, 0.05, 0.1, 0.8], u: [0.85, 0.08, 0.05, 0.02], tf: true },
    { name: 'email', m: [0.2, 0.1, 0.7], u: [0.98, 0.015, 0.005], tf: true },
    { name: 'phone', m: [0.2, 0.1, 0.7], u: [0.97, 0.02, 0.01] },
    { name: 'company', m: [0.2, 0.2, 0.6], u: [0.9, 0.07, 0.03] },
    { name: 'street', m: [0.2, 0.2, 0.6], u: [0.95, 0.04, 0.01] },
    { name: 'city', m: [0.1, 0.9], u: [0.7, 0.3] },
    { name: 'postcode', m: [0.15, 0.85], u: [0.9, 0.1] },
    { name: 'country', m: [0.02, 0.98], u: [0.3, 0.7] },
    { name: 'birth_date', m: [0.1, 0.1, 0.8], u: [0.95, 0.04, 0.01] },
  ],
};
const F = truth.fields.length;

function simulate(pairs: number, seed: number): { gammas: Int8Array; tfs: Float64Array } {
  const rand = prng(seed);
  const gammas = new Int8Array(pairs * F);
  const tfs = new Float64Array(pairs * F);
  for (let p = 0; p < pairs; p++) {
    const match = rand() < truth.lambda;
    truth.fields.forEach((f, i) => {
      const level = rand() < 0.15 ? -1 : draw(match ? f.m : f.u, rand());
      gammas[p * F + i] = level;
      if (f.tf && level === f.m.length - 1) tfs[p * F + i] = 10 ** (-1 - 4 * rand());
    });
  }
  return { gammas, tfs };
}

function maxError(fitted: ModelParams, key: 'm' | 'u'): number {
  return Math.max(
    ...fitted.fields.flatMap((f, i) => f[key].map((v, l) => Math.abs(v - truth.fields[i]![key][l]!))),
  );
}

function time<T>(run: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = run();
  return { result, ms: performance.now() - t0 };
}

describe.runIf(process.env.DEDUPE_BENCH === '1')('model throughput', () => {
  const pairs = 1_000_000;
  const { gammas, tfs } = simulate(pairs, 1);
  const model = compileModel(truth);

  it('scores a 10-field profile', () => {
    const out = new Float64Array(pairs);
    scoreBatch(model, gammas, pairs, out, tfs); // warm-up
    const batch = time(() => scoreBatch(model, gammas, pairs, out, tfs));
    const single = time(() => {
      let sum = 0;
      for (let p = 0; p < pairs; p++) {
        sum += matchWeight(model, gammas.subarray(p * F, p * F + F), tfs.subarray(p * F, p * F + F));
      }
      return sum;
    });
    console.log(
      `scoring ${pairs} vectors × ${F} fields (TF on 3): scoreBatch ${Math.round(pairs / (batch.ms / 1000))}/s, ` +
        `matchWeight per vector ${Math.round(pairs / (single.ms / 1000))}/s (one core)`,
    );
    let total = 0;
    for (let p = 0; p < pairs; p++) total += out[p]!;
    expect(single.result).toBeCloseTo(total, 3);
  });

  it('counts patterns and runs EM on 1M vectors', () => {
    const counted = time(() => {
      const pc = new PatternCounts(F, 3);
      pc.addPacked(gammas);
      return pc;
    });
    const start: ModelParams = {
      lambda: 0.01,
      fields: truth.fields.map((f) => {
        const k = f.m.length;
        return { ...f, m: f.m.map((_, l) => (l === k - 1 ? 0.7 : 0.3 / (k - 1))), u: f.u };
      }),
    };
    const em = time(() =>
      trainEm(counted.result, start, { fixU: true, tolerance: 1e-5, maxIterations: 200 }),
    );
    console.log(
      `EM on ${pairs} vectors: counting ${counted.ms.toFixed(0)} ms → ${counted.result.size} distinct patterns; ` +
        `EM ${em.ms.toFixed(0)} ms, ${em.result.iterations} iterations, converged ${em.result.converged}, ` +
        `λ ${em.result.params.lambda.toFixed(4)} (true ${truth.lambda})`,
    );
    // Without random-pair u, EM starts from generic u (most mass on disagreement) and fits it too.
    const genericU = {
      ...start,
      fields: start.fields.map((f) => {
        const raw = f.u.map((_, l) => 0.1 ** l);
        const sum = raw.reduce((x, y) => x + y, 0);
        return { ...f, u: raw.map((v) => v / sum) };
      }),
    };
    const free = time(() => trainEm(counted.result, genericU, { tolerance: 1e-5, maxIterations: 500 }));
    console.log(
      `EM with u free: ${free.ms.toFixed(0)} ms, ${free.result.iterations} iterations, ` +
        `converged ${free.result.converged}, λ ${free.result.params.lambda.toFixed(4)}, ` +
        `largest |m - true m| ${maxError(free.result.params, 'm').toFixed(3)}, |u - true u| ${maxError(free.result.params, 'u').toFixed(3)}`,
    );
    expect(em.result.converged).toBe(true);
    expect(Math.abs(em.result.params.lambda - truth.lambda)).toBeLessThan(0.005);
    expect(free.result.converged).toBe(true);
  });
});
