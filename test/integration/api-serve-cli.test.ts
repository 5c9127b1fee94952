import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';

// Runs the compiled CLI (dist/, built by `npm test`'s pretest or `npx tsc -p tsconfig.build.json`).
const env = await testEnv();
const TOKEN = 'serve-cli-token-0123456789';
const { DEDUPE_API_TOKEN: _ignored, ...withoutToken } = env.childEnv;
const withToken = { ...withoutToken, DEDUPE_API_TOKEN: TOKEN };

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Running {
  child: ChildProcess;
  baseUrl: string;
  banner: string;
  exited: Promise<number | null>;
  /** Everything printed on stderr so far (logs and messages). */
  stderr(): string;
}

/** Starts `dedupe serve`, resolving once it prints where it listens (or rejecting if it exits first). */
function serve(args: string[], childEnv: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
      const match = /listening on (http:\/\/[\d.]+:\d+) \(([^\n]*)\)/.exec(stderr);
      if (match) resolve({ child, baseUrl: match[1]!, banner: match[2]!, exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
}

describe('dedupe serve', () => {
  it('refuses to start without DEDUPE_API_TOKEN unless local-only, saying how to fix it', async () => {
    const r = await runCli(['serve', '--port', '0'], withoutToken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to start: DEDUPE_API_TOKEN is not set/);
    expect(r.stderr).toMatch(/--local-only/);
  });

  it('refuses --local-only with a non-loopback --host', async () => {
    const r = await runCli(['serve', '--port', '0', '--local-only', '--host', '0.0.0.0'], withoutToken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--local-only binds 127\.0\.0\.1 only/);
  });

  it('serves on 127.0.0.1 without a token when local-only, says so, and stops cleanly on SIGTERM', async () => {
    const s = await serve(['--local-only'], withoutToken);
    expect(s.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.banner).toMatch(/local only/);
    expect(s.banner).toMatch(/NO authentication/);
    expect((await fetch(`${s.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${s.baseUrl}/v1/merges/987654`)).status).toBe(404);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('requires the bearer token when one is configured, and keeps it and query strings out of the logs', async () => {
    const s = await serve(['--host', '127.0.0.1'], { ...withToken, LOG_LEVEL: 'info' });
    expect(s.banner).toMatch(/bearer token required/);
    expect(s.banner).toMatch(/read-only/);
    const denied = await fetch(`${s.baseUrl}/v1/merges/987654`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const allowed = await fetch(`${s.baseUrl}/v1/merges/987654?note=query-secret`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(allowed.status).toBe(404);
    const metrics = await fetch(`${s.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^dedupe_queue_jobs\{queue="merge",state="waiting"\} \d+$/m);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const logs = s.stderr();
    expect(logs).toContain('"path":"/v1/merges/987654"');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('query-secret');
  });
});
