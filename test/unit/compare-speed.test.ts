import { expect, test } from 'vitest';
import { blockingKeys } from '../../src/core/blocking.js';
import {
  compareCompiled,
  compileProfile,
  DEFAULT_PROFILE,
  levelCounts,
  prepareCompiled,
} from '../../src/core/profile/index.js';

/**
 * Throughput of the comparison step on ~100k random pairs of prepared CRM-like contacts (default
 * profile). Prints pairs/s; asserts only that every level is in range (no timing assertion: the
 * machine is shared). Random pairs mostly disagree, which is the slow path: every fuzzy comparator runs.
 */
const FIRST = [
  'John',
  'Robert',
  'Bob',
  'Maria',
  'Anna',
  'Dmitry',
  'Дмитрий',
  'Katherine',
  'Kate',
  'William',
  'Sam',
  'Li',
  'José',
  'Chloé',
];
const LAST = [
  'Smith',
  'Smyth',
  'Ivanov',
  'Иванов',
  'Garcia',
  'Müller',
  'Mueller',
  'Brown',
  'Nguyen',
  "O'Brien",
  'Kowalski',
  'Rossi',
];
const COMPANY = [
  'Acme Inc.',
  'ACME Incorporated',
  'Globex GmbH',
  'Initech LLC',
  'Umbrella Corp',
  'Stark Industries Ltd',
  null,
];
const CITY = ['London', 'Berlin', 'Paris', 'New York', 'Moscow', 'Madrid', 'Rome', null];
const DOMAIN = ['gmail.com', 'acme.com', 'yahoo.com', 'globex.de'];

test('comparison throughput on 100k random pairs', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const compiled = compileProfile(DEFAULT_PROFILE);
  const contacts = Array.from({ length: 3000 }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      id: i + 1,
      first_name: first,
      last_name: last,
      email: rnd() < 0.8 ? `${first.toLowerCase()}.${last.toLowerCase()}${i % 97}@${pick(DOMAIN)}` : null,
      phone: rnd() < 0.7 ? `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}` : null,
      company: pick(COMPANY),
      city: pick(CITY),
      country: pick(['GB', 'DE', 'US', 'RU']),
      postcode: rnd() < 0.5 ? `SW1A ${i % 9}AA` : null,
    };
  });
  let started = performance.now();
  const prepared = contacts.map((c) => prepareCompiled(compiled, c));
  const prepareMicros = ((performance.now() - started) * 1000) / contacts.length;
  started = performance.now();
  let keys = 0;
  for (const p of prepared) keys += blockingKeys(DEFAULT_PROFILE, p).length;
  const keyMicros = ((performance.now() - started) * 1000) / contacts.length;

  const pairs = 100_000;
  const picks = Int32Array.from({ length: 2 * pairs }, () => Math.floor(rnd() * prepared.length));
  const out = new Int8Array(compiled.fields.length);
  const max = levelCounts(DEFAULT_PROFILE).map((c) => c - 2);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let outOfRange = 0;
    started = performance.now();
    for (let i = 0; i < pairs; i++) {
      compareCompiled(compiled, prepared[picks[2 * i]!]!, prepared[picks[2 * i + 1]!]!, out);
      for (let f = 0; f < out.length; f++) if (out[f]! < -1 || out[f]! > max[f]!) outOfRange++;
    }
    const seconds = (performance.now() - started) / 1000;
    best = Math.max(best, pairs / seconds);
    expect(outOfRange).toBe(0);
  }
  console.log(
    `prepare ${prepareMicros.toFixed(1)} µs/contact, blocking keys ${keyMicros.toFixed(1)} µs/contact (${(keys / contacts.length).toFixed(1)} keys), compare ${Math.round(best).toLocaleString('en')} pairs/s on one core (${(1e6 / best).toFixed(2)} µs/pair)`,
  );
});
