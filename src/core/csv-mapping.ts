import { CONTACT_DATA_COLUMNS } from './contact-columns.js';
/**
 * How the columns of a contacts CSV land in the contacts table: header names map to contact
 * columns (directly or through a short list of common aliases), `--map column=target` overrides,
 * and every other column is kept in `attributes` under its header name. Pure: no I/O.
 */

/** Contact columns a CSV column can fill, in the order `toContactRow` returns them. */
export const CONTACT_FIELDS = CONTACT_DATA_COLUMNS;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** A file must map at least one of these, or there is nothing to match contacts on. */
export const IDENTIFYING_FIELDS: readonly ContactField[] = ['first_name', 'last_name', 'email', 'phone'];

/**
 * Header spellings (after `normalizeHeader`) that mean a contact column. Deliberately short:
 * anything not listed goes to `attributes`, and `--map` covers the rest. Keys are normalized, so
 * `First Name`, `first-name` and `FIRST_NAME` all match `first_name` without an entry here.
 */
export const HEADER_ALIASES: Readonly<Record<string, ContactField>> = {
  id: 'external_id',
  record_id: 'external_id',
  rec_id: 'external_id',
  unique_id: 'external_id',
  given_name: 'first_name',
  firstname: 'first_name',
  forename: 'first_name',
  surname: 'last_name',
  lastname: 'last_name',
  family_name: 'last_name',
  e_mail: 'email',
  mail: 'email',
  email_address: 'email',
  phone_number: 'phone',
  mobile: 'phone',
  tel: 'phone',
  telephone: 'phone',
  organization: 'company',
  organisation: 'company',
  company_name: 'company',
  title: 'job_title',
  town: 'city',
  zip: 'postcode',
  zip_code: 'postcode',
  postal_code: 'postcode',
};

export type ColumnTarget =
  | { kind: 'field'; field: ContactField }
  | { kind: 'attribute'; key: string }
  | { kind: 'skip' };

/** `--map` entries keyed by normalized column name. */
export type MapOverrides = ReadonlyMap<string, { column: string; target: ColumnTarget }>;

export interface ColumnMapping {
  /** Header names as found (trimmed). */
  headers: string[];
  /** One target per column. */
  targets: ColumnTarget[];
}

/** A header or --map problem; the importer reports it against the header line. */
export class CsvMappingError extends Error {}

/** Case, surrounding spaces and runs of spaces, `-` and `_` do not matter in a header name. */
export function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

function isContactField(name: string): name is ContactField {
  return (CONTACT_FIELDS as readonly string[]).includes(name);
}

/** The contact column a header names on its own (exact or alias), if any. */
export function fieldForHeader(name: string): ContactField | undefined {
  const n = normalizeHeader(name);
  return isContactField(n) ? n : HEADER_ALIASES[n];
}

const TARGET_HELP = `use one of ${CONTACT_FIELDS.join(', ')}, attributes.<key>, or - to skip the column`;

/** One --map target: a contact column, `attributes.<key>` or `-`. */
export function parseTarget(target: string): ColumnTarget {
  const t = target.trim();
  if (t === '-') return { kind: 'skip' };
  if (t.startsWith('attributes.')) {
    const key = t.slice('attributes.'.length).trim();
    if (key === '') throw new CsvMappingError(`--map target "${t}" has no attribute key: ${TARGET_HELP}`);
    return { kind: 'attribute', key };
  }
  if (isContactField(t)) return { kind: 'field', field: t };
  throw new CsvMappingError(`unknown field "${t}" in --map: ${TARGET_HELP}`);
}

/**
 * Parses one `--map column=target,...` value, adding to `into` (so the option can repeat).
 * Column names cannot contain `,`; the first `=` separates column from target.
 */
export function parseMapOption(
  spec: string,
  into: MapOverrides = new Map(),
): Map<string, { column: string; target: ColumnTarget }> {
  const out = new Map(into);
  for (const entry of spec.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const column = eq < 0 ? '' : entry.slice(0, eq).trim();
    if (eq < 0 || column === '') {
      throw new CsvMappingError(`--map entry "${entry.trim()}" is not column=field`);
    }
    const key = normalizeHeader(column);
    if (out.has(key)) throw new CsvMappingError(`--map names column "${column}" twice`);
    out.set(key, { column, target: parseTarget(entry.slice(eq + 1)) });
  }
  return out;
}

