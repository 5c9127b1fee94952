/** Queue names. Each is also the `queue` label value of the metrics. */
export const QUEUES = {
  /** Run orchestration: start a run, advance it between stages, finish it. */
  runs: 'runs',
  /** Blocking-key indexer: one job per contact id range. */
  index: 'index',
  /** Pairwise scoring: one job per batch of buckets. */
  score: 'score',
  /** Clustering of a run's sure pairs. */
  cluster: 'cluster',
  /** Batched merges: many small clusters per job, or one single merge. */
  merge: 'merge',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);
