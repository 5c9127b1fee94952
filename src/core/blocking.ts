import {
  type CompiledPart,
  type CompiledProfile,
  compileProfile,
  type PreparedRecord,
  partValues,
} from './profile/compile.js';
import type { MatchingProfile } from './profile/schema.js';

/**
 * Blocking: each contact gets a few keys; contacts sharing a key form a bucket, and only pairs inside a
 * bucket are scored. Keys are strings prefixed with the key's name ("name_phonetic:JN|SM0") and a stable
 * signed 64-bit hash of that string for storage in a PostgreSQL bigint column.
 */

export interface BlockingKey {
  key: string;
  hash: bigint;
}

/** At most this many keys come from one blocking key definition (multi-valued parts multiply). */
const MAX_COMBINATIONS = 16;

/**
 * FNV-1a 64 over the UTF-8 bytes of `s`, as a signed 64-bit bigint. Computed in two 32-bit halves
 * (bigint arithmetic per byte is ~50x slower); FNV prime 2^40 + 0x1b3.
 */
export function fnv1a64(s: string): bigint {
  const [hi, lo] = fnvHalves(s);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

/**
 * The low 52 bits of fnv1a64(s) as a plain number (exact in a double): what the work tables store,
 * computed without any bigint (the indexer hashes every key of every contact).
 */
export function fnv1a52(s: string): number {
  const [hi, lo] = fnvHalves(s);
  return (hi & 0xfffff) * 0x100000000 + lo;
}

const halves: [number, number] = [0, 0];
function fnvHalves(s: string): [number, number] {
  const bytes = isAscii(s) ? null : utf8.encode(s);
  const n = bytes === null ? s.length : bytes.length;
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < n; i++) {
    lo = (lo ^ (bytes === null ? s.charCodeAt(i) : bytes[i]!)) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64, in exact doubles: lo·0x1b3 < 2^41, hi·0x1b3 + carry + 2^32 < 2^53.
    const loMul = lo * 0x1b3;
    hi = (hi * 0x1b3 + Math.floor(loMul / 0x100000000) + ((lo << 8) >>> 0)) >>> 0;
    lo = loMul >>> 0;
  }
  halves[0] = hi;
  halves[1] = lo;
  return halves;
}

const utf8 = new TextEncoder();
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function combinations(lists: readonly (readonly string[])[], unordered: boolean): string[] {
  let combos: string[][] = [[]];
  for (const values of lists) {
    const next: string[][] = [];
    for (const c of combos) {
      for (const v of values) {
        if (next.length >= MAX_COMBINATIONS) break;
        next.push([...c, v]);
      }
    }
    combos = next;
  }
  return combos.map((c) => (unordered ? [...c].sort() : c).join('|'));
}

/**
 * The blocking keys of one prepared contact, deduplicated. A key whose part is missing (empty name,
 * no email) is not produced at all: blocking on "nothing" would put every such contact in one bucket.
 */
export function blockingKeys(profile: MatchingProfile, prepared: PreparedRecord): BlockingKey[] {
  const out: BlockingKey[] = [];
  forEachKey(compileProfile(profile), prepared, (key) => out.push({ key, hash: fnv1a64(key) }));
  return out;
}

/** The distinct stored hashes (fnv1a52) of a contact's blocking keys: what the indexer writes. */
export function blockingKeyHashes(compiled: CompiledProfile, prepared: PreparedRecord): number[] {
  const out: number[] = [];
  forEachKey(compiled, prepared, (key) => {
    const h = fnv1a52(key);
    if (!out.includes(h)) out.push(h);
  });
  return out;
}

function forEachKey(compiled: CompiledProfile, prepared: PreparedRecord, emit: (key: string) => void): void {
  const seen = new Set<string>();
  for (const k of compiled.keys) {
    const lists = k.parts.map((p) => partValues(p, prepared));
    if (lists.some((l) => l.length === 0)) continue;
    for (const joined of combinations(lists, k.unordered)) {
      const key = `${k.name}:${joined}`;
      if (seen.has(key)) continue;
      seen.add(key);
      emit(key);
    }
  }
}

