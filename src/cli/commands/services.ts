import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { servicesDown, servicesStatus, servicesUp } from '../../services/local.js';
import { action } from '../context.js';

function localOptions() {
  const config = loadConfig();
  return {
    stateDir: config.DEDUPE_STATE_DIR,
    pgBinDir: config.PG_BIN_DIR,
    redisServerBin: config.REDIS_SERVER_BIN,
  };
}

export function registerServices(program: Command): void {
  const services = program
    .command('services')
    .description(
      'private PostgreSQL and Redis in the state directory (used when DATABASE_URL / REDIS_URL are unset)',
    );
  services
    .command('up')
    .description('start the private PostgreSQL and Redis on free ports and print their URLs')
    .action(
      action(async () => {
        const state = await servicesUp(localOptions());
        process.stdout.write(`DATABASE_URL=${state.postgres.url}\nREDIS_URL=${state.redis.url}\n`);
      }),
    );
  services
    .command('status')
    .description('say whether the private services are running, and their URLs')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const status = servicesStatus(localOptions());
        if (opts.json) process.stdout.write(`${JSON.stringify(status)}\n`);
        else {
          for (const [name, s] of Object.entries(status)) {
            process.stdout.write(
              `${name.padEnd(9)} ${s.running ? 'running' : 'stopped'}${s.url ? `  ${s.url}` : ''}\n`,
            );
          }
        }
        if (!status.postgres.running || !status.redis.running) process.exitCode = 3;
      }),
    );
  services
    .command('down')
    .description('stop the private PostgreSQL and Redis (data stays in the state directory)')
    .action(
      action(async () => {
        await servicesDown(localOptions());
        process.stdout.write('stopped\n');
      }),
    );
}
