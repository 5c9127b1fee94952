/**
 * Blocking-key parts: `ref` or `fn(ref)`, where ref is a profile field name, a contact column or
 * `attributes.<key>`, and fn derives something coarser from the normalized value:
 *   metaphone  double-metaphone codes (both, so either code shared puts two records together)
 *   initial    first character
 *   prefixN    first N characters, spaces ignored (N = 1..12)
 *   tailN      last N digits (phones: the subscriber number, whatever the country/trunk prefix)
 *   local      local part of an email; domain: its domain
 *   year       year of a date
 *   tokens     every word of 2+ characters (one key per word)
 *   nospace    the value with spaces removed ("jac ob" = "jacob")
 *   sorted     words sorted ("smith john" = "john smith")
 */

export const PART_FUNCTIONS = [
  'metaphone',
  'initial',
  'prefix',
  'tail',
  'local',
  'domain',
  'year',
  'tokens',
  'nospace',
  'sorted',
] as const;
export type PartFunction = (typeof PART_FUNCTIONS)[number];

/** Functions that take a length suffix (prefix3, tail7). */
const SIZED: ReadonlySet<PartFunction> = new Set(['prefix', 'tail']);

export interface ParsedPart {
  fn: PartFunction | null;
  /** Length for prefixN / tailN; 0 otherwise. */
  n: number;
  ref: string;
}

const PART = /^(?:([a-z]+?)(\d{1,2})?\(([^()\s,|]+)\)|([^()\s,|]+))$/;

/** Parses one part, or returns an error message. */
export function parsePart(text: string): ParsedPart | string {
  const m = PART.exec(text);
  if (!m) return `"${text}" is not a blocking part (expected ref or fn(ref))`;
  if (m[4] !== undefined) return { fn: null, n: 0, ref: m[4] };
  const name = m[1]!;
  const size = m[2];
  if (!(PART_FUNCTIONS as readonly string[]).includes(name)) {
    return `unknown function "${name}" in "${text}" (known: ${PART_FUNCTIONS.join(', ')})`;
  }
  const fn = name as PartFunction;
  if (SIZED.has(fn)) {
    const n = size === undefined ? 0 : Number(size);
    if (!(n >= 1 && n <= 12)) return `"${text}": ${fn} needs a length 1..12, e.g. ${fn}3(${m[3]})`;
    return { fn, n, ref: m[3]! };
  }
  if (size !== undefined) return `"${text}": ${fn} takes no length`;
  return { fn, n: 0, ref: m[3]! };
}
