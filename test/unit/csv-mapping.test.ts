import { describe, expect, it } from 'vitest';
import {
  buildMapping,
  CONTACT_FIELDS,
  type ColumnTarget,
  CsvMappingError,
  describeTarget,
  fieldForHeader,
  HEADER_ALIASES,
  parseMapOption,
  rowBuilder,
  toContactRow,
} from '../../src/core/csv-mapping.js';

const field = (f: (typeof CONTACT_FIELDS)[number]): ColumnTarget => ({ kind: 'field', field: f });
const attr = (key: string): ColumnTarget => ({ kind: 'attribute', key });
const skip: ColumnTarget = { kind: 'skip' };

describe('fieldForHeader', () => {
  it.each([
    ['first_name', 'first_name'],
    ['First Name', 'first_name'],
    ['  FIRST-NAME ', 'first_name'],
    ['given_name', 'first_name'],
    [' given_name', 'first_name'],
    ['firstname', 'first_name'],
    ['Surname', 'last_name'],
    ['lastname', 'last_name'],
    ['E-mail', 'email'],
    ['mail', 'email'],
    ['phone_number', 'phone'],
    ['Mobile', 'phone'],
    ['tel', 'phone'],
    ['organisation', 'company'],
    ['Organization', 'company'],
    ['company_name', 'company'],
    ['title', 'job_title'],
    ['Job Title', 'job_title'],
    ['zip', 'postcode'],
    ['ZIP code', 'postcode'],
    ['postal_code', 'postcode'],
    ['id', 'external_id'],
    ['rec_id', 'external_id'],
    ['record_id', 'external_id'],
    ['unique_id', 'external_id'],
    ['external_id', 'external_id'],
    ['city', 'city'],
    ['country', 'country'],
  ])('%j -> %s', (header, expected) => {
    expect(fieldForHeader(header)).toBe(expected);
  });

  it.each(['suburb', 'date_of_birth', 'attributes', 'owner_id', 'created_at', 'merged_into', 'first', ''])(
    '%j maps to no contact column',
    (header) => {
      expect(fieldForHeader(header)).toBeUndefined();
    },
  );

  it('every alias points at a contact column', () => {
    for (const target of Object.values(HEADER_ALIASES)) expect(CONTACT_FIELDS).toContain(target);
  });
});

describe('parseMapOption', () => {
  it.each<[string, [string, ColumnTarget][]]>([
    ['a=first_name', [['a', field('first_name')]]],
    [
      ' Given Name = first_name , dob=attributes.birth date',
      [
        ['given_name', field('first_name')],
        ['dob', attr('birth date')],
      ],
    ],
    ['ssn=-', [['ssn', skip]]],
    ['x=email,', [['x', field('email')]]],
    ['k=attributes.a=b', [['k', attr('a=b')]]],
  ])('%j', (spec, expected) => {
    const parsed = parseMapOption(spec);
    expect([...parsed].map(([key, { target }]) => [key, target])).toEqual(expected);
  });

  it('accumulates repeated options', () => {
    const first = parseMapOption('a=email');
    const both = parseMapOption('b=phone', first);
    expect([...both.keys()]).toEqual(['a', 'b']);
    expect([...first.keys()]).toEqual(['a']);
  });

  it.each([
    ['a=surname', /unknown field "surname"/],
    ['a=owner_id', /unknown field "owner_id"/],
    ['a=Attributes', /unknown field "Attributes"/],
    ['a=attributes.', /no attribute key/],
    ['a=', /unknown field ""/],
    ['first_name', /"first_name" is not column=field/],
    ['=email', /"=email" is not column=field/],
    ['a=email,A=phone', /names column "A" twice/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseMapOption(spec)).toThrow(CsvMappingError);
    expect(() => parseMapOption(spec)).toThrow(message);
  });

  it('the unknown-field message lists the valid targets', () => {
    expect(() => parseMapOption('a=nope')).toThrow(
      /external_id, first_name.*postcode, attributes\.<key>, or -/,
    );
  });
});

