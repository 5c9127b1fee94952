import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';

const env = await testEnv({ migrate: false });

describe('dedupe CLI foundation', () => {
  it('lists every command with a line of help', async () => {
    const r = await runCli(['--help'], env.childEnv);
    expect(r.code).toBe(0);
    for (const cmd of ['services', 'migrate', 'seed', 'import', 'config'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${cmd}\\b.*\\S`));
  });

  it('migrates, twice at once, then reverts and re-applies', async () => {
    const [a, b] = await Promise.all([runCli(['migrate'], env.childEnv), runCli(['migrate'], env.childEnv)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const tables = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('contacts', 'activities', 'merges')`.execute(
      env.db,
    );
    expect(tables.rows[0]?.n).toBe(3);
    const down = await runCli(['migrate', '--down'], env.childEnv);
    const reverted = /^reverted (\S+)$/m.exec(down.stdout)?.[1];
    expect(reverted).toMatch(/^\d{8}T\d{4}_\w+$/);
    const again = await runCli(['migrate'], env.childEnv);
    expect(again.stdout.trim()).toBe(`applied ${reverted}`);
  });

  it('fails fast with a message when DATABASE_URL points nowhere', async () => {
    const r = await runCli(['migrate'], {
      ...env.childEnv,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });

  it('stops on a bad setting, naming it, without touching anything', async () => {
    const r = await runCli(['migrate'], { ...env.childEnv, DEDUPE_PG_POOL_SIZE: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DEDUPE_PG_POOL_SIZE="lots"');
  });
});

describe('dedupe services', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'dedupe-services-'));
  const local = { ...env.childEnv, DEDUPE_STATE_DIR: stateDir, DATABASE_URL: '', REDIS_URL: '' };
  afterAll(async () => {
    await runCli(['services', 'down'], local);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts private PostgreSQL and Redis, reports them, and other commands use them', async () => {
    const up = await runCli(['services', 'up'], local);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^DATABASE_URL=postgres:\/\/dedupe@127\.0\.0\.1:\d+\/dedupe$/m);
    expect(up.stdout).toMatch(/^REDIS_URL=redis:\/\/127\.0\.0\.1:\d+$/m);
    const again = await runCli(['services', 'up'], local);
    expect(again.stdout).toBe(up.stdout);
    const status = await runCli(['services', 'status', '--json'], local);
    expect(JSON.parse(status.stdout)).toMatchObject({
      postgres: { running: true },
      redis: { running: true },
    });
    const migrate = await runCli(['migrate'], local);
    expect(migrate.stdout).toMatch(/applied 20261122T0001_crm_schema/);
    await runCli(['services', 'down'], local);
    const after = await runCli(['services', 'status', '--json'], local);
    expect(after.code).toBe(3);
    expect(JSON.parse(after.stdout)).toMatchObject({
      postgres: { running: false },
      redis: { running: false },
    });
  });

  it('says how to install a missing binary', async () => {
    const r = await runCli(['services', 'up'], { ...local, REDIS_SERVER_BIN: 'no-such-redis-server' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/apt-get install -y redis-server/);
  });
});
