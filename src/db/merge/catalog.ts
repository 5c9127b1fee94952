import { MergeError } from '../../core/merge/errors.js';
import { type Queryable, quoteIdent } from './pg.js';

/**
 * Which rows a merge must re-point, found in the catalog rather than hard-coded: every table with
 * a foreign key to contacts.id (the contacts.merged_into self-reference and the service's own
 * tables excluded), plus tables named in configuration (a contact column without a foreign key).
 * For each: the key that identifies a row (journal, undo), and the unique keys that include the
 * contact column (a loser's row may collide with the survivor's: handled by the table's policy).
 */

/** keep_survivor: the survivor's row stays, the loser's is set aside; keep_loser: the other way round. */
export type UniquePolicy = 'keep_survivor' | 'keep_loser';

export interface UniqueKey {
  /** The key's columns other than the contact column (empty: one row per contact). */
  others: string[];
  nullsNotDistinct: boolean;
}

export interface RepointTarget {
  /** Name in journals and counts: the table, or table.column when a table has several contact columns. */
  label: string;
  /** Table name as written in journal rows (schema-qualified outside the search path). */
  table: string;
  column: string;
  /** Quoted, schema-qualified relation for SQL text. */
  relation: string;
  /** Columns identifying a row, with their SQL types (for casts out of the journal's jsonb). */
  key: { name: string; type: string }[];
  uniqueKeys: UniqueKey[];
  /** Columns a set-aside row is re-inserted with on undo (generated columns left out). */
  insertColumns: string[];
  policy: UniquePolicy;
}

/** A table named in config: "table.column" or "schema.table.column", or the parts. */
export type ExtraTarget = string | { table: string; column: string };

/** The service's own tables: they reference contacts for bookkeeping and must never be re-pointed. */
export const SERVICE_TABLES = [
  'merges',
  'merge_journal',
  'merge_journal_entries',
  'dedupe_runs',
  'run_tasks',
  'blocking_keys',
  'pairs',
  'clusters',
  'cluster_members',
  'seed_truth',
];

export interface DiscoverOptions {
  extraTargets?: readonly ExtraTarget[] | undefined;
  excludeTables?: readonly string[] | undefined;
  uniquePolicies?: Readonly<Record<string, UniquePolicy>> | undefined;
}

interface RelColumn {
  oid: number;
  schema: string;
  table: string;
  column: string;
  visible: boolean;
}

function parseExtra(extra: ExtraTarget): { table: string; column: string } {
  if (typeof extra !== 'string') return extra;
  const i = extra.lastIndexOf('.');
  if (i <= 0)
    throw new MergeError('BAD_REQUEST', `extra merge table "${extra}" must be written table.column`);
  return { table: extra.slice(0, i), column: extra.slice(i + 1) };
}

async function foreignKeyColumns(q: Queryable): Promise<RelColumn[]> {
  const { rows } = await q.query<RelColumn>(
    `SELECT r.oid::int AS oid, n.nspname AS schema, r.relname AS table, a.attname AS column,
            pg_table_is_visible(r.oid) AS visible
       FROM pg_constraint c
       JOIN pg_class r ON r.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = r.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = 'contacts'::regclass AND cardinality(c.conkey) = 1
        -- Only references to contacts.id: a key on another column (external_id) names the record,
        -- not the person, and each tombstone keeps its own.
        AND c.confkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'contacts'::regclass AND attname = 'id')
        AND NOT (c.conrelid = 'contacts'::regclass AND a.attname = 'merged_into')
      ORDER BY n.nspname, r.relname, a.attname`,
  );
  return rows;
}

async function extraColumn(q: Queryable, extra: ExtraTarget): Promise<RelColumn> {
  const { table, column } = parseExtra(extra);
  const { rows } = await q.query<RelColumn>(
    `SELECT r.oid::int AS oid, n.nspname AS schema, r.relname AS table, a.attname AS column,
            pg_table_is_visible(r.oid) AS visible
       FROM pg_class r
       JOIN pg_namespace n ON n.oid = r.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = r.oid AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      WHERE r.oid = to_regclass($1)`,
    [table, column],
  );
  const row = rows[0];
  if (!row) throw new MergeError('UNSUPPORTED_TABLE', `extra merge table "${table}" does not exist`);
  if (!row.column)
    throw new MergeError('UNSUPPORTED_TABLE', `extra merge table "${table}" has no column "${column}"`);
  return row;
}

