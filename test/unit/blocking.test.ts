import { describe, expect, test } from 'vitest';
import {
  blockingKeyHashes,
  blockingKeys,
  fnv1a52,
  fnv1a64,
  splitOversizedBucket,
} from '../../src/core/blocking.js';
import {
  type ContactInput,
  compileProfile,
  DEFAULT_PROFILE,
  type MatchingProfile,
  parseProfile,
  prepareRecord,
} from '../../src/core/profile/index.js';
import { smithSplitProfile } from '../support/profiles.js';

const profile = DEFAULT_PROFILE;
const keysOf = (c: ContactInput) => blockingKeys(profile, prepareRecord(profile, c)).map((k) => k.key);
const shared = (a: ContactInput, b: ContactInput) => {
  const ka = new Set(keysOf(a));
  return keysOf(b).filter((k) => ka.has(k));
};

const PEOPLE: Record<string, ContactInput> = {
  robert: {
    first_name: 'Robert',
    last_name: 'Smith',
    email: 'robert.smith@gmail.com',
    phone: '+1 415 555 2671',
    company: 'Acme Inc.',
    city: 'San Francisco',
    country: 'US',
    postcode: '94105',
  },
  dmitry: {
    first_name: 'Дмитрий',
    last_name: 'Иванов',
    email: 'd.ivanov@yandex.ru',
    phone: '+7 495 123-45-67',
    company: 'Romashka LLC',
    city: 'Москва',
    country: 'RU',
    postcode: '101000',
  },
  katherine: {
    first_name: 'Katherine',
    last_name: 'Müller',
    email: 'k.mueller@firma.de',
    phone: '030 1234567',
    company: 'Müller Bau GmbH',
    city: 'Berlin',
    country: 'DE',
    postcode: '10115',
  },
  giorgos: {
    first_name: 'Γιώργος',
    last_name: 'Παπαδόπουλος',
    email: 'gpapadopoulos@otenet.gr',
    phone: '210 987 6543',
    company: 'Olympic S.A.',
    city: 'Αθήνα',
    country: 'GR',
    postcode: '105 57',
  },
};

type Corruption = (c: ContactInput) => ContactInput;
const typo = (s: string) => s.slice(0, 2) + s[3] + s[2] + s.slice(4);
const CORRUPTIONS: Record<string, Corruption> = {
  job_change: (c) => ({ ...c, company: 'Globex Corporation', job_title: 'CTO' }),
  missing_email: (c) => ({ ...c, email: null }),
  missing_phone: (c) => ({ ...c, phone: null }),
  missing_company: (c) => ({ ...c, company: null }),
  email_case: (c) => ({ ...c, email: String(c.email).toUpperCase() }),
  email_gmail_dots: (c) => ({
    ...c,
    email: String(c.email).replace('@gmail.com', '@googlemail.com').replace('.', ''),
  }),
  email_plus_tag: (c) => ({ ...c, email: String(c.email).replace('@', '+newsletter@') }),
  email_domain: (c) => ({ ...c, email: String(c.email).replace(/@.*/, '@example.org') }),
  email_typo: (c) => ({ ...c, email: typo(String(c.email)) }),
  phone_format: (c) => ({
    ...c,
    phone: String(c.phone)
      .replace(/\D/g, '')
      .replace(/^(\d{3})/, '($1) '),
  }),
  company_suffix: (c) => ({
    ...c,
    company: String(c.company).replace(/ (Inc\.|LLC|GmbH|S\.A\.)$/, ' Limited'),
  }),
  transliteration: (c) => ({
    ...c,
    first_name: { Дмитрий: 'Dmitrii', Γιώργος: 'Yiorgos' }[String(c.first_name)] ?? c.first_name,
    last_name:
      { Иванов: 'Ivanov', Παπαδόπουλος: 'Papadopoulos', Müller: 'Mueller' }[String(c.last_name)] ??
      c.last_name,
    city: { Москва: 'Moskva', Αθήνα: 'Athina' }[String(c.city)] ?? c.city,
  }),
  diacritics: (c) => ({
    ...c,
    last_name: String(c.last_name)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, ''),
  }),
  nickname: (c) => ({
    ...c,
    first_name: { Robert: 'Bob', Дмитрий: 'Дима', Katherine: 'Kate', Γιώργος: 'Γεώργιος' }[
      String(c.first_name)
    ],
  }),
  typo: (c) => ({ ...c, last_name: typo(String(c.last_name)) }),
  name_swap: (c) => ({ ...c, first_name: c.last_name, last_name: c.first_name }),
};

