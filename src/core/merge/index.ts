export {
  assignWaves,
  type Chain,
  groupByWave,
  type MergedIntoMap,
  type MergeTargets,
  resolveChain,
  resolveMergeTargets,
} from './chains.js';
export { isMergeError, MERGE_ERROR_CODES, MergeError, type MergeErrorCode } from './errors.js';
export {
  type ContactRecord,
  DEFAULT_FIELD_RULES,
  type FieldValue,
  isMergeField,
  MERGE_FIELDS,
  MERGE_RULES,
  type MergeField,
  type MergeRule,
  SECONDARY_KEYS,
} from './fields.js';
export {
  type FieldChange,
  type FieldChoices,
  type FieldConflict,
  type FieldRules,
  type MergePlan,
  type MergePlanInput,
  planMerge,
  resolveRules,
  type SurvivorValues,
  validateFieldChoices,
} from './plan.js';
