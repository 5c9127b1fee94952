import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { CsvError, type Parser, parse } from 'csv-parse';
import pg from 'pg';
import {
  buildMapping,
  CONTACT_FIELDS,
  type ColumnMapping,
  CsvMappingError,
  type MapOverrides,
  type RowBuilder,
  rowBuilder,
} from '../core/csv-mapping.js';
import { copyRows } from './copy.js';

/**
 * `dedupe import contacts`: streams a CSV file into the contacts table with one COPY inside one
 * transaction, so a file is either imported whole or not at all. Nothing is held in memory but
 * the current chunk: bytes are checked as they are read (UTF-8, NUL, line length), csv-parse
 * turns them into records, and copyRows sends them on in ~1 MB chunks.
 */

export const MAX_FIELD_BYTES = 64 * 1024;
export const MAX_LINE_BYTES = 1024 * 1024;
const IMPORT_COLUMNS = [...CONTACT_FIELDS, 'attributes'] as const;
const PROGRESS_EVERY = 1024;

/** A refused file: `line` is 1-based (null when no line applies). Nothing was imported. */
export class CsvImportError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportOptions {
  file: string;
  overrides?: MapOverrides;
  /** Trim spaces around every field (default true: Febrl files put one after every comma). */
  trim?: boolean;
  /** Parse, validate and COPY into a temporary table, check external_ids, then roll back. */
  dryRun?: boolean;
  /** Called every ~1000 rows with the number of rows read so far. */
  onProgress?: (rows: number) => void;
}

export interface ImportResult {
  rows: number;
  dryRun: boolean;
  mapping: ColumnMapping;
}

/** Length (0-3) of a UTF-8 sequence left incomplete at the end of `buf`. */
function incompleteTail(buf: Buffer): number {
  for (let i = 1; i <= Math.min(3, buf.length); i++) {
    const b = buf[buf.length - i] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > i ? i : 0;
  }
  return 0;
}

/**
 * Byte-level checks, with line numbers: invalid UTF-8, NUL bytes (PostgreSQL text cannot hold
 * them) and lines over MAX_LINE_BYTES. `check` returns the bytes before the first bad line, so
 * the parser still sees (and reports) any problem on an earlier line first.
 */
class ByteChecker {
  /** Line number of the next byte. */
  private line = 1;
  private lineBytes = 0;
  /** Incomplete UTF-8 sequence carried over from the previous chunk. */
  private carry = Buffer.alloc(0);
  /** The line-break byte: '\n' (also for \r\n), or '\r' in old Mac files, decided by the first break. */
  private eol: number | undefined;

  /**
   * `good`: the bytes before the first bad line; `cleanCut`: they end on a line break, so the
   * parser may be ended there without cutting into the bad line.
   */
  check(chunk: Buffer): { good: Buffer; problem?: CsvImportError; cleanCut?: boolean } {
    const atLineStart = this.lineBytes === 0;
    if (this.eol === undefined) {
      const lf = chunk.indexOf(10);
      const cr = chunk.indexOf(13);
      if (cr >= 0 && (lf < 0 || cr < lf) && cr + 1 < chunk.length && chunk[cr + 1] !== 10) this.eol = 13;
      else if (lf >= 0) this.eol = 10;
    }
    const eol = this.eol ?? 10;
    const problems: { line: number; start: number; message: string }[] = [];
    const tail = incompleteTail(chunk);
    const whole = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const body = whole.subarray(0, whole.length - tail);
    if (!isUtf8(body)) {
      // A line starts after a line break, which is never inside a multi-byte sequence: check line by line.
      let start = 0;
      for (let line = this.line; ; line++) {
        const nl = body.indexOf(eol, start);
        if (!isUtf8(body.subarray(start, nl < 0 ? body.length : nl))) {
          const at = Math.max(0, start - this.carry.length);
          problems.push({ line, start: at, message: 'invalid UTF-8 (convert the file to UTF-8)' });
          break;
        }
        if (nl < 0) break;
        start = nl + 1;
      }
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      const start = nul === 0 ? 0 : chunk.lastIndexOf(eol, nul - 1) + 1;
      problems.push({ line: this.line + countBytes(chunk, eol, nul), start, message: 'contains a NUL byte' });
    }
    let pos = 0;
    let line = this.line;
    for (;;) {
      const nl = chunk.indexOf(eol, pos);
      this.lineBytes += (nl < 0 ? chunk.length : nl) - pos;
      if (this.lineBytes > MAX_LINE_BYTES) {
        problems.push({
          line,
          start: pos,
          message: `line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`,
        });
        break;
      }
      if (nl < 0) break;
      line++;
      this.lineBytes = 0;
      pos = nl + 1;
    }
    this.line = line;
    this.carry = Buffer.from(whole.subarray(whole.length - tail));
    if (problems.length === 0) return { good: chunk };
    const first = problems.reduce((a, b) => (b.line < a.line ? b : a));
    return {
      good: chunk.subarray(0, first.start),
      problem: new CsvImportError(first.line, first.message),
      cleanCut: first.start > 0 || atLineStart,
    };
  }

