import { type MatchingProfile, profileSchema } from './schema.js';

/** A profile that failed validation; `issues` holds one "path: message" line per problem. */
export class ProfileError extends Error {
  readonly issues: readonly string[];
  constructor(issues: string[]) {
    super(`invalid matching profile:\n  ${issues.join('\n  ')}`);
    this.name = 'ProfileError';
    this.issues = issues;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validates anything (parsed JSON, YAML, a literal) into a deeply frozen profile, or throws ProfileError. */
export function parseProfile(input: unknown): MatchingProfile {
  const result = profileSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map(
      (i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new ProfileError(issues);
  }
  return deepFreeze(result.data);
}
