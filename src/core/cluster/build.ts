import { findBridges } from './bridges.js';
import { buildGraph, type Edge, type EdgeColumns } from './graph.js';
import { UnionFind } from './union-find.js';

export interface ClusterOptions {
  /**
   * A bridge (the only link between two parts of a component) weaker than this is cut when both
   * parts have ≥ 2 members: one weak pair must not chain two groups of duplicates together.
   * Same unit as the edge weights.
   */
  bridgeThreshold: number;
  /** A cluster with more members goes to review instead of merging. */
  maxClusterSize: number;
  /** A cluster whose edges / possible pairs is below this goes to review. Default 0 (no check). */
  minDensity?: number;
}

export interface Cluster {
  /** 1-based, in order of the clusters' smallest member id. */
  no: number;
  /** Contact ids, ascending. */
  members: number[];
  /** Weakest edge inside the cluster. */
  minWeight: number;
  /** Edges inside the cluster (parallel pairs counted once). */
  edges: number;
  /** edges / (n(n-1)/2). */
  density: number;
  status: 'merge' | 'review';
  /** Why a cluster goes to review. */
  reason?: string;
}

export interface ClusterStats {
  nodes: number;
  /** Distinct edges after merging parallel pairs and dropping self-loops. */
  edges: number;
  duplicateEdges: number;
  selfLoops: number;
  /** Connected components before cutting bridges. */
  components: number;
  bridges: number;
  bridgesCut: number;
  /** Ids in no cluster: left alone by cut bridges (or only ever paired with themselves). */
  isolated: number;
  clusters: number;
  merge: number;
  review: number;
  largest: number;
}

export interface ClusterResult {
  clusters: Cluster[];
  /** Bridges that were cut (a < b): pairs a person may want to look at. */
  cutEdges: Edge[];
  stats: ClusterStats;
}

function checkOptions(opts: ClusterOptions): number {
  if (!Number.isFinite(opts.bridgeThreshold)) throw new RangeError('bridgeThreshold must be finite');
  if (!Number.isInteger(opts.maxClusterSize) || opts.maxClusterSize < 2) {
    throw new RangeError('maxClusterSize must be an integer ≥ 2');
  }
  const minDensity = opts.minDensity ?? 0;
  if (!(minDensity >= 0 && minDensity <= 1)) throw new RangeError('minDensity must be within 0..1');
  return minDensity;
}

/**
 * Clusters of contacts from sure pairs: connected components, after cutting weak bridges between
 * groups, flagged for review when too large or too sparse. Deterministic: the same edges in any
 * order give the same clusters (everything is derived from the merged simple graph, and nodes are
 * indexed in id order).
 */
export function buildClusters(edges: readonly Edge[] | EdgeColumns, opts: ClusterOptions): ClusterResult {
  const minDensity = checkOptions(opts);
  const graph = buildGraph(edges);
  const { nodeCount: n, edgeCount, lo, hi, weight, ids } = graph;

  // Bridges are found once on the whole graph, and every weak one between two groups of ≥ 2 is cut
  // at once; so a contact weakly tied to two groups on either side ends up alone rather than merged.
  const bridges = findBridges(graph);
  const cut = new Uint8Array(edgeCount);
  const cutEdges: Edge[] = [];
  for (let i = 0; i < bridges.edges.length; i++) {
    const e = bridges.edges[i]!;
    if (weight[e]! < opts.bridgeThreshold && bridges.smallerSide[i]! >= 2) {
      cut[e] = 1;
      cutEdges.push({ a: ids[lo[e]!]!, b: ids[hi[e]!]!, weight: weight[e]! });
    }
  }
  cutEdges.sort((x, y) => x.a - y.a || x.b - y.b);

  const sets = new UnionFind(n);
  for (let e = 0; e < edgeCount; e++) if (cut[e] === 0) sets.union(lo[e]!, hi[e]!);

  // Label clusters in node (= id) order, so cluster numbers follow their smallest member id.
  const label = new Int32Array(n).fill(-1);
  const nodeLabel = new Int32Array(n);
  const sizes: number[] = [];
  let isolated = 0;
  for (let v = 0; v < n; v++) {
    const root = sets.find(v);
    if (sets.setSize(root) < 2) {
      nodeLabel[v] = -1;
      isolated++;
      continue;
    }
    if (label[root] === -1) {
      label[root] = sizes.length;
      sizes.push(0);
    }
    const c = label[root]!;
    nodeLabel[v] = c;
    sizes[c] = sizes[c]! + 1;
  }
  const clusterCount = sizes.length;
  const edgesIn = new Int32Array(clusterCount);
  const minWeight = new Float64Array(clusterCount).fill(Number.POSITIVE_INFINITY);
  for (let e = 0; e < edgeCount; e++) {
    if (cut[e] === 1) continue;
    const c = nodeLabel[lo[e]!]!;
    edgesIn[c] = edgesIn[c]! + 1;
    if (weight[e]! < minWeight[c]!) minWeight[c] = weight[e]!;
  }

  const members: number[][] = sizes.map(() => []);
  for (let v = 0; v < n; v++) if (nodeLabel[v] !== -1) members[nodeLabel[v]!]!.push(ids[v]!);

  let review = 0;
  let largest = 0;
  const clusters = members.map((m, c): Cluster => {
    const size = m.length;
    largest = Math.max(largest, size);
    const density = edgesIn[c]! / ((size * (size - 1)) / 2);
    const reasons: string[] = [];
    if (size > opts.maxClusterSize)
      reasons.push(`size ${size} exceeds maxClusterSize ${opts.maxClusterSize}`);
    if (density < minDensity)
      reasons.push(`edge density ${density.toFixed(3)} below minDensity ${minDensity}`);
    const cluster: Cluster = {
      no: c + 1,
      members: m,
      minWeight: minWeight[c]!,
      edges: edgesIn[c]!,
      density,
      status: reasons.length > 0 ? 'review' : 'merge',
    };
    if (reasons.length > 0) {
      cluster.reason = reasons.join('; ');
      review++;
    }
    return cluster;
  });

  return {
    clusters,
    cutEdges,
    stats: {
      nodes: n,
      edges: edgeCount,
      duplicateEdges: graph.duplicateEdges,
      selfLoops: graph.selfLoops,
      components: bridges.components,
      bridges: bridges.edges.length,
      bridgesCut: cutEdges.length,
      isolated,
      clusters: clusterCount,
      merge: clusterCount - review,
      review,
      largest,
    },
  };
}
