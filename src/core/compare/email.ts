import { type EmailParts, ROLE_LOCAL_PARTS } from '../normalize/email.js';
import { jaroWinkler } from './jaro-winkler.js';

/**
 * Email comparator. Levels: k exact normalized address; k-1 same local part at another domain (not for
 * shared mailboxes such as info@); 1 (when fuzzyThreshold is set) local part and domain each similar.
 */
export function buildEmailComparator(fuzzyThreshold: number | null): {
  k: number;
  compare: (a: EmailParts, b: EmailParts) => number;
} {
  const k = fuzzyThreshold === null ? 2 : 3;
  const fuzzy = fuzzyThreshold ?? 2;
  const compare = (a: EmailParts, b: EmailParts): number => {
    if (a.full === b.full) return k;
    const sameLocal = a.local === b.local;
    if (sameLocal && !ROLE_LOCAL_PARTS.has(a.local)) return k - 1;
    if (k === 3 && (sameLocal || jaroWinkler(a.local, b.local) >= fuzzy)) {
      if (a.domain === b.domain || jaroWinkler(a.domain, b.domain) >= fuzzy) return 1;
    }
    return 0;
  };
  return { k, compare };
}
