import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { afterAll, inject } from 'vitest';
import { closeDb, createDb } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

export interface TestEnv {
  /** URL of this test file's own database. */
  databaseUrl: string;
  redisUrl: string;
  /** This test file's own BullMQ prefix. */
  queuePrefix: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Environment for a child `dedupe` process pointed at this file's database and prefix. */
  childEnv: NodeJS.ProcessEnv;
}

/**
 * A fresh, migrated database and a queue prefix for one test file; dropped afterwards.
 * Call at the top level of a test file: `const env = await testEnv();`.
 */
export async function testEnv(opts: { migrate?: boolean } = {}): Promise<TestEnv> {
  const baseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb({ url: baseUrl, poolSize: 1 });
  await admin.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const { db, pool } = createDb({ url: databaseUrl, poolSize: 10 });
  if (opts.migrate !== false) await migrateToLatest(db as Kysely<unknown>);
  const queuePrefix = `test-${name}`;
  afterAll(async () => {
    await closeDb({ db, pool });
    await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await closeDb(admin);
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DEDUPE_QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
  };
  return { databaseUrl, redisUrl, queuePrefix, db, pool, childEnv };
}
