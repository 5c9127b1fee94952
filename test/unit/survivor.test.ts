import { describe, expect, it } from 'vitest';
import {
  chooseSurvivor,
  countNonEmpty,
  isEmptyValue,
  type SurvivorRecord,
  type SurvivorRule,
} from '../../src/core/survivor.js';

const rec = (
  id: number,
  created: string,
  updated: string,
  fields: Record<string, unknown> = {},
): SurvivorRecord => ({ id, created_at: created, updated_at: updated, ...fields });

const FIELDS = ['email', 'phone', 'first_name', 'last_name'];

// 3 is the most complete; 1 is the oldest; 2 the most recently updated; 1 the lowest id.
const records = [
  rec(2, '2021-05-01T00:00:00Z', '2024-06-01T00:00:00Z', { email: 'a@x.io', phone: '' }),
  rec(1, '2020-01-01T00:00:00Z', '2022-01-01T00:00:00Z', { email: 'a@x.io' }),
  rec(3, '2023-03-01T00:00:00Z', '2023-03-02T00:00:00Z', {
    email: 'a@x.io',
    phone: '+33',
    first_name: 'Ann',
  }),
];

describe('chooseSurvivor', () => {
  it.each([
    { rule: 'most_complete_then_oldest', id: 3 },
    { rule: 'oldest', id: 1 },
    { rule: 'newest', id: 2 },
    { rule: 'lowest_id', id: 1 },
  ] as { rule: SurvivorRule; id: number }[])('$rule picks $id', ({ rule, id }) => {
    expect(chooseSurvivor(records, rule, FIELDS).id).toBe(id);
    expect(chooseSurvivor([...records].reverse(), rule, FIELDS).id).toBe(id);
  });

  it('defaults to most_complete_then_oldest over every non-meta field', () => {
    expect(chooseSurvivor(records).id).toBe(3);
  });

  it.each([
    {
      case: 'equal completeness → oldest',
      rule: 'most_complete_then_oldest',
      input: [
        rec(5, '2022-01-01', '2022-01-01', { email: 'a' }),
        rec(4, '2023-01-01', '2023-01-01', { phone: 'p' }),
      ],
      id: 5,
    },
    {
      case: 'equal completeness and age → lowest id',
      rule: 'most_complete_then_oldest',
      input: [
        rec(9, '2022-01-01', '2022-01-01', { email: 'a' }),
        rec(8, '2022-01-01', '2023-01-01', { phone: 'p' }),
      ],
      id: 8,
    },
    {
      case: 'same created_at → lowest id',
      rule: 'oldest',
      input: [rec(7, '2022-01-01', '2022-01-01'), rec(6, '2022-01-01T00:00:00Z', '2022-01-01')],
      id: 6,
    },
    {
      case: 'same updated_at → lowest id',
      rule: 'newest',
      input: [rec(7, '2022-01-01', '2024-01-01'), rec(6, '2021-01-01', '2024-01-01')],
      id: 6,
    },
    {
      case: 'Date objects and PostgreSQL timestamp text compare as times',
      rule: 'oldest',
      input: [
        rec(1, '2022-01-01 10:00:00+00', 'x'),
        { ...rec(2, 'x', 'x'), created_at: new Date('2022-01-01T09:00:00Z') },
      ],
      id: 2,
    },
    {
      case: 'an unreadable created_at loses',
      rule: 'oldest',
      input: [rec(1, 'not a date', '2022-01-01'), rec(2, '2030-01-01', '2022-01-01')],
      id: 2,
    },
    {
      case: 'an unreadable updated_at loses',
      rule: 'newest',
      input: [rec(1, '2022-01-01', 'garbage'), rec(2, '2022-01-01', '1990-01-01')],
      id: 2,
    },
    {
      case: 'blank strings and empty arrays do not count',
      rule: 'most_complete_then_oldest',
      input: [
        rec(1, '2020-01-01', '2020-01-01', { email: '  ', phone: [], first_name: null }),
        rec(2, '2021-01-01', '2021-01-01', { email: 'b@x.io' }),
      ],
      id: 2,
    },
    {
      case: 'a single record survives',
      rule: 'newest',
      input: [rec(42, '2020-01-01', '2020-01-01')],
      id: 42,
    },
  ] as { case: string; rule: SurvivorRule; input: SurvivorRecord[]; id: number }[])(
    '$case',
    ({ rule, input, id }) => {
      expect(chooseSurvivor(input, rule, FIELDS).id).toBe(id);
    },
  );

  it.each([
    { input: [], rule: 'oldest', why: 'no records' },
    { input: records, rule: 'random', why: 'an unknown rule' },
  ])('rejects $why', ({ input, rule }) => {
    expect(() => chooseSurvivor(input, rule as SurvivorRule)).toThrow(RangeError);
  });
});

describe('completeness', () => {
  it.each([
    { value: null, empty: true },
    { value: undefined, empty: true },
    { value: '', empty: true },
    { value: ' \t', empty: true },
    { value: Number.NaN, empty: true },
    { value: [], empty: true },
    { value: {}, empty: true },
    { value: new Date('nope'), empty: true },
    { value: 'x', empty: false },
    { value: 0, empty: false },
    { value: false, empty: false },
    { value: ['a'], empty: false },
    { value: { k: 1 }, empty: false },
    { value: new Date(0), empty: false },
  ])('isEmptyValue($value) = $empty', ({ value, empty }) => {
    expect(isEmptyValue(value)).toBe(empty);
  });

  it('counts only the listed fields, or every non-meta field', () => {
    const r = rec(1, '2020-01-01', '2020-01-01', { email: 'a', phone: '1', notes: 'n' });
    expect(countNonEmpty(r, ['email', 'missing'])).toBe(1);
    expect(countNonEmpty(r)).toBe(3);
  });
});
