import {
  type ContactRecord,
  type FieldValue,
  isEmpty,
  type MergeField,
  normalizeValue,
  SECONDARY_KEYS,
  type TextField,
} from './fields.js';
import type { FieldChoices, FieldConflict } from './plan.js';

/**
 * `attributes` (jsonb) merged key by key: a key present on one side only is kept; a key whose
 * non-empty values differ is a conflict `attributes.<key>` won by the survivor, else the first loser
 * with a value (or by a field choice). The secondary-value arrays that `union` fills are unions:
 * every earlier secondary value of every record survives, minus the value that became primary.
 */

const FIELD_OF_SECONDARY = new Map<string, TextField>(
  (Object.entries(SECONDARY_KEYS) as [TextField, string][]).map(([field, key]) => [key, field]),
);

function unionValues(field: string, lists: readonly unknown[][], exclude: string | undefined): unknown[] {
  const seen = new Set<string>(exclude === undefined ? [] : [exclude]);
  const out: unknown[] = [];
  for (const list of lists) {
    for (const v of list) {
      if (isEmpty(v)) continue;
      const key = normalizeValue(field, v);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

export function mergeAttributes(
  ordered: readonly ContactRecord[],
  choices: FieldChoices,
  newSecondaries: ReadonlyMap<string, unknown[]>,
  primaries: Readonly<Record<MergeField, FieldValue>>,
): { attributes: Record<string, unknown>; conflicts: FieldConflict[] } {
  const attributes: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [];
  const keys: string[] = [];
  for (const r of ordered)
    for (const k of Object.keys(r.attributes ?? {})) if (!keys.includes(k)) keys.push(k);
  for (const k of newSecondaries.keys()) if (!keys.includes(k)) keys.push(k);

  for (const key of keys) {
    const field = FIELD_OF_SECONDARY.get(key);
    if (field) {
      const primary = isEmpty(primaries[field]) ? undefined : normalizeValue(field, primaries[field]);
      const lists = ordered
        .map((r) => r.attributes?.[key])
        .map((v) => (Array.isArray(v) ? v : isEmpty(v) ? [] : [v]));
      const merged = unionValues(field, [...lists, newSecondaries.get(key) ?? []], primary);
      const existed = ordered.some((r) => r.attributes && key in r.attributes);
      if (merged.length > 0 || existed) attributes[key] = merged;
      continue;
    }
    const present = ordered.filter((r) => r.attributes && key in r.attributes);
    const candidates = present.filter((r) => !isEmpty(r.attributes[key]));
    const choice = choices[`attributes.${key}`];
    const chosenRecord =
      choice !== undefined ? ordered.find((r) => r.id === choice) : (candidates[0] ?? present[0]);
    if (chosenRecord && key in chosenRecord.attributes) attributes[key] = chosenRecord.attributes[key];
    const distinct = new Set(candidates.map((r) => normalizeValue(key, r.attributes[key])));
    if (distinct.size > 1) {
      conflicts.push({
        kind: 'field',
        field: `attributes.${key}`,
        values: Object.fromEntries(candidates.map((r) => [String(r.id), r.attributes[key]])),
        chosen: attributes[key] ?? null,
        chosenFrom: chosenRecord?.id ?? null,
        rule: choice !== undefined ? 'field_choice' : 'survivor_else_first_non_empty',
      });
    }
  }
  return { attributes, conflicts };
}
