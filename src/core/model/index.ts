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
} from './params.js';
export { asPatternCounts, PatternCounts, type PatternCountsJson } from './patterns.js';
export {
  type CompiledModel,
  compileModel,
  explainWeight,
  matchProbability,
  matchWeight,
  type PartialWeight,
  probabilityToWeight,
  scoreBatch,
  tfAdjustment,
  type WeightExplanation,
} from './weights.js';
