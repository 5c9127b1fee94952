import type { Command } from 'commander';
import { seedCrm } from '../../db/seed.js';
import { action, parseFloatOption, parseIntOption, withContext } from '../context.js';
import { formatRate, Progress } from '../progress.js';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description(
      'fill the CRM with synthetic contacts, planted duplicates and their activities (ground truth kept)',
    )
    .requiredOption(
      '--contacts <n>',
      'number of contacts to create, duplicates included',
      parseIntOption('--contacts', 1, 100_000_000),
    )
    .option(
      '--duplicate-rate <r>',
      'share of contacts that are planted duplicates of another',
      parseFloatOption('--duplicate-rate', 0, 0.9),
      0.1,
    )
    .option(
      '--activities-per-contact <a>',
      'mean activities (emails, calls, ...) per contact',
      parseFloatOption('--activities-per-contact', 0, 1000),
      5,
    )
    .option(
      '--seed <s>',
      'random seed: the same seed gives the same data',
      parseIntOption('--seed', 0, 2 ** 31 - 1),
      42,
    )
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (opts: {
          contacts: number;
          duplicateRate: number;
          activitiesPerContact: number;
          seed: number;
          json?: boolean;
        }) => {
          await withContext('seed', async ({ pool }) => {
            const progress = new Progress('seeding contacts', opts.contacts, Boolean(opts.json));
            const result = await seedCrm(pool, opts, (n) => progress.update(n));
            const { seconds, rate } = progress.finish(result.contacts);
            const totalRows = Object.values(result.rows).reduce((a, b) => a + b, 0);
            if (opts.json) {
              process.stdout.write(
                `${JSON.stringify({ ...result, seconds, contacts_per_s: rate, rows_per_s: totalRows / seconds })}\n`,
              );
            } else {
              const detail = Object.entries(result.rows)
                .map(([t, n]) => `${t} ${formatRate(n)}`)
                .join(', ');
              process.stdout.write(
                `seeded ${formatRate(result.contacts)} contacts in ${seconds.toFixed(1)} s (${formatRate(rate)} contacts/s, ` +
                  `${formatRate(totalRows / seconds)} rows/s)\n  ${detail}\n`,
              );
            }
          });
        },
      ),
    );
}
