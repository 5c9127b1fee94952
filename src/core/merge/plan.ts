import { mergeAttributes } from './attributes.js';
import { MergeError } from './errors.js';
import {
  type ContactRecord,
  DEFAULT_FIELD_RULES,
  type FieldValue,
  isEmpty,
  isMergeField,
  isTextField,
  MERGE_FIELDS,
  MERGE_RULES,
  type MergeField,
  type MergeRule,
  normalizeValue,
  SECONDARY_KEYS,
  stableJson,
  timeOf,
} from './fields.js';

/**
 * The merge plan: which value the survivor keeps for every field, given the survivor, the losers,
 * per-field rules and per-request choices. Pure: the engine computes it under its locks, the
 * dry run shows it, the audit row stores it.
 */

export type FieldRules = Partial<Record<MergeField, MergeRule>>;
/** Per-request overrides: field (or `attributes.<key>`) → the contact whose value wins. */
export type FieldChoices = Record<string, number>;

export interface MergePlanInput {
  survivorId: number;
  loserIds: readonly number[];
  records: readonly ContactRecord[];
  rules?: FieldRules | undefined;
  fieldChoices?: FieldChoices | undefined;
}

export interface FieldConflict {
  kind: 'field';
  field: string;
  /** contact id → that contact's value (only contacts with a non-empty value). */
  values: Record<string, unknown>;
  chosen: unknown;
  /** The contact the chosen value came from; null when none had a value. */
  chosenFrom: number | null;
  rule: MergeRule | 'field_choice';
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export type SurvivorValues = Record<MergeField, FieldValue> & { attributes: Record<string, unknown> };

export interface MergePlan {
  survivorId: number;
  loserIds: number[];
  /** The survivor's values after the merge, for every field the merge decides. */
  values: SurvivorValues;
  /** Fields whose value on the survivor changes. */
  changes: FieldChange[];
  /** Fields where the records disagree (two or more different non-empty values). */
  conflicts: FieldConflict[];
  rules: Record<MergeField, MergeRule>;
  fieldChoices: FieldChoices;
  /** What executing the plan does besides re-pointing rows. */
  actions: { updateSurvivor: boolean; tombstone: number[] };
}

export function resolveRules(rules: FieldRules | undefined): Record<MergeField, MergeRule> {
  const out = { ...DEFAULT_FIELD_RULES };
  for (const [field, rule] of Object.entries(rules ?? {})) {
    if (!isMergeField(field))
      throw new MergeError('BAD_REQUEST', `no merge rule can be set for unknown field "${field}"`);
    if (!(MERGE_RULES as readonly string[]).includes(rule)) {
      throw new MergeError(
        'BAD_REQUEST',
        `unknown merge rule "${rule}" for ${field} (one of ${MERGE_RULES.join(', ')})`,
      );
    }
    if (rule === 'union' && !isTextField(field)) {
      throw new MergeError('BAD_REQUEST', `rule "union" needs a text field; ${field} is not one`);
    }
    out[field] = rule;
  }
  return out;
}

/** Checks a request's field choices against its participants; throws BAD_REQUEST. */
export function validateFieldChoices(choices: FieldChoices, participants: readonly number[]): void {
  for (const [field, contactId] of Object.entries(choices)) {
    if (field === 'external_id') {
      throw new MergeError(
        'BAD_REQUEST',
        'external_id cannot be chosen: it is unique, each tombstone keeps its own',
      );
    }
    const attrKey = field.startsWith('attributes.') ? field.slice('attributes.'.length) : undefined;
    if (!isMergeField(field) && !attrKey) {
      throw new MergeError(
        'BAD_REQUEST',
        `field choice for unknown field "${field}" (one of ${MERGE_FIELDS.join(', ')} or attributes.<key>)`,
      );
    }
    if (!Number.isSafeInteger(contactId) || !participants.includes(contactId)) {
      throw new MergeError(
        'BAD_REQUEST',
        `field choice ${field}=${contactId}: contact ${contactId} is not part of this merge`,
      );
    }
  }
}

/** Picks the record whose value wins under `rule` among records with a non-empty value (survivor first). */
function pickByRule(
  field: string,
  rule: MergeRule,
  candidates: readonly ContactRecord[],
): ContactRecord | undefined {
  const value = (r: ContactRecord) => r[field as MergeField];
  switch (rule) {
    case 'survivor_else_first_non_empty':
    case 'union':
      return candidates[0];
    case 'most_recent':
      // Stable: on equal updated_at the earlier candidate (survivor first) wins.
      return candidates.reduce<ContactRecord | undefined>(
        (best, r) => (best === undefined || timeOf(r.updated_at) > timeOf(best.updated_at) ? r : best),
        undefined,
      );
    case 'longest':
      return candidates.reduce<ContactRecord | undefined>(
        (best, r) =>
          best === undefined || String(value(r)).trim().length > String(value(best)).trim().length ? r : best,
        undefined,
      );
    case 'most_frequent': {
      const counts = new Map<string, number>();
      for (const r of candidates) {
        const key = normalizeValue(field, value(r));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return candidates.reduce<ContactRecord | undefined>((best, r) => {
        if (best === undefined) return r;
        const c = counts.get(normalizeValue(field, value(r))) ?? 0;
        return c > (counts.get(normalizeValue(field, value(best))) ?? 0) ? r : best;
      }, undefined);
    }
  }
}

export function planMerge(input: MergePlanInput): MergePlan {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const ordered: ContactRecord[] = [];
  for (const id of [input.survivorId, ...input.loserIds]) {
    const record = byId.get(id);
    if (!record)
      throw new MergeError('CONTACT_NOT_FOUND', `contact ${id} is not among the records of this merge`);
    if (!ordered.includes(record)) ordered.push(record);
  }
  const survivor = ordered[0]!;
  const rules = resolveRules(input.rules);
  const choices = { ...(input.fieldChoices ?? {}) };
  validateFieldChoices(
    choices,
    ordered.map((r) => r.id),
  );

  const values = {} as SurvivorValues;
  const conflicts: FieldConflict[] = [];
  const secondaries = new Map<string, unknown[]>();

  for (const field of MERGE_FIELDS) {
    const candidates = ordered.filter((r) => !isEmpty(r[field]));
    const distinct = new Set(candidates.map((r) => normalizeValue(field, r[field])));
    const choice = choices[field];
    const from = choice !== undefined ? byId.get(choice) : pickByRule(field, rules[field], candidates);
    values[field] = from ? from[field] : null;
    if (distinct.size > 1) {
      conflicts.push({
        kind: 'field',
        field,
        values: Object.fromEntries(candidates.map((r) => [String(r.id), r[field]])),
        chosen: values[field],
        chosenFrom: from?.id ?? null,
        rule: choice !== undefined ? 'field_choice' : rules[field],
      });
    }
    if (rules[field] === 'union' && isTextField(field)) {
      const primary = isEmpty(values[field]) ? undefined : normalizeValue(field, values[field]);
      secondaries.set(
        SECONDARY_KEYS[field],
        candidates.map((r) => r[field]).filter((v) => normalizeValue(field, v) !== primary),
      );
    }
  }

  const attrs = mergeAttributes(ordered, choices, secondaries, values);
  values.attributes = attrs.attributes;
  conflicts.push(...attrs.conflicts);

  const changes: FieldChange[] = [];
  for (const field of [...MERGE_FIELDS, 'attributes'] as const) {
    if (stableJson(survivor[field]) !== stableJson(values[field])) {
      changes.push({ field, from: survivor[field], to: values[field] });
    }
  }
  const loserIds = ordered.slice(1).map((r) => r.id);
  return {
    survivorId: survivor.id,
    loserIds,
    values,
    changes,
    conflicts,
    rules,
    fieldChoices: choices,
    actions: { updateSurvivor: changes.length > 0, tombstone: loserIds },
  };
}