  /** At the end of the file: a character cut short. */
  end(): CsvImportError | undefined {
    return this.carry.length > 0
      ? new CsvImportError(this.line, 'invalid UTF-8: the file ends mid-character')
      : undefined;
  }
}

/** Occurrences of `byte` in buf before `to`. */
function countBytes(buf: Buffer, byte: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0 && i < to; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

export interface CsvRecord {
  /** Line the record starts on. */
  line: number;
  record: string[];
}

/** csv-parse's errors in the importer's words, on the line where the record starts. */
function parseError(err: CsvError, recordLine: number): CsvImportError {
  const at = (err as unknown as { lines?: number }).lines ?? recordLine;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvImportError(recordLine, 'unterminated quoted field: a quote opened here is never closed');
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvImportError(
        recordLine,
        `record is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB (an unterminated quote?)`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new CsvImportError(
        at,
        'unexpected character after a closing quote (quotes inside a field are doubled: "")',
      );
    default:
      return new CsvImportError(at, err.message.replace(/ at line \d+.*$/, ''));
  }
}

/** Writes to the parser (or ends it when `chunk` is undefined), settling once it has parsed. */
function feed(parser: Parser, chunk?: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    const done = (err?: Error | null) => {
      parser.off('error', failed);
      if (err) reject(err);
      else resolve();
    };
    parser.once('error', failed);
    if (chunk) parser.write(chunk, done);
    else parser.end(done);
  });
}

/**
 * The file's records (header first) with the line each starts on, checked: UTF-8, column count
 * against the header, field and line sizes. Blank lines are skipped. The parser is fed one read
 * chunk (64 KiB) at a time and its records are handed out before the next read, so problems are
 * reported in file order and memory stays at one chunk whatever the file size.
 */
