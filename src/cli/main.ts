import { Command } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerDemo } from './commands/demo.js';
import { registerImport } from './commands/import.js';
import { registerMerges } from './commands/merges.js';
import { registerMigrate } from './commands/migrate.js';
import { registerReview } from './commands/review.js';
import { registerRun } from './commands/run.js';
import { registerSchedule } from './commands/schedule.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerServices } from './commands/services.js';
import { registerWorker } from './commands/worker.js';

const program = new Command()
  .name('dedupe')
  .description('Find and merge duplicate CRM contacts, with nothing lost.')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

registerDemo(program);
registerServices(program);
registerMigrate(program);
registerSeed(program);
registerImport(program);
registerRun(program);
registerWorker(program);
registerReview(program);
registerSchedule(program);
registerMerges(program);
registerServe(program);
registerConfig(program);

await program.parseAsync(process.argv);
