import type { Command } from 'commander';
import { WORKER_DEFINITIONS } from '../../../workers/index.js';
import { ALL_QUEUES, type QueueName } from '../../queues/names.js';
import { startWorkerHost } from '../../runtime/worker-host.js';
import { action, onShutdown, openContext, parseIntOption, UserError } from '../context.js';

function parseQueues(value: string): QueueName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ALL_QUEUES as string[]).includes(n));
  if (unknown.length > 0)
    throw new UserError(`unknown queue(s) ${unknown.join(', ')}; known: ${ALL_QUEUES.join(', ')}`);
  return names as QueueName[];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'process jobs (indexing, scoring, clustering, merging); run any number, on any number of machines',
    )
    .option(
      '--queues <list>',
      `comma-separated queues to consume (${ALL_QUEUES.join(',')})`,
      ALL_QUEUES.join(','),
    )
    .option(
      '--concurrency <n>',
      'jobs processed at once per queue (default DEDUPE_WORKER_CONCURRENCY, 1)',
      parseIntOption('--concurrency', 1, 256),
    )
    .option(
      '--metrics-port <port>',
      'port of /metrics (default DEDUPE_METRICS_PORT, 9464; 0 picks a free one)',
      parseIntOption('--metrics-port', 0, 65535),
    )
    .action(
      action(async (opts: { queues: string; concurrency?: number; metricsPort?: number }) => {
        const queues = parseQueues(opts.queues);
        const app = await openContext({ name: 'worker' });
        const host = await startWorkerHost(app, {
          definitions: WORKER_DEFINITIONS,
          queues,
          concurrency: opts.concurrency ?? app.config.DEDUPE_WORKER_CONCURRENCY,
          metricsPort: opts.metricsPort ?? app.config.DEDUPE_METRICS_PORT,
        });
        app.logger.info({ queues, metricsPort: host.metricsPort }, 'worker ready');
        onShutdown(app.logger, 'shutting down: finishing or checkpointing current jobs', async () => {
          await host.close();
          await app.close();
        });
        await new Promise(() => {});
      }),
    );
}
