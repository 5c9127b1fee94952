import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMapOption } from '../../src/core/csv-mapping.js';
import { CsvImportError, type ImportOptions, importContacts } from '../../src/db/import-contacts.js';
import { testEnv } from '../support/env.js';

const env = await testEnv();
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const DATASETS = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets');
const tmp = mkdtempSync(join(tmpdir(), 'dedupe-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

async function count(): Promise<number> {
  const { rows } = await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts');
  return rows[0]?.n ?? -1;
}

function run(file: string, opts: Omit<ImportOptions, 'file'> = {}) {
  return importContacts(env.pool, { file, ...opts });
}

/** The refusal of `file`, asserting that the contacts table is exactly as before. */
async function refusal(file: string, opts: Omit<ImportOptions, 'file'> = {}): Promise<CsvImportError> {
  const before = await count();
  const err = await run(file, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CsvImportError);
  expect(await count()).toBe(before);
  return err as CsvImportError;
}

beforeEach(async () => {
  await env.pool.query('DELETE FROM contacts');
});

describe('importing a good file', () => {
  it('maps columns, keeps external_id, puts the rest in attributes and empty cells as null', async () => {
    const result = await run(join(FIXTURES, 'good.csv'));
    expect(result.rows).toBe(4);
    const { rows } = await env.pool.query(
      `SELECT external_id, first_name, last_name, email, phone, company, city, attributes
         FROM contacts ORDER BY external_id`,
    );
    expect(rows).toEqual([
      {
        external_id: 'c-1',
        first_name: 'Ann',
        last_name: 'Smith',
        email: 'ann@example.org',
        phone: '+44 20 7946 0000',
        company: 'Acme',
        city: 'London',
        attributes: { 'Favourite Colour': 'blue', notes: 'likes "quotes", commas' },
      },
      {
        external_id: 'c-2',
        first_name: 'Bob',
        last_name: null,
        email: 'bob@example.org',
        phone: null,
        company: null,
        city: null,
        attributes: { notes: 'two\nlines' },
      },
      {
        external_id: 'c-3',
        first_name: null,
        last_name: 'Jones',
        email: null,
        phone: null,
        company: null,
        city: 'Leeds',
        attributes: {},
      },
      {
        external_id: 'c-4',
        first_name: 'Zoë',
        last_name: 'Müller',
        email: 'zoe@example.de',
        phone: null,
        company: null,
        city: 'Köln',
        attributes: { 'Favourite Colour': 'grün' },
      },
    ]);
  });

  it('applies --map overrides and skips columns', async () => {
    const file = write('map.csv', 'key,name,ssn,dob\nk1,Ann,123,1970-01-01\n');
    await run(file, {
      overrides: parseMapOption('key=external_id,name=last_name,ssn=-,dob=attributes.birth'),
    });
    const { rows } = await env.pool.query('SELECT external_id, last_name, attributes FROM contacts');
    expect(rows).toEqual([{ external_id: 'k1', last_name: 'Ann', attributes: { birth: '1970-01-01' } }]);
  });

  it('trims spaces around fields unless trim is off', async () => {
    const file = write('spaces.csv', 'id, given_name, surname\nr1, ann , smith\n');
    await run(file);
    await run(file, { trim: false, overrides: parseMapOption('id=attributes.id') });
    const { rows } = await env.pool.query(
      'SELECT external_id, first_name, last_name FROM contacts ORDER BY id',
    );
    expect(rows).toEqual([
      { external_id: 'r1', first_name: 'ann', last_name: 'smith' },
      { external_id: null, first_name: ' ann ', last_name: ' smith' },
    ]);
  });

  it('reads a BOM, CRLF line ends, blank lines and no final newline', async () => {
    const file = write('crlf.csv', '\ufeffemail,city\r\na@x.org,Rome\r\n\r\nb@x.org,Oslo');
    expect((await run(file)).rows).toBe(2);
    const { rows } = await env.pool.query('SELECT email, city FROM contacts ORDER BY email');
    expect(rows).toEqual([
      { email: 'a@x.org', city: 'Rome' },
      { email: 'b@x.org', city: 'Oslo' },
    ]);
  });

  it('reads old Mac line ends (\\r only), even past 1 MiB', async () => {
    const lines = ['id,email'];
    for (let i = 0; i < 15_000; i++) lines.push(`mac-${i},person.${i}@example.org${' '.repeat(50)}`);
    const result = await run(write('mac.csv', `${lines.join('\r')}\r`));
    expect(result.rows).toBe(15_000);
    expect(await count()).toBe(15_000);
  });

  it('imports 0 contacts from a header-only file', async () => {
    expect((await run(write('header-only.csv', 'email,phone\n'))).rows).toBe(0);
  });

  it('dry run validates everything and writes nothing', async () => {
    await run(join(FIXTURES, 'good.csv'));
    const file = write('dry.csv', 'id,email\nnew-1,a@x.org\nnew-2,b@x.org\n');
    const before = await count();
    const result = await run(file, { dryRun: true });
    expect(result).toMatchObject({ rows: 2, dryRun: true });
    expect(await count()).toBe(before);
    // It still sees conflicts with existing rows, and within the file.
    const clash = await refusal(write('dry-clash.csv', 'id,email\nnew-1,a@x.org\nc-3,b@x.org\n'), {
      dryRun: true,
    });
    expect([clash.line, clash.message]).toEqual([
      3,
      expect.stringMatching(/external_id "c-3" already exists \(contact \d+\)/),
    ]);
    const dup = await refusal(write('dry-dup.csv', 'id,email\nd,a@x.org\nd,b@x.org\n'), { dryRun: true });
    expect([dup.line, dup.message]).toEqual([3, 'duplicate external_id "d" in the file (first on line 2)']);
  });
});

describe('refusing a malformed file: line number, message, nothing imported', () => {
  const wide = 'x'.repeat(100 * 1024);
  it.each<[string, string | Buffer, number | null, RegExp]>([
    ['empty file', '', 1, /the file is empty/],
    [
      'missing identifying header',
      'id,city\n1,Rome\n',
      1,
      /no column maps to first_name, last_name, email, phone/,
    ],
    [
      'wrong column count on line 5',
      'email,city\na,b\nc,d\ne,f\ng,h,i\nj,k\n',
      5,
      /expected 2 fields as in the header, found 3/,
    ],
    [
      'wrong column count after a multi-line field',
      'email,notes\na,"one\ntwo\nthree"\nb,c\nd\n',
      6,
      /expected 2 fields as in the header, found 1/,
    ],
    [
      'invalid UTF-8 on line 3',
      Buffer.concat([
        Buffer.from('email,city\na@x.org,Köln\nb@x.org,K'),
        Buffer.from([0xf6]),
        Buffer.from('ln\n'),
      ]),
      3,
      /invalid UTF-8/,
    ],
    ['invalid UTF-8 in the header', Buffer.from('email,c\xf4te\na,b\n', 'latin1'), 1, /invalid UTF-8/],
    [
      'the first problem wins: wrong field count on line 3 before invalid UTF-8 on line 4',
      Buffer.from('email,city\na,b\nc,d,e\nf,\xff\n', 'latin1'),
      3,
      /expected 2 fields/,
    ],
    [
      'invalid UTF-8 inside a multi-line quoted field',
      Buffer.from('email,notes\na,"one\ntw\xff\nthree"\n', 'latin1'),
      3,
      /invalid UTF-8/,
    ],
    ['old Mac line ends (\\r only)', 'email,city\ra,b\rc,d,e\rf,g\r', 3, /expected 2 fields/],
    [
      'UTF-8 cut short at the end of the file',
      Buffer.concat([Buffer.from('email\na\nb'), Buffer.from([0xc3])]),
      3,
      /invalid UTF-8/,
    ],
    ['a NUL byte', 'email\na\nb\0c\n', 3, /NUL byte/],
    [
      'a 100 KB field',
      `email,notes\na,short\nb,${wide}\n`,
      3,
      /field 2 is 102400 bytes, over the 64 KiB limit/,
    ],
    ['a line over 1 MiB', `email,notes\na,b\nc,${'y'.repeat(1100 * 1024)}\n`, 3, /line is longer than 1 MiB/],
    ['unterminated quote', 'email,notes\na,b\nc,d\nd,"never closed\ne,f\n', 4, /unterminated quoted field/],
    ['character after a closing quote', 'email,notes\na,"b"c\n', 2, /after a closing quote/],
    [
      'duplicate external_id in the file',
      'id,email\na,1\nb,2\nc,3\nb,4\n',
      5,
      /duplicate external_id "b" in the file \(first on line 3\)/,
    ],
    ['unknown --map column', 'email\na\n', 1, /--map names column "nope"/],
  ])('%s', async (name, content, line, message) => {
    await run(join(FIXTURES, 'good.csv')); // something to keep
    const opts = name.includes('--map') ? { overrides: parseMapOption('nope=phone') } : {};
    const err = await refusal(write('bad.csv', content), opts);
    expect(err.message).toMatch(message);
    expect(err.line).toBe(line);
  });

  it('refuses an external_id that is already in the table, naming the contact', async () => {
    await run(join(FIXTURES, 'good.csv'));
    const { rows } = await env.pool.query<{ id: number }>(
      `SELECT id FROM contacts WHERE external_id = 'c-2'`,
    );
    const err = await refusal(write('again.csv', 'id,email\nnew,a\nc-2,b\n'));
    expect([err.line, err.message]).toEqual([3, `external_id "c-2" already exists (contact ${rows[0]?.id})`]);
  });

  it('refuses a missing file', async () => {
    const err = await refusal(join(tmp, 'absent.csv'));
    expect([err.line, err.message]).toEqual([null, 'no such file']);
  });

  it('reports a row the database refuses with its line', async () => {
    // external_id is unique-indexed: a btree entry cannot exceed ~2.7 kB.
    const err = await refusal(
      write('huge-id.csv', `id,email\na,b\n${randomBytes(4500).toString('hex')},c\n`),
    );
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/the database refused this row: .*index row/);
  });
});

describe('a 20,000-line file with the error on its last line', () => {
  const ROWS = 19_999;
  /** Rows ~100 bytes wide, so that over 1 MB of COPY data has been sent when the last line is read. */
  function bigFile(lastLine: string | Buffer): string {
    const lines: string[] = ['id,first_name,last_name,email,notes'];
    for (let i = 1; i < ROWS; i++)
      lines.push(`id-${i},First${i},Last${i},person${i}@example.org,${'n'.repeat(40)}`);
    return write(
      'big.csv',
      Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from(lastLine), Buffer.from('\n')]),
    );
  }

  it.each<[string, string | Buffer, RegExp]>([
    ['wrong column count', 'last,x,y,z', /expected 5 fields as in the header, found 4/],
    ['duplicate external_id', 'id-7,a,b,c,d', /duplicate external_id "id-7" in the file \(first on line 8\)/],
    [
      'invalid UTF-8',
      Buffer.from([0x6c, 0x61, 0x73, 0x74, 0xc3, 0x28, 0x2c, 0x61, 0x2c, 0x62, 0x2c, 0x63, 0x2c, 0x64]),
      /invalid UTF-8/,
    ],
  ])('%s', async (_name, last, message) => {
    await run(join(FIXTURES, 'good.csv'));
    let progressed = 0;
    const err = await refusal(bigFile(last), {
      onProgress: (rows) => {
        progressed = rows;
      },
    });
    expect([err.line, err.message]).toEqual([ROWS + 1, expect.stringMatching(message)]);
    // Most rows had already gone into the COPY when the last line was refused.
    expect(progressed).toBeGreaterThan(ROWS - 2 * 1024);
  });

  it('imports the same file when the last line is good, reporting progress', async () => {
    const seen: number[] = [];
    const result = await run(bigFile('last,Final,Row,final@example.org,end'), {
      onProgress: (n) => seen.push(n),
    });
    expect(result.rows).toBe(ROWS);
    expect(await count()).toBe(ROWS);
    expect(seen.at(-1)).toBe(ROWS);
    expect(seen.length).toBeGreaterThan(10);
  });
});

