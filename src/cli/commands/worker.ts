import type { Command } from 'commander';
import { WORKER_DEFINITIONS } from '../../../workers/index.js';
import { discoverTargets, engineOptionsFromConfig, isMergeError } from '../../db/merge/index.js';
import { fromPg } from '../../db/merge/pg.js';
import { ALL_QUEUES, QUEUES, type QueueName } from '../../queues/names.js';
import { startWorkerHost } from '../../runtime/worker-host.js';
import { type AppContext, action, onShutdown, openContext, parseIntOption, UserError } from '../context.js';

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

/**
 * A worker taking merge jobs checks at start-up that merges can run with this configuration and
 * schema (a unique-key policy naming an unknown table, a table it cannot journal): else every merge
 * job would fail, one by one, long after the deploy. Before `dedupe migrate` there is nothing to
 * check yet (no contacts table): the merges check again when they run.
 */
async function checkMergeSettings(app: AppContext, queues: readonly QueueName[]): Promise<void> {
  try {
    await discoverTargets(fromPg(app.pool), engineOptionsFromConfig(app.config));
  } catch (err) {
    if ((err as { code?: unknown }).code === UNDEFINED_TABLE) {
      app.logger.warn(
        'no contacts table yet (run `dedupe migrate`): merge settings are checked when merges run',
      );
      return;
    }
    if (!isMergeError(err)) throw err;
    const others = queues.filter((q) => q !== QUEUES.merge);
    throw new UserError(
      `merges cannot run: ${err.message}. ${others.length > 0 ? `Fix it, or start this worker without the merge queue (--queues ${others.join(',')})` : 'Fix it and start the worker again'}`,
    );
  }
}

/** SQLSTATE of "relation does not exist". */
const UNDEFINED_TABLE = '42P01';

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
        if (queues.includes(QUEUES.merge))
          await checkMergeSettings(app, queues).catch(async (err) => {
            await app.close();
            throw err;
          });
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
