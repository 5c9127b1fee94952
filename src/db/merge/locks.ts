import type pg from 'pg';
import { MergeError } from '../../core/merge/errors.js';
import { bigintArray, translatePgError } from './pg.js';

/**
 * Merges on the same contacts never interleave: every merge (and undo) holds a session-level
 * advisory lock per contact it touches for its whole duration, across its many short chunk
 * transactions. Locks are always taken in ascending key order, so two engines cannot deadlock; a
 * crashed engine's connection drops and the server releases its locks.
 *
 * Keys live in their own range (0x4D45 << 48 + contact id) so they cannot collide with other
 * advisory locks of the application (kysely's migration lock among them).
 */
const KEY_BASE = 0x4d45n << 48n;

export function contactLockKey(contactId: number): string {
  return (KEY_BASE + BigInt(contactId)).toString();
}

function sortedKeys(contactIds: Iterable<number>): string[] {
  return [...new Set(contactIds)].sort((a, b) => a - b).map(contactLockKey);
}

/** Waits (up to lockTimeoutMs) for every lock; on timeout releases what it got and throws LOCK_TIMEOUT. */
export async function lockContacts(
  client: pg.PoolClient,
  contactIds: Iterable<number>,
  lockTimeoutMs: number,
): Promise<void> {
  const keys = sortedKeys(contactIds);
  if (keys.length === 0) return;
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.trunc(lockTimeoutMs))}`);
    // Session locks survive the COMMIT; the subquery's order is the order they are taken in.
    await client.query(
      'SELECT count(pg_advisory_lock(k)) FROM (SELECT unnest($1::bigint[]) AS k ORDER BY 1) s',
      [keys],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    // Locks granted before the timeout are kept by the session even though the transaction aborted.
    await unlockContacts(client, contactIds).catch(() => {});
    const e = translatePgError(err);
    if (e instanceof MergeError && e.code === 'LOCK_TIMEOUT') {
      throw new MergeError('LOCK_TIMEOUT', 'another merge holds some of these contacts; try again later', {
        cause: err,
      });
    }
    throw e;
  }
}

/** Takes the locks that are free right now, never waiting. Returns the contact ids locked. */
export async function tryLockContacts(
  client: pg.PoolClient,
  contactIds: Iterable<number>,
): Promise<Set<number>> {
  const ids = [...new Set(contactIds)].sort((a, b) => a - b);
  if (ids.length === 0) return new Set();
  // One row back, the ids NOT locked (usually none), rather than a row per contact.
  const { rows } = await client.query<{ busy: number[] }>(
    `SELECT coalesce(array_agg(id) FILTER (WHERE NOT ok), '{}') AS busy
       FROM (SELECT id, pg_try_advisory_lock($2::bigint + id) AS ok
               FROM (SELECT unnest($1::bigint[]) AS id ORDER BY 1) s) t`,
    [bigintArray(ids), KEY_BASE.toString()],
  );
  const busy = new Set(rows[0]?.busy ?? []);
  return new Set(ids.filter((id) => !busy.has(id)));
}

export async function unlockContacts(client: pg.PoolClient, contactIds: Iterable<number>): Promise<void> {
  const keys = sortedKeys(contactIds);
  if (keys.length === 0) return;
  await client.query('SELECT count(pg_advisory_unlock(k)) FROM unnest($1::bigint[]) AS k', [keys]);
}

export async function unlockAll(client: pg.PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_unlock_all()');
}
