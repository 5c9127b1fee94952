import { describe, expect, it } from 'vitest';
import { buildClusters, buildGraph, type Edge, findBridges } from '../../src/core/cluster/index.js';
import { prng } from '../support/simulate.js';

const STRONG = 10;
const WEAK = 2;
const opts = { bridgeThreshold: 5, maxClusterSize: 50 };
const e = (a: number, b: number, weight = STRONG): Edge => ({ a, b, weight });

// Dense {A=1, B=2, x=3} and {C=4, D=5, y=6}, joined only by B-C.
const twoGroups = (bridge: number): Edge[] => [
  e(1, 2),
  e(1, 3),
  e(2, 3),
  e(4, 5),
  e(4, 6),
  e(5, 6),
  e(2, 4, bridge),
];

const membersOf = (edges: Edge[], o = opts) => buildClusters(edges, o).clusters.map((c) => c.members);

describe('buildClusters: chaining guard', () => {
  it.each([
    {
      case: 'weak bridge between dense groups splits',
      edges: twoGroups(WEAK),
      want: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    },
    { case: 'strong bridge between dense groups joins', edges: twoGroups(8), want: [[1, 2, 3, 4, 5, 6]] },
    {
      case: 'chain A-B-C-D with weak B-C splits',
      edges: [e(1, 2), e(2, 3, WEAK), e(3, 4)],
      want: [
        [1, 2],
        [3, 4],
      ],
    },
    { case: 'strong chain A-B-C-D stays one', edges: [e(1, 2), e(2, 3), e(3, 4)], want: [[1, 2, 3, 4]] },
    {
      case: 'weak pendant member is kept (one side has 1 member)',
      edges: [e(1, 2), e(1, 3), e(2, 3), e(3, 4, WEAK)],
      want: [[1, 2, 3, 4]],
    },
    {
      case: 'weak edge on a cycle is no bridge',
      edges: [e(1, 2), e(2, 3), e(3, 4), e(4, 1, WEAK)],
      want: [[1, 2, 3, 4]],
    },
    {
      case: 'contact weakly tied to two groups is left alone',
      edges: [e(1, 2), e(1, 3), e(2, 3), e(3, 10, WEAK), e(10, 20, WEAK), e(20, 21), e(20, 22), e(21, 22)],
      want: [
        [1, 2, 3],
        [20, 21, 22],
      ],
    },
    {
      case: 'a strong duplicate of a weak pair wins',
      edges: [...twoGroups(WEAK), e(4, 2, 9)],
      want: [[1, 2, 3, 4, 5, 6]],
    },
  ])('$case', ({ edges, want }) => {
    expect(membersOf(edges)).toEqual(want);
  });

  it('returns the cut bridges and counts them', () => {
    const { cutEdges, stats } = buildClusters(twoGroups(WEAK), opts);
    expect(cutEdges).toEqual([{ a: 2, b: 4, weight: WEAK }]);
    expect(stats).toMatchObject({
      nodes: 6,
      edges: 7,
      components: 1,
      bridges: 1,
      bridgesCut: 1,
      clusters: 2,
    });
  });
});

describe('buildClusters: output', () => {
  it('numbers clusters by smallest member, sorts members, reports min weight and density', () => {
    const { clusters } = buildClusters([e(90, 30, 7), e(30, 60, 9), e(5, 200, 6), e(90, 60, 8)], opts);
    expect(clusters).toEqual([
      { no: 1, members: [5, 200], minWeight: 6, edges: 1, density: 1, status: 'merge' },
      { no: 2, members: [30, 60, 90], minWeight: 7, edges: 3, density: 1, status: 'merge' },
    ]);
  });

  it('is independent of edge order and orientation, and merges parallel pairs', () => {
    const rand = prng(3);
    const edges: Edge[] = [];
    for (let i = 0; i < 400; i++) {
      const a = 1 + Math.floor(rand() * 300);
      const b = 1 + Math.floor(rand() * 300);
      edges.push(e(a, b, Math.round(rand() * 10)));
    }
    const base = buildClusters(edges, { ...opts, minDensity: 0.2 });
    expect(base.stats.bridgesCut).toBeGreaterThan(0);
    for (let round = 0; round < 5; round++) {
      const shuffled = edges.map((x) => (rand() < 0.5 ? x : e(x.b, x.a, x.weight)));
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      shuffled.push(shuffled[0]!);
      const again = buildClusters(shuffled, { ...opts, minDensity: 0.2 });
      expect(again.clusters).toEqual(base.clusters);
      expect(again.cutEdges).toEqual(base.cutEdges);
    }
  });

  it('accepts edge columns like edge objects', () => {
    const edges = twoGroups(WEAK);
    const columns = {
      a: Float64Array.from(edges, (x) => x.a),
      b: Float64Array.from(edges, (x) => x.b),
      weight: Float64Array.from(edges, (x) => x.weight),
    };
    expect(buildClusters(columns, opts)).toEqual(buildClusters(edges, opts));
  });

  it('handles ids beyond 32 bits and ignores self-loops', () => {
    const big = 2 ** 40;
    const { clusters, stats } = buildClusters([e(big + 1, big), e(big, big), e(7, 7)], opts);
    expect(clusters.map((c) => c.members)).toEqual([[big, big + 1]]);
    expect(stats).toMatchObject({ selfLoops: 2, isolated: 1 });
  });

  it.each([
    { edges: [e(1.5, 2)], why: 'fractional id' },
    { edges: [e(1, 2, Number.NaN)], why: 'NaN weight' },
  ])('rejects $why', ({ edges }) => {
    expect(() => buildClusters(edges, opts)).toThrow(RangeError);
  });

  it('returns nothing for no edges', () => {
    expect(buildClusters([], opts).clusters).toEqual([]);
  });
});

