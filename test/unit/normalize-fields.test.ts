import { describe, expect, test } from 'vitest';
import {
  MAX_INPUT_CHARS,
  NORMALIZER_NAMES,
  NORMALIZERS,
  normalizeCompany,
  normalizeDate,
  normalizeDigits,
  normalizeEmail,
  normalizePhone,
  normalizePostcode,
} from '../../src/core/normalize/index.js';

describe('email', () => {
  test.each([
    ['John.Smith@Example.com', 'john.smith@example.com'],
    ['  john@example.com  ', 'john@example.com'],
    ['John.Smith+crm@GoogleMail.com', 'johnsmith@gmail.com'],
    ['j.o.h.n@gmail.com', 'john@gmail.com'],
    ['john+news@outlook.com', 'john@outlook.com'],
    ['mailto:X@Y.org', 'x@y.org'],
    ['<Jo@Ex.com>', 'jo@ex.com'],
    ['ü@exämple.com', 'u@example.com'],
    ['john@example.com.', 'john@example.com'],
  ])('%j → %j', (input, full) => {
    expect(normalizeEmail(input)?.full).toBe(full);
  });

  test('local part and domain are kept apart', () => {
    expect(normalizeEmail('J.Smith+x@Gmail.com')).toEqual({
      full: 'jsmith@gmail.com',
      local: 'jsmith',
      domain: 'gmail.com',
    });
  });

  test.each([
    '',
    'bad@',
    '@x.com',
    'a@b',
    'a b@c.com',
    'a..b@c.com',
    '+tag@x.com',
    'no-at-sign',
    'a@-x.com',
    'a@@b.com',
  ])('malformed %j → null', (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });
});

describe('phone', () => {
  test.each([
    ['+44 20 7946 0958', null, '+442079460958', '2079460958'],
    ['020 7946 0958', 'GB', '+442079460958', '2079460958'],
    ['020 7946 0958', 'gb', '+442079460958', '2079460958'],
    ['(415) 555-2671', 'US', '+14155552671', '4155552671'],
    ['+1 415-555-2671', 'DE', '+14155552671', '4155552671'],
    ['0049 30 1234567', null, '+49301234567', '301234567'],
    ['+7 (495) 123-45-67', null, '+74951234567', '4951234567'],
    ['8 495 123 45 67', 'RU', '+74951234567', '4951234567'],
    ['415.555.2671', null, null, '4155552671'],
    ['122957558w4', null, null, '1229575584'],
    // An extension is not part of the number.
    ['+1 415 555 0100 ext. 23', null, '+14155550100', '4155550100'],
    ['(415) 555-2671 x12', 'US', '+14155552671', '4155552671'],
    ['020 7946 0958 #4', 'GB', '+442079460958', '2079460958'],
  ])('%j in %s → %s / %s', (input, country, e164, national) => {
    const p = normalizePhone(input, country);
    expect(p?.e164 ?? null).toBe(e164);
    expect(p?.national).toBe(national);
    expect(p?.tail).toBe(national.slice(-8));
  });

  test('the profile default country applies when the contact has none', () => {
    expect(normalizePhone('020 7946 0958', null, 'GB')?.e164).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958', 'XX', 'GB')?.e164).toBe('+442079460958');
  });

  test.each(['', 'abc', '12', 'n/a', '+', '1'.repeat(40)])('unusable %j → null', (input) => {
    expect(normalizePhone(input, 'US')).toBeNull();
  });
});

