import { ALL_QUEUES, type QueueName } from '../queues/names.js';

/**
 * Every label value the metrics may carry. Labels hold only these small, fixed vocabularies (and table
 * names of the schema): never an id, an e-mail, a name or anything else that grows with the data,
 * so the number of series stays bounded and no personal data reaches Prometheus.
 */

export const METRIC_QUEUES: readonly QueueName[] = ALL_QUEUES;

/** Stages of a run, in order. */
export const RUN_STAGES = ['index', 'score', 'cluster', 'merge'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** What the blocking step did with a bucket of contacts sharing a key. */
export const BUCKET_OUTCOMES = ['kept', 'split', 'capped'] as const;
export type BucketOutcome = (typeof BUCKET_OUTCOMES)[number];

/** Decision of a scored pair above the review threshold. */
export const MATCH_DECISIONS = ['merge', 'review'] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

export const MERGE_OUTCOMES = ['completed', 'failed', 'refused', 'undone'] as const;
export type MergeOutcome = (typeof MERGE_OUTCOMES)[number];

/** field: two values for one field; unique: a unique constraint on re-pointing; concurrent: the rows changed under the merge. */
export const CONFLICT_KINDS = ['field', 'unique', 'concurrent'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** Outcome of one job attempt (a retried job counts once per attempt). */
export const JOB_OUTCOMES = ['completed', 'failed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const RUN_OUTCOMES = ['completed', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/**
 * Tables of the reference CRM schema whose rows point at a contact and are re-pointed by a merge.
 * Pre-initialised; a deployment with more referencing tables passes them to createMetrics.
 */
export const REPOINT_TABLES = [
  'activities',
  'notes',
  'opportunities',
  'tickets',
  'contact_owners',
  'list_memberships',
] as const;

/** Where a scrape-time collector got its values from. */
export const COLLECTORS = ['queues', 'runs'] as const;
export type CollectorName = (typeof COLLECTORS)[number];
