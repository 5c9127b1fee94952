import { parseProfile } from './parse.js';
import type { MatchingProfile } from './schema.js';

/**
 * The default matching profile for CRM contacts; profiles/default.json is the same object (a unit test
 * keeps them identical). Reasoning per part:
 * - first/last name: nickname-canonical exact, two Jaro-Winkler bands, a phonetic band; first names also
 *   accept an initial ("J" vs "John"); swapped first/last names agree crosswise below exact. The
 *   first name (normalizer given_name) also stratifies the fitted model: the non-matches' u of every
 *   other field is fitted per first-name level, since relatives and colleagues share surname, phone,
 *   address or company but not the first name, while namesakes share the names and little else.
 * - email: exact normalized address; same personal local part elsewhere; a typo in both parts.
 * - phone: exact; same last 8 digits (other country/trunk prefix); one mistyped digit.
 * - company: legal forms stripped, word-set similarity (word order, extra words like "group").
 * - city/postcode/country: weak evidence each, strong against a match when they disagree.
 * - blocking: one key per strong identifier (email, phone), name keys that survive nicknames, typos
 *   (phonetic), swapped names (unordered) and scripts (transliterated before coding), and a company key.
 * Validated and frozen at load, like every profile.
 */
export const DEFAULT_PROFILE: MatchingProfile = parseProfile({
  name: 'default',
  description:
    'CRM contacts: names, email, phone, company, city, postcode, country. Blocks on email, phone, phonetic names, and names with company or city.',
  defaultCountry: null,
  fields: [
    {
      name: 'first_name',
      source: 'first_name',
      normalizer: 'given_name',
      comparator: {
        type: 'name',
        thresholds: [0.92, 0.85],
        phonetic: true,
        initials: true,
        swapWith: 'last_name',
      },
      tf: true,
    },
    {
      name: 'last_name',
      source: 'last_name',
      normalizer: 'family_name',
      comparator: {
        type: 'name',
        thresholds: [0.94, 0.88],
        phonetic: true,
        initials: false,
        swapWith: 'first_name',
      },
      tf: true,
    },
    {
      name: 'email',
      source: 'email',
      normalizer: 'email',
      comparator: { type: 'email', fuzzyThreshold: 0.9 },
      tf: true,
    },
    {
      name: 'phone',
      source: 'phone',
      normalizer: 'phone',
      comparator: { type: 'phone', tailDigits: 8, fuzzy: true },
      tf: true,
    },
    {
      name: 'company',
      source: 'company',
      normalizer: 'company',
      comparator: { type: 'token_set', thresholds: [0.8, 0.5], tokenThreshold: 0.9 },
      tf: true,
    },
    {
      name: 'city',
      source: 'city',
      normalizer: 'text',
      comparator: { type: 'jaro_winkler', thresholds: [0.92] },
      tf: true,
    },
    {
      name: 'postcode',
      source: 'postcode',
      normalizer: 'postcode',
      comparator: { type: 'levenshtein', maxDistances: [1] },
      tf: false,
    },
    {
      name: 'country',
      source: 'country',
      normalizer: 'text',
      comparator: { type: 'exact' },
      tf: false,
    },
  ],
  blocking: {
    keys: [
      { name: 'email', parts: ['email'] },
      { name: 'phone', parts: ['tail8(phone)'] },
      { name: 'name_phonetic', parts: ['metaphone(first_name)', 'metaphone(last_name)'], unordered: true },
      { name: 'last_name_city', parts: ['last_name', 'city'] },
      { name: 'last_name_company', parts: ['metaphone(last_name)', 'company'] },
      { name: 'first_name_company', parts: ['first_name', 'company'] },
      { name: 'first_name_postcode', parts: ['first_name', 'postcode'] },
      { name: 'email_local_last_initial', parts: ['local(email)', 'initial(last_name)'] },
    ],
    maxBucketSize: 200,
    oversized: {
      secondary: ['initial(first_name)', 'city', 'postcode', 'prefix3(email)'],
      sortBy: ['last_name', 'first_name', 'email', 'phone'],
      window: 20,
    },
  },
  thresholds: { merge: 0.99, review: 0.8 },
  cluster: { maxClusterSize: 50, bridgeThreshold: 0.99 },
  survivorship: 'most_complete_then_oldest',
});
