import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueName } from '../queues/names.js';
import {
  type CollectorOptions,
  DEFAULT_COLLECT_TIMEOUT_MS,
  nonNegative,
  type QueueCountsByQueue,
  type RunProgress,
  ratio,
  scrapeRefresher,
} from './collectors.js';
import {
  BUCKET_OUTCOMES,
  type BucketOutcome,
  COLLECTORS,
  CONFLICT_KINDS,
  type CollectorName,
  type ConflictKind,
  JOB_OUTCOMES,
  type JobOutcome,
  MATCH_DECISIONS,
  type MatchDecision,
  MERGE_OUTCOMES,
  METRIC_QUEUES,
  type MergeOutcome,
  QUEUE_STATES,
  type QueueState,
  REPOINT_TABLES,
  RUN_OUTCOMES,
  RUN_STAGES,
  type RunOutcome,
  type RunStage,
} from './labels.js';

export type { CollectorOptions, QueueCounts, QueueCountsByQueue, RunProgress } from './collectors.js';
export * from './labels.js';
export { type MetricsServer, startMetricsServer } from './server.js';

// The metrics are exposed through these narrow views of the prom-client objects: label values are
// typed with the fixed vocabularies of labels.ts, so a caller cannot invent a new series by mistake.
export interface PlainCounter {
  inc(value?: number): void;
}
export interface CounterOf<L> {
  inc(labels: L, value?: number): void;
}
export interface PlainGauge {
  set(value: number): void;
}
export interface GaugeOf<L> {
  set(labels: L, value: number): void;
  inc(labels: L, value?: number): void;
  dec(labels: L, value?: number): void;
}
export interface HistogramOf<L> {
  observe(labels: L, value: number): void;
  /** Returns a function that observes the seconds elapsed since this call (and returns them). */
  startTimer(labels: L): () => number;
}

export interface DedupeMetrics {
  readonly registry: Registry;
  // Detection.
  readonly contactsIndexed: PlainCounter;
  readonly blockingKeys: PlainCounter;
  readonly buckets: CounterOf<{ outcome: BucketOutcome }>;
  readonly pairsScored: PlainCounter;
  readonly pairsMatched: CounterOf<{ decision: MatchDecision }>;
  // Merging.
  readonly merges: CounterOf<{ outcome: MergeOutcome }>;
  readonly mergeConflicts: CounterOf<{ kind: ConflictKind }>;
  /** `table` is a table name of the schema (bounded), never a row or contact id. */
  readonly rowsRepointed: CounterOf<{ table: string }>;
  // Jobs and workers.
  readonly jobDuration: HistogramOf<{ queue: QueueName }>;
  readonly jobs: CounterOf<{ queue: QueueName; outcome: JobOutcome }>;
  /** Jobs being processed by this process; divided by workerConcurrency it is the saturation. */
  readonly workerActiveJobs: GaugeOf<{ queue: QueueName }>;
  /** Concurrency this process consumes the queue with (0: not consumed here). */
  readonly workerConcurrency: GaugeOf<{ queue: QueueName }>;
  // Queues (normally refreshed on scrape by attachQueueCollector).
  readonly queueJobs: GaugeOf<{ queue: QueueName; state: QueueState }>;
  readonly queueOldestWaiting: GaugeOf<{ queue: QueueName }>;
  // Runs (normally refreshed on scrape by attachRunProgressCollector).
  readonly runActive: PlainGauge;
  readonly runStageProgress: GaugeOf<{ stage: RunStage }>;
  /** Units of work a stage finished (its own unit: contacts, buckets, clusters...): only its rate matters. */
  readonly runStageItems: CounterOf<{ stage: RunStage }>;
  readonly runs: CounterOf<{ outcome: RunOutcome }>;
  readonly collectErrors: CounterOf<{ collector: CollectorName }>;
}

export interface CreateMetricsOptions {
  /**
   * Also collect prom-client's Node.js process metrics (process_cpu_seconds_total,
   * process_resident_memory_bytes, nodejs_heap_size_used_bytes, nodejs_eventloop_lag_p99_seconds...).
   * They keep their standard, unprefixed names, shared by every Node.js exporter, so stock dashboards
   * and alerts apply; the scrape job's `job` label tells the dedupe processes apart. Default true.
   */
  processMetrics?: boolean;
  /** Tables whose rows_repointed series are created at 0; default: the reference CRM schema's. */
  repointTables?: readonly string[];
}

