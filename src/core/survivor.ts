/**
 * Which contact of a cluster survives a merge (the others are merged into it).
 * - most_complete_then_oldest (default): most non-empty fields among the given list, then the
 *   earliest created_at, then the lowest id;
 * - oldest: earliest created_at, then lowest id;
 * - newest: latest updated_at, then lowest id;
 * - lowest_id.
 * Every rule ends on the id, so the choice never depends on the order records arrive in.
 */
export const SURVIVOR_RULES = ['most_complete_then_oldest', 'oldest', 'newest', 'lowest_id'] as const;
export type SurvivorRule = (typeof SURVIVOR_RULES)[number];

export interface SurvivorRecord {
  id: number;
  created_at: Date | string;
  updated_at: Date | string;
  [field: string]: unknown;
}

/** Reserved keys never counted as content when no field list is given. */
const META_FIELDS = new Set(['id', 'created_at', 'updated_at']);

/** Empty: null/undefined, blank strings, NaN, empty arrays and objects. false and 0 are values. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function countNonEmpty(record: SurvivorRecord, fields?: readonly string[]): number {
  const keys = fields ?? Object.keys(record).filter((k) => !META_FIELDS.has(k));
  let n = 0;
  for (const key of keys) if (!isEmptyValue(record[key])) n++;
  return n;
}

/** Milliseconds since the epoch; NaN when unreadable. */
function time(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

/** Earlier first; an unreadable time loses to any readable one. */
function compareEarlier(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  return x - y;
}

interface Ranked<T> {
  record: T;
  complete: number;
  created: number;
  updated: number;
}

/** < 0 when x should survive rather than y. */
function compareRanked<T extends SurvivorRecord>(rule: SurvivorRule, x: Ranked<T>, y: Ranked<T>): number {
  let c = 0;
  switch (rule) {
    case 'most_complete_then_oldest':
      c = y.complete - x.complete || compareEarlier(x.created, y.created);
      break;
    case 'oldest':
      c = compareEarlier(x.created, y.created);
      break;
    case 'newest':
      // Latest first: negate the times, so an unreadable one still loses.
      c = compareEarlier(-x.updated, -y.updated);
      break;
    case 'lowest_id':
      break;
  }
  return c || x.record.id - y.record.id;
}

/**
 * The survivor of `records` under `rule`. `fields` is the list whose non-empty values count for
 * completeness (default: every key but id, created_at and updated_at).
 */
export function chooseSurvivor<T extends SurvivorRecord>(
  records: readonly T[],
  rule: SurvivorRule = 'most_complete_then_oldest',
  fields?: readonly string[],
): T {
  if (records.length === 0) throw new RangeError('chooseSurvivor needs at least one record');
  if (!SURVIVOR_RULES.includes(rule)) throw new RangeError(`unknown survivor rule ${String(rule)}`);
  let best: Ranked<T> | undefined;
  for (const record of records) {
    if (!Number.isFinite(record.id)) throw new RangeError(`record id ${record.id} is not a number`);
    const ranked: Ranked<T> = {
      record,
      complete: rule === 'most_complete_then_oldest' ? countNonEmpty(record, fields) : 0,
      created: time(record.created_at),
      updated: time(record.updated_at),
    };
    if (best === undefined || compareRanked(rule, ranked, best) < 0) best = ranked;
  }
  return best!.record;
}
