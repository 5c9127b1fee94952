/**
 * Comparison vectors counted by distinct pattern. Millions of candidate pairs collapse into a few
 * hundred or thousand distinct vectors, so EM iterates over patterns with counts, not over pairs.
 * Counts from several workers combine with merge(); toJSON()/fromJSON() carry them between jobs.
 */
export interface PatternCountsJson {
  fieldCount: number;
  patterns: number[][];
  counts: number[];
}

const MAX_SAFE_BITS = 52;

export class PatternCounts {
  readonly fieldCount: number;
  readonly maxLevel: number;
  /** Bits per field in the numeric key; 0 when vectors are too wide and keys are strings. */
  private readonly bits: number;
  private readonly index = new Map<number | string, number>();
  private levels: Int8Array;
  private weights: Float64Array;
  private distinct = 0;
  private sum = 0;

  /**
   * @param maxLevel highest level any field uses; sizes the numeric key (levels+1 packed per field).
   */
  constructor(fieldCount: number, maxLevel = 14) {
    if (!Number.isInteger(fieldCount) || fieldCount < 1) throw new RangeError('fieldCount must be ≥ 1');
    if (!Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > 126) {
      throw new RangeError('maxLevel must be an integer in 1..126');
    }
    this.fieldCount = fieldCount;
    const bits = Math.ceil(Math.log2(maxLevel + 2));
    this.bits = bits * fieldCount <= MAX_SAFE_BITS ? bits : 0;
    this.maxLevel = maxLevel;
    this.levels = new Int8Array(64 * fieldCount);
    this.weights = new Float64Array(64);
  }

  /** Number of distinct patterns. */
  get size(): number {
    return this.distinct;
  }

  /** Number of vectors counted (sum of counts). */
  get total(): number {
    return this.sum;
  }

  /** Adds `count` copies of the vector found at gamma[offset .. offset + fieldCount). */
  add(gamma: ArrayLike<number>, count = 1, offset = 0): void {
    if (!(count > 0) || !Number.isFinite(count)) throw new RangeError(`count ${count} must be > 0`);
    const n = this.fieldCount;
    if (gamma.length < offset + n) throw new RangeError(`vector shorter than ${n} fields`);
    const key = this.key(gamma, offset);
    let slot = this.index.get(key);
    if (slot === undefined) {
      slot = this.distinct++;
      this.index.set(key, slot);
      this.grow();
      for (let i = 0; i < n; i++) this.levels[slot * n + i] = gamma[offset + i]!;
    }
    this.weights[slot] = this.weights[slot]! + count;
    this.sum += count;
  }

  /** Adds `count` vectors packed one after another (fieldCount levels each). */
  addPacked(packed: Int8Array, count = Math.floor(packed.length / this.fieldCount)): void {
    if (packed.length < count * this.fieldCount)
      throw new RangeError('packed holds fewer than count vectors');
    for (let p = 0, off = 0; p < count; p++, off += this.fieldCount) this.add(packed, 1, off);
  }

  merge(other: PatternCounts): void {
    if (other === this) throw new RangeError('cannot merge counts into themselves');
    if (other.fieldCount !== this.fieldCount) throw new RangeError('cannot merge counts of different widths');
    for (let p = 0; p < other.distinct; p++) this.add(other.levels, other.weights[p]!, p * other.fieldCount);
  }

  /** Levels of pattern i (a view; do not modify). */
  pattern(i: number): Int8Array {
    if (i < 0 || i >= this.distinct) throw new RangeError(`pattern ${i} out of range`);
    return this.levels.subarray(i * this.fieldCount, (i + 1) * this.fieldCount);
  }

  count(i: number): number {
    if (i < 0 || i >= this.distinct) throw new RangeError(`pattern ${i} out of range`);
    return this.weights[i]!;
  }

  /** All distinct patterns packed (size × fieldCount) and their counts, for tight loops. */
  packed(): { levels: Int8Array; counts: Float64Array } {
    return {
      levels: this.levels.subarray(0, this.distinct * this.fieldCount),
      counts: this.weights.subarray(0, this.distinct),
    };
  }

  toJSON(): PatternCountsJson {
    const patterns: number[][] = [];
    for (let p = 0; p < this.distinct; p++) patterns.push(Array.from(this.pattern(p)));
    return {
      fieldCount: this.fieldCount,
      patterns,
      counts: Array.from(this.weights.subarray(0, this.distinct)),
    };
  }

  static fromJSON(json: PatternCountsJson, maxLevel = 14): PatternCounts {
    if (json.patterns.length !== json.counts.length)
      throw new RangeError('patterns and counts differ in length');
    const pc = new PatternCounts(json.fieldCount, maxLevel);
    json.patterns.forEach((p, i) => {
      pc.add(p, json.counts[i]!);
    });
    return pc;
  }

  private key(gamma: ArrayLike<number>, offset: number): number | string {
    const n = this.fieldCount;
    const max = this.maxLevel;
    if (this.bits > 0) {
      // Mixed radix with radix 2^bits: exact in a double while bits × fieldCount ≤ 52.
      const radix = 2 ** this.bits;
      let key = 0;
      for (let i = 0; i < n; i++) {
        const g = gamma[offset + i]!;
        if (!(g >= -1 && g <= max) || !Number.isInteger(g))
          throw new RangeError(`level ${g} outside -1..${max}`);
        key = key * radix + (g + 1);
      }
      return key;
    }
    let key = '';
    for (let i = 0; i < n; i++) {
      const g = gamma[offset + i]!;
      if (!(g >= -1 && g <= max) || !Number.isInteger(g))
        throw new RangeError(`level ${g} outside -1..${max}`);
      key += String.fromCharCode(g + 1);
    }
    return key;
  }

  private grow(): void {
    if (this.distinct <= this.weights.length) return;
    const weights = new Float64Array(this.weights.length * 2);
    weights.set(this.weights);
    this.weights = weights;
    const levels = new Int8Array(this.levels.length * 2);
    levels.set(this.levels);
    this.levels = levels;
  }
}

/** Vectors as counted patterns: PatternCounts pass through, packed vectors are counted. */
export function asPatternCounts(vectors: PatternCounts | Int8Array, fieldCount: number): PatternCounts {
  if (vectors instanceof PatternCounts) {
    if (vectors.fieldCount !== fieldCount) {
      throw new RangeError(`vectors have ${vectors.fieldCount} fields, the model ${fieldCount}`);
    }
    return vectors;
  }
  if (vectors.length % fieldCount !== 0) {
    throw new RangeError(`packed vectors length ${vectors.length} is not a multiple of ${fieldCount} fields`);
  }
  let maxLevel = 1;
  for (let i = 0; i < vectors.length; i++) if (vectors[i]! > maxLevel) maxLevel = vectors[i]!;
  const counts = new PatternCounts(fieldCount, Math.min(maxLevel, 126));
  counts.addPacked(vectors);
  return counts;
}