describe('company', () => {
  test.each([
    ['ACME, Inc.', 'acme'],
    ['Acme Incorporated', 'acme'],
    ['Acme LLC', 'acme'],
    ['Acme Ltd', 'acme'],
    ['Acme Limited', 'acme'],
    ['Acme PLC', 'acme'],
    ['Siemens AG', 'siemens'],
    ['Müller GmbH', 'muller'],
    ['Baz GmbH & Co. KG', 'baz'],
    ['Nestlé S.A.', 'nestle'],
    ['Dupont SARL', 'dupont'],
    ['Dupont SAS', 'dupont'],
    ['Philips N.V.', 'philips'],
    ['Heineken B.V.', 'heineken'],
    ['Fiat S.p.A.', 'fiat'],
    ['Rossi S.r.l.', 'rossi'],
    ['Foo Sp. z o.o.', 'foo'],
    ['Nokia Oyj', 'nokia'],
    ['Nokia Oy', 'nokia'],
    ['Volvo AB', 'volvo'],
    ['Equinor ASA', 'equinor'],
    ['Acme Corp.', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Acme Company', 'acme'],
    ['Acme Co.', 'acme'],
    ['Bar S.A. de C.V.', 'bar'],
    ['The Acme Group', 'acme group'],
    ['Johnson & Johnson', 'johnson and johnson'],
    ['Foo Public Limited Company', 'foo'],
    ['Foo GmbH u. Co. KG', 'foo'],
    ['Foo Aktiengesellschaft', 'foo'],
    ['Servicios Torres Sociedad Anónima', 'servicios torres'],
    ['Servicios Torres, S.A.', 'servicios torres'],
    ['Foo S/A', 'foo'],
    ['Foo Spółka z o.o.', 'foo'],
    ['Foo Sp.z o.o.', 'foo'],
    ['ООО «Ромашка»', 'romashka'],
    ['Ромашка ООО', 'romashka'],
    ['Общество с ограниченной ответственностью «Ромашка»', 'romashka'],
    ['ТОВ "Світанок"', 'svitanok'],
    ['Όλυμπος Α.Ε.', 'olympos'],
    ['Inc.', 'inc'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCompany(input)).toBe(expected);
  });
});

describe('codes and dates', () => {
  test.each([
    ['sw1a 1aa', 'SW1A1AA'],
    [' 4011 ', '4011'],
    ['K1A-0B1', 'K1A0B1'],
    ['', null],
  ])('postcode %j → %j', (input, expected) => {
    expect(normalizePostcode(input)).toBe(expected);
  });

  test.each([
    ['244-03-7470', '244037470'],
    ['6988048', '6988048'],
    ['n/a', null],
  ])('digits %j → %j', (input, expected) => {
    expect(normalizeDigits(input)).toBe(expected);
  });

  test.each([
    ['19081209', '1908-12-09'],
    ['1908-12-09', '1908-12-09'],
    ['1908/12/9', '1908-12-09'],
    ['09/12/1908', '1908-12-09'],
    ['9.12.1908', '1908-12-09'],
    ['12/31/1999', '1999-12-31'],
    ['2024-02-29T10:00:00Z', '2024-02-29'],
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', null],
    ['2024-02-30', null],
    ['2024-13-01', null],
    ['00000000', null],
    ['yesterday', null],
    ['1700-01-01', null],
    ['', null],
  ])('date %j → %j', (input, expected) => {
    expect(normalizeDate(input)?.iso ?? null).toBe(expected);
  });

  test('date parts carry a day number for distances', () => {
    const a = normalizeDate('2000-01-01')!;
    const b = normalizeDate('2000-12-31')!;
    expect(b.day - a.day).toBe(365);
    expect([a.year, a.month, a.dayOfMonth]).toEqual([2000, 1, 1]);
  });
});

describe('every normalizer is total', () => {
  const huge = 'x'.repeat(100_000);
  const hostile: unknown[] = [
    '',
    ' ',
    huge,
    `${'😀'.repeat(30_000)}@example.com`,
    'مرحبا بالعالم',
    '\u202eevil\u202c',
    'שלום עולם',
    '\u0000\u0001\u0002\u001f\u007f',
    '\ud800 lone surrogate \udfff',
    '@@@@',
    '++++',
    '1'.repeat(1000),
    '-'.repeat(500),
    '%s%n%x',
    '<script>alert(1)</script>',
    '𝕳𝖊𝖑𝖑𝖔',
    '李小龍',
    null,
    undefined,
    42,
    12.5,
    Number.NaN,
    10n,
    true,
    { a: 1 },
    ['a'],
  ];
  const ctx = { country: 'US', defaultCountry: null };
  for (const name of NORMALIZER_NAMES) {
    test(`${name} never throws and stays short`, () => {
      for (const input of hostile) {
        const n = NORMALIZERS[name];
        const out = n.normalize(input, ctx);
        if (out !== null) {
          const key = n.key(out);
          expect(typeof key).toBe('string');
          expect(key.length).toBeGreaterThan(0);
          // Folding can lengthen text (ß → ss, CJK → pinyin), never beyond a small multiple of the cap.
          expect(key.length).toBeLessThanOrEqual(MAX_INPUT_CHARS * 8);
        }
      }
    });
  }

  test('100 KB input is cut before any work', () => {
    const started = normalizeCompany(`${'acme '.repeat(20_000)}inc`);
    expect(started!.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
  });
});
