import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate.js';
import type { Database } from '../../db/schema.js';
import { seedCrm } from '../../db/seed.js';
import { BIN } from '../../runtime/local-workers.js';
import { action, parseIntOption, withContext } from '../context.js';
import { formatRate, Progress } from '../progress.js';

async function crmCounts(db: Kysely<Database>) {
  const { rows } = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM contacts WHERE merged_into IS NULL)::int AS live,
           (SELECT count(*) FROM contacts WHERE merged_into IS NOT NULL)::int AS tombstones,
           (SELECT count(*) FROM activities)::int AS activities,
           (SELECT count(*) FROM notes)::int AS notes,
           (SELECT count(*) FROM opportunities)::int AS opportunities,
           (SELECT count(*) FROM tickets)::int AS tickets,
           (SELECT count(*) FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE c.merged_into IS NOT NULL)::int AS "onTombstones"`.execute(
    db,
  );
  return rows[0] as {
    live: number;
    tombstones: number;
    activities: number;
    notes: number;
    opportunities: number;
    tickets: number;
    onTombstones: number;
  };
}

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
        const before = await withContext('demo', ({ db }) => crmCounts(db));
        // The run itself goes through the real CLI path: worker processes, queues, report.
        const args = ['run', '--workers', String(opts.workers), ...(opts.dryRun ? ['--dry-run'] : [])];
        const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'inherit', env: process.env });
        if (r.status !== 0) {
          process.exitCode = r.status ?? 1;
          return;
        }
        await withContext('demo', async ({ db }) => {
          const after = await crmCounts(db);
          const run = await db
            .selectFrom('dedupe_runs')
            .select(['id', 'stats'])
            .orderBy('created_at', 'desc')
            .limit(1)
            .executeTakeFirstOrThrow();
          const q = (run.stats as { quality?: { precision: number; recall: number; f1: number } }).quality;
          const lines = [
            '',
            'summary',
            q
              ? `  against the seeded truth: precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, F1 ${q.f1.toFixed(4)}`
              : null,
            `  live contacts ${formatRate(before.live)} -> ${formatRate(after.live)} (${formatRate(after.tombstones)} tombstones)`,
            ...(['activities', 'notes', 'opportunities', 'tickets'] as const).map(
              (t) =>
                `  ${t.padEnd(14)} ${formatRate(before[t])} -> ${formatRate(after[t])}${before[t] === after[t] ? '  (nothing lost)' : ''}`,
            ),
            `  rows on tombstones: ${after.onTombstones}`,
            `  undo the whole run: npx dedupe unmerge --run ${run.id}`,
          ];
          process.stdout.write(`${lines.filter((l) => l !== null).join('\n')}\n`);
        });
      }),
    );
}