describe('duplicates share a blocking key with their original', () => {
  for (const [person, original] of Object.entries(PEOPLE)) {
    test.each(Object.keys(CORRUPTIONS))(`${person}: %s`, (kind) => {
      expect(shared(original, CORRUPTIONS[kind]!(original))).not.toEqual([]);
    });
  }

  // Several corruptions at once, leaving few strong identifiers.
  const COMBOS: string[][] = [
    ['nickname', 'email_domain', 'missing_phone'],
    ['transliteration', 'phone_format', 'missing_email'],
    ['name_swap', 'missing_email', 'missing_phone'],
    ['typo', 'missing_email', 'missing_phone'],
    ['nickname', 'typo', 'missing_email', 'missing_phone'],
    ['company_suffix', 'missing_email', 'missing_phone', 'nickname'],
    ['job_change', 'email_typo', 'phone_format'],
  ];
  for (const [person, original] of Object.entries(PEOPLE)) {
    test.each(COMBOS.map((c) => [c.join('+'), c] as const))(`${person}: %s`, (_label, kinds) => {
      const dup = kinds.reduce((c, k) => CORRUPTIONS[k]!(c), original);
      expect(shared(original, dup)).not.toEqual([]);
    });
  }

  test('different people share no key', () => {
    const people = Object.values(PEOPLE);
    for (let i = 0; i < people.length; i++) {
      for (let j = i + 1; j < people.length; j++) expect(shared(people[i]!, people[j]!)).toEqual([]);
    }
  });
});

describe('blockingKeys', () => {
  test('keys are prefixed with their name, deduplicated, and absent for missing parts', () => {
    const keys = keysOf({ first_name: 'Sam', last_name: 'Smith', email: 'sam@x.com', email2: 'ignored' });
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[a-z_0-9]+:.+/);
    expect(keys).toContain('email:sam@x.com');
    expect(keys.some((k) => k.startsWith('phone:'))).toBe(false); // no phone
    expect(keys.some((k) => k.startsWith('last_name_city:'))).toBe(false); // no city
    // Sam reads as Samuel and Samantha: both phonetic readings are keys.
    expect(keys.filter((k) => k.startsWith('name_phonetic:')).length).toBeGreaterThan(1);
  });

  test('a contact with nothing usable has no keys', () => {
    expect(keysOf({ first_name: '  ', email: 'not an email', phone: 'n/a' })).toEqual([]);
  });

  test('unordered keys ignore which name is first', () => {
    const a = keysOf({ first_name: 'Isla', last_name: 'Hall' }).filter((k) => k.startsWith('name_phonetic'));
    const b = keysOf({ first_name: 'Hall', last_name: 'Isla' }).filter((k) => k.startsWith('name_phonetic'));
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
  });

  test('each key carries the FNV-1a 64 hash of its string', () => {
    for (const { key, hash } of blockingKeys(profile, prepareRecord(profile, PEOPLE.robert!))) {
      expect(hash).toBe(fnv1a64(key));
    }
  });
});

/** Reference FNV-1a 64 in plain bigint arithmetic over TextEncoder bytes. */
function referenceFnv(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(s)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return BigInt.asIntN(64, h);
}

describe('fnv1a64', () => {
  test.each([
    ['', 0xcbf29ce484222325n],
    ['a', 0xaf63dc4c8601ec8cn],
    ['foobar', 0x85944171f73967e8n],
  ])('published vector %j', (s, unsigned) => {
    expect(fnv1a64(s)).toBe(BigInt.asIntN(64, unsigned));
  });

  test.each(['email:john@example.com', 'é', 'Дмитрий', '😀 emoji', '\ud800 lone', 'x'.repeat(1000)])(
    'matches the bigint reference on %j',
    (s) => {
      expect(fnv1a64(s)).toBe(referenceFnv(s));
    },
  );

  test('fits a PostgreSQL bigint and is stable', () => {
    for (const s of ['a', 'b', 'name_phonetic:JN|SM0']) {
      const h = fnv1a64(s);
      expect(h).toBeGreaterThanOrEqual(-(2n ** 63n));
      expect(h).toBeLessThan(2n ** 63n);
      expect(fnv1a64(s)).toBe(h);
    }
    expect(fnv1a64('a')).not.toBe(fnv1a64('b'));
  });
});