describe('buildMapping', () => {
  it.each<[string, string[], string | undefined, string[]]>([
    [
      'febrl header with spaces',
      ['rec_id', ' given_name', ' surname', ' suburb', ' postcode'],
      undefined,
      ['external_id', 'first_name', 'last_name', 'attributes.suburb', 'postcode'],
    ],
    [
      'splink',
      ['unique_id', 'first_name', 'surname', 'dob', 'city', 'email', 'cluster'],
      undefined,
      ['external_id', 'first_name', 'last_name', 'attributes.dob', 'city', 'email', 'attributes.cluster'],
    ],
    ['override to a field', ['name', 'x'], 'name=last_name', ['last_name', 'attributes.x']],
    [
      'override to an attribute',
      ['email', 'tel'],
      'tel=attributes.landline',
      ['email', 'attributes.landline'],
    ],
    ['skip a column', ['email', 'ssn'], 'ssn=-', ['email', '- (skipped)']],
    // The override claims external_id, so the auto-mapped id column is kept as an attribute.
    [
      'override wins over auto-mapping',
      ['id', 'crm_key', 'email'],
      'crm_key=external_id',
      ['attributes.id', 'external_id', 'email'],
    ],
    [
      'same attribute name in different case is two keys',
      ['email', 'Note', 'note'],
      undefined,
      ['email', 'attributes.Note', 'attributes.note'],
    ],
  ])('%s', (_name, headers, spec, expected) => {
    const mapping = buildMapping(headers, spec ? parseMapOption(spec) : undefined);
    expect(mapping.targets.map(describeTarget)).toEqual(expected);
    expect(mapping.headers).toEqual(headers.map((h) => h.trim()));
  });

  it.each<[string, string[], string | undefined, RegExp]>([
    [
      'no identifying column',
      ['id', 'city', 'notes'],
      undefined,
      /no column maps to first_name, last_name, email, phone/,
    ],
    ['identifying column skipped', ['email', 'x'], 'email=-', /no column maps to/],
    [
      'two columns into one field',
      ['email', 'mail'],
      undefined,
      /"email" \(1\) and "mail" \(2\) both map to email/,
    ],
    ['two overrides into one field', ['a', 'b'], 'a=email,b=email', /both map to email/],
    ['two columns into one attribute', ['email', 'x', 'x '], undefined, /both map to attributes\.x/],
    [
      'override into an existing attribute',
      ['email', 'x', 'y'],
      'y=attributes.x',
      /both map to attributes\.x/,
    ],
    [
      '--map column not in the header',
      ['email'],
      'phone_no=phone',
      /--map names column "phone_no", which is not in the header \(email\)/,
    ],
    ['--map column matching two headers', ['email', 'Note', 'note'], 'note=-', /matches 2 header columns/],
    ['empty header name', ['email', ' ', 'x'], undefined, /column 2 has an empty header name/],
  ])('refuses: %s', (_name, headers, spec, message) => {
    const overrides = spec ? parseMapOption(spec) : undefined;
    expect(() => buildMapping(headers, overrides)).toThrow(CsvMappingError);
    expect(() => buildMapping(headers, overrides)).toThrow(message);
  });
});

describe('building contact rows', () => {
  const mapping = buildMapping(
    ['ID', 'First Name', 'email', 'Favourite Colour', 'ssn', 'zip'],
    parseMapOption('ssn=-'),
  );

  it.each<[string, string[], (string | null)[], Record<string, string>]>([
    [
      'all filled',
      ['c-1', 'Ann', 'ann@x.org', 'blue', '123', '4000'],
      ['c-1', 'Ann', null, 'ann@x.org', null, null, null, null, null, '4000'],
      { 'Favourite Colour': 'blue' },
    ],
    [
      'empty cells become null and leave attributes out',
      ['', 'Bob', '', '', '999', ''],
      [null, 'Bob', null, null, null, null, null, null, null, null],
      {},
    ],
    [
      'values are taken as they are (trimming is the parser option)',
      [' c-2 ', ' ', 'x', ' red ', '', ''],
      [' c-2 ', ' ', null, 'x', null, null, null, null, null, null],
      { 'Favourite Colour': ' red ' },
    ],
  ])('%s', (_name, record, values, attributes) => {
    // values are in CONTACT_FIELDS order: external_id, first_name, last_name, email, ...
    expect(toContactRow(mapping, record)).toEqual({ values, attributes });
  });

  it('knows which column holds external_id', () => {
    expect(rowBuilder(mapping).externalIdColumn).toBe(0);
    expect(rowBuilder(buildMapping(['email', 'id'])).externalIdColumn).toBe(1);
    expect(rowBuilder(buildMapping(['email'])).externalIdColumn).toBe(-1);
  });
});
