import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
}

/**
 * An ioredis connection for BullMQ. Workers need `maxRetriesPerRequest: null` (blocking commands
 * must wait out reconnects); producers and CLI commands fail fast instead.
 */
export function redisConnection(
  url: string,
  opts: { worker?: boolean; connectTimeoutMs?: number } = {},
): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.worker ? null : 2,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

/** Pings Redis within the timeout, or throws a RedisUnavailableError naming the (password-free) URL. */
export async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  const safe = url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, '//$1@');
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new RedisUnavailableError(`cannot connect to Redis at ${safe}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
}