describe('splitOversizedBucket', () => {
  const small: MatchingProfile = parseProfile({
    ...structuredClone(DEFAULT_PROFILE),
    blocking: {
      ...structuredClone(DEFAULT_PROFILE.blocking),
      maxBucketSize: 4,
      oversized: {
        secondary: ['initial(first_name)', 'city'],
        sortBy: ['last_name', 'first_name'],
        window: 3,
      },
    },
  });
  const member = (id: number, first: string | null, city: string | null) => ({
    id,
    prepared: prepareRecord(small, { id, first_name: first, last_name: 'Smith', city }),
  });

  test('a pair a multi-valued secondary part yields twice is flagged, both members shared, for the scorer to score once', () => {
    const profile = smithSplitProfile();
    const members = [1, 2, 3].map((id) => ({
      id,
      prepared: prepareRecord(profile, { first_name: 'John', last_name: 'Smith', email: `j${id}@x.com` }),
    }));
    const r = splitOversizedBucket(profile, members);
    const all = [
      ...r.buckets.flatMap((g) => g.flatMap((x, i) => g.slice(i + 1).map((y) => [x, y]))),
      ...r.pairs,
    ].map(([x, y]) => `${Math.min(x!, y!)}-${Math.max(x!, y!)}`);
    const twice = [...new Set(all.filter((k, i) => all.indexOf(k) !== i))];
    expect(twice.length).toBeGreaterThan(0); // Smith is SM0 and XMT: each pair in both groups
    for (const k of twice) for (const id of k.split('-').map(Number)) expect(r.shared.has(id)).toBe(true);
    expect(new Set(all)).toEqual(new Set(['1-2', '1-3', '2-3']));
  });

  test('a bucket within the cap comes back whole', () => {
    const r = splitOversizedBucket(small, [member(1, 'Ann', 'Paris'), member(2, 'Bob', 'Rome')]);
    expect(r.strategy).toBe('none');
    expect(r.buckets).toEqual([[1, 2]]);
    expect(r.pairs).toEqual([]);
  });

  test('a secondary key splits the bucket; members without it form their own group', () => {
    const names = ['Ann', 'Amy', 'Alan', 'Bob', 'Ben', 'Bill', 'Carl', null];
    const members = names.map((n, i) => member(i + 1, n, 'Paris'));
    const r = splitOversizedBucket(small, members);
    expect(r.strategy).toBe('secondary');
    expect(r.pairs).toEqual([]);
    expect(r.report.secondaryUsed).toEqual(['initial(first_name)']);
    expect(r.buckets.every((b) => b.length <= 4)).toBe(true);
    expect(new Set(r.buckets.flat())).toEqual(new Set(members.map((m) => m.id)));
    expect(r.buckets).toContainEqual([8]); // the one without a first name
  });

  test('when secondary keys cannot split, a sorted window pairs neighbours and drops nobody', () => {
    const members = Array.from({ length: 7 }, (_, i) => member(i + 1, 'Ann', 'Paris'));
    const r = splitOversizedBucket(small, members);
    expect(r.strategy).toBe('window');
    expect(r.buckets).toEqual([]);
    expect(r.report.windowedMembers).toBe(7);
    // window 3: each member with the next two → 2+2+2+2+2+1 = 11 pairs
    expect(r.pairs).toHaveLength(11);
    expect(new Set(r.pairs.flat())).toEqual(new Set(members.map((m) => m.id)));
  });

  test('secondary then window: only the part still too big is windowed', () => {
    const members = [
      ...Array.from({ length: 6 }, (_, i) => member(i + 1, 'Ann', 'Paris')),
      member(7, 'Bea', 'Paris'),
      member(8, 'Ben', 'Rome'),
    ];
    const r = splitOversizedBucket(small, members);
    expect(r.strategy).toBe('window');
    expect(r.report.windowedMembers).toBe(6);
    expect(r.buckets).toContainEqual([7, 8]);
    expect(new Set([...r.buckets.flat(), ...r.pairs.flat()])).toEqual(new Set(members.map((m) => m.id)));
  });
});

describe('fnv1a52 and blockingKeyHashes (what the indexer stores)', () => {
  test.each(['', 'a', 'email:john@example.com', 'é', 'Дмитрий', '😀 emoji', '\ud800 lone', 'x'.repeat(1000)])(
    'is the low 52 bits of fnv1a64 for %j',
    (s) => {
      const h = fnv1a52(s);
      expect(Number.isSafeInteger(h)).toBe(true);
      expect(h).toBe(Number(BigInt.asUintN(52, fnv1a64(s))));
    },
  );

  test.each(Object.keys(PEOPLE))('%s: the distinct hashes of blockingKeys', (name) => {
    const rec = prepareRecord(profile, PEOPLE[name]!);
    const expected = [...new Set(blockingKeys(profile, rec).map((k) => Number(BigInt.asUintN(52, k.hash))))];
    expect(blockingKeyHashes(compileProfile(profile), rec)).toEqual(expected);
  });
});
