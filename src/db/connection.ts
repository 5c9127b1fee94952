import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// int8 (bigint ids, counts) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(1016 as typeof pg.types.builtins.INT8 /* int8[] */, (v) =>
  v === '{}' ? [] : v.slice(1, -1).split(',').map(Number),
);

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
}

export interface DbOptions {
  url: string;
  poolSize?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
}

export function createPool(opts: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    application_name: opts.applicationName ?? 'dedupe',
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export function createDb(opts: DbOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = createPool(opts);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Runs `fn` in one transaction on a dedicated client of `pool`: COMMIT, or ROLLBACK and rethrow. */
export async function inPoolTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Fails fast with a message naming the (password-free) target instead of hanging. */
export async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    const safe = url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, '//$1@');
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${safe}: ${(err as Error).message}`);
  }
}

/** Closes both: kysely only ends a pool it has used itself (a pool used only for COPY stays open). */
export async function closeDb({ db, pool }: { db: Kysely<Database>; pool: pg.Pool }): Promise<void> {
  await db.destroy();
  if (!pool.ended) await pool.end();
}
