import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { MergeError } from '../../core/merge/errors.js';

/**
 * The small surface the merge engine needs from a connection: a parameterized query. Adapters for a
 * pg client/pool and for kysely, so the read-only helpers (dry run, resolve) take either.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export function fromPg(client: pg.Pool | pg.PoolClient | pg.Client): Queryable {
  return {
    async query<R>(text: string, params?: readonly unknown[]) {
      const r = await client.query(text, params as unknown[] | undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

export function fromKysely(db: Kysely<unknown>): Queryable {
  return {
    async query<R>(text: string, params?: readonly unknown[]) {
      const r = await db.executeQuery<R>(CompiledQuery.raw(text, [...(params ?? [])]));
      return { rows: r.rows as R[], rowCount: Number(r.numAffectedRows ?? r.rows.length) };
    },
  };
}

/**
 * A bigint[] parameter as its text literal, built once per wave: node-pg would otherwise escape
 * every element of every array again for each of the wave's statements.
 */
export function bigintArray(ids: readonly number[]): string {
  return `{${ids.join(',')}}`;
}

/** A double-quoted SQL identifier. Table and column names come from the catalog or from config. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface Timeouts {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

/** SQLSTATEs and socket errors that say "try again later", mapped to the engine's error codes. */
export function translatePgError(err: unknown): unknown {
  if (err instanceof MergeError) return err;
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  switch (e?.code) {
    case '55P03':
      return new MergeError('LOCK_TIMEOUT', `lock not granted in time: ${msg}`, { cause: err });
    case '57014':
      return new MergeError('STATEMENT_TIMEOUT', `statement timed out: ${msg}`, { cause: err });
    case '40P01':
    case '40001':
    case '23505':
      return new MergeError('CONCURRENT_CHANGE', `concurrent change: ${msg}`, { cause: err });
    case '57P01':
    case '57P02':
    case '57P03':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
      return new MergeError('DATABASE_UNAVAILABLE', `database connection lost: ${msg}`, { cause: err });
  }
  if (typeof e?.code === 'string' && e.code.startsWith('08')) {
    return new MergeError('DATABASE_UNAVAILABLE', `database connection lost: ${msg}`, { cause: err });
  }
  if (/Connection terminated|Client has encountered a connection error|not queryable/i.test(msg)) {
    return new MergeError('DATABASE_UNAVAILABLE', `database connection lost: ${msg}`, { cause: err });
  }
  return err;
}

/**
 * One short transaction with `SET LOCAL lock_timeout` and `statement_timeout`. On any error the
 * transaction is rolled back (the caller then drops the connection, like a crash would).
 */
export async function inTransaction<T>(
  client: pg.PoolClient,
  t: Timeouts,
  fn: (q: Queryable) => Promise<T>,
): Promise<T> {
  const lock = Math.max(1, Math.trunc(t.lockTimeoutMs));
  const stmt = Math.max(1, Math.trunc(t.statementTimeoutMs));
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout = ${lock}; SET LOCAL statement_timeout = ${stmt}`);
    const result = await fn(fromPg(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw translatePgError(err);
  }
}

/**
 * Runs `fn` on a dedicated connection. The connection carries the session-level advisory locks of
 * the merges in flight, so it is destroyed (not returned to the pool) after an error: the server
 * then rolls back and releases every lock, exactly as after a crash.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw translatePgError(err);
  }
  try {
    const result = await fn(client);
    await client.query('SELECT pg_advisory_unlock_all()');
    client.release();
    return result;
  } catch (err) {
    client.release(true);
    throw translatePgError(err);
  }
}
