import { distance } from 'fastest-levenshtein';

/** Levenshtein distance (fastest-levenshtein: bit-parallel, fast on short strings). */
export function levenshtein(a: string, b: string): number {
  return distance(a, b);
}

/**
 * Edit distance that counts a swap of two adjacent characters as one edit (the commonest typing error:
 * "marhta", "8621590287"). Exact optimal-string-alignment distance whenever the two strings differ only by
 * such swaps and substitutions at equal length; otherwise plain Levenshtein, which is what OSA gives for
 * typical typos anyway and costs no extra pass.
 */
export function typoDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length;
  if (n !== b.length) return distance(a, b);
  let edits = 0;
  let i = 0;
  while (i < n) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) {
      i++;
      continue;
    }
    if (i + 1 < n && a.charCodeAt(i + 1) === cb && b.charCodeAt(i + 1) === ca) {
      edits++;
      i += 2;
      continue;
    }
    edits++;
    i++;
  }
  // Substitutions-only alignment is an upper bound; Levenshtein may still find a shorter one (shifts).
  return edits <= 1 ? edits : Math.min(edits, distance(a, b));
}

/** Whether typoDistance(a, b) ≤ max, skipping the work when the lengths alone rule it out. */
export function withinTypos(a: string, b: string, max: number): boolean {
  const d = a.length - b.length;
  if (d > max || -d > max) return false;
  return typoDistance(a, b) <= max;
}
