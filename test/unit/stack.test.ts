import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/**
 * Dependency choices with a measured reason (see README, "Stack, and why"). ioredis 6 defines a
 * String subclass (VerbatimString); its mere presence in a process makes V8 stop inlining
 * String.prototype.charCodeAt, which slowed every string loop of the scorer and the indexer 4-6x
 * inside worker processes.
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const installed = JSON.parse(
  readFileSync(new URL('../../node_modules/ioredis/package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('stack', () => {
  test('ioredis stays on 5.x (6.x subclasses String and slows every charCodeAt loop)', () => {
    expect(pkg.dependencies.ioredis).toMatch(/^\^?5\./);
    expect(installed.version).toMatch(/^5\./);
  });
});
