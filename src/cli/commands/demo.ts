import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate.js';
import { seedCrm } from '../../db/seed.js';
import { action, parseIntOption, withContext } from '../context.js';
import { formatRate, Progress } from '../progress.js';
import { BIN } from './run.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the whole pipeline on local defaults: services, migrations, a seeded CRM, a run with merges, a summary',
    )
    .option(
      '--contacts <n>',
      'contacts to seed when the CRM is empty',
      parseIntOption('--contacts', 100, 10_000_000),
      20_000,
    )
    .option('--workers <n>', 'local worker processes for the run', parseIntOption('--workers', 1, 16), 2)
    .option('--dry-run', 'find duplicates but merge nothing')
    .action(
      action(async (opts: { contacts: number; workers: number; dryRun?: boolean }) => {
        await withContext('demo', async ({ db, pool, databaseUrl, redisUrl }) => {
          process.stdout.write(
            `PostgreSQL ${databaseUrl.replace(/:[^:@/]*@/, '@')}\nRedis      ${redisUrl}\n`,
          );
          await migrateToLatest(db as Kysely<unknown>);
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(db);
          if ((rows[0]?.n ?? 0) === 0) {
            const progress = new Progress('seeding', opts.contacts);
            const seeded = await seedCrm(
              pool,
              { contacts: opts.contacts, duplicateRate: 0.1, activitiesPerContact: 5, seed: 42 },
              (n) => progress.update(n),
            );
            const { seconds, rate } = progress.finish(seeded.contacts);
            process.stdout.write(
              `seeded ${formatRate(seeded.contacts)} contacts in ${seconds.toFixed(1)} s (${formatRate(rate)}/s)\n`,
            );
          } else {
            process.stdout.write(`using the ${formatRate(rows[0]!.n)} contacts already in the CRM\n`);
          }
        });
        // The run itself goes through the real CLI path: worker processes, queues, report.
        const args = ['run', '--workers', String(opts.workers), ...(opts.dryRun ? ['--dry-run'] : [])];
        const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'inherit', env: process.env });
        if (r.status !== 0) process.exitCode = r.status ?? 1;
      }),
    );
}
