import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  compareRecords,
  DEFAULT_PROFILE,
  levelCounts,
  type MatchingProfile,
  ProfileError,
  parseProfile,
  prepareRecord,
  tfValue,
} from '../../src/core/profile/index.js';

const readProfile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../profiles/${name}.json`, import.meta.url), 'utf8'));

/** The default profile as loosely typed plain data, for breaking it on purpose. */
interface Draft {
  fields: Array<{
    name: string;
    source: string;
    normalizer: string;
    comparator: Record<string, unknown>;
    m?: number[];
    u?: number[];
  }>;
  blocking: { keys: Array<{ name: string; parts: string[] }>; maxBucketSize: number };
  thresholds: { merge: number; review: number };
  cluster: { maxClusterSize: number };
  defaultCountry: string | null;
  [key: string]: unknown;
}

/** A deep copy of the default profile with one change applied. */
function mutated(change: (p: Draft) => void): unknown {
  const copy = structuredClone(DEFAULT_PROFILE) as unknown as Draft;
  change(copy);
  return copy;
}

function issuesOf(input: unknown): string[] {
  try {
    parseProfile(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    return [...(e as ProfileError).issues];
  }
  throw new Error('profile was accepted');
}

describe('profiles', () => {
  test('the default profile is valid', () => {
    expect(parseProfile(DEFAULT_PROFILE)).toEqual(DEFAULT_PROFILE);
  });

  test('profiles/default.json is the same object as DEFAULT_PROFILE', () => {
    expect(readProfile('default')).toEqual(DEFAULT_PROFILE);
  });

  test.each(['default', 'febrl', 'dava', 'splink_fake_1000'])('profiles/%s.json is valid', (name) => {
    const p = parseProfile(readProfile(name));
    expect(p.name).toBe(name);
    expect(levelCounts(p)).toHaveLength(p.fields.length);
  });

  test('a parsed profile is deeply frozen', () => {
    const p = parseProfile(readProfile('default'));
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.fields[0]!.comparator)).toBe(true);
    expect(() => {
      (p.thresholds as { merge: number }).merge = 0.1;
    }).toThrow(TypeError);
  });

  test.each([
    ['unknown normalizer', (p: Draft) => (p.fields[0]!.normalizer = 'soundex'), 'fields.0.normalizer'],
    ['bad source', (p: Draft) => (p.fields[1]!.source = 'surname'), 'fields.1.source'],
    [
      'unsorted thresholds',
      (p: Draft) => (p.fields[0]!.comparator.thresholds = [0.8, 0.9]),
      'fields.0.comparator.thresholds',
    ],
    [
      'threshold out of range',
      (p: Draft) => (p.fields[5]!.comparator.thresholds = [1.5]),
      'fields.5.comparator.thresholds.0',
    ],
    [
      'comparator/normalizer mismatch',
      (p: Draft) => (p.fields[2]!.comparator = { type: 'phone', tailDigits: 8, fuzzy: true }),
      'fields.2.comparator.type',
    ],
    ['duplicate field', (p: Draft) => (p.fields[1]!.name = 'first_name'), 'fields.1.name'],
    [
      'swapWith to nothing',
      (p: Draft) => (p.fields[0]!.comparator.swapWith = 'nobody'),
      'fields.0.comparator.swapWith',
    ],
    ['m of wrong length', (p: Draft) => (p.fields[7]!.m = [0.5, 0.25, 0.25]), 'fields.7.m'],
    ['m not summing to 1', (p: Draft) => (p.fields[7]!.m = [0.5, 0.6]), 'fields.7.m'],
    [
      'unknown blocking function',
      (p: Draft) => (p.blocking.keys[0]!.parts = ['soundex(email)']),
      'blocking.keys.0.parts.0',
    ],
    [
      'blocking ref unknown',
      (p: Draft) => (p.blocking.keys[0]!.parts = ['nickname']),
      'blocking.keys.0.parts.0',
    ],
    [
      'prefix without length',
      (p: Draft) => (p.blocking.keys[0]!.parts = ['prefix(email)']),
      'blocking.keys.0.parts.0',
    ],
    [
      'local() of a non-email',
      (p: Draft) => (p.blocking.keys[0]!.parts = ['local(city)']),
      'blocking.keys.0.parts.0',
    ],
    ['duplicate blocking key', (p: Draft) => (p.blocking.keys[1]!.name = 'email'), 'blocking.keys.1.name'],
    ['bucket cap too small', (p: Draft) => (p.blocking.maxBucketSize = 1), 'blocking.maxBucketSize'],
    ['review above merge', (p: Draft) => (p.thresholds.review = 0.999), 'thresholds.review'],
    ['unknown key', (p: Draft) => (p.extra = 1), '(root)'],
    ['bad country', (p: Draft) => (p.defaultCountry = 'gbr'), 'defaultCountry'],
  ])('rejects %s, naming %s', (_label, change, path) => {
    const issues = issuesOf(mutated(change));
    expect(issues.some((i) => i.startsWith(`${path}:`))).toBe(true);
  });

  test('every bad path is listed, not just the first', () => {
    const issues = issuesOf(
      mutated((p) => {
        p.fields[0]!.normalizer = 'soundex';
        p.blocking.maxBucketSize = 0;
        p.cluster.maxClusterSize = -1;
      }),
    );
    expect(issues.length).toBeGreaterThanOrEqual(3);
    expect(issues.join('\n')).toMatch(
      /fields\.0\.normalizer[\s\S]*blocking\.maxBucketSize[\s\S]*cluster\.maxClusterSize/,
    );
  });

  test.each([null, 42, 'profile', [], {}])('rejects non-profile %j', (input) => {
    expect(() => parseProfile(input)).toThrow(ProfileError);
  });

  test('m/u starting values of the right length are accepted', () => {
    const p = parseProfile(
      mutated((x) => {
        x.fields[7]!.m = [0.1, 0.9];
        x.fields[7]!.u = [0.7, 0.3];
      }),
    );
    expect(p.fields[7]!.m).toEqual([0.1, 0.9]);
  });
});

describe('prepareRecord / compareRecords', () => {
  const profile: MatchingProfile = DEFAULT_PROFILE;
  const base = {
    id: 1,
    first_name: 'Robert',
    last_name: 'Smith',
    email: 'Rob.Smith@gmail.com',
    phone: '(415) 555-2671',
    company: 'Acme, Inc.',
    city: 'San Francisco',
    country: 'US',
    postcode: '94105',
    attributes: {},
  };

  test('levelCounts is k+2 per field', () => {
    expect(levelCounts(profile)).toEqual([7, 6, 5, 5, 5, 4, 4, 3]);
  });

  test('a duplicate with nickname, Gmail variant, other phone format and legal form agrees exactly', () => {
    const a = prepareRecord(profile, base);
    const b = prepareRecord(profile, {
      ...base,
      id: 2,
      first_name: 'Bob',
      email: 'robsmith+crm@googlemail.com',
      phone: '+1 415 555 2671',
      company: 'ACME Incorporated',
    });
    const counts = levelCounts(profile);
    expect([...compareRecords(profile, a, b)]).toEqual(counts.map((c) => c - 2));
  });

  test('missing values are -1, disagreement 0', () => {
    const a = prepareRecord(profile, base);
    const b = prepareRecord(profile, {
      id: 3,
      first_name: 'Maria',
      last_name: null,
      email: '',
      country: 'US',
    });
    const v = compareRecords(profile, a, b);
    expect(v).toBeInstanceOf(Int8Array);
    expect([...v]).toEqual([0, -1, -1, -1, -1, -1, -1, 1]);
  });

  test('swapped first and last names agree crosswise, below exact', () => {
    const a = prepareRecord(profile, { first_name: 'Isla', last_name: 'Hall' });
    const b = prepareRecord(profile, { first_name: 'Hall', last_name: 'Isla' });
    const [first, last] = compareRecords(profile, a, b);
    expect(first).toBe(levelCounts(profile)[0]! - 3);
    expect(last).toBe(levelCounts(profile)[1]! - 3);
  });

  test('attributes are read from an object or from JSON text; ids are numbers', () => {
    const febrl = parseProfile(readProfile('febrl'));
    const i = febrl.fields.findIndex((f) => f.name === 'soc_sec_id');
    const a = prepareRecord(febrl, { id: '7', attributes: { soc_sec_id: 6988048 } });
    const b = prepareRecord(febrl, { id: 8, attributes: '{"soc_sec_id":"6988048"}' });
    const c = prepareRecord(febrl, { id: 9, attributes: 'not json' });
    expect(a.id).toBe(7);
    expect(a.keys[i]).toBe('6988048');
    expect(b.keys[i]).toBe('6988048');
    expect(c.keys[i]).toBeNull();
    expect(compareRecords(febrl, a, b)[i]).toBe(levelCounts(febrl)[i]! - 2);
  });

  test('tfValue gives the normalized value for tf fields and null otherwise', () => {
    const a = prepareRecord(profile, base);
    expect(tfValue(profile, 0, a)).toBe('robert');
    expect(tfValue(profile, 2, a)).toBe('robsmith@gmail.com');
    expect(tfValue(profile, 6, a)).toBeNull(); // postcode: tf off
    expect(() => tfValue(profile, 99, a)).toThrow(RangeError);
  });

  test('prepared records are plain data (structured-cloneable for worker threads)', () => {
    const a = prepareRecord(profile, base);
    const copy = structuredClone(a);
    expect([...compareRecords(profile, a, copy)]).toEqual([...compareRecords(profile, a, a)]);
  });
});
