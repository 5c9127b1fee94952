import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The alerting rules and the Prometheus config, checked and unit-tested with promtool
// (prometheus/alerts.test.yml feeds series to the rules and states which alerts must fire when).
const PROMTOOL = '/usr/bin/promtool';
const dir = fileURLToPath(new URL('../../prometheus/', import.meta.url));

function promtool(...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!existsSync(PROMTOOL))('prometheus/ with promtool', () => {
  it.each([
    ['check', 'rules', 'alerts.yml'],
    ['check', 'config', 'prometheus.yml'],
    ['test', 'rules', 'alerts.test.yml'],
  ])('promtool %s %s %s succeeds', async (...args) => {
    const { code, output } = await promtool(...args);
    expect(output).toMatch(/SUCCESS/);
    expect(output).not.toMatch(/FAILED/);
    expect(code).toBe(0);
  });
});
