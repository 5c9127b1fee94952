import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { expect } from 'vitest';
import { createMergeRequest, executeMerge } from '../../src/db/merge/index.js';
import type { Database } from '../../src/db/schema.js';

/** Small CRM fixtures for the merge tests, written directly (no dependency on the seeder). */

export type Db = Kysely<Database>;

export interface ContactSpec {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  city?: string | null;
  attributes?: Record<string, unknown>;
  updated_at?: string;
  external_id?: string | null;
}

export async function ensureUsersAndLists(db: Db, users = 6, lists = 6): Promise<void> {
  const have = await db
    .selectFrom('users')
    .select(db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(have.n) > 0) return;
  await db
    .insertInto('users')
    .values(Array.from({ length: users }, (_, i) => ({ id: i + 1, name: `user ${i + 1}` })))
    .execute();
  await db
    .insertInto('lists')
    .values(Array.from({ length: lists }, (_, i) => ({ id: i + 1, name: `list ${i + 1}` })))
    .execute();
}

/** Fixture timestamps are fixed so that two builds of the same scenario are identical. */
const FIXED_TIME = '2025-01-01T00:00:00Z';

export async function contact(db: Db, spec: ContactSpec = {}): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({
      first_name: spec.first_name ?? 'Ann',
      last_name: spec.last_name ?? 'Lee',
      email: spec.email === undefined ? null : spec.email,
      phone: spec.phone ?? null,
      company: spec.company ?? null,
      city: spec.city ?? null,
      external_id: spec.external_id ?? null,
      attributes: JSON.stringify(spec.attributes ?? {}),
      created_at: FIXED_TIME,
      updated_at: spec.updated_at ?? FIXED_TIME,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface RelatedSpec {
  activities?: number;
  /** Activities with these external message ids (same id on two contacts = same e-mail). */
  messages?: string[];
  /** Activities identified by kind + time + subject. */
  events?: { kind: 'call' | 'meeting'; at: string; subject: string }[];
  notes?: number;
  opportunities?: number;
  tickets?: number;
  owners?: number[];
  lists?: number[];
}

export async function related(db: Db, contactId: number, spec: RelatedSpec): Promise<void> {
  const acts = [
    ...Array.from({ length: spec.activities ?? 0 }, (_, i) => ({
      contact_id: contactId,
      kind: 'note' as const,
      occurred_at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      subject: `note ${contactId}/${i}`,
    })),
    ...(spec.messages ?? []).map((m) => ({
      contact_id: contactId,
      kind: 'email' as const,
      occurred_at: '2025-02-01T10:00:00Z',
      subject: `mail ${m}`,
      external_message_id: m,
    })),
    ...(spec.events ?? []).map((e) => ({
      contact_id: contactId,
      kind: e.kind,
      occurred_at: e.at,
      subject: e.subject,
    })),
  ];
  if (acts.length > 0) await db.insertInto('activities').values(acts).execute();
  const n = (k: number | undefined) => Array.from({ length: k ?? 0 }, (_, i) => i);
  if (spec.notes)
    await db
      .insertInto('notes')
      .values(
        n(spec.notes).map((i) => ({ contact_id: contactId, body: `note ${i}`, created_at: FIXED_TIME })),
      )
      .execute();
  if (spec.opportunities) {
    await db
      .insertInto('opportunities')
      .values(
        n(spec.opportunities).map((i) => ({
          contact_id: contactId,
          name: `deal ${i}`,
          amount: '10.50',
          stage: 'open' as const,
          created_at: FIXED_TIME,
        })),
      )
      .execute();
  }
  if (spec.tickets) {
    await db
      .insertInto('tickets')
      .values(
        n(spec.tickets).map((i) => ({
          contact_id: contactId,
          subject: `ticket ${i}`,
          status: 'open' as const,
          created_at: FIXED_TIME,
        })),
      )
      .execute();
  }
  if (spec.owners?.length) {
    await db
      .insertInto('contact_owners')
      .values(
        spec.owners.map((u, i) => ({
          contact_id: contactId,
          user_id: u,
          role: i === 0 ? 'owner' : 'viewer',
          created_at: FIXED_TIME,
        })),
      )
      .execute();
  }
  if (spec.lists?.length) {
    await db
      .insertInto('list_memberships')
      .values(spec.lists.map((l) => ({ contact_id: contactId, list_id: l, added_at: FIXED_TIME })))
      .execute();
  }
}

/** The reference CRM's tables with a foreign key to contacts. */
export const CONTACT_REF_TABLES = [
  'activities',
  'notes',
  'opportunities',
  'tickets',
  'contact_owners',
  'list_memberships',
] as const;
export const CRM_TABLES = ['contacts', ...CONTACT_REF_TABLES] as const;
const ORDER: Record<string, string> = {
  contact_owners: 'contact_id, user_id',
  list_memberships: 'contact_id, list_id',
};

/** Every CRM table, row for row, as JSON text (exact: timestamps to the microsecond). */
export async function dumpCrm(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of CRM_TABLES) {
    const { rows } = await sql<{
      r: string;
    }>`SELECT to_jsonb(t)::text AS r FROM ${sql.table(t)} t ORDER BY ${sql.raw(ORDER[t] ?? 'id')}`.execute(
      db,
    );
    out[t] = rows.map((r) => r.r);
  }
  return out;
}

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of CRM_TABLES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db);
    out[t] = rows[0]!.n;
  }
  return out;
}

