import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import { inPoolTransaction } from '../db/connection.js';
import { copyRows } from '../db/copy.js';
import { projectRoot } from '../paths.js';

/**
 * The public labelled datasets in ../shared/datasets, loaded into the contacts table with their
 * ground truth in seed_truth, so a run over them is scored like a run over seeded data.
 */
export interface DatasetSpec {
  name: string;
  file: string;
  profile: string;
  /** Dataset column → contact column; other columns go into attributes under their own name. */
  columns: Record<string, string>;
  /** The truth entity of a row. */
  entity(row: Record<string, string>): string;
  /** The row's own id (external_id). */
  id(row: Record<string, string>): string;
}

export const DATASETS: DatasetSpec[] = [
  ...['febrl_dataset1', 'febrl_dataset2'].map((name) => ({
    name,
    file: `${name}.csv`,
    profile: 'febrl.json',
    columns: { given_name: 'first_name', surname: 'last_name', postcode: 'postcode' },
    entity: (r: Record<string, string>) => /^rec-(\d+)-/.exec(r.rec_id ?? '')?.[1] ?? (r.rec_id as string),
    id: (r: Record<string, string>) => r.rec_id as string,
  })),
  {
    name: 'dava',
    file: 'dava_patients_with_duplicates.csv',
    profile: 'dava.json',
    columns: {
      first_name: 'first_name',
      last_name: 'last_name',
      city: 'city',
      phone_number: 'phone',
      email: 'email',
    },
    entity: (r) => (r.original_record_id ? r.original_record_id : (r.record_id as string)),
    id: (r) => r.record_id as string,
  },
  {
    name: 'splink_fake_1000',
    file: 'splink_fake_1000.csv',
    profile: 'splink_fake_1000.json',
    columns: { first_name: 'first_name', surname: 'last_name', city: 'city', email: 'email' },
    entity: (r) => r.cluster as string,
    id: (r) => r.unique_id as string,
  },
];

/** `../shared/datasets` beside the project root (used by path, never copied in). */
export const DATASETS_DIR = join(projectRoot(), '..', 'shared', 'datasets');
export const PROFILES_DIR = join(projectRoot(), 'profiles');

/** Loads a dataset into an empty CRM: contacts (ids 1..n) and seed_truth. Returns the row count. */
export async function loadDataset(pool: pg.Pool, spec: DatasetSpec, dir: string): Promise<number> {
  const rows = parse(readFileSync(join(dir, spec.file)), {
    columns: (h: string[]) => h.map((c) => c.trim()),
    trim: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const entities = new Map<string, number>();
  await inPoolTransaction(pool, async (client) => {
    await copyRows(
      client,
      'contacts',
      ['id', 'external_id', 'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'attributes'],
      rows.entries(),
      ([i, r]) => {
        const contact: Record<string, string | null> = {};
        const attributes: Record<string, string> = {};
        for (const [col, value] of Object.entries(r)) {
          const target = spec.columns[col];
          if (target) contact[target] = value === '' ? null : value;
          else if (value !== '') attributes[col] = value;
        }
        return [
          i + 1,
          spec.id(r),
          contact.first_name,
          contact.last_name,
          contact.email,
          contact.phone,
          contact.city,
          contact.postcode,
          attributes,
        ];
      },
    );
    await copyRows(client, 'seed_truth', ['contact_id', 'entity_id', 'variant'], rows.entries(), ([i, r]) => {
      const key = spec.entity(r);
      if (!entities.has(key)) entities.set(key, entities.size + 1);
      return [i + 1, entities.get(key), 'dataset'];
    });
    await client.query(`SELECT setval(pg_get_serial_sequence('contacts', 'id'), $1)`, [rows.length]);
  });
  return rows.length;
}
