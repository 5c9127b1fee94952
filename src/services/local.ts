import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Private PostgreSQL and Redis for one machine, started from the system's binaries into a state
 * directory. `dedupe services up` uses this, so does every command when DATABASE_URL / REDIS_URL
 * are unset, and so does the test setup (with a throwaway directory and durability turned off).
 */

export interface LocalServicesState {
  postgres: { port: number; url: string; dataDir: string };
  redis: { port: number; url: string; pidFile: string };
}

export interface LocalServicesOptions {
  stateDir: string;
  pgBinDir?: string | undefined;
  redisServerBin: string;
  /** Throwaway data (tests): no fsync, no AOF. */
  ephemeral?: boolean;
}

export class MissingBinaryError extends Error {
  readonly code = 'MISSING_BINARY';
}

const SUPERUSER = 'dedupe';
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function findPgBinDir(explicit?: string): string {
  const candidates = explicit
    ? [explicit]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new MissingBinaryError(
      `PostgreSQL server binaries (initdb, pg_ctl) not found${explicit ? ` in PG_BIN_DIR=${explicit}` : ' under /usr/lib/postgresql/*/bin'}. ` +
        'Install them with `apt-get install -y postgresql` (Debian/Ubuntu), set PG_BIN_DIR, or set DATABASE_URL to an existing server.',
    );
  }
  return found;
}

