import { typoDistance } from './edit-distance.js';
import { jaroWinkler } from './jaro-winkler.js';

/** Distinct words of a cleaned string, sorted, so equal sets compare equal regardless of word order. */
export function tokenSet(clean: string): string[] {
  const words = clean.split(' ').filter((w) => w.length > 0);
  return [...new Set(words)].sort();
}

const HAS_DIGIT = /[0-9]/;

function tokensMatch(x: string, y: string, fuzzy: number): boolean {
  if (x === y) return true;
  // House numbers, unit numbers: a different number is a different place, a typo is one edit.
  if (HAS_DIGIT.test(x) || HAS_DIGIT.test(y)) return x.length === y.length && typoDistance(x, y) <= 1;
  return x.length > 2 && y.length > 2 && jaroWinkler(x, y) >= fuzzy;
}

// Scratch flags reused across calls (no allocation per comparison).
let usedA = new Uint8Array(16);
let usedB = new Uint8Array(16);

/**
 * Dice coefficient over words where words match exactly or, failing that, with Jaro-Winkler ≥ `fuzzy`
 * (greedy, each word used once). "acme widgets" / "acme widgets international" → 0.8; word order ignored.
 */
export function tokenSetSimilarity(a: readonly string[], b: readonly string[], fuzzy = 0.9): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return 0;
  if (na > usedA.length) usedA = new Uint8Array(Math.max(na, usedA.length * 2));
  if (nb > usedB.length) usedB = new Uint8Array(Math.max(nb, usedB.length * 2));
  const exactA = usedA;
  const used = usedB;
  exactA.fill(0, 0, na);
  used.fill(0, 0, nb);
  let matched = 0;
  // Exact pass first (both sorted: a merge walk), so fuzzy matching never steals an exact partner.
  for (let i = 0, j = 0; i < na && j < nb; ) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      exactA[i] = 1;
      used[j] = 1;
      matched++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  if (matched < na && matched < nb) {
    for (let i = 0; i < na; i++) {
      if (exactA[i] === 1) continue;
      const x = a[i]!;
      for (let j = 0; j < nb; j++) {
        if (used[j] === 0 && tokensMatch(x, b[j]!, fuzzy)) {
          used[j] = 1;
          matched++;
          break;
        }
      }
    }
  }
  return (2 * matched) / (na + nb);
}
