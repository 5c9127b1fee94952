/** Deterministic synthetic CRM data with planted duplicates and ground truth (for `dedupe seed`). */

export { generateCrm } from './generator.js';
export { syntheticLists, syntheticUsers } from './pools.js';
export {
  type ActivityKind,
  CORRUPTION_KINDS,
  type CorruptionKind,
  HARD_NEGATIVE_KINDS,
  type HardNegativeKind,
  SYNTHETIC_DEFAULTS,
  type SyntheticActivity,
  type SyntheticBatch,
  type SyntheticContact,
  type SyntheticMembership,
  type SyntheticNote,
  type SyntheticOpportunity,
  type SyntheticOptions,
  type SyntheticOwner,
  type SyntheticTicket,
  type SyntheticTruth,
} from './types.js';
export { SYNTHETIC_NOW } from './world.js';
