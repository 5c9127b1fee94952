import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { getRun } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { projectRoot } from '../paths.js';

/** `dedupe worker` processes on this machine, for one-machine runs (`run --workers`) and benchmarks. */

export const BIN = join(projectRoot(), 'bin', 'dedupe.js');

/** Starts N worker processes; they only speak up about problems unless a log level was asked for. */
export function startLocalWorkers(n: number, env: NodeJS.ProcessEnv = {}): ChildProcess[] {
  const merged = { ...process.env, ...env };
  return Array.from({ length: n }, () =>
    spawn(process.execPath, [BIN, 'worker', '--metrics-port', '0'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...merged, LOG_LEVEL: merged.LOG_LEVEL ?? 'warn' },
    }),
  );
}

/** SIGTERM to each (they finish or checkpoint their job), resolved once all have exited. */
export async function stopLocalWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

const ENDED = ['completed', 'failed', 'cancelled'];

/** Resolves with the run's row once it has ended; throws if every given worker process has exited. */
export async function runEnded(db: Kysely<Database>, runId: number, workers: readonly ChildProcess[] = []) {
  for (;;) {
    if (workers.length > 0 && workers.every((c) => c.exitCode !== null))
      throw new Error('every worker process exited');
    const run = await getRun(db, runId);
    if (run && ENDED.includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}
