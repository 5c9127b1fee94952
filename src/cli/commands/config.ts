import type { Command } from 'commander';
import { loadConfig, redactedConfig, settingsMarkdown } from '../../config.js';
import { action } from '../context.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('validate the configuration and print it with secrets hidden')
    .option('--markdown', 'print the table of every setting instead (as in the README)')
    .action(
      action(async (opts: { markdown?: boolean }) => {
        if (opts.markdown) process.stdout.write(`${settingsMarkdown()}\n`);
        else process.stdout.write(`${JSON.stringify(redactedConfig(loadConfig()), null, 2)}\n`);
      }),
    );
}
