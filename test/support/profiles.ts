import { DEFAULT_PROFILE, type MatchingProfile, parseProfile } from '../../src/core/profile/index.js';

/**
 * The default profile with buckets of at most two, split by metaphone(last_name): Smith has two
 * metaphone values (SM0, XMT), so a bucket of Smiths splits into two groups holding the same pairs.
 */
export function smithSplitProfile(): MatchingProfile {
  return parseProfile({
    ...structuredClone(DEFAULT_PROFILE),
    blocking: {
      ...structuredClone(DEFAULT_PROFILE.blocking),
      maxBucketSize: 2,
      oversized: { secondary: ['metaphone(last_name)'], sortBy: ['email'], window: 3 },
    },
  });
}