describe('buildClusters: review', () => {
  const path = (n: number) => Array.from({ length: n - 1 }, (_, i) => e(i + 1, i + 2));
  it.each([
    {
      case: 'larger than maxClusterSize',
      edges: path(4),
      o: { ...opts, maxClusterSize: 3 },
      reason: /size 4 exceeds/,
    },
    {
      case: 'sparser than minDensity',
      edges: path(5),
      o: { ...opts, minDensity: 0.5 },
      reason: /edge density 0\.400 below minDensity 0\.5/,
    },
  ])('$case goes to review', ({ edges, o, reason }) => {
    const [cluster, ...rest] = buildClusters(edges, o).clusters;
    expect(rest).toEqual([]);
    expect(cluster!.status).toBe('review');
    expect(cluster!.reason).toMatch(reason);
  });

  it.each([
    { maxClusterSize: 4, status: 'merge' },
    { maxClusterSize: 3, status: 'review' },
  ])('a 4-member clique with maxClusterSize $maxClusterSize → $status', ({ maxClusterSize, status }) => {
    const clique = [e(1, 2), e(1, 3), e(1, 4), e(2, 3), e(2, 4), e(3, 4)];
    const cluster = buildClusters(clique, { ...opts, maxClusterSize, minDensity: 1 }).clusters[0]!;
    expect(cluster.status).toBe(status);
    expect(cluster.density).toBe(1);
  });

  it('handles a 200,000-member chain without recursion', () => {
    const { clusters } = buildClusters(path(200_000), opts);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members).toHaveLength(200_000);
    expect(clusters[0]!.status).toBe('review');
  });

  // Every weak bridge with ≥ 2 members on both sides (in the original component) is cut at once:
  // in the all-weak path 1-…-6 that is 2-3, 3-4 and 4-5, which leaves 3 and 4 alone.
  it.each([
    {
      bridgeThreshold: 15,
      want: [
        [1, 2],
        [5, 6],
      ],
      isolated: 2,
    },
    { bridgeThreshold: 5, want: [[1, 2, 3, 4, 5, 6]], isolated: 0 },
  ])(
    'a path of 6 pairs weighing 10, bridge threshold $bridgeThreshold',
    ({ bridgeThreshold, want, isolated }) => {
      const result = buildClusters(path(6), { ...opts, bridgeThreshold });
      expect(result.clusters.map((c) => c.members)).toEqual(want);
      expect(result.stats.isolated).toBe(isolated);
    },
  );
});

describe('findBridges', () => {
  /** Brute force: an edge is a bridge when its endpoints are disconnected without it. */
  function naiveBridges(n: number, edges: [number, number][]): Set<string> {
    const out = new Set<string>();
    edges.forEach(([x, y], skip) => {
      const adj: number[][] = Array.from({ length: n }, () => []);
      edges.forEach(([a, b], i) => {
        if (i === skip) return;
        adj[a]!.push(b);
        adj[b]!.push(a);
      });
      const seen = new Set([x]);
      const todo = [x];
      while (todo.length > 0)
        for (const w of adj[todo.pop()!]!) if (!seen.has(w) && seen.add(w)) todo.push(w);
      if (!seen.has(y)) out.add(`${Math.min(x, y)}-${Math.max(x, y)}`);
    });
    return out;
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('matches brute force on random graph %i', (seed) => {
    const rand = prng(seed);
    const n = 12;
    const seen = new Set<string>();
    const pairs: [number, number][] = [];
    for (let i = 0; i < 14; i++) {
      const x = Math.floor(rand() * n);
      const y = Math.floor(rand() * n);
      const key = `${Math.min(x, y)}-${Math.max(x, y)}`;
      if (x === y || seen.has(key)) continue;
      seen.add(key);
      pairs.push([x, y]);
    }
    const graph = buildGraph(pairs.map(([a, b]) => e(a, b)));
    const found = new Set(
      Array.from(findBridges(graph).edges, (b) => `${graph.ids[graph.lo[b]!]}-${graph.ids[graph.hi[b]!]}`),
    );
    expect(found).toEqual(naiveBridges(n, pairs));
  });
});
