import { describe, expect, it } from 'vitest';
import { buildClusters } from '../../src/core/cluster/index.js';
import { prng } from '../support/simulate.js';

// Clustering time on a million edges, printed rather than asserted (the machine is shared). Heavy,
// so it only runs on request: DEDUPE_BENCH=1 npx vitest run test/unit/cluster-bench.test.ts

/** Dense groups of 2..6 duplicates (every pair linked), plus weak links between random groups. */
function generate(targetEdges: number, weakLinks: number) {
  const rand = prng(9);
  const a: number[] = [];
  const b: number[] = [];
  const w: number[] = [];
  const groupStart: number[] = [];
  let nextId = 1_000_000_000; // ids beyond what a small int holds, as in a big contacts table
  while (a.length < targetEdges - weakLinks) {
    const size = 2 + Math.floor(rand() * 5);
    groupStart.push(nextId);
    for (let i = 0; i < size; i++) {
      for (let j = i + 1; j < size; j++) {
        a.push(nextId + i);
        b.push(nextId + j);
        w.push(10 + rand() * 10);
      }
    }
    nextId += size;
  }
  for (let k = 0; k < weakLinks; k++) {
    const g1 = groupStart[Math.floor(rand() * groupStart.length)]!;
    const g2 = groupStart[Math.floor(rand() * groupStart.length)]!;
    a.push(g1 + 1);
    b.push(g2);
    w.push(rand() * 4);
  }
  return {
    groups: groupStart.length,
    columns: { a: Float64Array.from(a), b: Float64Array.from(b), weight: Float64Array.from(w) },
  };
}

describe.runIf(process.env.DEDUPE_BENCH === '1')('clustering throughput', () => {
  it('clusters 1M edges', () => {
    const { groups, columns } = generate(1_000_000, 20_000);
    const edges = Array.from(columns.a, (a, i) => ({ a, b: columns.b[i]!, weight: columns.weight[i]! }));
    const opts = { bridgeThreshold: 5, maxClusterSize: 50, minDensity: 0.3 };
    buildClusters(columns, opts); // warm-up
    const t0 = performance.now();
    const fromColumns = buildClusters(columns, opts);
    const t1 = performance.now();
    const fromObjects = buildClusters(edges, opts);
    const t2 = performance.now();
    console.log(
      `clustering ${columns.a.length} edges (${groups} dense groups + 20000 weak links): ` +
        `columns ${(t1 - t0).toFixed(0)} ms, objects ${(t2 - t1).toFixed(0)} ms; ` +
        JSON.stringify(fromColumns.stats),
    );
    expect(fromObjects.clusters).toEqual(fromColumns.clusters);
    // Weak links between two groups are bridges between sides of ≥ 2 and get cut, unless random
    // links happen to close a cycle of groups (rare), so almost every group comes out on its own.
    expect(fromColumns.stats.clusters).toBeGreaterThan(groups * 0.98);
    expect(fromColumns.stats.largest).toBeLessThanOrEqual(50);
  });
});
