import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';

/** A worker started before `dedupe migrate` (no contacts table yet) still starts: nothing to check. */

const env = await testEnv({ migrate: false });

describe('dedupe worker before dedupe migrate', () => {
  it('starts, and says the merge settings will be checked when merges run', async () => {
    const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'merge', '--metrics-port', '0'], {
      env: { ...env.childEnv, DEDUPE_MERGE_UNIQUE_POLICIES: 'no_such_table=keep_loser', LOG_LEVEL: 'info' },
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const seen = (d: Buffer) => {
        out += d;
        if (out.includes('worker ready')) resolve();
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      void exited.then((code) => reject(new Error(`worker exited (${code}): ${out}`)));
    });
    expect(out).toContain('no contacts table yet');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start, saying why, when its metrics port is taken: it never takes a job unseen', async () => {
    const blocker = createServer().listen(0, '0.0.0.0');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['worker', '--queues', 'runs', '--metrics-port', String(port)], env.childEnv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot serve /metrics on port ${port}`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      blocker.close();
    }
  });
});