describe('the shared datasets, read in place', () => {
  it.each<[string, number, Record<string, unknown>]>([
    [
      'febrl_dataset1.csv',
      1000,
      { external_id: 'rec-122-org', first_name: 'lachlan', last_name: 'berry', postcode: '4814' },
    ],
    [
      'dava_patients_with_duplicates.csv',
      1300,
      { external_id: '1', first_name: 'Larry', phone: '8421952337', email: 'larryhill@hotmail.com' },
    ],
    ['splink_fake_1000.csv', 1000, { external_id: '0', first_name: 'Robert', last_name: 'Alan', city: null }],
  ])('%s imports %i contacts', async (name, expected, sample) => {
    const result = await run(join(DATASETS, name));
    expect(result.rows).toBe(expected);
    expect(await count()).toBe(expected);
    const { rows } = await env.pool.query('SELECT * FROM contacts WHERE external_id = $1', [
      sample.external_id,
    ]);
    expect(rows[0]).toMatchObject(sample);
  });

  it('febrl columns without a contact field land in attributes', async () => {
    await run(join(DATASETS, 'febrl_dataset1.csv'));
    const { rows } = await env.pool.query(
      `SELECT attributes FROM contacts WHERE external_id = 'rec-223-org'`,
    );
    expect(rows[0]?.attributes).toEqual({
      street_number: '6',
      address_1: 'tullaroop street',
      address_2: 'willaroo',
      suburb: 'st james',
      state: 'wa',
      date_of_birth: '19081209',
      soc_sec_id: '6988048',
    });
  });
});
