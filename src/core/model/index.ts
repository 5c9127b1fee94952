export {
  type Decision,
  decide,
  decideByWeight,
  type Thresholds,
  thresholdsAsWeights,
  validateThresholds,
} from './decision.js';
export { type EmIteration, type EmOptions, type EmResult, trainEm } from './em.js';
export { estimateU, type UEstimate } from './estimate-u.js';
export { type FitOptions, type FitResult, fitModel } from './fit.js';
export {
  clampProbability,
  cloneParams,
  type FieldParams,
  type FieldSpec,
  initialParams,
  type ModelParams,
  modelParamsSchema,
  PROB_MAX,
  PROB_MIN,
  parseModelParams,
  strataCount,
  stratifierIndex,
} from './params.js';
export { asPatternCounts, PatternCounts, type PatternCountsJson } from './patterns.js';
export { TfReference } from './tf-reference.js';
export {
  type CompiledModel,
  compileModel,
  explainWeight,
  matchProbability,
  matchWeight,
  needsReview,
  type PartialWeight,
  probabilityToWeight,
  scoreBatch,
  stratumOf,
  tfAdjustment,
  type WeightExplanation,
} from './weights.js';
