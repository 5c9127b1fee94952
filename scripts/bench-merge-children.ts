import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb } from '../src/db/connection.js';
import { type EngineOptions, executeMergeBatch, type MergeOutcome } from '../src/db/merge/index.js';
import { type CpuMark, markCpu } from './machine-cpu.js';

/**
 * bench:merge with --processes: the engine callers are separate Node processes, as merge workers
 * are, so the engine's own JavaScript (plans, parameters) runs in parallel too. Each child takes the
 * next batch of merge ids from the parent until none is left, like workers taking jobs.
 */

export interface EngineTotals {
  completed: number;
  rows: number;
  linked: number;
}

const total = (outs: MergeOutcome[], key: 'rowsMoved' | 'setAside' | 'linked') =>
  outs.reduce((a, o) => a + Object.values(o[key]).reduce((x, y) => x + y, 0), 0);

export function totalsOf(outs: MergeOutcome[]): EngineTotals {
  return {
    completed: outs.filter((o) => o.status === 'completed').length,
    rows: total(outs, 'rowsMoved') + total(outs, 'setAside'),
    linked: total(outs, 'linked'),
  };
}

type ToChild = { batch: number[] } | { done: true };
type ToParent = { ready: true } | { result: EngineTotals };

export async function mergeInChildren(
  url: string,
  batches: number[][],
  processes: number,
  opts: EngineOptions,
): Promise<{ startedAt: number; cpuAtStart: CpuMark | undefined; totals: EngineTotals }> {
  const script = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, () =>
    fork(script, ['--bench-merge-child'], {
      env: { ...process.env, BENCH_MERGE_URL: url, BENCH_MERGE_OPTS: JSON.stringify(opts) },
    }),
  );
  const queue = [...batches];
  const totals: EngineTotals = { completed: 0, rows: 0, linked: 0 };
  let ready = 0;
  let startedAt = 0;
  let cpuAtStart: CpuMark | undefined;
  await new Promise<void>((resolve, reject) => {
    let finished = 0;
    const next = (child: (typeof children)[number]) => {
      const batch = queue.shift();
      child.send((batch ? { batch } : { done: true }) satisfies ToChild);
    };
    for (const child of children) {
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`a bench child exited with code ${code}`));
        else if (++finished === children.length) resolve();
      });
      child.on('message', (m: ToParent) => {
        if ('ready' in m) {
          // Timing starts once every child is connected, as with long-running workers.
          if (++ready === children.length) {
            startedAt = performance.now();
            cpuAtStart = markCpu();
            for (const c of children) next(c);
          }
          return;
        }
        totals.completed += m.result.completed;
        totals.rows += m.result.rows;
        totals.linked += m.result.linked;
        next(child);
      });
    }
  });
  return { startedAt, cpuAtStart, totals };
}

async function child(): Promise<void> {
  const { pool, db } = createDb({ url: process.env.BENCH_MERGE_URL!, poolSize: 2 });
  // One slice memory per process, as a merge worker keeps.
  const opts: EngineOptions = {
    ...(JSON.parse(process.env.BENCH_MERGE_OPTS ?? '{}') as EngineOptions),
    sliceMemory: {},
  };
  await pool.query('SELECT 1');
  process.on('message', (m: ToChild) => {
    if ('done' in m) {
      void db.destroy().then(() => process.exit(0));
      return;
    }
    executeMergeBatch(pool, m.batch, opts).then(
      (outs) => process.send?.({ result: totalsOf(outs) } satisfies ToParent),
      (err: Error) => {
        process.stderr.write(`bench child: ${err.stack ?? err}\n`);
        process.exit(1);
      },
    );
  });
  process.send?.({ ready: true } satisfies ToParent);
}

if (process.argv.includes('--bench-merge-child')) void child();
