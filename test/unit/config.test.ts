import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactedConfig, SETTINGS, settingsMarkdown } from '../../src/config.js';
import { engineOptionsFromConfig } from '../../src/db/merge/options.js';

describe('loadConfig', () => {
  it('applies documented defaults and freezes the result', () => {
    const config = loadConfig({});
    expect(config.DEDUPE_QUEUE_PREFIX).toBe('dedupe');
    expect(config.DEDUPE_MERGE_CHUNK_ROWS).toBe(5000);
    expect(loadConfig({ DEDUPE_MERGE_CHUNK_ROWS: ' 250 ' }).DEDUPE_MERGE_CHUNK_ROWS).toBe(250);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL.*must start with postgres/],
    ['REDIS_URL', 'not a url', /REDIS_URL/],
    ['DEDUPE_PG_POOL_SIZE', '0', /DEDUPE_PG_POOL_SIZE="0"/],
    ['DEDUPE_PG_POOL_SIZE', 'ten', /DEDUPE_PG_POOL_SIZE="ten"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud"/],
    ['DEDUPE_QUEUE_PREFIX', 'has space', /DEDUPE_QUEUE_PREFIX/],
    ['DEDUPE_API_TOKEN', 'short', /DEDUPE_API_TOKEN=\(hidden\): must be at least 16/],
    // Blank, or not plainly digits: not silently port 0 (a random port) or 1000.
    ['DEDUPE_METRICS_PORT', ' ', /DEDUPE_METRICS_PORT=" ": must be a whole number/],
    ['DEDUPE_API_PORT', '\t', /DEDUPE_API_PORT/],
    ['DEDUPE_PG_POOL_SIZE', '1e3', /DEDUPE_PG_POOL_SIZE="1e3"/],
    // No Bearer header can carry a token with spaces.
    [
      'DEDUPE_API_TOKEN',
      'correct horse battery staple',
      /DEDUPE_API_TOKEN=\(hidden\): must be visible ASCII/,
    ],
    [
      'DEDUPE_MERGE_UNIQUE_POLICIES',
      'subscriptions=keep_both',
      /DEDUPE_MERGE_UNIQUE_POLICIES.*keep_survivor\|keep_loser/,
    ],
  ])('refuses %s=%s naming the setting', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads per-table unique-key policies into the engine options', () => {
    const config = loadConfig({
      DEDUPE_MERGE_UNIQUE_POLICIES: 'subscriptions=keep_loser,referrals.referred_id=keep_survivor',
    });
    expect(engineOptionsFromConfig(config).uniquePolicies).toEqual({
      subscriptions: 'keep_loser',
      'referrals.referred_id': 'keep_survivor',
    });
    expect(engineOptionsFromConfig(loadConfig({})).uniquePolicies).toEqual({});
  });

  it('never echoes a secret value in its error', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:s3cretpw@db/x' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cretpw');
    }
  });

  it('redacts passwords and tokens', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:s3cretpw@db:5432/crm',
      DEDUPE_API_TOKEN: 'abcdefghijklmnopqrstuvwxyz',
    });
    const shown = JSON.stringify(redactedConfig(config));
    expect(shown).not.toContain('s3cretpw');
    expect(shown).not.toContain('abcdefghijklmnop');
    expect(shown).toContain('db:5432');
  });

  it('documents every setting in the markdown table', () => {
    const table = settingsMarkdown();
    for (const name of Object.keys(SETTINGS)) expect(table).toContain(`\`${name}\``);
  });

  it('reads an optional YAML or JSON config file, which the environment overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dedupe-config-'));
    const yaml = join(dir, 'dedupe.yaml');
    writeFileSync(yaml, 'DEDUPE_MERGE_CHUNK_ROWS: 250\nLOG_LEVEL: debug\n');
    const fromFile = loadConfig({ DEDUPE_CONFIG_FILE: yaml });
    expect(fromFile.DEDUPE_MERGE_CHUNK_ROWS).toBe(250);
    expect(fromFile.LOG_LEVEL).toBe('debug');
    expect(loadConfig({ DEDUPE_CONFIG_FILE: yaml, LOG_LEVEL: 'warn' }).LOG_LEVEL).toBe('warn');
    const json = join(dir, 'dedupe.json');
    writeFileSync(json, JSON.stringify({ NO_SUCH_SETTING: 1 }));
    expect(() => loadConfig({ DEDUPE_CONFIG_FILE: json })).toThrow(/unknown setting\(s\) NO_SUCH_SETTING/);
    writeFileSync(json, JSON.stringify({ DEDUPE_MERGE_CHUNK_ROWS: -5 }));
    expect(() => loadConfig({ DEDUPE_CONFIG_FILE: json })).toThrow(/DEDUPE_MERGE_CHUNK_ROWS=-5: Too small/);
    expect(() => loadConfig({ DEDUPE_CONFIG_FILE: join(dir, 'missing.yaml') })).toThrow(
      /DEDUPE_CONFIG_FILE: cannot read/,
    );
  });
});