/** No row of any table referencing contacts points at a merged (tombstoned) contact. */
export async function expectNoRowOnTombstone(db: Db): Promise<void> {
  for (const t of CONTACT_REF_TABLES) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(t)} x JOIN contacts c ON c.id = x.contact_id
       WHERE c.merged_into IS NOT NULL`.execute(db);
    expect({ table: t, n: rows[0]!.n }).toEqual({ table: t, n: 0 });
  }
}

/** The live contact each contact resolves to (following merged_into), from one query. */
export async function rootsOf(db: Db): Promise<Map<number, number>> {
  const rows = await db.selectFrom('contacts').select(['id', 'merged_into']).execute();
  const next = new Map(
    rows.map((r) => [Number(r.id), r.merged_into === null ? null : Number(r.merged_into)]),
  );
  const roots = new Map<number, number>();
  for (const id of next.keys()) {
    let cur = id;
    for (let hops = 0; next.get(cur) !== null && hops < 1000; hops++) cur = next.get(cur)!;
    roots.set(id, cur);
  }
  return roots;
}

export async function pairs(
  db: Db,
  table: 'contact_owners' | 'list_memberships',
): Promise<[number, number][]> {
  const col = table === 'contact_owners' ? 'user_id' : 'list_id';
  const { rows } = await sql<{
    c: number;
    o: number;
  }>`SELECT contact_id AS c, ${sql.ref(col)} AS o FROM ${sql.table(table)}`.execute(db);
  return rows.map((r) => [Number(r.c), Number(r.o)]);
}

/** Empties the CRM and the merge audit, then puts back the users and lists every scenario uses. */
export async function resetCrm(db: Db): Promise<void> {
  await sql`TRUNCATE merge_journal_entries, merges, activities, notes, opportunities, tickets, contact_owners, list_memberships, contacts RESTART IDENTITY CASCADE`.execute(
    db,
  );
  await ensureUsersAndLists(db);
}

/** Asks for a merge and runs it now; returns its id (the merge must complete). */
export async function mergeNow(
  db: Db,
  pool: pg.Pool,
  survivorId: number,
  duplicateIds: number[],
): Promise<number> {
  const { id } = await createMergeRequest(db, {
    survivorId,
    duplicateIds,
    source: 'cli',
    requestedBy: 'test',
  });
  const out = await executeMerge(pool, id);
  expect(out.status, out.reason).toBe('completed');
  return id;
}