export function findRedisServer(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new MissingBinaryError(
      `redis-server not found (REDIS_SERVER_BIN=${bin}). Install it with \`apt-get install -y redis-server\` ` +
        '(Debian/Ubuntu), or set REDIS_URL to an existing server.',
    );
  }
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const server = createServer();
    server.once('error', () => res(false));
    server.listen(port, '127.0.0.1', () => server.close(() => res(true)));
  });
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (PostgreSQL refuses root). */
function runPg(binDir: string, tool: string, args: string[]): string {
  const cmd = asRoot ? 'runuser' : join(binDir, tool);
  const full = asRoot ? ['-u', 'postgres', '--', join(binDir, tool), ...args] : args;
  try {
    return execFileSync(cmd, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

function ownForPostgres(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!asRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
}

function stateFile(stateDir: string): string {
  return join(stateDir, 'services.json');
}

export function readState(stateDir: string): LocalServicesState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalServicesState;
}

function pgRunning(binDir: string, dataDir: string): boolean {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const cmd = asRoot ? 'runuser' : join(binDir, 'pg_ctl');
  const args = asRoot
    ? ['-u', 'postgres', '--', join(binDir, 'pg_ctl'), 'status', '-D', dataDir]
    : ['status', '-D', dataDir];
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function redisPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function startPostgres(opts: LocalServicesOptions, previousPort?: number) {
  const binDir = findPgBinDir(opts.pgBinDir);
  const dataDir = join(opts.stateDir, 'postgres');
  const socketDir = join(opts.stateDir, 'run');
  ownForPostgres(opts.stateDir);
  ownForPostgres(socketDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    ownForPostgres(dataDir);
    runPg(binDir, 'initdb', [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
  }
  const running = pgRunning(binDir, dataDir) && previousPort !== undefined;
  const port =
    running || (previousPort && (await portIsFree(previousPort))) ? previousPort! : await freePort();
  if (!running) {
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${socketDir}`,
      '-c max_connections=200',
      '-c shared_buffers=512MB',
      '-c work_mem=32MB',
      '-c maintenance_work_mem=512MB',
      '-c max_wal_size=4GB',
      '-c synchronous_commit=off',
      ...(opts.ephemeral ? ['-c fsync=off', '-c full_page_writes=off'] : []),
    ].join(' ');
    runPg(binDir, 'pg_ctl', [
      'start',
      '-D',
      dataDir,
      '-l',
      join(opts.stateDir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      settings,
    ]);
  }
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/dedupe`;
  runPg(binDir, 'psql', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    SUPERUSER,
    '-d',
    'postgres',
    '-tAc',
    "SELECT 1 FROM pg_database WHERE datname = 'dedupe'",
  ]).trim() === '1' ||
    runPg(binDir, 'psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      SUPERUSER,
      '-d',
      'postgres',
      '-c',
      'CREATE DATABASE dedupe',
    ]);
  return { port, url, dataDir };
}

async function startRedis(opts: LocalServicesOptions, previousPort?: number) {
  const bin = findRedisServer(opts.redisServerBin);
  const dir = join(opts.stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis.pid');
  if (redisPid(pidFile) && previousPort) {
    return { port: previousPort, url: `redis://127.0.0.1:${previousPort}`, pidFile };
  }
  const port = previousPort && (await portIsFree(previousPort)) ? previousPort : await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--daemonize',
    'yes',
    '--pidfile',
    pidFile,
    '--logfile',
    join(dir, 'redis.log'),
    '--maxmemory-policy',
    'noeviction',
    '--appendonly',
    opts.ephemeral ? 'no' : 'yes',
    '--save',
    '',
  ];
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-server failed to start: ${r.stderr || r.stdout}`);
  for (let i = 0; i < 100 && !redisPid(pidFile); i++) await new Promise((res) => setTimeout(res, 50));
  if (!redisPid(pidFile)) throw new Error(`redis-server did not start; see ${join(dir, 'redis.log')}`);
  return { port, url: `redis://127.0.0.1:${port}`, pidFile };
}

/** Starts (or finds running) the private PostgreSQL and Redis; idempotent. */
export async function servicesUp(opts: LocalServicesOptions): Promise<LocalServicesState> {
  mkdirSync(opts.stateDir, { recursive: true });
  const previous = readState(opts.stateDir);
  const postgres = await startPostgres(opts, previous?.postgres.port);
  const redis = await startRedis(opts, previous?.redis.port);
  const state = { postgres, redis };
  writeFileSync(stateFile(opts.stateDir), `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

export interface ServicesStatus {
  postgres: { running: boolean; url?: string };
  redis: { running: boolean; url?: string };
}

export function servicesStatus(opts: LocalServicesOptions): ServicesStatus {
  const state = readState(opts.stateDir);
  if (!state) return { postgres: { running: false }, redis: { running: false } };
  const binDir = findPgBinDir(opts.pgBinDir);
  return {
    postgres: { running: pgRunning(binDir, state.postgres.dataDir), url: state.postgres.url },
    redis: { running: redisPid(state.redis.pidFile) !== undefined, url: state.redis.url },
  };
}

export async function servicesDown(opts: LocalServicesOptions): Promise<void> {
  const state = readState(opts.stateDir);
  if (!state) return;
  const binDir = findPgBinDir(opts.pgBinDir);
  if (pgRunning(binDir, state.postgres.dataDir)) {
    runPg(binDir, 'pg_ctl', ['stop', '-D', state.postgres.dataDir, '-m', 'fast', '-w']);
  }
  const pid = redisPid(state.redis.pidFile);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 200 && redisPid(state.redis.pidFile); i++)
      await new Promise((r) => setTimeout(r, 25));
  }
}

/** URLs for a command: the configured ones, else the local services (started on demand). */
export async function resolveUrls(config: {
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
  DEDUPE_STATE_DIR: string;
  PG_BIN_DIR?: string | undefined;
  REDIS_SERVER_BIN: string;
}): Promise<{ databaseUrl: string; redisUrl: string }> {
  if (config.DATABASE_URL && config.REDIS_URL)
    return { databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL };
  const state = await servicesUp({
    stateDir: config.DEDUPE_STATE_DIR,
    pgBinDir: config.PG_BIN_DIR,
    redisServerBin: config.REDIS_SERVER_BIN,
  });
  return {
    databaseUrl: config.DATABASE_URL ?? state.postgres.url,
    redisUrl: config.REDIS_URL ?? state.redis.url,
  };
}
