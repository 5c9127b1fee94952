import type { Command } from 'commander';
import { loadProfile } from '../../pipeline/start-run.js';
import { QUEUES } from '../../queues/names.js';
import type { ScheduledRunJob } from '../../queues/payloads.js';
import { openQueues } from '../../queues/queues.js';
import { action, openContext, UserError } from '../context.js';

async function withRunsQueue<T>(
  fn: (queue: ReturnType<ReturnType<typeof openQueues>['queue']>) => Promise<T>,
) {
  const ctx = await openContext({ name: 'schedule' });
  const queues = openQueues(
    ctx.redisUrl,
    ctx.config.DEDUPE_QUEUE_PREFIX,
    ctx.config.DEDUPE_CONNECT_TIMEOUT_MS,
  );
  try {
    return await fn(queues.queue(QUEUES.runs));
  } finally {
    await queues.close();
    await ctx.close();
  }
}

export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('recurring runs (BullMQ job schedulers): add, list, remove');
  schedule
    .command('add <name>')
    .description('run on a cron schedule; adding the same name again replaces it (one scheduler per name)')
    .requiredOption('--cron <pattern>', 'cron pattern, e.g. "0 3 * * *" for 03:00 every day')
    .option('--tz <zone>', 'time zone of the pattern (IANA name, e.g. Europe/Paris)', 'UTC')
    .option('--profile <file>', 'matching profile, JSON or YAML (default: the built-in profile)')
    .option('--dry-run', 'scheduled runs stop after clusters and merge nothing')
    .action(
      action(async (name: string, opts: { cron: string; tz: string; profile?: string; dryRun?: boolean }) => {
        if (!/^[\w.-]{1,100}$/.test(name))
          throw new UserError('schedule name: letters, digits, . _ - (1-100)');
        const data: ScheduledRunJob = {
          scheduleName: name,
          dryRun: Boolean(opts.dryRun),
          profile: opts.profile ? (loadProfile(opts.profile) as unknown as Record<string, unknown>) : null,
        };
        await withRunsQueue(async (queue) => {
          try {
            await queue.upsertJobScheduler(
              name,
              { pattern: opts.cron, tz: opts.tz },
              { name: 'scheduled', data },
            );
          } catch (err) {
            throw new UserError(`--cron "${opts.cron}": ${(err as Error).message}`);
          }
          const next = (await queue.getJobScheduler(name))?.next;
          process.stdout.write(
            `schedule ${name}: "${opts.cron}" (${opts.tz})${next ? `, next run ${new Date(next).toISOString()}` : ''}\n`,
          );
        });
      }),
    );
  schedule
    .command('list')
    .description('every schedule with its next run')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        await withRunsQueue(async (queue) => {
          const all = await queue.getJobSchedulers(0, -1, true);
          const rows = all.map((s) => ({
            name: s.key,
            cron: s.pattern ?? null,
            tz: s.tz ?? null,
            next: s.next ? new Date(s.next).toISOString() : null,
            dryRun: Boolean((s.template?.data as ScheduledRunJob | undefined)?.dryRun),
          }));
          if (opts.json) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
          if (rows.length === 0) return void process.stdout.write('no schedules\n');
          for (const r of rows)
            process.stdout.write(
              `${r.name.padEnd(20)} ${String(r.cron).padEnd(16)} ${r.tz ?? ''}  next ${r.next ?? '-'}${r.dryRun ? '  dry-run' : ''}\n`,
            );
        });
      }),
    );
  schedule
    .command('remove <name>')
    .description('remove a schedule (runs already started go on)')
    .action(
      action(async (name: string) => {
        await withRunsQueue(async (queue) => {
          const removed = await queue.removeJobScheduler(name);
          if (!removed) throw new UserError(`no schedule named ${name}`, 'NOT_FOUND');
          process.stdout.write(`removed schedule ${name}\n`);
        });
      }),
    );
}
