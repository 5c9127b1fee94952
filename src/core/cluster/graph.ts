/** A scored pair between two contact ids. */
export interface Edge {
  a: number;
  b: number;
  weight: number;
}

/** The same edges as parallel columns (edge i = a[i], b[i], weight[i]), avoiding an object per edge. */
export interface EdgeColumns {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  weight: ArrayLike<number>;
}

/**
 * An undirected simple graph over dense node indices. Node i is ids[i] and ids ascend, so anything
 * ordered by index is ordered by id. Parallel edges were merged keeping the highest weight, which
 * makes the graph (and everything computed from it) independent of the input order.
 */
export interface Graph {
  ids: Float64Array;
  nodeCount: number;
  edgeCount: number;
  /** Endpoints of edge e: lo[e] < hi[e]. */
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
  /** Adjacency (CSR): the neighbours of v are adjNode[adjStart[v] .. adjStart[v+1]), via edge adjEdge[...]. */
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjEdge: Int32Array;
  duplicateEdges: number;
  selfLoops: number;
}

function columnsOf(edges: readonly Edge[] | EdgeColumns): {
  a: Float64Array;
  b: Float64Array;
  w: Float64Array;
} {
  if (Array.isArray(edges)) {
    const list = edges as readonly Edge[];
    const a = new Float64Array(list.length);
    const b = new Float64Array(list.length);
    const w = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      a[i] = e.a;
      b[i] = e.b;
      w[i] = e.weight;
    }
    return { a, b, w };
  }
  const cols = edges as EdgeColumns;
  if (cols.a.length !== cols.b.length || cols.a.length !== cols.weight.length) {
    throw new RangeError('edge columns a, b and weight differ in length');
  }
  return { a: Float64Array.from(cols.a), b: Float64Array.from(cols.b), w: Float64Array.from(cols.weight) };
}

/** Index of id in the ascending array ids (which holds it). */
function indexOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildGraph(edges: readonly Edge[] | EdgeColumns): Graph {
  const { a, b, w } = columnsOf(edges);
  const len = a.length;
  const all = new Float64Array(len * 2);
  for (let i = 0; i < len; i++) {
    if (!Number.isSafeInteger(a[i]) || !Number.isSafeInteger(b[i])) {
      throw new RangeError(`edge ${i}: ids must be safe integers (got ${a[i]}, ${b[i]})`);
    }
    if (!Number.isFinite(w[i])) throw new RangeError(`edge ${i}: weight ${w[i]} is not finite`);
    all[2 * i] = a[i]!;
    all[2 * i + 1] = b[i]!;
  }
  all.sort();
  let nodeCount = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[nodeCount++] = all[i]!;
  const ids = all.slice(0, nodeCount);

  // Edges as (lo, hi) node indices, bucketed by lo (counting sort), then by hi within a bucket.
  const eLo = new Int32Array(len);
  const eHi = new Int32Array(len);
  const bucketStart = new Int32Array(nodeCount + 1);
  let selfLoops = 0;
  for (let i = 0; i < len; i++) {
    const x = indexOf(ids, a[i]!);
    const y = indexOf(ids, b[i]!);
    if (x === y) {
      selfLoops++;
      eLo[i] = -1;
      continue;
    }
    eLo[i] = Math.min(x, y);
    eHi[i] = Math.max(x, y);
    bucketStart[eLo[i]! + 1]!++;
  }
  for (let v = 0; v < nodeCount; v++) bucketStart[v + 1]! += bucketStart[v]!;
  const order = new Int32Array(len - selfLoops);
  const fill = bucketStart.slice(0, nodeCount);
  for (let i = 0; i < len; i++) if (eLo[i]! >= 0) order[fill[eLo[i]!]!++] = i;
  for (let v = 0; v < nodeCount; v++) sortBucket(order, bucketStart[v]!, bucketStart[v + 1]!, eHi);

  // Merge parallel edges (adjacent after sorting), keeping the highest weight.
  const lo = new Int32Array(order.length);
  const hi = new Int32Array(order.length);
  const weight = new Float64Array(order.length);
  let edgeCount = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const prev = edgeCount - 1;
    if (prev >= 0 && lo[prev] === eLo[i] && hi[prev] === eHi[i]) {
      if (w[i]! > weight[prev]!) weight[prev] = w[i]!;
      continue;
    }
    lo[edgeCount] = eLo[i]!;
    hi[edgeCount] = eHi[i]!;
    weight[edgeCount] = w[i]!;
    edgeCount++;
  }

  const adjStart = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[lo[e]! + 1]!++;
    adjStart[hi[e]! + 1]!++;
  }
  for (let v = 0; v < nodeCount; v++) adjStart[v + 1]! += adjStart[v]!;
  const adjNode = new Int32Array(edgeCount * 2);
  const adjEdge = new Int32Array(edgeCount * 2);
  const next = adjStart.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    const x = lo[e]!;
    const y = hi[e]!;
    adjNode[next[x]!] = y;
    adjEdge[next[x]!++] = e;
    adjNode[next[y]!] = x;
    adjEdge[next[y]!++] = e;
  }
  return {
    ids,
    nodeCount,
    edgeCount,
    lo: lo.slice(0, edgeCount),
    hi: hi.slice(0, edgeCount),
    weight: weight.slice(0, edgeCount),
    adjStart,
    adjNode,
    adjEdge,
    duplicateEdges: order.length - edgeCount,
    selfLoops,
  };
}

/** Sorts order[from..to) by key[order[i]]: insertion sort for the usual short buckets. */
function sortBucket(order: Int32Array, from: number, to: number, key: Int32Array): void {
  if (to - from <= 24) {
    for (let i = from + 1; i < to; i++) {
      const item = order[i]!;
      const k = key[item]!;
      let j = i - 1;
      while (j >= from && key[order[j]!]! > k) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = item;
    }
    return;
  }
  const part = Array.from(order.subarray(from, to)).sort((x, y) => key[x]! - key[y]!);
  order.set(part, from);
}