export async function* readCsv(file: string, trim: boolean): AsyncGenerator<CsvRecord> {
  let parsedTo = 0; // last line of the last record parsed
  let width = -1;
  let ready: CsvRecord[] = [];
  const parser = parse({
    bom: true,
    trim,
    relax_quotes: true, // a quote inside an unquoted field (5'11") is kept as data
    relax_column_count: true, // counted below, to report it our way
    max_record_size: MAX_LINE_BYTES, // bounds memory when a quote is never closed
    on_record: (record: string[], info: { lines: number }) => {
      const line = parsedTo + 1;
      parsedTo = info.lines;
      if (record.length === 1 && record[0] === '') return null;
      if (width < 0) width = record.length;
      else if (record.length !== width) {
        throw new CsvImportError(line, `expected ${width} fields as in the header, found ${record.length}`);
      }
      for (let i = 0; i < record.length; i++) {
        const f = record[i] ?? '';
        // A UTF-16 unit is at most 3 UTF-8 bytes: only long strings need measuring.
        if (f.length * 3 > MAX_FIELD_BYTES && Buffer.byteLength(f) > MAX_FIELD_BYTES) {
          throw new CsvImportError(
            line,
            `field ${i + 1} is ${Buffer.byteLength(f)} bytes, over the ${MAX_FIELD_BYTES / 1024} KiB limit`,
          );
        }
      }
      ready.push({ line, record });
      return null; // records are collected here, not buffered in the stream
    },
  });
  parser.on('error', () => {}); // reported through feed(); this keeps it from being "unhandled"
  const bytes = new ByteChecker();
  const source = createReadStream(file);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const { good, problem, cleanCut } = bytes.check(chunk);
      await feed(parser, good);
      const batch = ready;
      ready = [];
      yield* batch;
      if (problem) {
        // The parser holds back the last record until it sees what follows: end it on the good
        // bytes so that a problem in that (earlier) record is reported first. A quote still open
        // there runs into the bad line, which is then the problem to report.
        if (cleanCut) {
          await feed(parser).catch((err: unknown) => {
            if (!(err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED')) throw err;
          });
        }
        throw problem;
      }
    }
    const problem = bytes.end();
    if (problem) throw problem;
    await feed(parser);
    yield* ready;
  } catch (err) {
    if (err instanceof CsvError) throw parseError(err, parsedTo + 1);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CsvImportError(null, 'no such file');
    if ((err as NodeJS.ErrnoException).syscall)
      throw new CsvImportError(null, `cannot read the file (${code})`);
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** Header line and mapping, or the refusal. */
async function readHeader(records: AsyncIterator<CsvRecord>, overrides: MapOverrides | undefined) {
  const head = await records.next();
  if (head.done) throw new CsvImportError(1, 'the file is empty: expected a header line naming the columns');
  try {
    return buildMapping(head.value.record, overrides);
  } catch (err) {
    if (err instanceof CsvMappingError) throw new CsvImportError(head.value.line, err.message);
    throw err;
  }
}

export async function importContacts(pool: pg.Pool, opts: ImportOptions): Promise<ImportResult> {
  const trim = opts.trim ?? true;
  const records = readCsv(opts.file, trim);
  try {
    const mapping = await readHeader(records, opts.overrides);
    const build = rowBuilder(mapping);
    let rows = 0;
    async function* contacts() {
      for await (const { record } of records) {
        rows++;
        if (rows % PROGRESS_EVERY === 0) opts.onProgress?.(rows);
        yield build(record);
      }
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // A dry run COPYs into a private copy of contacts (same types, checks and unique index),
      // so that the whole file is validated without touching the real table or its id sequence.
      const table = opts.dryRun ? 'pg_temp.contacts_import_check' : 'contacts';
      if (opts.dryRun) {
        await client.query(
          `CREATE TEMP TABLE contacts_import_check (LIKE contacts INCLUDING ALL) ON COMMIT DROP`,
        );
      }
      await copyRows(client, table, IMPORT_COLUMNS, contacts(), (c) => [...c.values, c.attributes]);
      if (opts.dryRun) await checkExisting(client);
      await client.query(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
    } catch (err) {
      // A failed ROLLBACK means a dead connection: the server drops the transaction anyway.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      const refused = !rolledBack ? undefined : err instanceof RowRefused ? err : RowRefused.from(err);
      throw refused ? await explainRefusal(refused, client, opts.file, trim, build) : err;
    } finally {
      // Closed, not returned to the pool: a bulk load is a one-off, and an idle pooled
      // connection would keep a short-lived CLI process alive until the pool's idle timeout.
      client.release(true);
    }
    opts.onProgress?.(rows);
    return { rows, dryRun: opts.dryRun ?? false, mapping };
  } finally {
    await records.return(undefined);
  }
}

/** A row PostgreSQL refused: the n-th data record, and the external_id when it was a duplicate. */
class RowRefused extends Error {
  constructor(
    readonly recordNo: number,
    readonly externalId: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** From an error raised during COPY, whose context names the COPY line (= data record). */
  static from(err: unknown): RowRefused | undefined {
    if (!(err instanceof pg.DatabaseError)) return undefined;
    const n = Number(/COPY \S+, line (\d+)/.exec(err.where ?? '')?.[1]);
    if (!Number.isInteger(n)) return undefined;
    const dup =
      err.code === '23505' ? /^Key \(external_id\)=\((.*)\) already exists\.$/s.exec(err.detail ?? '') : null;
    return new RowRefused(n, dup?.[1], err.message);
  }
}

/** The dry run's stand-in for the unique constraint against rows already in contacts. */
async function checkExisting(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ n: number; external_id: string }>(
    `SELECT t.id AS n, t.external_id
       FROM pg_temp.contacts_import_check t JOIN contacts c ON c.external_id = t.external_id
      ORDER BY t.id LIMIT 1`,
  );
  const hit = rows[0];
  if (hit) throw new RowRefused(hit.n, hit.external_id, 'external_id already exists');
}

/**
 * Turns a refused row into the file line it came from (and, for a duplicate external_id, the
 * line it first appeared on) by reading the file again: this happens only on the error path,
 * so the import itself keeps no per-row state.
 */
async function explainRefusal(
  refused: RowRefused,
  client: pg.PoolClient,
  file: string,
  trim: boolean,
  build: RowBuilder,
): Promise<CsvImportError> {
  const { externalId } = refused;
  const found = await locate(file, trim, build, refused.recordNo, externalId);
  const line = found.line ?? null;
  if (externalId === undefined)
    return new CsvImportError(line, `the database refused this row: ${refused.message}`);
  const existing = await client.query<{ id: number }>('SELECT id FROM contacts WHERE external_id = $1', [
    externalId,
  ]);
  const id = existing.rows[0]?.id;
  if (id !== undefined) {
    return new CsvImportError(
      line,
      `external_id ${JSON.stringify(externalId)} already exists (contact ${id})`,
    );
  }
  const first =
    found.firstLine !== undefined && found.firstLine !== line ? ` (first on line ${found.firstLine})` : '';
  return new CsvImportError(line, `duplicate external_id ${JSON.stringify(externalId)} in the file${first}`);
}

/** Line of the recordNo-th data record, and the first line holding `externalId`. */
async function locate(
  file: string,
  trim: boolean,
  build: RowBuilder,
  recordNo: number,
  externalId: string | undefined,
): Promise<{ line?: number; firstLine?: number }> {
  const col = build.externalIdColumn;
  let k = -1; // the header is record 0
  let firstLine: number | undefined;
  for await (const { line, record } of readCsv(file, trim)) {
    k++;
    if (k === 0) continue;
    if (firstLine === undefined && externalId !== undefined && col >= 0 && record[col] === externalId) {
      firstLine = line;
    }
    if (k === recordNo) return { line, firstLine };
  }
  return { firstLine };
}