export interface BucketMember {
  id: number;
  prepared: PreparedRecord;
}

export interface SplitReport {
  /** Members of the bucket given. */
  members: number;
  /** Secondary parts that were used, in order. */
  secondaryUsed: string[];
  /** Members that ended in a sorted-neighbourhood window instead of a bucket. */
  windowedMembers: number;
  largestBucket: number;
}

export interface SplitResult {
  /** `none`: the bucket was not over the cap and is returned whole. */
  strategy: 'none' | 'secondary' | 'window';
  /** Sub-buckets (member ids), each within the cap; score every pair inside each. */
  buckets: number[][];
  /** Sorted-neighbourhood pairs (member ids) for parts no secondary key could split; empty otherwise. */
  pairs: Array<[number, number]>;
  /**
   * Members placed in more than one sub-bucket or window (a multi-valued secondary part: Smith is
   * both SM0 and XMT). Only a pair of two such members can come out twice: dedupe those.
   */
  shared: Set<number>;
  report: SplitReport;
}

const MISSING = '\u0000missing';

/**
 * Splits a bucket larger than blocking.maxBucketSize: by each secondary part in turn (members without a
 * value form their own group, so nobody is dropped), and where a group is still too big after the last
 * secondary part, by a sorted-neighbourhood window over `sortBy` (each member paired with the next
 * window-1 members). A member with several values of a secondary part (two metaphone codes) joins each group.
 */
export function splitOversizedBucket(
  profile: MatchingProfile,
  members: readonly BucketMember[],
): SplitResult {
  const compiled = compileProfile(profile);
  const cap = profile.blocking.maxBucketSize;
  const window = profile.blocking.oversized.window;
  const result: SplitResult = {
    strategy: members.length <= cap ? 'none' : 'secondary',
    buckets: [],
    pairs: [],
    shared: new Set(),
    report: { members: members.length, secondaryUsed: [], windowedMembers: 0, largestBucket: 0 },
  };
  const used = new Set<string>();
  const placed = new Set<number>();
  const place = (group: readonly BucketMember[]) => {
    for (const m of group) {
      if (placed.has(m.id)) result.shared.add(m.id);
      else placed.add(m.id);
    }
  };
  const emit = (group: readonly BucketMember[]) => {
    place(group);
    result.buckets.push(group.map((m) => m.id));
    if (group.length > result.report.largestBucket) result.report.largestBucket = group.length;
  };
  const split = (group: readonly BucketMember[], depth: number) => {
    if (group.length <= cap) return emit(group);
    const part = compiled.secondary[depth];
    if (part === undefined) {
      place(group);
      return slidingWindow(group, compiled.sortBy, window, result);
    }
    const groups = new Map<string, BucketMember[]>();
    for (const m of group) {
      const values = partValues(part, m.prepared);
      for (const v of values.length > 0 ? values : [MISSING]) {
        const g = groups.get(v);
        if (g) g.push(m);
        else groups.set(v, [m]);
      }
    }
    if (groups.size === 1) return split(group, depth + 1);
    used.add(part.text);
    for (const g of groups.values()) split(g, depth + 1);
  };
  split(members, 0);
  result.report.secondaryUsed = compiled.secondary.filter((p) => used.has(p.text)).map((p) => p.text);
  return result;
}

function sortKey(parts: readonly CompiledPart[], rec: PreparedRecord): string {
  // Missing values sort last so that populated records neighbour each other.
  return parts.map((p) => partValues(p, rec)[0] ?? '\uffff').join('\u0000');
}

function slidingWindow(
  group: readonly BucketMember[],
  sortBy: readonly CompiledPart[],
  window: number,
  result: SplitResult,
): void {
  result.strategy = 'window';
  result.report.windowedMembers += group.length;
  const sorted = group
    .map((m) => ({ id: m.id, key: sortKey(sortBy, m.prepared) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.id - y.id));
  for (let i = 0; i < sorted.length; i++) {
    const end = Math.min(sorted.length, i + window);
    for (let j = i + 1; j < end; j++) result.pairs.push([sorted[i]!.id, sorted[j]!.id]);
  }
}
