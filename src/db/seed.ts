import type pg from 'pg';
import { CONTACT_DATA_COLUMNS } from '../core/contact-columns.js';
import {
  generateCrm,
  type SyntheticBatch,
  type SyntheticOptions,
  syntheticLists,
  syntheticUsers,
} from '../core/synthetic/index.js';
import { copyRows } from './copy.js';

export interface SeedOptions {
  contacts: number;
  duplicateRate: number;
  activitiesPerContact: number;
  seed: number;
}

export interface SeedResult {
  contacts: number;
  firstContactId: number;
  rows: Record<string, number>;
}

const CONTACT_COLUMNS = [
  'id',
  ...CONTACT_DATA_COLUMNS,
  'attributes',
  'owner_id',
  'created_at',
  'updated_at',
] as const;

/** Users and lists sized to the seed; inserted once, shared by later seeds. */
function poolSizes(contacts: number) {
  return {
    users: Math.max(20, Math.min(5000, Math.ceil(contacts / 500))),
    lists: Math.max(10, Math.min(500, Math.ceil(contacts / 5000))),
  };
}

async function ensureUsersAndLists(
  client: pg.PoolClient,
  sizes: { users: number; lists: number },
  seed: number,
) {
  const { rows } = await client.query<{ users: number; lists: number }>(
    'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM lists)::int AS lists',
  );
  const have = rows[0] ?? { users: 0, lists: 0 };
  if (have.users < sizes.users) {
    const users = syntheticUsers({ users: sizes.users, seed }).filter((u) => u.id > have.users);
    await copyRows(client, 'users', ['id', 'name', 'email'], users, (u) => [u.id, u.name, u.email]);
    await client.query(`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`);
  }
  if (have.lists < sizes.lists) {
    const lists = syntheticLists({ lists: sizes.lists, seed }).filter((l) => l.id > have.lists);
    await copyRows(client, 'lists', ['id', 'name'], lists, (l) => [l.id, l.name]);
    await client.query(`SELECT setval(pg_get_serial_sequence('lists', 'id'), (SELECT max(id) FROM lists))`);
  }
}

async function copyBatch(client: pg.PoolClient, batch: SyntheticBatch, rows: Record<string, number>) {
  const add = (table: string, n: number) => {
    rows[table] = (rows[table] ?? 0) + n;
  };
  add(
    'contacts',
    await copyRows(client, 'contacts', CONTACT_COLUMNS, batch.contacts, (c) =>
      CONTACT_COLUMNS.map((k) => c[k]),
    ),
  );
  add(
    'seed_truth',
    await copyRows(client, 'seed_truth', ['contact_id', 'entity_id', 'variant'], batch.truth, (t) => [
      t.contact_id,
      t.entity_id,
      t.variant,
    ]),
  );
  add(
    'activities',
    await copyRows(
      client,
      'activities',
      ['contact_id', 'kind', 'occurred_at', 'subject', 'body', 'external_message_id'],
      batch.activities,
      (a) => [a.contact_id, a.kind, a.occurred_at, a.subject, a.body, a.external_message_id],
    ),
  );
  add(
    'notes',
    await copyRows(client, 'notes', ['contact_id', 'body', 'created_at'], batch.notes, (n) => [
      n.contact_id,
      n.body,
      n.created_at,
    ]),
  );
  add(
    'opportunities',
    await copyRows(
      client,
      'opportunities',
      ['contact_id', 'name', 'amount', 'stage', 'created_at'],
      batch.opportunities,
      (o) => [o.contact_id, o.name, o.amount, o.stage, o.created_at],
    ),
  );
  add(
    'tickets',
    await copyRows(
      client,
      'tickets',
      ['contact_id', 'subject', 'status', 'created_at'],
      batch.tickets,
      (t) => [t.contact_id, t.subject, t.status, t.created_at],
    ),
  );
  add(
    'contact_owners',
    await copyRows(client, 'contact_owners', ['contact_id', 'user_id', 'role'], batch.owners, (o) => [
      o.contact_id,
      o.user_id,
      o.role,
    ]),
  );
  add(
    'list_memberships',
    await copyRows(client, 'list_memberships', ['contact_id', 'list_id'], batch.memberships, (m) => [
      m.contact_id,
      m.list_id,
    ]),
  );
}

/**
 * Streams the synthetic CRM into PostgreSQL with COPY, one transaction per batch of contacts, so
 * memory stays flat and a 1M-contact seed shows steady progress. Contact ids continue after the
 * highest existing id; the identity sequence is moved past them at the end.
 */
export async function seedCrm(
  pool: pg.Pool,
  opts: SeedOptions,
  onProgress: (contactsDone: number) => void = () => {},
): Promise<SeedResult> {
  const client = await pool.connect();
  try {
    const sizes = poolSizes(opts.contacts);
    await ensureUsersAndLists(client, sizes, opts.seed);
    // Serialize concurrent seeds: ids are assigned here, not by the sequence.
    await client.query('SELECT pg_advisory_lock(7240001)');
    const { rows: maxRows } = await client.query<{ max: number }>(
      'SELECT coalesce(max(id), 0)::bigint AS max FROM contacts',
    );
    const firstContactId = Number(maxRows[0]?.max ?? 0) + 1;
    const synthetic: SyntheticOptions = {
      ...opts,
      firstContactId,
      users: sizes.users,
      lists: sizes.lists,
      batchSize: 10_000,
    };
    const rows: Record<string, number> = {};
    let done = 0;
    for (const batch of generateCrm(synthetic)) {
      await client.query('BEGIN');
      await copyBatch(client, batch, rows);
      await client.query('COMMIT');
      done += batch.contacts.length;
      onProgress(done);
    }
    await client.query(
      `SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts))`,
    );
    await client.query(
      'ANALYZE contacts, activities, notes, opportunities, tickets, contact_owners, list_memberships',
    );
    await client.query('SELECT pg_advisory_unlock(7240001)');
    client.release();
    return { contacts: done, firstContactId, rows };
  } catch (err) {
    // Destroyed, not pooled: the connection still holds the seeding lock, which its end releases.
    client.release(true);
    throw err;
  }
}
