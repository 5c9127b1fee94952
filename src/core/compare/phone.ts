import type { PhoneParts } from '../normalize/phone.js';
import { withinTypos } from './edit-distance.js';

/** A phone number ready for comparison: `tail` holds the configured number of trailing digits. */
export interface PreparedPhone {
  e164: string | null;
  national: string;
  tail: string;
}

export function preparePhone(p: PhoneParts, tailDigits: number): PreparedPhone {
  return {
    e164: p.e164,
    national: p.national,
    tail: p.national.length >= tailDigits ? p.national.slice(-tailDigits) : '',
  };
}

/**
 * Phone comparator. Levels: k exact (E.164 when both parsed, else national digits); k-1 the same last
 * `tailDigits` digits (a number stored with a different country or trunk prefix, or an extension);
 * 1 (when fuzzy) national numbers one typo apart (a swapped or mistyped digit).
 */
export function buildPhoneComparator(fuzzy: boolean): {
  k: number;
  compare: (a: PreparedPhone, b: PreparedPhone) => number;
} {
  const k = fuzzy ? 3 : 2;
  const compare = (a: PreparedPhone, b: PreparedPhone): number => {
    if (a.e164 !== null && b.e164 !== null ? a.e164 === b.e164 : a.national === b.national) return k;
    if (a.tail.length > 0 && a.tail === b.tail) return k - 1;
    if (fuzzy && withinTypos(a.national, b.national, 1)) return 1;
    return 0;
  };
  return { k, compare };
}
