import { describe, expect, test } from 'vitest';
import { boundedComparer } from '../../src/core/bounded-compare.js';
import {
  compileModel,
  initialParams,
  type ModelParams,
  matchWeight,
  strataCount,
} from '../../src/core/model/index.js';
import {
  type CompiledProfile,
  type ContactInput,
  compareCompiled,
  compileProfile,
  DEFAULT_PROFILE,
  prepareCompiled,
} from '../../src/core/profile/index.js';
import { generateCrm } from '../../src/core/synthetic/index.js';
import { prng } from '../support/simulate.js';

/**
 * The bounded comparer must decide exactly as comparing every field: a pair it drops is below the
 * threshold, and a pair it keeps gets the full comparison vector and term frequencies.
 */

const compiled = compileProfile(DEFAULT_PROFILE);
const contacts: ContactInput[] = [];
for (const b of generateCrm({
  contacts: 3000,
  duplicateRate: 0.3,
  activitiesPerContact: 0,
  seed: 5,
  firstContactId: 1,
  users: 5,
  lists: 0,
}))
  contacts.push(...(b.contacts as unknown as ContactInput[]));
const recs = contacts.map((c) => prepareCompiled(compiled, c));

// Pairs worth testing: duplicates (neighbours in a sort by last name share a lot) and random ones.
const byName = [...recs.keys()].sort((x, y) =>
  String(recs[x]!.keys[1] ?? '').localeCompare(String(recs[y]!.keys[1] ?? '')),
);
const random = prng(9);
const PAIRS: [number, number][] = [];
for (let i = 0; i + 1 < byName.length; i++) PAIRS.push([byName[i]!, byName[i + 1]!]);
for (let i = 0; i < 3000; i++)
  PAIRS.push([Math.floor(random() * recs.length), Math.floor(random() * recs.length)]);

// Frequencies: a few common values, the rest unknown (0).
const freq = new Map<string, number>();
for (const r of recs)
  for (const k of r.keys) if (k != null) freq.set(k, Math.min(0.2, (freq.get(k) ?? 0) + 1 / recs.length));
const tfOf = (_i: number, v: string) => freq.get(v) ?? 0;

function modelFor(c: CompiledProfile, stratified: boolean): ModelParams {
  const params = initialParams(
    c.fields.map((f) => ({ name: f.name, maxLevel: f.comparator.k, tf: f.tf })),
    0.01,
  );
  params.tfMinimum = 1 / recs.length;
  if (stratified) {
    params.stratifyBy = 'first_name';
    const strata = strataCount(c.fields[0]!.comparator.k);
    for (const f of params.fields)
      f.uStrata = Array.from({ length: strata }, (_, s) => f.u.map((u, l) => Math.min(0.9, u * (1 + s + l))));
  }
  return params;
}

describe.each([false, true])('bounded comparison (stratified model: %s)', (stratified) => {
  const model = compileModel(modelFor(compiled, stratified));
  const comparer = boundedComparer(compiled, model, tfOf);
  const n = compiled.fields.length;

  test.each([-20, -5, 0, 3, 8])(
    'drop below weight %d: same decisions as comparing everything',
    (dropBelow) => {
      let dropped = 0;
      for (const [x, y] of PAIRS) {
        const a = recs[x]!;
        const b = recs[y]!;
        const fullGamma = compareCompiled(compiled, a, b);
        const fullTf = new Float64Array(n);
        compiled.fields.forEach((f, i) => {
          const v = f.tf ? a.keys[i] : null;
          fullTf[i] = v != null && fullGamma[i] === f.comparator.k ? tfOf(i, v) : 0;
        });
        const full = matchWeight(model, fullGamma, fullTf);
        const gamma = new Int8Array(n);
        const tf = new Float64Array(n);
        if (comparer.compare(a, b, gamma, tf, dropBelow)) {
          expect([...gamma]).toEqual([...fullGamma]);
          expect([...tf]).toEqual([...fullTf]);
        } else {
          dropped++;
          expect(full).toBeLessThan(dropBelow);
        }
      }
      // The bound must prune something at a demanding threshold, or it is useless.
      if (dropBelow >= 3) expect(dropped).toBeGreaterThan(0);
    },
  );
});
