/**
 * Jaro and Jaro-Winkler similarity, hand-written for speed: char codes only, no allocation per call
 * (match flags live in module-level buffers that grow on demand). Inputs are normalized ASCII, at most a
 * few hundred characters.
 */

// Scratch state reused across calls: `matchedB[j] === stamp` marks b[j] as matched in the current call
// (bumping the stamp replaces clearing the array); `matchedChars` holds a's matched chars in order.
let matchedB = new Int32Array(64);
let matchedChars = new Uint16Array(64);
let stamp = 0;

function ensureCapacity(n: number): void {
  if (n > matchedB.length) {
    const size = Math.max(n, matchedB.length * 2);
    matchedB = new Int32Array(size);
    matchedChars = new Uint16Array(size);
    stamp = 0;
  }
}

/** Jaro similarity in [0, 1]; 1 for equal strings, 0 when either is empty or nothing matches. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length > 0 ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  ensureCapacity(Math.max(la, lb));
  if (stamp === 0x7fffffff) {
    matchedB.fill(0);
    stamp = 0;
  }
  const s = ++stamp;
  const mb = matchedB;
  const chars = matchedChars;
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = i > range ? i - range : 0;
    const hi = Math.min(i + range + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (mb[j] !== s && b.charCodeAt(j) === c) {
        mb[j] = s;
        chars[matches++] = c;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // a's matched characters in order against b's matched characters in order: mismatches are half-transpositions.
  let halfTranspositions = 0;
  for (let j = 0, k = 0; k < matches; j++) {
    if (mb[j] !== s) continue;
    if (b.charCodeAt(j) !== chars[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - halfTranspositions / 2) / m) / 3;
}

/**
 * Jaro-Winkler: Jaro boosted by the common prefix (up to 4 characters, scale 0.1) when Jaro exceeds 0.7
 * (Winkler's boost threshold). MARTHA/MARHTA → 0.961, DIXON/DICKSONX → 0.813.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}
