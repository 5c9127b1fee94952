import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { loadConfig } from '../src/config.js';
import { closeDb, createDb } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { getRun } from '../src/db/runs.js';
import type { Database } from '../src/db/schema.js';
import { projectRoot } from '../src/paths.js';
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

export function startWorkers(n: number, env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess[] {
  const bin = join(projectRoot(), 'bin', 'dedupe.js');
  return Array.from({ length: n }, () =>
    spawn(process.execPath, [bin, 'worker', '--metrics-port', '0', ...args], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
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

export async function stopWorkers(children: ChildProcess[]) {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

export async function waitRun(db: Kysely<Database>, runId: number, children: ChildProcess[] = []) {
  for (;;) {
    if (children.length > 0 && children.every((c) => c.exitCode !== null))
      throw new Error('every worker process exited');
    const run = await getRun(db, runId);
    if (run && ['completed', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}
