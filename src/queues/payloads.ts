import { z } from 'zod';

/**
 * Job payloads. Jobs are untrusted input: every processor parses its payload with these schemas
 * first. Payloads carry ids only, never personal data (Redis keeps job data in clear text).
 */
const id = z.number().int().positive();

export const RunJob = z.object({ runId: id }).strict();
export type RunJob = z.infer<typeof RunJob>;

/** A run started by a job scheduler: the schedule's settings (no personal data). */
export const ScheduledRunJob = z
  .object({
    scheduleName: z.string().min(1).max(100),
    dryRun: z.boolean(),
    profile: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();
export type ScheduledRunJob = z.infer<typeof ScheduledRunJob>;

export const RunsQueueJob = z.union([RunJob, ScheduledRunJob]);

/** Runs-queue job names: each moves a run to its next stage. */
export const RUN_STEPS = ['start', 'train', 'finish'] as const;
export type RunStep = (typeof RUN_STEPS)[number];

export const IndexJob = z
  .object({
    runId: id,
    taskNo: z.number().int().nonnegative(),
    fromId: z.number().int().nonnegative(),
    toId: z.number().int().nonnegative(),
  })
  .strict();
export type IndexJob = z.infer<typeof IndexJob>;

const slot = z.number().int().nonnegative();
/** A scoring task: the buckets whose slot is in [fromSlot, toSlot] (see core/score-plan.ts). */
export const ScoreJob = z
  .object({ runId: id, taskNo: z.number().int().nonnegative(), fromSlot: slot, toSlot: slot })
  .strict()
  .refine((j) => j.fromSlot <= j.toSlot, { message: 'fromSlot must not be after toSlot' });
export type ScoreJob = z.infer<typeof ScoreJob>;

export const ClusterJob = z.object({ runId: id }).strict();
export type ClusterJob = z.infer<typeof ClusterJob>;

export const MergeJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single'), mergeId: id }).strict(),
  z
    .object({
      kind: z.literal('batch'),
      runId: id,
      taskNo: z.number().int().nonnegative(),
      fromCluster: z.number().int().nonnegative(),
      toCluster: z.number().int().nonnegative(),
    })
    .strict(),
]);
export type MergeJob = z.infer<typeof MergeJob>;

/** Deterministic job ids: enqueueing the same work twice keeps one job. */
export const jobIds = {
  runStep: (runId: number, step: RunStep) => `run-${runId}-${step}`,
  index: (runId: number, taskNo: number) => `run-${runId}-index-${taskNo}`,
  score: (runId: number, taskNo: number) => `run-${runId}-score-${taskNo}`,
  cluster: (runId: number) => `run-${runId}-cluster`,
  mergeBatch: (runId: number, taskNo: number) => `run-${runId}-merge-${taskNo}`,
  singleMerge: (mergeId: number) => `merge-${mergeId}`,
};
