/**
 * The merge engine's public API (workers, HTTP, CLI). Everything that writes takes a pg.Pool (it
 * needs a dedicated connection to hold contact locks across its chunk transactions); read-only
 * helpers take the kysely instance.
 */
export { isMergeError, MERGE_ERROR_CODES, MergeError, type MergeErrorCode } from '../../core/merge/errors.js';
export { DEFAULT_FIELD_RULES, MERGE_FIELDS, MERGE_RULES, type MergeRule } from '../../core/merge/fields.js';
export type { FieldChoices, FieldConflict, FieldRules, MergePlan } from '../../core/merge/plan.js';
/** The status of a `merges` row (the same as MergeStatus; kept under this name for existing callers). */
export type { MergeStatus as MergeEngineStatus } from '../schema.js';
export {
  discoverTargets,
  type ExtraTarget,
  type RepointTarget,
  SERVICE_TABLES,
  type UniquePolicy,
} from './catalog.js';
export { type DryRunRequest, type DryRunResult, planMergeDryRun } from './dryrun.js';
export { type ExecuteOptions, executeMerge, executeMergeBatch } from './execute.js';
export {
  type EngineOptions,
  engineOptionsFromConfig,
  type MergeHooks,
  type MergeOutcome,
  StepInterrupted,
} from './options.js';
export {
  createMergeRequest,
  createMergeRequests,
  getMerge,
  listMerges,
  type MergeFilter,
  type MergeRecord,
  type MergeRequest,
  mergeIdByKey,
  reviewMergeKey,
  runMergeKey,
} from './requests.js';
export { liveContacts, type ResolvedContact, resolveContact } from './resolve.js';
export { markMergeJobFailed, reopenFailedMerge } from './store.js';
export { type SweepResult, sweepTombstones } from './sweep.js';
export { type UndoOutcome, undoMerge, undoMergeBatch, undoRun } from './undo.js';
