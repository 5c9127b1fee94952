import type {
  DateParts,
  EmailParts,
  NameParts,
  Normalized,
  NormalizerName,
  PhoneParts,
} from '../normalize/index.js';
import type { ComparatorConfig, ComparatorType } from './config.js';
import { buildDateComparator } from './date.js';
import { typoDistance } from './edit-distance.js';
import { buildEmailComparator } from './email.js';
import { jaroWinkler } from './jaro-winkler.js';
import { buildNameComparator } from './name.js';
import { buildPhoneComparator, preparePhone } from './phone.js';
import { tokenSet, tokenSetSimilarity } from './token-set.js';

export * from './config.js';
export { levenshtein, typoDistance, withinTypos } from './edit-distance.js';
export { jaro, jaroWinkler } from './jaro-winkler.js';
export { tokenSet, tokenSetSimilarity } from './token-set.js';

/**
 * A comparator bound to its configuration: `prepare` turns a normalized value into what `compare` reads
 * (done once per contact), `compare` maps two prepared values to a level in 0..k.
 */
export interface BoundComparator {
  readonly k: number;
  prepare(value: Normalized, key: string): unknown;
  compare(a: unknown, b: unknown): number;
}

/** Which normalizers each comparator can read; the string comparators read any normalizer's key. */
const STRUCTURED_INPUT: Partial<Record<ComparatorType, readonly NormalizerName[]>> = {
  name: ['given_name', 'family_name', 'name'],
  email: ['email'],
  phone: ['phone'],
  date: ['date'],
};

export function comparatorAccepts(type: ComparatorType, normalizer: NormalizerName): boolean {
  const allowed = STRUCTURED_INPUT[type];
  return allowed === undefined || allowed.includes(normalizer);
}

/** Normalizers a comparator accepts, for error messages. */
export function acceptedNormalizers(type: ComparatorType): readonly NormalizerName[] | 'any' {
  return STRUCTURED_INPUT[type] ?? 'any';
}

const byKey = (_value: Normalized, key: string): unknown => key;
const asIs = (value: Normalized): unknown => value;

interface PreparedTokens {
  full: string;
  tokens: string[];
}

export function bindComparator(config: ComparatorConfig): BoundComparator {
  switch (config.type) {
    case 'exact':
      return { k: 1, prepare: byKey, compare: (a, b) => (a === b ? 1 : 0) };
    case 'jaro_winkler': {
      const thresholds = config.thresholds;
      const k = thresholds.length + 1;
      return {
        k,
        prepare: byKey,
        compare: (a, b) => {
          if (a === b) return k;
          const s = jaroWinkler(a as string, b as string);
          for (let i = 0; i < thresholds.length; i++) if (s >= thresholds[i]!) return k - 1 - i;
          return 0;
        },
      };
    }
    case 'levenshtein': {
      const distances = config.maxDistances;
      const k = distances.length + 1;
      const loosest = distances[distances.length - 1]!;
      return {
        k,
        prepare: byKey,
        compare: (a, b) => {
          if (a === b) return k;
          const x = a as string;
          const y = b as string;
          const lengthGap = x.length - y.length;
          if (lengthGap > loosest || -lengthGap > loosest) return 0;
          const d = typoDistance(x, y);
          for (let i = 0; i < distances.length; i++) if (d <= distances[i]!) return k - 1 - i;
          return 0;
        },
      };
    }
    case 'name': {
      const { k, compare } = buildNameComparator(config);
      return { k, prepare: asIs, compare: compare as (a: unknown, b: unknown) => number };
    }
    case 'token_set': {
      const thresholds = config.thresholds;
      const fuzzy = config.tokenThreshold;
      const k = thresholds.length + 1;
      return {
        k,
        prepare: (_value, key): PreparedTokens => ({ full: key, tokens: tokenSet(key) }),
        compare: (a, b) => {
          const x = a as PreparedTokens;
          const y = b as PreparedTokens;
          if (x.full === y.full) return k;
          const s = tokenSetSimilarity(x.tokens, y.tokens, fuzzy);
          for (let i = 0; i < thresholds.length; i++) if (s >= thresholds[i]!) return k - 1 - i;
          return 0;
        },
      };
    }
    case 'email': {
      const { k, compare } = buildEmailComparator(config.fuzzyThreshold);
      return { k, prepare: asIs, compare: compare as (a: unknown, b: unknown) => number };
    }
    case 'phone': {
      const { k, compare } = buildPhoneComparator(config.fuzzy);
      const tail = config.tailDigits;
      return {
        k,
        prepare: (value) => preparePhone(value as PhoneParts, tail),
        compare: compare as (a: unknown, b: unknown) => number,
      };
    }
    case 'date': {
      const { k, compare } = buildDateComparator(config.withinDays);
      return { k, prepare: asIs, compare: compare as (a: unknown, b: unknown) => number };
    }
  }
}

export type { DateParts, EmailParts, NameParts };