export function describeTarget(target: ColumnTarget): string {
  if (target.kind === 'field') return target.field;
  if (target.kind === 'attribute') return `attributes.${target.key}`;
  return '- (skipped)';
}

/**
 * Decides where every column goes. Overrides win: a column auto-mapped to a field that an
 * override also claims goes to `attributes` instead. Refuses what would lose or mix data:
 * an unnamed column, two columns into one field or attribute, a --map column the header lacks,
 * and a header with no name, email or phone column.
 */
export function buildMapping(
  rawHeaders: readonly string[],
  overrides: MapOverrides = new Map(),
): ColumnMapping {
  const headers = rawHeaders.map((h) => h.trim());
  const normalized = headers.map(normalizeHeader);
  for (const [key, { column }] of overrides) {
    const hits = normalized.filter((n) => n === key).length;
    if (hits === 0) {
      throw new CsvMappingError(
        `--map names column "${column}", which is not in the header (${headers.join(', ')})`,
      );
    }
    if (hits > 1) throw new CsvMappingError(`--map column "${column}" matches ${hits} header columns`);
  }
  const claimed = new Set<ContactField>();
  for (const { target } of overrides.values()) if (target.kind === 'field') claimed.add(target.field);

  const targets = headers.map((header, i): ColumnTarget => {
    if (header === '') throw new CsvMappingError(`column ${i + 1} has an empty header name`);
    const override = overrides.get(normalized[i] ?? '');
    if (override) return override.target;
    const field = fieldForHeader(header);
    return field && !claimed.has(field) ? { kind: 'field', field } : { kind: 'attribute', key: header };
  });

  const owner = new Map<string, number>();
  targets.forEach((target, i) => {
    if (target.kind === 'skip') return;
    const slot = describeTarget(target);
    const first = owner.get(slot);
    if (first !== undefined) {
      throw new CsvMappingError(
        `columns "${headers[first]}" (${first + 1}) and "${headers[i]}" (${i + 1}) both map to ${slot}; ` +
          `choose with --map, e.g. --map "${headers[i]}=-"`,
      );
    }
    owner.set(slot, i);
  });
  if (!targets.some((t) => t.kind === 'field' && IDENTIFYING_FIELDS.includes(t.field))) {
    throw new CsvMappingError(
      `no column maps to ${IDENTIFYING_FIELDS.join(', ')} (header: ${headers.join(', ')}); ` +
        `name one with --map column=field`,
    );
  }
  return { headers, targets };
}

/** A parsed CSV line as contact values: `values` in CONTACT_FIELDS order, empty cells null. */
export interface ContactRow {
  values: (string | null)[];
  attributes: Record<string, string>;
}

/** A mapping compiled to per-column slots so that each row costs one pass and no lookups. */
export interface RowBuilder {
  (record: readonly string[]): ContactRow;
  /** Index of the column feeding external_id, or -1. */
  externalIdColumn: number;
}

export function rowBuilder(mapping: ColumnMapping): RowBuilder {
  const fieldSlot = mapping.targets.map((t) => (t.kind === 'field' ? CONTACT_FIELDS.indexOf(t.field) : -1));
  const attrKey = mapping.targets.map((t) => (t.kind === 'attribute' ? t.key : null));
  const build = (record: readonly string[]): ContactRow => {
    const values: (string | null)[] = new Array(CONTACT_FIELDS.length).fill(null);
    const attributes: Record<string, string> = {};
    for (let i = 0; i < record.length; i++) {
      const cell = record[i];
      if (cell === undefined || cell === '') continue;
      const slot = fieldSlot[i] ?? -1;
      if (slot >= 0) values[slot] = cell;
      else {
        const key = attrKey[i];
        if (key != null) attributes[key] = cell;
      }
    }
    return { values, attributes };
  };
  return Object.assign(build, { externalIdColumn: fieldSlot.indexOf(CONTACT_FIELDS.indexOf('external_id')) });
}

/** Convenience for one-off rows (tests, error reports); use `rowBuilder` in loops. */
export function toContactRow(mapping: ColumnMapping, record: readonly string[]): ContactRow {
  return rowBuilder(mapping)(record);
}
