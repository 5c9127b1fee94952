import { describe, expect, test } from 'vitest';
import {
  bindComparator,
  type ComparatorConfig,
  jaro,
  jaroWinkler,
  levenshtein,
  tokenSet,
  tokenSetSimilarity,
  typoDistance,
} from '../../src/core/compare/index.js';
import { NORMALIZERS, type NormalizerName } from '../../src/core/normalize/index.js';

describe('Jaro-Winkler', () => {
  test.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DIXON', 'DICKSONX', 0.813],
    ['DWAYNE', 'DUANE', 0.84],
    ['JELLYFISH', 'SMELLYFISH', 0.896],
    ['CRATE', 'TRACE', 0.733],
    ['abc', 'abc', 1],
    ['abc', 'xyz', 0],
    ['', 'abc', 0],
    ['', '', 0],
  ])('%s / %s ≈ %d', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 3);
  });

  test('Jaro without the prefix boost', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaro('DIXON', 'DICKSONX')).toBeCloseTo(0.767, 3);
  });

  test('long strings (beyond the initial scratch buffers) still work', () => {
    const a = 'a'.repeat(300) + 'b';
    const b = 'a'.repeat(300) + 'c';
    expect(jaroWinkler(a, b)).toBeGreaterThan(0.99);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
  });
});

describe('edit distances', () => {
  test.each([
    ['kitten', 'sitting', 3, 3],
    ['marhta', 'martha', 2, 1],
    ['8621590287', '8612590287', 2, 1],
    ['abcd', 'badc', 3, 2],
    ['abc', 'abc', 0, 0],
    ['', 'abc', 3, 3],
    ['jacob', 'jac ob', 1, 1],
  ])('%s / %s: levenshtein %d, typo distance %d', (a, b, lev, typo) => {
    expect(levenshtein(a, b)).toBe(lev);
    expect(typoDistance(a, b)).toBe(typo);
  });
});

describe('token set', () => {
  test.each([
    ['acme widgets', 'widgets acme', 1],
    ['acme widgets', 'acme widgets international', 0.8],
    ['88889 riley prairie apt 100', '88889 riley prairie aapt 100', 1],
    ['4335 thomas mills', '24335 thomas mills', 2 / 3],
    ['306 april dam', '3b6 april dam', 1],
    ['foo', 'bar', 0],
  ])('%j / %j → %d', (a, b, expected) => {
    expect(tokenSetSimilarity(tokenSet(a), tokenSet(b), 0.88)).toBeCloseTo(expected, 5);
  });

  test('tokenSet sorts and deduplicates', () => {
    expect(tokenSet('b a b c')).toEqual(['a', 'b', 'c']);
  });
});

/** Level of two raw values under a comparator, through the normalizer as prepareRecord would do it. */
function level(
  config: ComparatorConfig,
  normalizer: NormalizerName,
  a: string,
  b: string,
  country = 'US',
): number {
  const c = bindComparator(config);
  const n = NORMALIZERS[normalizer];
  const ctx = { country, defaultCountry: null };
  const prep = (raw: string) => {
    const v = n.normalize(raw, ctx);
    if (v === null) throw new Error(`test value ${raw} does not normalize`);
    return c.prepare(v, n.key(v));
  };
  return c.compare(prep(a), prep(b));
}

