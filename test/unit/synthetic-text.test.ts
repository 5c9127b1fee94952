import { distance } from 'fastest-levenshtein';
import { describe, expect, it } from 'vitest';
import {
  caseVariant,
  EmailRegistry,
  gmailDotsVariant,
  mailboxKey,
  plusTagVariant,
  workLocal,
} from '../../src/core/synthetic/email.js';
import { Rng, zipfTable } from '../../src/core/synthetic/random.js';
import {
  asciiSlug,
  dropDiacritics,
  germanFold,
  transliterateGreek,
  transliterateRussian,
  transliterateUkrainian,
} from '../../src/core/synthetic/translit.js';
import { applyTypo, TYPO_KINDS } from '../../src/core/synthetic/typos.js';

describe('transliteration', () => {
  it.each([
    ['Дмитрий', 'passport', 'Dmitrii'],
    ['Дмитрий', 'popular', 'Dmitry'],
    ['Дмитрий', 'bgn', 'Dmitriy'],
    ['Иванов', 'passport', 'Ivanov'],
    ['Юлия', 'passport', 'Iuliia'],
    ['Юлия', 'popular', 'Yulia'],
    ['Евгений', 'popular', 'Yevgeny'],
    ['Алексей', 'popular', 'Alexey'],
    ['Щукин', 'passport', 'Shchukin'],
    ['Санкт-Петербург', 'passport', 'Sankt-Peterburg'],
    ['Наталья', 'popular', 'Natalya'],
    ['Алексеев', 'popular', 'Alexeyev'],
    ['Алексеев', 'passport', 'Alekseev'],
  ] as const)('Russian %s (%s) → %s', (text, scheme, expected) => {
    expect(transliterateRussian(text, scheme)).toBe(expected);
  });

  it.each([
    ['Сергій', 'kmu', 'Serhii'],
    ['Сергій', 'popular', 'Serhiy'],
    ['Сергій', 'russified', 'Sergiy'],
    ['Олександр', 'kmu', 'Oleksandr'],
    ['Шевченко', 'kmu', 'Shevchenko'],
    ['Юлія', 'kmu', 'Yuliia'],
  ] as const)('Ukrainian %s (%s) → %s', (text, scheme, expected) => {
    expect(transliterateUkrainian(text, scheme)).toBe(expected);
  });

  it.each([
    ['Γιώργος', 'elot', 'Giorgos'],
    ['Γιώργος', 'phonetic', 'Yiorgos'],
    ['Χρήστος', 'elot', 'Christos'],
    ['Χρήστος', 'phonetic', 'Hristos'],
    ['Παπαδόπουλος', 'elot', 'Papadopoulos'],
    ['Ευάγγελος', 'elot', 'Evangelos'],
    ['Ειρήνη', 'phonetic', 'Irini'],
    ['Μπακάλης', 'elot', 'Bakalis'],
  ] as const)('Greek %s (%s) → %s', (text, scheme, expected) => {
    expect(transliterateGreek(text, scheme)).toBe(expected);
  });
});

describe('diacritics', () => {
  it.each([
    ['Müller', 'Muller', 'Mueller'],
    ['José', 'Jose', 'Jose'],
    ['Łukasz', 'Lukasz', 'Lukasz'],
    ['Weiß', 'Weiss', 'Weiss'],
    ['Françoise', 'Francoise', 'Francoise'],
    ['Γιώργος', 'Γιωργος', 'Γιωργος'],
    ['Пётр', 'Петр', 'Петр'],
    ['Андрей', 'Андрей', 'Андрей'],
    ['Smith', 'Smith', 'Smith'],
  ])('%s → %s (dropped), %s (German spelling)', (text, dropped, german) => {
    expect(dropDiacritics(text)).toBe(dropped);
    expect(germanFold(text)).toBe(german);
  });

  it.each([
    ['Jörg', 'jorg'],
    ["O'Brien", 'obrien'],
    ['van den Berg', 'vandenberg'],
  ])('asciiSlug(%s) = %s', (text, slug) => {
    expect(asciiSlug(text)).toBe(slug);
  });
});