/** 1 ms .. 10 min: single-pair merges take milliseconds, an index range or a big cluster minutes. */
export const JOB_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

const NON_COUNTER_TOTALS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

type Refresh = () => Promise<void>;
interface CollectorSlots {
  queues?: Refresh;
  runs?: Refresh;
}
const slotsOf = new WeakMap<DedupeMetrics, CollectorSlots>();

/** Creates every dedupe metric on `registry`, with every listed label combination present at 0. */
export function createMetrics(
  registry: Registry = new Registry(),
  options: CreateMetricsOptions = {},
): DedupeMetrics {
  const slots: CollectorSlots = {};
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: () => Promise<void> | undefined,
  ) => new Gauge<L>({ name, help, labelNames, registers, ...(collect ? { collect } : {}) });

  const queueJobs = gauge(
    'dedupe_queue_jobs',
    'Jobs in each queue by state, read from Redis on scrape.',
    ['queue', 'state'],
    () => slots.queues?.(),
  );
  const queueOldestWaiting = gauge(
    'dedupe_queue_oldest_waiting_seconds',
    'Age of the oldest job waiting in each queue (0 when none waits), read from Redis on scrape.',
    ['queue'],
    () => slots.queues?.(),
  );
  const runActive = gauge('dedupe_run_active', '1 while a run is pending or running, else 0.', [], () =>
    slots.runs?.(),
  );
  const jobDuration = new Histogram<'queue'>({
    name: 'dedupe_job_duration_seconds',
    help: 'Time taken by one job attempt, by queue.',
    labelNames: ['queue'],
    buckets: JOB_DURATION_BUCKETS,
    registers,
  });
  const runStageProgress = gauge(
    'dedupe_run_stage_progress_ratio',
    'Share of the current run stage tasks done (0..1); 0 for every stage when no run is active.',
    ['stage'],
    () => slots.runs?.(),
  );

  const metrics: DedupeMetrics = {
    registry,
    contactsIndexed: counter('dedupe_contacts_indexed_total', 'Contacts whose blocking keys were computed.'),
    blockingKeys: counter('dedupe_blocking_keys_total', 'Blocking keys written.'),
    buckets: counter('dedupe_buckets_total', 'Blocking buckets by what was done with them.', ['outcome']),
    pairsScored: counter('dedupe_pairs_scored_total', 'Candidate pairs compared.'),
    pairsMatched: counter('dedupe_pairs_matched_total', 'Scored pairs kept, by decision.', ['decision']),
    merges: counter('dedupe_merges_total', 'Merges by outcome.', ['outcome']),
    mergeConflicts: counter('dedupe_merge_conflicts_total', 'Conflicts met while merging, by kind.', [
      'kind',
    ]),
    rowsRepointed: counter(
      'dedupe_rows_repointed_total',
      'Rows moved from a merged contact to its survivor, by table.',
      ['table'],
    ),
    jobDuration,
    jobs: counter('dedupe_jobs_total', 'Job attempts finished, by queue and outcome.', ['queue', 'outcome']),
    workerActiveJobs: gauge('dedupe_worker_active_jobs', 'Jobs this process is processing now.', ['queue']),
    workerConcurrency: gauge(
      'dedupe_worker_concurrency',
      'Concurrency this process consumes each queue with (0: not consumed here).',
      ['queue'],
    ),
    queueJobs,
    queueOldestWaiting,
    runActive,
    runStageProgress,
    runStageItems: counter(
      'dedupe_run_stage_items_total',
      'Units of work finished by each run stage (its own unit); a stalled run stops increasing it.',
      ['stage'],
    ),
    runs: counter('dedupe_runs_total', 'Runs finished, by outcome.', ['outcome']),
    collectErrors: counter(
      'dedupe_metrics_collect_errors_total',
      'Scrape-time refreshes that failed or timed out (the previous values were served).',
      ['collector'],
    ),
  };

  for (const outcome of BUCKET_OUTCOMES) metrics.buckets.inc({ outcome }, 0);
  for (const decision of MATCH_DECISIONS) metrics.pairsMatched.inc({ decision }, 0);
  for (const outcome of MERGE_OUTCOMES) metrics.merges.inc({ outcome }, 0);
  for (const kind of CONFLICT_KINDS) metrics.mergeConflicts.inc({ kind }, 0);
  for (const table of options.repointTables ?? REPOINT_TABLES) metrics.rowsRepointed.inc({ table }, 0);
  for (const queue of METRIC_QUEUES) {
    jobDuration.zero({ queue });
    for (const outcome of JOB_OUTCOMES) metrics.jobs.inc({ queue, outcome }, 0);
    metrics.workerActiveJobs.set({ queue }, 0);
    metrics.workerConcurrency.set({ queue }, 0);
    for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, 0);
    queueOldestWaiting.set({ queue }, 0);
  }
  runActive.set(0);
  for (const stage of RUN_STAGES) {
    runStageProgress.set({ stage }, 0);
    metrics.runStageItems.inc({ stage }, 0);
  }
  for (const outcome of RUN_OUTCOMES) metrics.runs.inc({ outcome }, 0);
  for (const collector of COLLECTORS) metrics.collectErrors.inc({ collector }, 0);

  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total break the naming rules (promtool check metrics flags them); they are
    // only sums of the per-type nodejs_active_handles / _requests / _resources gauges kept beside them.
    for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);
  }
  slotsOf.set(metrics, slots);
  return metrics;
}