describe('comparator levels', () => {
  const name: ComparatorConfig = { type: 'name', thresholds: [0.92, 0.85], phonetic: true, initials: true };
  test.each([
    ['Robert', 'Bob', 5],
    ['Robert', 'robert', 5],
    ['Samantha', 'Sam', 5],
    ['Samuel', 'Sam', 5],
    ['Дмитрий', 'Dmitriy', 5],
    ['Martha', 'Marhta', 4],
    ['Jonathan', 'Jonathon', 4],
    ['Catherine', 'Katharine', 5],
    ['Steven', 'Stephen', 5],
    ['Jeffery', 'Jeffrey', 5],
    ['Dixon', 'Dickson', 4],
    ['Frank', 'Frxnk', 3],
    ['Kyle', 'Kye', 4],
    ['John', 'J', 1],
    ['John', 'P', 0],
    ['John', 'Maria', 0],
  ])('name %s / %s → %d', (a, b, expected) => {
    expect(level(name, 'given_name', a, b)).toBe(expected);
    expect(level(name, 'given_name', b, a)).toBe(expected);
  });

  test('phonetic level sits below the Jaro-Winkler bands', () => {
    const strict: ComparatorConfig = { type: 'name', thresholds: [0.97], phonetic: true, initials: true };
    expect(level(strict, 'family_name', 'Smith', 'Smyth')).toBe(2);
    expect(level({ ...strict, phonetic: false }, 'family_name', 'Smith', 'Smyth')).toBe(0);
  });

  const email: ComparatorConfig = { type: 'email', fuzzyThreshold: 0.9 };
  test.each([
    ['John.Smith@gmail.com', 'johnsmith+crm@googlemail.com', 3],
    ['jsmith@acme.com', 'jsmith@acme.co.uk', 2],
    ['evied56@harris-bailey.net', 'evihd56@earris-bailey.net', 1],
    ['info@acme.com', 'info@globex.com', 0],
    ['info@acme.com', 'info@acme.co', 1],
    ['john@gmail.com', 'jane@gmail.com', 0],
  ])('email %s / %s → %d', (a, b, expected) => {
    expect(level(email, 'email', a, b)).toBe(expected);
  });

  const phone: ComparatorConfig = { type: 'phone', tailDigits: 8, fuzzy: true };
  test.each([
    ['+1 (415) 555-2671', '415.555.2671', 3],
    ['+1 415 555 2671', '+44 415 555 2671', 2],
    ['4155552671', '4155552761', 1],
    ['4155552671', '2125550000', 0],
  ])('phone %s / %s → %d', (a, b, expected) => {
    expect(level(phone, 'phone', a, b)).toBe(expected);
  });

  const date: ComparatorConfig = { type: 'date', withinDays: 365 };
  test.each([
    ['1990-03-04', '19900304', 4],
    ['1990-03-04', '1990-04-03', 3],
    ['1990-03-04', '1990-03-14', 2],
    ['1986-03-04', '1968-03-04', 2],
    ['1990-03-04', '1990-07-19', 1],
    ['1990-03-04', '1995-07-19', 0],
  ])('date %s / %s → %d', (a, b, expected) => {
    expect(level(date, 'date', a, b)).toBe(expected);
  });

  const jw: ComparatorConfig = { type: 'jaro_winkler', thresholds: [0.94, 0.85] };
  const lev: ComparatorConfig = { type: 'levenshtein', maxDistances: [1, 2] };
  const tokens: ComparatorConfig = { type: 'token_set', thresholds: [0.8, 0.5], tokenThreshold: 0.9 };
  test.each<[ComparatorConfig, string, string, number]>([
    [jw, 'London', 'Londdon', 2],
    [jw, 'London', 'Paris', 0],
    [lev, '6988048', '6988084', 2],
    [lev, '6988048', '6988048', 3],
    [lev, '6988048', '1234567', 0],
    [{ type: 'exact' }, 'FR', 'fr', 1],
    [tokens, 'Acme Widgets', 'Widgets Acme', 2],
  ])('%j: %s / %s → %d', (config, a, b, expected) => {
    expect(level(config, 'text', a, b)).toBe(expected);
  });

  test('k is the exact level and counts the configured bands', () => {
    expect(bindComparator(name).k).toBe(5);
    expect(bindComparator({ ...name, phonetic: false, initials: false }).k).toBe(3);
    expect(bindComparator(email).k).toBe(3);
    expect(bindComparator({ type: 'email', fuzzyThreshold: null }).k).toBe(2);
    expect(bindComparator(phone).k).toBe(3);
    expect(bindComparator(date).k).toBe(4);
    expect(bindComparator({ type: 'date', withinDays: null }).k).toBe(3);
    expect(bindComparator({ type: 'exact' }).k).toBe(1);
  });
});
