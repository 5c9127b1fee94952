import { z } from 'zod';
import {
  acceptedNormalizers,
  bindComparator,
  comparatorAccepts,
  comparatorSchema,
} from '../compare/index.js';
import { CONTACT_DATA_COLUMNS } from '../contact-columns.js';
import { NORMALIZER_NAMES } from '../normalize/index.js';
import { PART_FUNCTIONS, type PartFunction, parsePart } from './parts.js';

/** Contact columns a field or blocking part may read; anything else must be `attributes.<key>`. */
export const CONTACT_COLUMNS = CONTACT_DATA_COLUMNS;

const ATTRIBUTE_SOURCE = /^attributes\.[^()\s,|]+$/;

export function isSourcePath(s: string): boolean {
  return (CONTACT_COLUMNS as readonly string[]).includes(s) || ATTRIBUTE_SOURCE.test(s);
}

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (max 40)');
const probability = z.number().min(0).max(1);
const openProbability = z.number().gt(0).lt(1);
const source = z.string().refine(isSourcePath, {
  message: `a contact column (${CONTACT_COLUMNS.join(', ')}) or attributes.<key>`,
});

export const fieldSchema = z.strictObject({
  name: identifier,
  source,
  normalizer: z.enum(NORMALIZER_NAMES),
  comparator: comparatorSchema,
  /** Term-frequency adjustment of the exact level (common values such as "smith" weigh less). */
  tf: z.boolean(),
  /** Share of the TF adjustment applied, 0..1 (default 1 in the model). */
  tfWeight: probability.optional(),
  /** EM starting values, one per level 0 (disagree) .. k (exact); each list sums to 1. */
  m: z.array(probability).optional(),
  u: z.array(probability).optional(),
  description: z.string().max(500).optional(),
});

const part = z.string().min(1).max(80);

export const blockingKeySchema = z.strictObject({
  name: identifier,
  parts: z.array(part).min(1).max(6),
  /** Sort the part values before joining: first+last matches last+first (swapped names). */
  unordered: z.boolean().optional(),
});

export const blockingSchema = z.strictObject({
  keys: z.array(blockingKeySchema).min(1).max(32),
  /** Buckets with more members than this are split (splitOversizedBucket), never scored whole. */
  maxBucketSize: z.int().min(2).max(100_000),
  oversized: z.strictObject({
    /** Parts tried in order to split an oversized bucket into smaller ones (e.g. city, initial(first_name)). */
    secondary: z.array(part).max(6),
    /** Sorted-neighbourhood fallback: members sorted by these parts, each compared with the next window-1. */
    sortBy: z.array(part).min(1).max(6),
    window: z.int().min(2).max(1000),
  }),
});

export const profileSchema = z
  .strictObject({
    name: identifier,
    description: z.string().max(2000),
    /** Country for phone numbers when a contact has none (ISO alpha-2), or null. */
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, upper case')
      .nullable(),
    fields: z.array(fieldSchema).min(1).max(40),
    blocking: blockingSchema,
    /** Match probability at or above which a pair is merged automatically / sent to review. */
    thresholds: z.strictObject({ merge: openProbability, review: openProbability }),
    cluster: z.strictObject({
      /** Larger connected components are broken up rather than merged whole. */
      maxClusterSize: z.int().min(2).max(10_000),
      /** An edge whose removal would split a cluster (a bridge) must reach this probability to hold it together. */
      bridgeThreshold: openProbability,
    }),
    /** Which record's values survive a merge. */
    survivorship: identifier,
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const fieldIndex = new Map<string, number>();
    p.fields.forEach((f, i) => {
      if (fieldIndex.has(f.name)) issue(['fields', i, 'name'], `duplicate field name "${f.name}"`);
      else fieldIndex.set(f.name, i);
    });
    p.fields.forEach((f, i) => {
      const type = f.comparator.type;
      if (!comparatorAccepts(type, f.normalizer)) {
        const ok = acceptedNormalizers(type);
        issue(
          ['fields', i, 'comparator', 'type'],
          `${type} cannot read normalizer ${f.normalizer} (needs ${String(ok)})`,
        );
        return;
      }
      const levels = bindComparator(f.comparator).k + 1;
      for (const key of ['m', 'u'] as const) {
        const values = f[key];
        if (values === undefined) continue;
        if (values.length !== levels)
          issue(['fields', i, key], `needs ${levels} values (levels 0..${levels - 1})`);
        const sum = values.reduce((s, v) => s + v, 0);
        if (Math.abs(sum - 1) > 0.01) issue(['fields', i, key], `must sum to 1 (sums to ${sum.toFixed(4)})`);
      }
      if (f.comparator.type === 'name' && f.comparator.swapWith !== undefined) {
        const other = fieldIndex.get(f.comparator.swapWith);
        const otherField = other === undefined ? undefined : p.fields[other];
        if (otherField === undefined || other === i || otherField.comparator.type !== 'name') {
          issue(
            ['fields', i, 'comparator', 'swapWith'],
            `"${f.comparator.swapWith}" is not another name field`,
          );
        }
      }
    });
    const checkPart = (text: string, path: (string | number)[]) => {
      const parsed = parsePart(text);
      if (typeof parsed === 'string') return issue(path, parsed);
      const fi = fieldIndex.get(parsed.ref);
      if (fi === undefined && !isSourcePath(parsed.ref)) {
        return issue(path, `"${parsed.ref}" is neither a field nor a contact column / attributes.<key>`);
      }
      const normalizer = fi === undefined ? 'text' : p.fields[fi]!.normalizer;
      const needs: Partial<Record<PartFunction, readonly string[]>> = {
        local: ['email'],
        domain: ['email'],
        year: ['date'],
      };
      const need = parsed.fn === null ? undefined : needs[parsed.fn];
      if (need !== undefined && !need.includes(normalizer)) {
        issue(
          path,
          `${parsed.fn}() needs a field with normalizer ${need.join('/')}, "${parsed.ref}" has ${normalizer}`,
        );
      }
    };
    const keyNames = new Set<string>();
    p.blocking.keys.forEach((k, i) => {
      if (keyNames.has(k.name)) issue(['blocking', 'keys', i, 'name'], `duplicate blocking key "${k.name}"`);
      keyNames.add(k.name);
      k.parts.forEach((t, j) => {
        checkPart(t, ['blocking', 'keys', i, 'parts', j]);
      });
    });
    p.blocking.oversized.secondary.forEach((t, j) => {
      checkPart(t, ['blocking', 'oversized', 'secondary', j]);
    });
    p.blocking.oversized.sortBy.forEach((t, j) => {
      checkPart(t, ['blocking', 'oversized', 'sortBy', j]);
    });
    if (p.thresholds.review > p.thresholds.merge) {
      issue(
        ['thresholds', 'review'],
        `review threshold ${p.thresholds.review} exceeds merge threshold ${p.thresholds.merge}`,
      );
    }
  });

export type MatchingProfile = z.infer<typeof profileSchema>;
export type FieldConfig = z.infer<typeof fieldSchema>;
export type BlockingKeyConfig = z.infer<typeof blockingKeySchema>;
export type BlockingConfig = z.infer<typeof blockingSchema>;

export { PART_FUNCTIONS };
