import type { Normalized } from '../normalize/index.js';
import { cleanText } from '../normalize/index.js';
import { asText } from '../normalize/text.js';
import { type CompiledProfile, compileProfile, NORMALIZERS, type PreparedRecord } from './compile.js';
import type { MatchingProfile } from './schema.js';

/** A row of the contacts table as the detection run reads it; unknown columns are ignored. */
export interface ContactInput {
  id?: number | string | bigint | null;
  external_id?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  job_title?: string | null;
  city?: string | null;
  country?: string | null;
  postcode?: string | null;
  /** jsonb: an object, or its JSON text. */
  attributes?: Record<string, unknown> | string | null;
  [column: string]: unknown;
}

function attributesOf(contact: ContactInput): Record<string, unknown> | null {
  const a = contact.attributes;
  if (a == null) return null;
  if (typeof a === 'string') {
    try {
      const parsed: unknown = JSON.parse(a);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }
  return typeof a === 'object' && !Array.isArray(a) ? a : null;
}

function readSource(
  contact: ContactInput,
  attributes: Record<string, unknown> | null,
  source: string,
): unknown {
  if (source.startsWith('attributes.')) return attributes === null ? null : attributes[source.slice(11)];
  return contact[source];
}

function idOf(id: ContactInput['id']): number | null {
  if (id == null) return null;
  const n = typeof id === 'number' ? id : Number(id);
  return Number.isSafeInteger(n) ? n : null;
}

/** Normalizes a contact once: every field's normalized value, key string and comparator-ready value. */
export function prepareRecord(profile: MatchingProfile, contact: ContactInput): PreparedRecord {
  return prepareCompiled(compileProfile(profile), contact);
}

/** A prepared record from normalized values: each field's key string and comparator-ready value. */
export function fromNormalized(
  compiled: CompiledProfile,
  id: number | null,
  norm: (Normalized | null)[],
  extra: (string | null)[],
): PreparedRecord {
  const n = compiled.fields.length;
  const keys = new Array<string | null>(n);
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = norm[i] ?? null;
    if (v === null) {
      keys[i] = null;
      values[i] = null;
    } else {
      const f = compiled.fields[i]!;
      const key = NORMALIZERS[f.normalizer].key(v);
      keys[i] = key;
      values[i] = f.comparator.prepare(v, key);
    }
  }
  return { id, norm, keys, values, extra };
}

export function prepareCompiled(compiled: CompiledProfile, contact: ContactInput): PreparedRecord {
  const attributes = attributesOf(contact);
  const ctx = { country: asText(contact.country), defaultCountry: compiled.profile.defaultCountry };
  const norm = compiled.fields.map((f) =>
    NORMALIZERS[f.normalizer].normalize(readSource(contact, attributes, f.source), ctx),
  );
  const extra = compiled.extraSources.map((s) => cleanText(asText(readSource(contact, attributes, s))));
  return fromNormalized(compiled, idOf(contact.id), norm, extra);
}

/**
 * The level of field i of a pair (comparator-ready values av, bv): -1 missing on either side, 0
 * disagree, 1..k agreement (k exact); a disagreeing field with `swapWith` gets the crosswise level,
 * capped below exact, when first and last name are swapped between the two records.
 */
export function fieldLevel(
  fields: CompiledProfile['fields'],
  i: number,
  av: readonly unknown[],
  bv: readonly unknown[],
): number {
  const x = av[i];
  const y = bv[i];
  if (x === null || y === null) return -1;
  const f = fields[i]!;
  const level = f.comparator.compare(x, y);
  if (level !== 0 || f.swapIndex < 0) return level;
  const ax = av[f.swapIndex];
  const by = bv[f.swapIndex];
  if (ax === null || by === null) return level;
  const cross = Math.min(f.comparator.compare(x, by), f.comparator.compare(ax, y));
  return Math.min(cross, f.comparator.k - 1);
}

/**
 * Levels of a pair, one per field in profile order, written into `out` (reuse one buffer in hot loops):
 * -1 missing on either side, 0 disagree, 1..k agreement (k exact). A name field configured with
 * `swapWith` that disagrees gets the crosswise level (capped below exact) when first and last name are
 * swapped between the two records.
 */
export function compareCompiled(
  compiled: CompiledProfile,
  a: PreparedRecord,
  b: PreparedRecord,
  out: Int8Array = new Int8Array(compiled.fields.length),
): Int8Array {
  const fields = compiled.fields;
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < fields.length; i++) out[i] = fieldLevel(fields, i, av, bv);
  return out;
}

export function compareRecords(profile: MatchingProfile, a: PreparedRecord, b: PreparedRecord): Int8Array {
  return compareCompiled(compileProfile(profile), a, b);
}

/** Number of levels per field including "missing": k + 2 (levels -1, 0, 1..k). */
export function levelCounts(profile: MatchingProfile): number[] {
  return compileProfile(profile).fields.map((f) => f.comparator.k + 2);
}

/**
 * The value whose frequency adjusts an exact match on field `fieldIndex` (the normalized key: canonical
 * name, normalized email, national phone number...), or null when the field is missing or has tf off.
 */
export function tfValue(
  profile: MatchingProfile,
  fieldIndex: number,
  prepared: PreparedRecord,
): string | null {
  const compiled = compileProfile(profile);
  if (compiled.fields[fieldIndex] === undefined)
    throw new RangeError(`no field ${fieldIndex} in profile ${profile.name}`);
  return tfValuesOf(compiled, prepared)[fieldIndex] ?? null;
}

/** Per field: the value term frequencies count (the key of a TF field), else null. */
export function tfValuesOf(compiled: CompiledProfile, rec: PreparedRecord): (string | null)[] {
  return compiled.fields.map((f, i) => (f.tf ? (rec.keys[i] ?? null) : null));
}
