import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { migrateDown, migrateToLatest } from '../../db/migrate.js';
import { action, withContext } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (safe to run twice at once)')
    .option('--down', 'revert the most recent migration instead')
    .action(
      action(async (opts: { down?: boolean }) => {
        await withContext('migrate', async ({ db }) => {
          const done = opts.down
            ? await migrateDown(db as Kysely<unknown>)
            : await migrateToLatest(db as Kysely<unknown>);
          process.stdout.write(done.length > 0 ? `${done.join('\n')}\n` : 'already up to date\n');
        });
      }),
    );
}
