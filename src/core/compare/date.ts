import type { DateParts } from '../normalize/date.js';
import { typoDistance } from './edit-distance.js';

/**
 * Date comparator. Levels: k exact; k-1 day and month transposed (01/02 vs 02/01); k-2 exactly one of
 * day/month/year differs, or the ISO strings are one typo apart (1986 vs 1968); 1 (when withinDays is set)
 * no more than withinDays apart.
 */
export function buildDateComparator(withinDays: number | null): {
  k: number;
  compare: (a: DateParts, b: DateParts) => number;
} {
  const k = withinDays === null ? 3 : 4;
  const within = withinDays ?? -1;
  const compare = (a: DateParts, b: DateParts): number => {
    if (a.day === b.day) return k;
    if (a.year === b.year && a.month === b.dayOfMonth && a.dayOfMonth === b.month) return k - 1;
    const differing =
      (a.year !== b.year ? 1 : 0) + (a.month !== b.month ? 1 : 0) + (a.dayOfMonth !== b.dayOfMonth ? 1 : 0);
    if (differing === 1 || typoDistance(a.iso, b.iso) <= 1) return k - 2;
    if (within > 0 && Math.abs(a.day - b.day) <= within) return 1;
    return 0;
  };
  return { k, compare };
}
