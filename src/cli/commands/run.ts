import type { ChildProcess } from 'node:child_process';
import type { Command } from 'commander';
import { getRun, listRuns } from '../../db/runs.js';
import { cancelRun } from '../../pipeline/cancel-run.js';
import { formatReport, runReport, STAGES } from '../../pipeline/report.js';
import { loadProfile, startRun } from '../../pipeline/start-run.js';
import { QUEUES } from '../../queues/names.js';
import { openQueues, type QueueSet } from '../../queues/queues.js';
import { startLocalWorkers, stopLocalWorkers } from '../../runtime/local-workers.js';
import type { AppContext } from '../context.js';
import { action, parseIntOption, UserError, withContext } from '../context.js';

/** Polls the run until it ends, showing progress per stage; warns when no worker is connected. */
async function waitForRun(
  ctx: AppContext,
  queues: QueueSet,
  runId: number,
  quiet: boolean,
  children: readonly ChildProcess[],
) {
  const tty = Boolean(process.stderr.isTTY);
  // Local workers (--workers) take a moment to connect: warn only when none has shown up for a while.
  let lastWarn = Date.now();
  let lastLine = '';
  for (;;) {
    const report = await runReport(ctx.db, runId);
    if (['completed', 'failed', 'cancelled'].includes(report.status)) {
      if (!quiet && tty) process.stderr.write('\n');
      return report;
    }
    // Local workers that all exited (they said why on stderr) will not finish the run.
    if (children.length > 0 && children.every((c) => c.exitCode !== null))
      throw new UserError(
        `every local worker exited; run ${runId} is left as it is (dedupe runs cancel ${runId})`,
      );
    const workers = await queues.queue(QUEUES.runs).getWorkersCount();
    if (workers === 0 && Date.now() - lastWarn > 10_000) {
      lastWarn = Date.now();
      process.stderr.write(
        `${tty ? '\n' : ''}no worker is connected: start \`dedupe worker\` (or use --workers N); waiting...\n`,
      );
    }
    if (!quiet) {
      const parts = STAGES.flatMap((s) => {
        const st = report.stages[s];
        return st ? [`${s} ${st.done}/${st.tasks} (${st.items.toLocaleString('en-US')})`] : [];
      });
      const line = `run ${runId} ${report.stage ?? 'pending'}: ${parts.join(' | ')}`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (line !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = line;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a full-database detection run (and, unless --dry-run, merge its sure clusters)')
    .option('--profile <file>', 'matching profile, JSON or YAML (default: the built-in profile)')
    .option('--dry-run', 'stop after clusters: find duplicates, merge nothing')
    .option('--wait', 'show live progress per stage and end with the report')
    .option('--json', 'print the report (or, without --wait, the new run) as one JSON object on stdout')
    .option(
      '--workers <n>',
      'start N local worker processes for this run and stop them at the end (implies --wait)',
      parseIntOption('--workers', 1, 64),
    )
    .action(
      action(
        async (opts: {
          profile?: string;
          dryRun?: boolean;
          wait?: boolean;
          json?: boolean;
          workers?: number;
        }) => {
          const profile = loadProfile(opts.profile);
          await withContext('run', async (ctx) => {
            const queues = openQueues(
              ctx.redisUrl,
              ctx.config.DEDUPE_QUEUE_PREFIX,
              ctx.config.DEDUPE_CONNECT_TIMEOUT_MS,
            );
            const children = opts.workers ? startLocalWorkers(opts.workers) : [];
            try {
              const run = await startRun(ctx.db, queues, {
                profile,
                dryRun: Boolean(opts.dryRun),
                trigger: 'cli',
              });
              if (!opts.wait && !opts.workers) {
                process.stdout.write(
                  opts.json
                    ? `${JSON.stringify({ id: run.id, status: run.status })}\n`
                    : `run ${run.id} started\n`,
                );
                return;
              }
              const report = await waitForRun(ctx, queues, run.id, Boolean(opts.json), children);
              process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
              if (report.status !== 'completed') process.exitCode = 1;
            } finally {
              await stopLocalWorkers(children);
              await queues.close();
            }
          });
        },
      ),
    );

  const runs = program.command('runs').description('list, inspect and cancel detection runs');
  runs
    .command('list')
    .description('the most recent runs')
    .option('--limit <n>', 'how many', parseIntOption('--limit', 1, 10_000), 20)
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { limit: number; json?: boolean }) => {
        await withContext('runs', async ({ db }) => {
          const rows = await listRuns(db, opts.limit);
          if (opts.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
          for (const r of rows) {
            process.stdout.write(
              `${String(r.id).padStart(6)}  ${r.status.padEnd(9)} ${(r.stage ?? '-').padEnd(8)} ${r.dry_run ? 'dry-run' : 'merge  '}  ${r.trigger.padEnd(8)} ${new Date(r.created_at).toISOString()}\n`,
            );
          }
        });
      }),
    );
  runs
    .command('show <id>')
    .description("a run's report: counts, time and rate per stage")
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, opts: { json?: boolean }) => {
        await withContext('runs', async ({ db }) => {
          const report = await runReport(db, parseIntOption('run id', 1)(id));
          process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
        });
      }),
    );
  runs
    .command('cancel <id>')
    .description('cancel a pending or running run: its remaining jobs do nothing')
    .action(
      action(async (id: string) => {
        await withContext('runs', async ({ db }) => {
          const runId = parseIntOption('run id', 1)(id);
          if (!(await getRun(db, runId))) throw new UserError(`run ${runId} does not exist`, 'NOT_FOUND');
          const cancelled = await cancelRun(db, runId);
          process.stdout.write(cancelled ? `run ${runId} cancelled\n` : `run ${runId} had already ended\n`);
        });
      }),
    );
}
