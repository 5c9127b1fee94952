import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  type ContactInput,
  compareCompiled,
  compileProfile,
  DEFAULT_PROFILE,
  PackedRecordError,
  packRecord,
  parseProfile,
  prepareCompiled,
  tfValuesOf,
  unpackRecord,
  unpackStored,
} from '../../src/core/profile/index.js';
import { generateCrm } from '../../src/core/synthetic/index.js';

/** The stored form of a prepared record must give back exactly what the indexer prepared. */

const febrl = compileProfile(
  parseProfile(JSON.parse(readFileSync(new URL('../../profiles/febrl.json', import.meta.url), 'utf8'))),
);
const crm = compileProfile(DEFAULT_PROFILE);

const CONTACTS: [string, ReturnType<typeof compileProfile>, ContactInput][] = [
  [
    'every default field',
    crm,
    {
      id: 7,
      first_name: 'Bob',
      last_name: "O'Neil-Smith",
      email: 'Bob.Smith+crm@GMail.com',
      phone: '+44 20 7946 0958',
      company: 'Acme Holdings Ltd.',
      city: 'London',
      postcode: 'SW1A 1AA',
      country: 'GB',
    },
  ],
  ['nothing but an id', crm, { id: 8 }],
  ['no id, emoji and RTL', crm, { first_name: '😀', last_name: 'שָׁלוֹם', email: 'not an email' }],
  [
    'transliterated names',
    crm,
    { id: 9, first_name: 'Дмитрий', last_name: 'Иванов', company: 'ООО Ромашка' },
  ],
  [
    'custom attributes (febrl)',
    febrl,
    {
      id: 10,
      first_name: 'sarah',
      last_name: 'thompson',
      attributes: { date_of_birth: '19560412', soc_sec_id: '1234567', street_number: '12' },
    },
  ],
];

describe('packed prepared records', () => {
  test.each(CONTACTS)('%s: unpack(pack(r)) equals r', (_name, compiled, contact) => {
    const prepared = prepareCompiled(compiled, contact);
    const hashes = [4503599627370495, 1, 77];
    const { record: back, keyHashes } = unpackStored(compiled, packRecord(prepared, hashes));
    expect(back).toEqual(JSON.parse(JSON.stringify(prepared)));
    expect(keyHashes).toEqual(hashes);
    expect(tfValuesOf(compiled, back)).toEqual(tfValuesOf(compiled, prepared));
  });

  test('compares the same after a round trip (synthetic CRM pairs)', () => {
    const contacts: ContactInput[] = [];
    const options = { contacts: 400, duplicateRate: 0.3, activitiesPerContact: 0, seed: 11 };
    for (const b of generateCrm({ ...options, firstContactId: 1, users: 5, lists: 0 }))
      contacts.push(...(b.contacts as unknown as ContactInput[]));
    const recs = contacts.map((c) => prepareCompiled(crm, c));
    const back = recs.map((r) => unpackRecord(crm, packRecord(r, [])));
    for (let i = 0; i + 1 < recs.length; i++) {
      expect([...compareCompiled(crm, back[i]!, back[i + 1]!)]).toEqual([
        ...compareCompiled(crm, recs[i]!, recs[i + 1]!),
      ]);
    }
  });

  test('is about half the size of the full record', () => {
    const rec = prepareCompiled(crm, CONTACTS[0]![2]);
    expect(packRecord(rec, []).length).toBeLessThan(JSON.stringify(rec).length * 0.6);
  });

  test.each([
    ['not JSON', '{not json'],
    ['not an array', '{"id":1}'],
    ['wrong field count', JSON.stringify([1, [null], [], []])],
    ['extra not an array', JSON.stringify([1, new Array(crm.fields.length).fill(null), null, []])],
    ['no key hashes', JSON.stringify([1, new Array(crm.fields.length).fill(null), []])],
  ])('refuses %s', (_name, text) => {
    expect(() => unpackRecord(crm, text)).toThrow(text === '{not json' ? SyntaxError : PackedRecordError);
  });
});
