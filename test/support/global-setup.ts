import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { servicesDown, servicesUp } from '../../src/services/local.js';

/**
 * Once per `vitest run`: a throwaway PostgreSQL and Redis on free ports, unless TEST_DATABASE_URL
 * and TEST_REDIS_URL point at servers to use. Test files get their own database and queue prefix.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL) {
    project.provide('databaseUrl', process.env.TEST_DATABASE_URL);
    project.provide('redisUrl', process.env.TEST_REDIS_URL);
    return;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'dedupe-test-'));
  const opts = { stateDir, redisServerBin: process.env.REDIS_SERVER_BIN ?? 'redis-server', ephemeral: true };
  const state = await servicesUp(opts);
  project.provide('databaseUrl', process.env.TEST_DATABASE_URL ?? state.postgres.url);
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? state.redis.url);
  return async () => {
    await servicesDown(opts);
    rmSync(stateDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}
