import { type BoundComparator, bindComparator } from '../compare/index.js';
import {
  type DateParts,
  type EmailParts,
  type NameParts,
  NORMALIZERS,
  type Normalized,
  type NormalizerName,
  phoneticCodes,
} from '../normalize/index.js';
import { type PartFunction, parsePart } from './parts.js';
import type { MatchingProfile } from './schema.js';

/**
 * A profile turned into closures once (cached per profile object), so that preparing a contact and
 * comparing a pair do no lookups by name.
 */

export interface CompiledField {
  readonly name: string;
  readonly source: string;
  readonly normalizer: NormalizerName;
  readonly comparator: BoundComparator;
  /** Index of the field this one is compared crosswise with when names are swapped, or -1. */
  readonly swapIndex: number;
  readonly tf: boolean;
}

export interface CompiledPart {
  readonly text: string;
  readonly fn: PartFunction | null;
  readonly n: number;
  /** Field whose normalized value the part reads, or -1 for an extra source. */
  readonly fieldIndex: number;
  /** Index into PreparedRecord.extra when fieldIndex is -1. */
  readonly extraIndex: number;
  readonly isName: boolean;
}

export interface CompiledKey {
  readonly name: string;
  readonly parts: readonly CompiledPart[];
  readonly unordered: boolean;
}

export interface CompiledProfile {
  readonly profile: MatchingProfile;
  readonly fields: readonly CompiledField[];
  /** Source paths blocking reads that are not fields; normalized as text. */
  readonly extraSources: readonly string[];
  readonly keys: readonly CompiledKey[];
  readonly secondary: readonly CompiledPart[];
  readonly sortBy: readonly CompiledPart[];
}

const NAME_NORMALIZERS: ReadonlySet<NormalizerName> = new Set(['given_name', 'family_name', 'name']);
const cache = new WeakMap<MatchingProfile, CompiledProfile>();

export function compileProfile(profile: MatchingProfile): CompiledProfile {
  const hit = cache.get(profile);
  if (hit) return hit;
  const fieldIndex = new Map(profile.fields.map((f, i) => [f.name, i] as const));
  const fields: CompiledField[] = profile.fields.map((f) => ({
    name: f.name,
    source: f.source,
    normalizer: f.normalizer,
    comparator: bindComparator(f.comparator),
    swapIndex:
      f.comparator.type === 'name' && f.comparator.swapWith !== undefined
        ? (fieldIndex.get(f.comparator.swapWith) ?? -1)
        : -1,
    tf: f.tf,
  }));
  const extraSources: string[] = [];
  const compilePart = (text: string): CompiledPart => {
    const parsed = parsePart(text);
    if (typeof parsed === 'string') throw new Error(parsed); // parseProfile has already rejected these
    const fi = fieldIndex.get(parsed.ref) ?? -1;
    let extraIndex = -1;
    if (fi < 0) {
      extraIndex = extraSources.indexOf(parsed.ref);
      if (extraIndex < 0) extraIndex = extraSources.push(parsed.ref) - 1;
    }
    const isName = fi >= 0 && NAME_NORMALIZERS.has(profile.fields[fi]!.normalizer);
    return { text, fn: parsed.fn, n: parsed.n, fieldIndex: fi, extraIndex, isName };
  };
  const compiled: CompiledProfile = {
    profile,
    fields,
    extraSources,
    keys: profile.blocking.keys.map((k) => ({
      name: k.name,
      parts: k.parts.map(compilePart),
      unordered: k.unordered === true,
    })),
    secondary: profile.blocking.oversized.secondary.map(compilePart),
    sortBy: profile.blocking.oversized.sortBy.map(compilePart),
  };
  cache.set(profile, compiled);
  return compiled;
}

/** What prepareRecord keeps of a contact. Plain data only, so it can cross worker threads. */
export interface PreparedRecord {
  readonly id: number | null;
  /** Per field (profile order): the normalizer's output, null when missing. */
  readonly norm: readonly (Normalized | null)[];
  /** Per field: the normalized value as one string (exact match, blocking, term frequency), or null. */
  readonly keys: readonly (string | null)[];
  /** Per field: the value the comparator reads (phonetic codes, tokens... precomputed), or null. */
  readonly values: readonly unknown[];
  /** Blocking-only sources (CompiledProfile.extraSources order), normalized as text. */
  readonly extra: readonly (string | null)[];
}

const EMPTY: readonly string[] = [];
const MAX_TOKENS = 8;

function words(s: string): string[] {
  const out: string[] = [];
  for (const w of s.split(' ')) if (w.length >= 2 && !out.includes(w) && out.length < MAX_TOKENS) out.push(w);
  return out;
}

/** The values one blocking part takes for a record: none (missing), one, or a few (metaphone codes, words). */
export function partValues(part: CompiledPart, rec: PreparedRecord): readonly string[] {
  const fi = part.fieldIndex;
  const key = fi >= 0 ? rec.keys[fi] : rec.extra[part.extraIndex];
  if (key == null || key.length === 0) return EMPTY;
  const norm = fi >= 0 ? rec.norm[fi] : key;
  switch (part.fn) {
    case null:
      return part.isName && (norm as NameParts).alts.length > 0 ? [key, ...(norm as NameParts).alts] : [key];
    case 'metaphone':
      return part.isName ? (norm as NameParts).phonetic : phoneticCodes(key);
    case 'initial':
      return [key.charAt(0)];
    case 'prefix':
      return [key.replace(/ /g, '').slice(0, part.n)];
    case 'tail': {
      const digits = key.replace(/[^0-9]/g, '');
      return digits.length >= part.n ? [digits.slice(-part.n)] : EMPTY;
    }
    case 'local':
      return typeof norm === 'object' && norm !== null && 'local' in norm
        ? [(norm as EmailParts).local]
        : EMPTY;
    case 'domain':
      return typeof norm === 'object' && norm !== null && 'domain' in norm
        ? [(norm as EmailParts).domain]
        : EMPTY;
    case 'year':
      return typeof norm === 'object' && norm !== null && 'year' in norm
        ? [String((norm as DateParts).year)]
        : EMPTY;
    case 'tokens':
      return words(key);
    case 'nospace':
      return [key.replace(/ /g, '')];
    case 'sorted':
      return [key.split(' ').sort().join(' ')];
  }
}

export { NORMALIZERS };
