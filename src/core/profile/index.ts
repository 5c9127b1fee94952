export {
  type CompiledProfile,
  compileProfile,
  type PreparedRecord,
} from './compile.js';
export { DEFAULT_PROFILE } from './default.js';
export {
  type ContactInput,
  compareCompiled,
  compareRecords,
  levelCounts,
  prepareCompiled,
  prepareRecord,
  tfValue,
  tfValuesOf,
} from './match.js';
export { PackedRecordError, packRecord, unpackRecord, unpackStored } from './packed.js';
export { ProfileError, parseProfile } from './parse.js';
export { PART_FUNCTIONS, parsePart } from './parts.js';
export {
  type BlockingConfig,
  type BlockingKeyConfig,
  CONTACT_COLUMNS,
  type FieldConfig,
  type MatchingProfile,
  profileSchema,
} from './schema.js';
