import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/commands/import.js';
import { runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';

// Runs the compiled CLI: `npx tsc -p tsconfig.build.json` first.
const env = await testEnv();
const GOOD = join(import.meta.dirname, '..', 'fixtures', 'import', 'good.csv');
const FEBRL = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'febrl_dataset1.csv');
const tmp = mkdtempSync(join(tmpdir(), 'dedupe-import-cli-'));
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

const importContacts = (...args: string[]) => runCli(['import', 'contacts', ...args], env.childEnv);

beforeEach(async () => {
  await env.pool.query('DELETE FROM contacts');
});

describe('dedupe import contacts', () => {
  it('explains every option with a line of help', async () => {
    const r = await importContacts('--help');
    expect(r.code).toBe(0);
    for (const opt of ['--map <column=field,...>', '--trim', '--no-trim', '--dry-run', '--json']) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${opt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\S`));
    }
    expect(r.stdout).toMatch(/first_name\s+given_name, firstname/);
  });

  it('imports a file and prints one summary line', async () => {
    const r = await importContacts(GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^imported 4 contacts in \d+\.\d s \(\d+ rows\/s\)\n$/);
    expect(await count()).toBe(4);
  });

  it('--json prints the result as one object', async () => {
    const r = await importContacts(FEBRL, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['imported', 'seconds', 'rows_per_s']);
    expect(out.imported).toBe(1000);
    expect(out.seconds).toBeGreaterThan(0);
    // rows_per_s comes from the unrounded time: within rounding of imported / seconds.
    expect(Math.abs(out.rows_per_s - 1000 / out.seconds) / out.rows_per_s).toBeLessThan(0.02);
    expect(await count()).toBe(1000);
  });

  it('--dry-run shows the mapping and the count, and writes nothing', async () => {
    const r = await importContacts(GOOD, '--dry-run', '--map', 'notes=-');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  id -> external_id\n  First Name -> first_name\n');
    expect(r.stdout).toContain('  Favourite Colour -> attributes.Favourite Colour\n  notes -> - (skipped)\n');
    expect(r.stdout).toMatch(/would import 4 contacts \(dry run: nothing written\)/);
    const json = JSON.parse((await importContacts(GOOD, '--dry-run', '--json')).stdout);
    expect(json).toMatchObject({
      imported: 0,
      dry_run: true,
      would_import: 4,
      mapping: { surname: 'last_name' },
    });
    expect(await count()).toBe(0);
  });

  it('--map and --no-trim change where and how values land', async () => {
    const file = write('people.csv', 'key, name, phone_no\nk1, Ann , 555\n');
    const r = await importContacts(
      file,
      '--map',
      'key=external_id',
      '--map',
      'name=last_name,phone_no=attributes.tel',
      '--no-trim',
    );
    expect(r.code).toBe(0);
    const { rows } = await env.pool.query('SELECT external_id, last_name, phone, attributes FROM contacts');
    expect(rows).toEqual([
      { external_id: 'k1', last_name: ' Ann ', phone: null, attributes: { tel: ' 555' } },
    ]);
  });

  it('refuses an unknown --map field, naming it', async () => {
    const r = await importContacts(GOOD, '--map', 'notes=nickname');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown field "nickname"/);
    expect(await count()).toBe(0);
  });
});

describe('a refused file: `dedupe: <file>:<line>: ...`, exit 1, nothing changed', () => {
  it.each<[string, string | Buffer, number, RegExp]>([
    [
      'missing header',
      'id,city,notes\n1,Rome,x\n',
      1,
      /no column maps to first_name, last_name, email, phone/,
    ],
    ['wrong column count on line 5', 'id,email\n1,a\n2,b\n3,c\n4,d,e\n5,f\n', 5, /expected 2 fields/],
    ['invalid UTF-8 on line 3', Buffer.from('id,email\n1,a\n2,b\xe9\n', 'latin1'), 3, /invalid UTF-8/],
    ['a 100 KB field', `id,email,notes\n1,a,b\n2,b,${'x'.repeat(100_000)}\n`, 3, /field 3 is 100000 bytes/],
    ['unterminated quote', 'id,email\n1,a\n2,"b\n3,c\n', 3, /unterminated quoted field/],
    [
      'duplicate external_id',
      'id,email\nx1,a\nx2,b\nx1,c\n',
      4,
      /duplicate external_id "x1" in the file \(first on line 2\)/,
    ],
    [
      'external_id already imported',
      'id,email\nnew,a\nc-1,b\n',
      3,
      /external_id "c-1" already exists \(contact \d+\)/,
    ],
  ])('%s', async (_name, content, line, message) => {
    expect((await importContacts(GOOD)).code).toBe(0);
    const before = await count();
    const file = write('bad.csv', content);
    const r = await importContacts(file);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(`dedupe: ${file}:${line}: `)).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await count()).toBe(before);
  });

  it('an empty file', async () => {
    const file = write('empty.csv', '');
    const r = await importContacts(file);
    expect([r.code, r.stderr]).toEqual([
      1,
      `dedupe: ${file}:1: the file is empty: expected a header line naming the columns\n`,
    ]);
  });

  it('a missing file', async () => {
    const file = join(tmp, 'nope.csv');
    const r = await importContacts(file);
    expect([r.code, r.stderr]).toEqual([1, `dedupe: ${file}: no such file\n`]);
  });
});

describe('progress reporting', () => {
  function fake(isTTY: boolean) {
    let t = 0;
    const written: string[] = [];
    const out = { isTTY, write: (s: string) => written.push(s) };
    const clock = {
      set: (ms: number) => {
        t = ms;
      },
    };
    return { written, clock, reporter: progressReporter(out, () => t) };
  }

  it('writes a line every 5 s when stderr is not a terminal', () => {
    const { written, clock, reporter } = fake(false);
    for (const [ms, rows] of [
      [1000, 10_000],
      [4999, 40_000],
      [5000, 50_000],
      [6000, 60_000],
      [10_000, 80_000],
    ] as const) {
      clock.set(ms);
      reporter.update(rows);
    }
    reporter.done();
    expect(written).toEqual([
      'importing: 50000 rows (10000 rows/s)\n',
      'importing: 80000 rows (8000 rows/s)\n',
    ]);
  });

  it('rewrites one line on a terminal and clears it at the end', () => {
    const { written, clock, reporter } = fake(true);
    for (const [ms, rows] of [
      [100, 1000],
      [250, 2000],
      [300, 3000],
      [500, 5000],
    ] as const) {
      clock.set(ms);
      reporter.update(rows);
    }
    reporter.done();
    expect(written).toEqual([
      '\r\x1b[Kimporting: 2000 rows (8000 rows/s)',
      '\r\x1b[Kimporting: 5000 rows (10000 rows/s)',
      '\r\x1b[K',
    ]);
  });
});
