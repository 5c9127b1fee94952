import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { closeDb, createDb } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { resolveUrls } from '../src/services/local.js';

/** Shared by the benchmarks: a named database on the configured server, worker processes, RSS. */

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
export const hasFlag = (name: string) => process.argv.includes(`--${name}`);

export async function benchDatabase(name: string, opts: { fresh: boolean }) {
  const config = loadConfig();
  const urls = await resolveUrls(config);
  const admin = createDb({ url: urls.databaseUrl, poolSize: 1 });
  const exists = await admin.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (opts.fresh && exists.rowCount) await admin.pool.query(`DROP DATABASE ${name} WITH (FORCE)`);
  if (opts.fresh || !exists.rowCount) await admin.pool.query(`CREATE DATABASE ${name}`);
  await closeDb(admin);
  const url = new URL(urls.databaseUrl);
  url.pathname = `/${name}`;
  const { db, pool } = createDb({ url: url.toString(), poolSize: 8 });
  await migrateToLatest(db as Kysely<unknown>);
  return { db, pool, databaseUrl: url.toString(), redisUrl: urls.redisUrl };
}

/** Peak resident set size of a live process, from /proc (VmHWM), in MiB. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