describe('typos', () => {
  const rng = new Rng(5);
  it.each(
    TYPO_KINDS.flatMap((kind) =>
      ['Smith', 'Katherine', 'Иванова', 'Παπαδόπουλος'].map((word) => [kind, word] as const),
    ),
  )('%s in %s changes one letter, never the first', (kind, word) => {
    for (let i = 0; i < 30; i++) {
      const out = applyTypo(rng, word, kind);
      expect(out).not.toBe(word);
      expect(out[0]).toBe(word[0]);
      expect(distance(out, word)).toBeLessThanOrEqual(kind === 'transpose' ? 2 : 1);
      if (kind === 'insert') expect(out.length).toBe(word.length + 1);
      if (kind === 'delete') expect(out.length).toBe(word.length - 1);
      if (kind === 'transpose') expect([...out].sort().join('')).toBe([...word].sort().join(''));
    }
  });

  it('leaves words too short to mistype alone', () => {
    expect(applyTypo(rng, 'Li', 'delete')).toBe('Li');
  });
});

describe('e-mail addresses', () => {
  const rng = new Rng(11);
  it.each([
    ['first.last', 'john.smith'],
    ['flast', 'jsmith'],
    ['f.last', 'j.smith'],
    ['firstl', 'johns'],
    ['first_last', 'john_smith'],
    ['first', 'john'],
  ] as const)('work pattern %s gives %s', (pattern, local) => {
    expect(workLocal(pattern, 'john', 'smith')).toBe(local);
  });

  it.each(['john.smith@gmail.com', 'jsmith84@web.de', 'a.b.c@gmail.com'])(
    'variants of %s reach the same mailbox',
    (email) => {
      for (let i = 0; i < 20; i++) {
        const cased = caseVariant(rng, email);
        expect(cased).not.toBe(email);
        expect(mailboxKey(cased)).toBe(mailboxKey(email));
        const tagged = plusTagVariant(rng, email);
        expect(tagged).toMatch(/\+[a-z0-9]+@/);
        expect(mailboxKey(tagged)).toBe(mailboxKey(email));
        if (email.endsWith('@gmail.com')) {
          const dotted = gmailDotsVariant(rng, email);
          expect(dotted).not.toBe(email);
          expect(mailboxKey(dotted)).toBe(mailboxKey(email));
        }
      }
    },
  );

  it('hands out every mailbox once, numbering the later claimants', () => {
    const registry = new EmailRegistry(1000);
    const first = registry.claim(rng, 'john.smith', 'gmail.com', true);
    expect(first).toBe('john.smith@gmail.com');
    expect(registry.has('JohnSmith@gmail.com')).toBe(true);
    const again = new Set([first]);
    for (let i = 0; i < 50; i++) {
      const email = registry.claim(rng, 'john.smith', 'gmail.com', true);
      expect(email).toMatch(/^john\.smith\d+@gmail\.com$/);
      again.add(mailboxKey(email));
    }
    expect(again.size).toBe(51);
    expect(registry.claim(rng, 'j.smith', 'acme.com', false)).toBe('j.smith@acme.com');
    expect(registry.claim(rng, 'j.smith', 'acme.com', false)).toBe('j.smith2@acme.com');
  });
});

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const seq = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.u32());
    };
    expect(seq(42)).toEqual(seq(42));
    expect(seq(42)).not.toEqual(seq(43));
    expect(seq(0)).not.toEqual(seq(1));
    expect(Rng.derive(42, 'a').u32()).not.toBe(Rng.derive(42, 'b').u32());
  });

  it('draws within bounds and around the asked means', () => {
    const r = new Rng(3);
    let sum = 0;
    let poisson = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const k = r.range(3, 7);
      expect(k).toBeGreaterThanOrEqual(3);
      expect(k).toBeLessThanOrEqual(7);
      sum += f;
      poisson += r.poisson(5);
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(poisson / n).toBeCloseTo(5, 1);
    expect(r.hex(16)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('skews Zipf draws towards the head', () => {
    const r = new Rng(9);
    const table = zipfTable(100, 1, 4);
    const counts = new Array(100).fill(0);
    for (let i = 0; i < 20_000; i++) counts[r.weighted(table)]++;
    expect(counts[0]).toBeGreaterThan(3 * counts[50]);
    expect(counts[99]).toBeGreaterThan(0);
  });
});
