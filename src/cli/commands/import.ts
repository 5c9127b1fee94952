import { type Command, InvalidArgumentError } from 'commander';
import {
  type ColumnMapping,
  CsvMappingError,
  describeTarget,
  HEADER_ALIASES,
  type MapOverrides,
  parseMapOption,
} from '../../core/csv-mapping.js';
import { CsvImportError, importContacts, MAX_FIELD_BYTES, MAX_LINE_BYTES } from '../../db/import-contacts.js';
import { action, UserError, withContext } from '../context.js';

interface ContactsOptions {
  map?: MapOverrides;
  trim: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** Repeated --map values accumulate; a bad entry is refused by commander, naming it. */
function collectMap(value: string, previous: MapOverrides | undefined): MapOverrides {
  try {
    return parseMapOption(value, previous);
  } catch (err) {
    if (err instanceof CsvMappingError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function aliasHelp(): string {
  const byField = new Map<string, string[]>();
  for (const [alias, field] of Object.entries(HEADER_ALIASES))
    byField.set(field, [...(byField.get(field) ?? []), alias]);
  const lines = [...byField].map(([field, aliases]) => `  ${field.padEnd(12)} ${aliases.join(', ')}`);
  return [
    '',
    'Headers naming a contact column map to it (case, spaces, - and _ do not matter), as do these aliases:',
    ...lines,
    'Every other column goes into attributes under its header name; empty cells are left out (null).',
    'At least one column must map to first_name, last_name, email or phone.',
    `Refused, with the line and nothing imported: wrong field count, invalid UTF-8, a field over ${MAX_FIELD_BYTES / 1024} KiB,`,
    `a line over ${MAX_LINE_BYTES / 1024 / 1024} MiB, an unterminated quote, a duplicate or already imported external_id.`,
    'An empty file is refused; a header-only file imports 0 contacts.',
  ].join('\n');
}

/**
 * Progress on stderr: on a TTY one line rewritten at most 5 times a second, otherwise a line
 * every `intervalMs` (5 s) so that logs stay readable.
 */
export function progressReporter(
  out: { write(s: string): unknown; isTTY?: boolean },
  now: () => number = () => performance.now(),
  intervalMs = 5000,
): { update(rows: number): void; done(): void } {
  const started = now();
  const every = out.isTTY ? 200 : intervalMs;
  let last = started;
  let shown = false;
  return {
    update(rows: number) {
      const t = now();
      if (t - last < every) return;
      last = t;
      const text = `importing: ${rows} rows (${rate(rows, (t - started) / 1000)} rows/s)`;
      if (out.isTTY) {
        out.write(`\r\x1b[K${text}`);
        shown = true;
      } else out.write(`${text}\n`);
    },
    done() {
      if (shown) out.write('\r\x1b[K');
    },
  };
}

export function rate(rows: number, seconds: number): number {
  return seconds > 0 ? Math.round(rows / seconds) : rows;
}

function mappingLines(mapping: ColumnMapping): string {
  return mapping.headers
    .map((h, i) => `  ${h} -> ${describeTarget(mapping.targets[i] ?? { kind: 'skip' })}\n`)
    .join('');
}

export function registerImport(program: Command): void {
  const imp = program.command('import').description('load contacts from files');
  imp
    .command('contacts')
    .description('import contacts from a CSV file (one transaction: all rows or none)')
    .argument('<file>', 'CSV file with a header line, UTF-8')
    .option(
      '--map <column=field,...>',
      'map columns: to a contact column, attributes.<key>, or - to skip (repeatable)',
      collectMap,
    )
    .option('--trim', 'trim spaces around every field', true)
    .option('--no-trim', 'keep spaces around fields as they are')
    .option('--dry-run', 'parse and validate the whole file and report what would be imported; write nothing')
    .option('--json', 'print the result as JSON: {"imported":N,"seconds":T,"rows_per_s":R}')
    .addHelpText('after', aliasHelp())
    .action(
      action(async (file: string, opts: ContactsOptions) => {
        await withContext('import', async ({ pool }) => {
          const started = performance.now();
          const progress = progressReporter(process.stderr);
          let result: Awaited<ReturnType<typeof importContacts>>;
          try {
            result = await importContacts(pool, {
              file,
              trim: opts.trim,
              dryRun: opts.dryRun ?? false,
              onProgress: (rows) => progress.update(rows),
              ...(opts.map ? { overrides: opts.map } : {}),
            });
          } catch (err) {
            if (err instanceof CsvImportError) {
              throw new UserError(`${file}:${err.line === null ? '' : `${err.line}:`} ${err.message}`);
            }
            throw err;
          } finally {
            progress.done();
          }
          const seconds = (performance.now() - started) / 1000;
          const perSecond = rate(result.rows, seconds);
          const secs = Math.round(seconds * 1000) / 1000;
          if (opts.json) {
            const mapping = Object.fromEntries(
              result.mapping.headers.map((h, i) => [
                h,
                describeTarget(result.mapping.targets[i] ?? { kind: 'skip' }),
              ]),
            );
            const out = result.dryRun
              ? {
                  imported: 0,
                  dry_run: true,
                  would_import: result.rows,
                  mapping,
                  seconds: secs,
                  rows_per_s: perSecond,
                }
              : { imported: result.rows, seconds: secs, rows_per_s: perSecond };
            process.stdout.write(`${JSON.stringify(out)}\n`);
          } else if (result.dryRun) {
            process.stdout.write(
              `column mapping:\n${mappingLines(result.mapping)}` +
                `would import ${result.rows} contacts (dry run: nothing written) in ${secs.toFixed(1)} s (${perSecond} rows/s)\n`,
            );
          } else {
            process.stdout.write(
              `imported ${result.rows} contacts in ${secs.toFixed(1)} s (${perSecond} rows/s)\n`,
            );
          }
        });
      }),
    );
}
