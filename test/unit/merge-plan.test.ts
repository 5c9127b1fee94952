import { describe, expect, it } from 'vitest';
import { type ContactRecord, MergeError, type MergeRule, planMerge } from '../../src/core/merge/index.js';

function rec(id: number, fields: Partial<ContactRecord> = {}): ContactRecord {
  return {
    id,
    external_id: null,
    first_name: null,
    last_name: null,
    email: null,
    phone: null,
    company: null,
    job_title: null,
    city: null,
    country: null,
    postcode: null,
    attributes: {},
    owner_id: null,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    merged_into: null,
    merged_at: null,
    ...fields,
  };
}

// survivor 1, losers 2 and 3 (in that order)
const S = 1;
const L = [2, 3];

describe('field rules', () => {
  const cases: {
    name: string;
    rule: MergeRule;
    field: 'company' | 'city' | 'email';
    records: Partial<ContactRecord>[];
    chosen: unknown;
    from: number | null;
    conflict: boolean;
  }[] = [
    {
      name: 'survivor wins when it has a value',
      rule: 'survivor_else_first_non_empty',
      field: 'company',
      records: [{ company: 'Acme' }, { company: 'Other' }, {}],
      chosen: 'Acme',
      from: 1,
      conflict: true,
    },
    {
      name: 'first loser with a value fills an empty survivor',
      rule: 'survivor_else_first_non_empty',
      field: 'company',
      records: [{ company: '  ' }, {}, { company: 'Beta' }],
      chosen: 'Beta',
      from: 3,
      conflict: false,
    },
    {
      name: 'all empty stays empty',
      rule: 'survivor_else_first_non_empty',
      field: 'company',
      records: [{}, {}, {}],
      chosen: null,
      from: null,
      conflict: false,
    },
    {
      name: 'case and spacing differences are no conflict',
      rule: 'survivor_else_first_non_empty',
      field: 'company',
      records: [{ company: 'Acme  Ltd' }, { company: 'acme ltd' }, {}],
      chosen: 'Acme  Ltd',
      from: 1,
      conflict: false,
    },
    {
      name: 'most recent by updated_at',
      rule: 'most_recent',
      field: 'city',
      records: [
        { city: 'Leeds', updated_at: '2024-01-01T00:00:00Z' },
        { city: 'York', updated_at: '2024-06-01T00:00:00Z' },
        { city: 'Hull', updated_at: '2024-03-01T00:00:00Z' },
      ],
      chosen: 'York',
      from: 2,
      conflict: true,
    },
    {
      name: 'most recent ignores newer empty values',
      rule: 'most_recent',
      field: 'city',
      records: [
        { city: 'Leeds', updated_at: '2024-01-01T00:00:00Z' },
        { city: null, updated_at: '2025-01-01T00:00:00Z' },
        {},
      ],
      chosen: 'Leeds',
      from: 1,
      conflict: false,
    },
    {
      name: 'most recent tie: survivor first',
      rule: 'most_recent',
      field: 'city',
      records: [{ city: 'Leeds' }, { city: 'York' }, {}],
      chosen: 'Leeds',
      from: 1,
      conflict: true,
    },
    {
      name: 'most frequent',
      rule: 'most_frequent',
      field: 'city',
      records: [{ city: 'Leeds' }, { city: 'york' }, { city: 'York' }],
      chosen: 'york',
      from: 2,
      conflict: true,
    },
    {
      name: 'most frequent tie: survivor first',
      rule: 'most_frequent',
      field: 'city',
      records: [{ city: 'Leeds' }, { city: 'York' }, {}],
      chosen: 'Leeds',
      from: 1,
      conflict: true,
    },
    {
      name: 'longest',
      rule: 'longest',
      field: 'company',
      records: [{ company: 'Acme' }, { company: 'Acme Limited' }, { company: 'Acme Ltd' }],
      chosen: 'Acme Limited',
      from: 2,
      conflict: true,
    },
    {
      name: 'longest tie: survivor first',
      rule: 'longest',
      field: 'company',
      records: [{ company: 'Acme' }, { company: 'Beta' }, {}],
      chosen: 'Acme',
      from: 1,
      conflict: true,
    },
    {
      name: 'union keeps the survivor primary',
      rule: 'union',
      field: 'email',
      records: [{ email: 'a@x.com' }, { email: 'b@x.com' }, { email: 'A@x.com' }],
      chosen: 'a@x.com',
      from: 1,
      conflict: true,
    },
  ];
  it.each(cases)('$name', ({ rule, field, records, chosen, from, conflict }) => {
    const plan = planMerge({
      survivorId: S,
      loserIds: L,
      records: records.map((r, i) => rec(i + 1, r)),
      rules: { [field]: rule },
    });
    expect(plan.values[field]).toBe(chosen);
    const c = plan.conflicts.find((x) => x.field === field);
    expect(Boolean(c)).toBe(conflict);
    if (c) expect(c).toMatchObject({ chosen, chosenFrom: from, rule });
  });
});

