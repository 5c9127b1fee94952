import type { Graph } from './graph.js';

export interface Bridges {
  /** Edge ids that are bridges, in the order found. */
  edges: Int32Array;
  /** For bridge edges[i]: the number of nodes on its smaller side within its connected component. */
  smallerSide: Int32Array;
  /** Number of connected components (a node without edges counts as one). */
  components: number;
}

/**
 * Bridges of the graph (edges whose removal disconnects their component), by Tarjan's low-link DFS
 * written with an explicit stack: components can hold a million nodes, far beyond the call stack.
 * Subtree sizes from the same DFS give the size of each bridge's two sides.
 */
export function findBridges(graph: Graph): Bridges {
  const { nodeCount: n, adjStart, adjNode, adjEdge } = graph;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parentEdge = new Int32Array(n);
  const next = new Int32Array(n);
  const subtree = new Int32Array(n);
  const stack = new Int32Array(n);
  const bridgeEdges: number[] = [];
  const childSide: number[] = [];
  const smaller: number[] = [];
  let time = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1) continue;
    components++;
    const firstBridge = bridgeEdges.length;
    let sp = 0;
    disc[root] = low[root] = time++;
    parentEdge[root] = -1;
    next[root] = adjStart[root]!;
    subtree[root] = 1;
    stack[sp++] = root;
    while (sp > 0) {
      const v = stack[sp - 1]!;
      const pos = next[v]!;
      if (pos < adjStart[v + 1]!) {
        next[v] = pos + 1;
        const e = adjEdge[pos]!;
        if (e === parentEdge[v]) continue;
        const w = adjNode[pos]!;
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          parentEdge[w] = e;
          next[w] = adjStart[w]!;
          subtree[w] = 1;
          stack[sp++] = w;
        } else if (disc[w]! < low[v]!) {
          low[v] = disc[w]!;
        }
        continue;
      }
      sp--;
      if (sp === 0) break;
      const p = stack[sp - 1]!;
      if (low[v]! < low[p]!) low[p] = low[v]!;
      subtree[p] = subtree[p]! + subtree[v]!;
      if (low[v]! > disc[p]!) {
        bridgeEdges.push(parentEdge[v]!);
        childSide.push(subtree[v]!);
      }
    }
    const size = subtree[root]!;
    for (let i = firstBridge; i < bridgeEdges.length; i++) {
      const side = childSide[i]!;
      smaller.push(Math.min(side, size - side));
    }
  }
  return { edges: Int32Array.from(bridgeEdges), smallerSide: Int32Array.from(smaller), components };
}