interface IndexRow {
  primary: boolean;
  columns: string[];
  not_null: boolean;
  complex: boolean;
  definition: string;
  nulls_not_distinct: boolean;
}

async function describe(q: Queryable, rel: RelColumn, nullsNotDistinctExpr: string) {
  const { rows: indexes } = await q.query<IndexRow>(
    `SELECT i.indisprimary AS primary,
            array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k(attnum)
                          LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE a.attnum IS NULL OR NOT a.attnotnull) AS not_null,
            (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL) AS complex,
            pg_get_indexdef(i.indexrelid) AS definition,
            ${nullsNotDistinctExpr} AS nulls_not_distinct
       FROM pg_index i
      WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid
      ORDER BY i.indisprimary DESC, i.indexrelid`,
    [rel.oid],
  );
  const { rows: cols } = await q.query<{ name: string; type: string; generated: boolean }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attgenerated <> '' AS generated
       FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [rel.oid],
  );
  return { indexes, cols };
}

export async function discoverTargets(q: Queryable, opts: DiscoverOptions = {}): Promise<RepointTarget[]> {
  const exclude = new Set([...SERVICE_TABLES, ...(opts.excludeTables ?? [])]);
  const found = (await foreignKeyColumns(q)).filter(
    (r) => !exclude.has(r.table) && !exclude.has(`${r.schema}.${r.table}`),
  );
  for (const extra of opts.extraTargets ?? []) {
    const rel = await extraColumn(q, extra);
    if (!found.some((f) => f.oid === rel.oid && f.column === rel.column)) found.push(rel);
  }
  const { rows: ver } = await q.query<{ v: number }>(
    `SELECT current_setting('server_version_num')::int AS v`,
  );
  const nnd = (ver[0]?.v ?? 0) >= 150000 ? 'i.indnullsnotdistinct' : 'false';
  const targets: RepointTarget[] = [];
  for (const rel of found) {
    const table = rel.visible ? rel.table : `${rel.schema}.${rel.table}`;
    const { indexes, cols } = await describe(q, rel, nnd);
    const typeOf = new Map(cols.map((c) => [c.name, c.type]));
    const keyIndex = indexes.find((i) => i.primary) ?? indexes.find((i) => !i.complex && i.not_null);
    if (!keyIndex) {
      throw new MergeError(
        'UNSUPPORTED_TABLE',
        `table ${table} has no primary key (nor a non-null unique key): its rows cannot be journalled`,
      );
    }
    const uniqueKeys: UniqueKey[] = [];
    for (const idx of indexes) {
      if (idx.complex) {
        if (new RegExp(`\\b${rel.column}\\b`).test(idx.definition)) {
          throw new MergeError(
            'UNSUPPORTED_TABLE',
            `table ${table}: partial or expression unique index on the contact column is not supported (${idx.definition})`,
          );
        }
        continue;
      }
      if (!idx.columns.includes(rel.column)) continue;
      uniqueKeys.push({
        others: idx.columns.filter((c) => c !== rel.column),
        nullsNotDistinct: idx.nulls_not_distinct,
      });
    }
    const label = found.filter((f) => f.oid === rel.oid).length > 1 ? `${table}.${rel.column}` : table;
    targets.push({
      label,
      table,
      column: rel.column,
      relation: rel.visible ? quoteIdent(rel.table) : `${quoteIdent(rel.schema)}.${quoteIdent(rel.table)}`,
      key: keyIndex.columns.map((name) => ({ name, type: typeOf.get(name) ?? 'text' })),
      uniqueKeys,
      insertColumns: cols.filter((c) => !c.generated).map((c) => c.name),
      policy: opts.uniquePolicies?.[label] ?? opts.uniquePolicies?.[table] ?? 'keep_survivor',
    });
  }
  for (const name of Object.keys(opts.uniquePolicies ?? {})) {
    if (!targets.some((t) => t.label === name || t.table === name))
      throw new MergeError(
        'UNSUPPORTED_TABLE',
        `a unique-key policy names ${name}, which is not a table that merges re-point (DEDUPE_MERGE_UNIQUE_POLICIES)`,
      );
  }
  return targets;
}
