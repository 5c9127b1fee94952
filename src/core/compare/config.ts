import { z } from 'zod';

/**
 * Comparator configurations as they appear in a matching profile. Every comparator maps a pair of prepared
 * values to a level: -1 missing (decided before the comparator runs), 0 disagree, 1..k agreement with k the
 * exact level. Threshold lists run from the strictest (level k-1) to the loosest.
 */

const similarity = z.number().gt(0).lt(1);

const descending = z
  .array(similarity)
  .min(1)
  .max(6)
  .refine((a) => a.every((v, i) => i === 0 || v < a[i - 1]!), {
    message: 'thresholds must be strictly descending',
  });

export const exactComparatorSchema = z.strictObject({ type: z.literal('exact') });

export const jaroWinklerComparatorSchema = z.strictObject({
  type: z.literal('jaro_winkler'),
  /** Jaro-Winkler ≥ thresholds[i] → level k-1-i. */
  thresholds: descending,
});

export const levenshteinComparatorSchema = z.strictObject({
  type: z.literal('levenshtein'),
  /** Edit distance (adjacent swaps count once) ≤ maxDistances[i] → level k-1-i. */
  maxDistances: z
    .array(z.int().min(1).max(10))
    .min(1)
    .max(6)
    .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), {
      message: 'maxDistances must be strictly ascending',
    }),
});

export const nameComparatorSchema = z.strictObject({
  type: z.literal('name'),
  /** Jaro-Winkler of the names (canonical, else as written) ≥ thresholds[i] → level k-1-i. */
  thresholds: descending,
  /** A level below the Jaro-Winkler ones for names that share a double-metaphone code. */
  phonetic: z.boolean(),
  /** The lowest level for "J" vs "John" (one side is an initial, and it matches). */
  initials: z.boolean(),
  /** Another name field: when this one disagrees but the two are swapped between the records, agree (below exact). */
  swapWith: z.string().min(1).optional(),
});

export const tokenSetComparatorSchema = z.strictObject({
  type: z.literal('token_set'),
  /** Dice coefficient over words ≥ thresholds[i] → level k-1-i. */
  thresholds: descending,
  /** Jaro-Winkler at which two words count as the same word (words with digits: one edit instead). */
  tokenThreshold: similarity,
});

export const emailComparatorSchema = z.strictObject({
  type: z.literal('email'),
  /** Levels: exact address; same local part at another domain; local part and domain both Jaro-Winkler ≥ this (null: no such level). */
  fuzzyThreshold: similarity.nullable(),
});

export const phoneComparatorSchema = z.strictObject({
  type: z.literal('phone'),
  /** Levels: exact; same last `tailDigits` digits; (fuzzy) national numbers one typo apart. */
  tailDigits: z.int().min(6).max(10),
  fuzzy: z.boolean(),
});

export const dateComparatorSchema = z.strictObject({
  type: z.literal('date'),
  /** Levels: exact; day/month transposed; one of day/month/year differs (or one typo); within `withinDays` (null: no such level). */
  withinDays: z.int().min(1).max(3660).nullable(),
});

export const comparatorSchema = z.discriminatedUnion('type', [
  exactComparatorSchema,
  jaroWinklerComparatorSchema,
  levenshteinComparatorSchema,
  nameComparatorSchema,
  tokenSetComparatorSchema,
  emailComparatorSchema,
  phoneComparatorSchema,
  dateComparatorSchema,
]);

export type ComparatorConfig = z.infer<typeof comparatorSchema>;
export type ComparatorType = ComparatorConfig['type'];
export type NameComparatorConfig = z.infer<typeof nameComparatorSchema>;
