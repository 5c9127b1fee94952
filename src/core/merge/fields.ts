import { PERSON_COLUMNS, type PersonFields } from '../contact-columns.js';
/**
 * The contact fields a merge decides, the rules it can decide them with, and how values are
 * compared: two values "agree" when they are equal after normalization (trimmed, case and spacing
 * ignored; phones by their digits), so "ann@x.com " and "Ann@X.com" are not a conflict.
 */

export const MERGE_RULES = [
  'survivor_else_first_non_empty',
  'most_recent',
  'most_frequent',
  'longest',
  'union',
] as const;
export type MergeRule = (typeof MERGE_RULES)[number];

export const TEXT_FIELDS = PERSON_COLUMNS;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Every column a merge may change on the survivor, besides `attributes` (merged key by key). */
export const MERGE_FIELDS = [...TEXT_FIELDS, 'owner_id'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export type FieldValue = string | number | null;

/** A contact as the merge plan sees it: all columns of `contacts`. */
export interface ContactRecord extends PersonFields {
  id: number;
  external_id: string | null;
  attributes: Record<string, unknown>;
  owner_id: number | null;
  created_at: Date | string;
  updated_at: Date | string;
  merged_into: number | null;
  merged_at: Date | string | null;
}

/**
 * Where `union` keeps the values it does not choose as the primary one: an array in `attributes`.
 * owner_id has none: several owners per contact live in contact_owners, which the merge re-points.
 */
export const SECONDARY_KEYS: Record<TextField, string> = {
  first_name: 'secondary_first_names',
  last_name: 'secondary_last_names',
  email: 'secondary_emails',
  phone: 'secondary_phones',
  company: 'secondary_companies',
  job_title: 'secondary_job_titles',
  city: 'secondary_cities',
  country: 'secondary_countries',
  postcode: 'secondary_postcodes',
};

export const DEFAULT_FIELD_RULES: Readonly<Record<MergeField, MergeRule>> = Object.freeze({
  first_name: 'survivor_else_first_non_empty',
  last_name: 'survivor_else_first_non_empty',
  email: 'union',
  phone: 'union',
  company: 'survivor_else_first_non_empty',
  job_title: 'survivor_else_first_non_empty',
  city: 'survivor_else_first_non_empty',
  country: 'survivor_else_first_non_empty',
  postcode: 'survivor_else_first_non_empty',
  owner_id: 'survivor_else_first_non_empty',
});

export function isMergeField(name: string): name is MergeField {
  return (MERGE_FIELDS as readonly string[]).includes(name);
}

export function isTextField(name: string): name is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(name);
}

export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** The comparison key of a field value: equal keys mean the records agree. */
export function normalizeValue(field: string, value: unknown): string {
  if (typeof value !== 'string') return stableJson(value);
  const s = value.trim().replace(/\s+/g, ' ').toLowerCase();
  if (field === 'phone') {
    const digits = s.replace(/\D/g, '');
    return digits === '' ? s : digits;
  }
  return s;
}

/** JSON with object keys sorted, so equal jsonb values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
    .join(',')}}`;
}

export function timeOf(value: Date | string | null): number {
  if (value === null) return Number.NEGATIVE_INFINITY;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}
