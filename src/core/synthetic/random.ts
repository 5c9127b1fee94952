/**
 * Seeded pseudo-random numbers for the synthetic CRM generator: xoshiro128** seeded through
 * splitmix32. Deterministic for a seed, independent of the platform, and fast (32-bit integer math
 * only). Never Math.random: the same seed must give the same CRM on every machine.
 */

const TWO_POW_32 = 4294967296;
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** splitmix32: spreads any 32-bit seed (even 0 or 1) over the whole state space. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Fold the seed (any finite number, fractions and values beyond 32 bits included) into 32 bits.
    let s = Math.trunc(seed) | 0;
    s ^= Math.trunc(seed / TWO_POW_32) | 0;
    let out: number;
    [s, out] = splitmix32(s);
    this.a = out;
    [s, out] = splitmix32(s);
    this.b = out;
    [s, out] = splitmix32(s);
    this.c = out;
    [s, out] = splitmix32(s);
    this.d = out;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** An independent stream derived from this seed and a salt (e.g. one per pool). */
  static derive(seed: number, salt: string): Rng {
    let h = 0x811c9dc5 ^ (Math.trunc(seed) | 0);
    for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193);
    return new Rng(h ^ Math.trunc(seed / TWO_POW_32));
  }

  /** Next unsigned 32-bit integer (xoshiro128**). */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Index drawn from a cumulative weight table (see cumulative()). */
  weighted(cum: Float64Array): number {
    return searchCumulative(cum, this.float() * cum[cum.length - 1]!);
  }

  /** Poisson-distributed count (inversion for small means, rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) {
      const x = this.u32();
      s +=
        HEX_BYTES[x >>> 24]! +
        HEX_BYTES[(x >>> 16) & 255]! +
        HEX_BYTES[(x >>> 8) & 255]! +
        HEX_BYTES[x & 255]!;
    }
    return s.length === n ? s : s.slice(0, n);
  }

  /** `n` decimal digits (leading zeros kept). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + this.int(10));
    return s;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Running sums of weights, for Rng.weighted. */
export function cumulative(weights: readonly number[]): Float64Array {
  if (weights.length === 0) throw new RangeError('cumulative of an empty weight list');
  const cum = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i]!;
    cum[i] = total;
  }
  return cum;
}

function searchCumulative(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Zipf-Mandelbrot weights 1/(rank+q)^s for a frequency-ranked pool: a few very common names and a
 * long tail, the way real name frequencies fall off. q flattens the head so that the top name is a
 * few percent, not a sixth, of everyone.
 */
export function zipfTable(n: number, s = 1, q = 4): Float64Array {
  const weights: number[] = [];
  for (let k = 1; k <= n; k++) weights.push(1 / (k + q) ** s);
  return cumulative(weights);
}

/** Weighted choice over [value, weight] pairs, prepared once. */
export class WeightedChoice<T> {
  private readonly values: T[];
  private readonly cum: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map((e) => e[0]);
    this.cum = cumulative(entries.map((e) => e[1]));
  }

  sample(rng: Rng): T {
    return this.values[rng.weighted(this.cum)]!;
  }
}
