import { InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { checkConnection, closeDb, createDb, DatabaseUnavailableError } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { RedisUnavailableError } from '../queues/connection.js';
import { MissingBinaryError, resolveUrls } from '../services/local.js';

export interface AppContext {
  config: Config;
  databaseUrl: string;
  redisUrl: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  close(): Promise<void>;
}

/** Config, then URLs (local services when unset), then a checked database connection. */
export async function openContext(opts: { poolSize?: number; name?: string } = {}): Promise<AppContext> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, opts.name ? { cmd: opts.name } : {});
  const { databaseUrl, redisUrl } = await resolveUrls(config);
  const { db, pool } = createDb({
    url: databaseUrl,
    poolSize: opts.poolSize ?? config.DEDUPE_PG_POOL_SIZE,
    connectTimeoutMs: config.DEDUPE_CONNECT_TIMEOUT_MS,
    applicationName: `dedupe ${opts.name ?? ''}`.trim(),
  });
  await checkConnection(pool, databaseUrl);
  return {
    config,
    databaseUrl,
    redisUrl,
    db,
    pool,
    logger,
    async close() {
      await closeDb({ db, pool });
      logger.flush();
    },
  };
}

/** Errors whose message is the whole story for a user: print it, no stack trace. */
const USER_ERRORS = [
  ConfigError,
  DatabaseUnavailableError,
  MissingBinaryError,
  DomainError,
  RedisUnavailableError,
  InvalidArgumentError,
];

/**
 * Graceful shutdown of a long-running command: on the first SIGTERM or SIGINT, log `message`, run
 * `close` (stop taking work, finish what is in flight, close connections) and exit 0.
 */
export function onShutdown(logger: AppContext['logger'], message: string, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, message);
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly code = 'BAD_INPUT',
  ) {
    super(message);
  }
}

/** Wraps a command action: known errors print `dedupe: message` and exit 1, others print the stack. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const known = err instanceof UserError || USER_ERRORS.some((E) => err instanceof E);
      process.stderr.write(
        `dedupe: ${known ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`,
      );
      process.exitCode = known && err instanceof ConfigError ? 2 : 1;
    }
  };
}

/** Opens a context for the duration of `fn` and always closes it. */
export async function withContext<T>(name: string, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext({ name });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export function parseIntOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
    }
    return n;
  };
}

export function parseFloatOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number between ${min} and ${max}, got "${value}"`);
    }
    return n;
  };
}
