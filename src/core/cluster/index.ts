export { type Bridges, findBridges } from './bridges.js';
export {
  buildClusters,
  type Cluster,
  type ClusterOptions,
  type ClusterResult,
  type ClusterStats,
} from './build.js';
export { buildGraph, type Edge, type EdgeColumns, type Graph } from './graph.js';
export { UnionFind } from './union-find.js';