describe('union of multi-valued data', () => {
  const cases: {
    name: string;
    records: Partial<ContactRecord>[];
    primary: string | null;
    secondary: unknown[];
  }[] = [
    {
      name: "a loser's other e-mail becomes secondary",
      records: [{ email: 'a@x.com' }, { email: 'b@x.com' }, {}],
      primary: 'a@x.com',
      secondary: ['b@x.com'],
    },
    {
      name: 'same e-mail in another case is not repeated',
      records: [{ email: 'a@x.com' }, { email: 'A@X.com ' }, {}],
      primary: 'a@x.com',
      secondary: [],
    },
    {
      name: 'earlier secondary values of every record survive',
      records: [
        { email: 'a@x.com', attributes: { secondary_emails: ['old@x.com'] } },
        { email: 'b@x.com', attributes: { secondary_emails: ['older@x.com', 'a@x.com'] } },
        { email: 'c@x.com' },
      ],
      primary: 'a@x.com',
      secondary: ['old@x.com', 'older@x.com', 'b@x.com', 'c@x.com'],
    },
    {
      name: 'an empty survivor takes the first loser value, nothing left over',
      records: [{}, { email: 'b@x.com' }, {}],
      primary: 'b@x.com',
      secondary: [],
    },
  ];
  it.each(cases)('$name', ({ records, primary, secondary }) => {
    const plan = planMerge({ survivorId: S, loserIds: L, records: records.map((r, i) => rec(i + 1, r)) });
    expect(plan.values.email).toBe(primary);
    expect(plan.values.attributes.secondary_emails ?? []).toEqual(secondary);
  });

  it('keeps phones the same way, comparing digits', () => {
    const plan = planMerge({
      survivorId: S,
      loserIds: [2],
      records: [rec(1, { phone: '+44 20 7946 0000' }), rec(2, { phone: '+44 (20) 7946-0000' })],
    });
    expect(plan.values.attributes.secondary_phones).toBeUndefined();
    expect(plan.conflicts).toEqual([]);
  });
});

describe('attributes', () => {
  it('merges key by key; differing values are conflicts the survivor wins', () => {
    const plan = planMerge({
      survivorId: S,
      loserIds: [2],
      records: [
        rec(1, { attributes: { tier: 'gold', score: '' } }),
        rec(2, { attributes: { tier: 'silver', vip: true, score: 7 } }),
      ],
    });
    expect(plan.values.attributes).toEqual({ tier: 'gold', score: 7, vip: true });
    expect(plan.conflicts.map((c) => c.field)).toEqual(['attributes.tier']);
  });

  it('field choice on an attribute', () => {
    const plan = planMerge({
      survivorId: S,
      loserIds: [2],
      records: [rec(1, { attributes: { tier: 'gold' } }), rec(2, { attributes: { tier: 'silver' } })],
      fieldChoices: { 'attributes.tier': 2 },
    });
    expect(plan.values.attributes.tier).toBe('silver');
    expect(plan.conflicts[0]).toMatchObject({ rule: 'field_choice', chosenFrom: 2 });
  });
});

describe('field choices, changes, refusals', () => {
  const records = [
    rec(1, { company: 'Acme', email: 'a@x.com' }),
    rec(2, { company: 'Beta', email: 'b@x.com' }),
  ];

  it('a field choice overrides the rule and is recorded as such', () => {
    const plan = planMerge({ survivorId: 1, loserIds: [2], records, fieldChoices: { company: 2, email: 2 } });
    expect(plan.values.company).toBe('Beta');
    expect(plan.values.email).toBe('b@x.com');
    expect(plan.values.attributes.secondary_emails).toEqual(['a@x.com']);
    expect(plan.conflicts.find((c) => c.field === 'company')).toMatchObject({
      rule: 'field_choice',
      chosenFrom: 2,
    });
    expect(plan.changes.map((c) => c.field).sort()).toEqual(['attributes', 'company', 'email']);
    expect(plan.actions).toEqual({ updateSurvivor: true, tombstone: [2] });
  });

  it('no change when the losers add nothing', () => {
    const plan = planMerge({
      survivorId: 1,
      loserIds: [2],
      records: [rec(1, { company: 'Acme' }), rec(2, { company: 'acme' })],
    });
    expect(plan.changes).toEqual([]);
    expect(plan.actions.updateSurvivor).toBe(false);
  });

  const bad: { name: string; input: Parameters<typeof planMerge>[0]; code: string }[] = [
    {
      name: 'choice of a contact outside the merge',
      input: { survivorId: 1, loserIds: [2], records, fieldChoices: { company: 9 } },
      code: 'BAD_REQUEST',
    },
    {
      name: 'choice of an unknown field',
      input: { survivorId: 1, loserIds: [2], records, fieldChoices: { shoe_size: 2 } },
      code: 'BAD_REQUEST',
    },
    {
      name: 'choice of external_id',
      input: { survivorId: 1, loserIds: [2], records, fieldChoices: { external_id: 2 } },
      code: 'BAD_REQUEST',
    },
    {
      name: 'union on owner_id',
      input: { survivorId: 1, loserIds: [2], records, rules: { owner_id: 'union' } },
      code: 'BAD_REQUEST',
    },
    {
      name: 'unknown rule',
      input: { survivorId: 1, loserIds: [2], records, rules: { city: 'loudest' as MergeRule } },
      code: 'BAD_REQUEST',
    },
    { name: 'record missing', input: { survivorId: 1, loserIds: [5], records }, code: 'CONTACT_NOT_FOUND' },
  ];
  it.each(bad)('refuses: $name', ({ input, code }) => {
    expect(() => planMerge(input)).toThrow(MergeError);
    try {
      planMerge(input);
    } catch (err) {
      expect((err as MergeError).code).toBe(code);
      expect((err as MergeError).retryable).toBe(false);
    }
  });
});