let processWide: DedupeMetrics | undefined;

/**
 * The process-wide instance (its own Registry, with process metrics), created on first use so that
 * importing this module starts no event-loop or GC monitoring in processes that never expose metrics.
 */
export function getMetrics(): DedupeMetrics {
  processWide ??= createMetrics();
  return processWide;
}

/**
 * Refreshes dedupe_queue_jobs and dedupe_queue_oldest_waiting_seconds from `getCounts` on every
 * scrape (one call per scrape). Replaces any previous queue collector; returns a function that detaches it.
 */
export function attachQueueCollector(
  metrics: DedupeMetrics,
  getCounts: () => Promise<QueueCountsByQueue>,
  options: CollectorOptions = {},
): () => void {
  return attach(metrics, 'queues', getCounts, options, (byQueue) => {
    for (const [queue, counts] of Object.entries(byQueue) as [
      QueueName,
      NonNullable<QueueCountsByQueue[QueueName]>,
    ][]) {
      for (const state of QUEUE_STATES) metrics.queueJobs.set({ queue, state }, nonNegative(counts[state]));
      metrics.queueOldestWaiting.set({ queue }, nonNegative(counts.oldestWaitingSeconds));
    }
  });
}

/**
 * Refreshes dedupe_run_active and dedupe_run_stage_progress_ratio from `getProgress` on every scrape.
 * Every process that can read the runs table may attach one: they all report the same facts, which
 * the dashboards aggregate with max(). Returns a function that detaches it.
 */
export function attachRunProgressCollector(
  metrics: DedupeMetrics,
  getProgress: () => Promise<RunProgress>,
  options: CollectorOptions = {},
): () => void {
  return attach(metrics, 'runs', getProgress, options, (progress) => {
    metrics.runActive.set(progress.active ? 1 : 0);
    for (const stage of RUN_STAGES) {
      metrics.runStageProgress.set({ stage }, progress.active ? ratio(progress.stages[stage]) : 0);
    }
  });
}

function attach<T>(
  metrics: DedupeMetrics,
  collector: CollectorName,
  load: () => Promise<T>,
  options: CollectorOptions,
  apply: (value: T) => void,
): () => void {
  const slots = slotsOf.get(metrics);
  if (!slots) throw new Error('attach a collector to metrics made by createMetrics()');
  const refresh = scrapeRefresher(
    load,
    apply,
    (err) => {
      metrics.collectErrors.inc({ collector });
      options.onError?.(err);
    },
    options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS,
  );
  slots[collector] = refresh;
  return () => {
    if (slots[collector] === refresh) delete slots[collector];
  };
}

/**
 * Runs one job attempt of `queue` and records it: active gauge while it runs, then its duration and
 * outcome. The job's result or error is passed through unchanged.
 */
export async function timeJob<T>(
  metrics: DedupeMetrics,
  queue: QueueName,
  run: () => Promise<T>,
): Promise<T> {
  metrics.workerActiveJobs.inc({ queue });
  const stop = metrics.jobDuration.startTimer({ queue });
  let outcome: JobOutcome = 'failed';
  try {
    const result = await run();
    outcome = 'completed';
    return result;
  } finally {
    stop();
    metrics.jobs.inc({ queue, outcome });
    metrics.workerActiveJobs.dec({ queue });
  }
}
