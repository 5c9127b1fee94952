import type { NameParts } from '../normalize/names.js';
import type { NameComparatorConfig } from './config.js';
import { jaroWinkler } from './jaro-winkler.js';

function shareCode(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) for (const y of b) if (x === y) return true;
  return false;
}

/**
 * Person-name comparator. Levels from the top: exact (canonical forms equal: Bob = Robert; or one is an
 * alternative reading of the other: Sam = Samantha), one per
 * Jaro-Winkler threshold, then optionally a phonetic level, then optionally an initial level.
 */
export function buildNameComparator(config: NameComparatorConfig): {
  k: number;
  compare: (a: NameParts, b: NameParts) => number;
} {
  const thresholds = Float64Array.from(config.thresholds);
  const t = thresholds.length;
  const top = thresholds[0]!;
  const initialLevel = config.initials ? 1 : 0;
  const phoneticLevel = config.phonetic ? initialLevel + 1 : 0;
  const k = 1 + t + (config.phonetic ? 1 : 0) + (config.initials ? 1 : 0);
  const compare = (a: NameParts, b: NameParts): number => {
    if (a.canon === b.canon) return k;
    // A shared short form read as either of its names: Sam = Samantha as well as Sam = Samuel.
    if ((a.alts.length > 0 && a.alts.includes(b.canon)) || (b.alts.length > 0 && b.alts.includes(a.canon)))
      return k;
    // "J" against "John": only the initial can agree; Jaro-Winkler of one letter means nothing.
    if (a.canon.length === 1 || b.canon.length === 1) {
      return initialLevel > 0 && a.raw.charCodeAt(0) === b.raw.charCodeAt(0) ? initialLevel : 0;
    }
    let s = jaroWinkler(a.canon, b.canon);
    if (s < top && (a.raw !== a.canon || b.raw !== b.canon)) {
      const r = jaroWinkler(a.raw, b.raw);
      if (r > s) s = r;
    }
    for (let i = 0; i < t; i++) if (s >= thresholds[i]!) return k - 1 - i;
    if (phoneticLevel > 0 && shareCode(a.phonetic, b.phonetic)) return phoneticLevel;
    return 0;
  };
  return { k, compare };
}
