import { Command } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerMigrate } from './commands/migrate.js';
import { registerServices } from './commands/services.js';

const program = new Command()
  .name('dedupe')
  .description('Find and merge duplicate CRM contacts, with nothing lost.')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

registerServices(program);
registerMigrate(program);
registerConfig(program);

await program.parseAsync(process.argv);
