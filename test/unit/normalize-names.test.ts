import { describe, expect, test } from 'vitest';
import {
  canonicalGivenName,
  cleanText,
  foldRomanization,
  NICKNAME_COUNT,
  normalizeName,
  phoneticCodes,
} from '../../src/core/normalize/index.js';

describe('cleanText', () => {
  test.each([
    ['  Hello,   World!  ', 'hello world'],
    ["O'Brien", 'obrien'],
    ['José Müller', 'jose muller'],
    ['Łukasz Wróbel', 'lukasz wrobel'],
    ['Straße', 'strasse'],
    ['Иванов', 'ivanov'],
    ['ＦＵＬＬ width', 'full width'],
    ['e\u0301cole', 'ecole'], // decomposed accent
    ['tab\tand\nnewline', 'tab and newline'],
    ['\u200f\u202eRTL marks\u202c', 'rtl marks'],
    ['😀 Anna 🎉', 'anna'],
    ['', null],
    ['   ', null],
    ['!!!', null],
    ['😀😀', null],
  ])('%j → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('given names: nickname map and romanization', () => {
  test.each([
    ['Bob', 'robert'],
    ['Rob', 'robert'],
    ['ROBBIE', 'robert'],
    ['Robert', 'robert'],
    ['Bill', 'william'],
    ['Will', 'william'],
    ['Kate', 'katherine'],
    ['Katie', 'katherine'],
    ['Cathy', 'katherine'],
    ['Catherine', 'katherine'],
    ['Sasha', 'alexander'],
    ['Саша', 'alexander'],
    ['Aleksandr', 'alexander'],
    ['Dima', 'dmitry'],
    ['Дмитрий', 'dmitry'],
    ['Dmitrii', 'dmitry'],
    ['Dmitriy', 'dmitry'],
    ['Dmitry', 'dmitry'],
    ['Wilhelm', 'william'],
    ['Guillaume', 'william'],
    ['Guillermo', 'william'],
    ['Giuseppe', 'joseph'],
    ['Piotr', 'peter'],
    ['Pyotr', 'peter'],
    ['Małgorzata', 'margaret'],
    ['Gosia', 'margaret'],
    ['Iuliia', 'julia'],
    ['Yuliya', 'julia'],
    ['Юлия', 'julia'],
    ['Yevgeny', 'eugene'],
    ['Evgenii', 'eugene'],
    ['Alexey', 'alexey'],
    ['Aleksey', 'alexey'],
    ['Γιώργος', 'george'],
    ['Yiorgos', 'george'],
    ['Ευάγγελος', 'evangelos'],
    ['Βαγγέλης', 'evangelos'],
    ['Zebedee', 'zebedee'], // unknown names stay themselves
  ])('%s → %s', (input, canonical) => {
    expect(normalizeName(input, 'given')?.canon).toBe(canonical);
  });

  test('the map holds well over 100 spellings', () => {
    expect(NICKNAME_COUNT).toBeGreaterThan(300);
  });

  test('a short form of several names keeps the others as alternatives', () => {
    const sam = normalizeName('Sam', 'given')!;
    expect(sam.canon).toBe('samuel');
    expect(sam.alts).toContain('samantha');
    expect(normalizeName('Chris', 'given')!.alts).toContain('christine');
    expect(normalizeName('Robert', 'given')!.alts).toEqual([]);
  });

  test('canonicalGivenName works on single folded words', () => {
    expect(canonicalGivenName('bobby')).toBe('robert');
    expect(canonicalGivenName('dmitrii')).toBe('dmitry');
    expect(canonicalGivenName('xyzzy')).toBe('xyzzy');
  });

  test.each([
    ['dmitrii', 'dmitry'],
    ['dmitriy', 'dmitry'],
    ['iuliia', 'yulia'],
    ['yuliya', 'yulia'],
    ['natalya', 'natalia'],
    ['aleksey', 'alexey'],
    ['yevgeny', 'evgeny'],
    ['ab', 'ab'],
  ])('foldRomanization %s → %s', (input, expected) => {
    expect(foldRomanization(input)).toBe(expected);
  });
});

describe('name normalization', () => {
  test.each([
    ['Mr. John F', 'given', 'john'],
    ['Dr John Smith Jr', 'full', 'john smith'],
    ['Jean-Pierre', 'given', 'jean peter'],
    ["O'Brien", 'family', 'obrien'],
    ['Müller Jr.', 'family', 'muller'],
    ['van der Berg', 'family', 'van der berg'],
    ['J', 'given', 'j'],
    ['J.', 'given', 'j'],
    ['Иванов', 'family', 'ivanov'],
  ] as const)('%j (%s) → %j', (input, kind, canon) => {
    expect(normalizeName(input, kind)?.canon).toBe(canon);
  });

  test('family names are not nickname-mapped', () => {
    expect(normalizeName('Bill', 'family')!.canon).toBe('bill');
  });

  test('raw keeps the words as written, canon folds romanizations', () => {
    const yuliya = normalizeName('Yuliya', 'family')!;
    expect(yuliya.raw).toBe('yuliya');
    expect(yuliya.canon).toBe('yulia');
  });

  test('raw keeps the written word for typo comparison', () => {
    const bob = normalizeName('Bob', 'given')!;
    expect(bob.raw).toBe('bob');
    expect(bob.phonetic).toEqual([...phoneticCodes('robert'), ...phoneticCodes('bob')]);
  });

  test.each(['', '   ', '...', '😀', '\u0000\u0001'])('nothing usable in %j → null', (input) => {
    expect(normalizeName(input, 'given')).toBeNull();
  });

  test('phonetic codes agree on sound-alike spellings', () => {
    expect(phoneticCodes('smith')).toEqual(expect.arrayContaining(phoneticCodes('smyth').slice(0, 1)));
    expect(phoneticCodes('')).toEqual([]);
    expect(phoneticCodes('123')).toEqual([]);
  });
});
