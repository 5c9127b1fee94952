import { distance } from 'fastest-levenshtein';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { mailboxKey } from '../../src/core/synthetic/email.js';
import {
  CORRUPTION_KINDS,
  type CorruptionKind,
  generateCrm,
  HARD_NEGATIVE_KINDS,
  type HardNegativeKind,
  type SyntheticContact,
} from '../../src/core/synthetic/index.js';
import { nicknamesOf } from '../../src/core/synthetic/nicknames.js';
import { dropDiacritics, germanFold } from '../../src/core/synthetic/translit.js';

// One 20k-contact CRM, indexed: every corruption and look-alike kind must show up in it, and do what it says.
const contacts: SyntheticContact[] = [];
const variants = new Map<number, string>();
const entityOf = new Map<number, number>();
for (const b of generateCrm({
  contacts: 20_000,
  duplicateRate: 0.1,
  activitiesPerContact: 0,
  seed: 42,
  firstContactId: 1,
  users: 10,
  lists: 0,
})) {
  contacts.push(...b.contacts);
  for (const t of b.truth) {
    variants.set(t.contact_id, t.variant);
    entityOf.set(t.contact_id, t.entity_id);
  }
}
const byId = new Map(contacts.map((c) => [c.id, c]));
const duplicates = contacts
  .filter((c) => !/^(original|hard_negative:)/.test(variants.get(c.id)!))
  .map((dup) => ({
    dup,
    orig: byId.get(entityOf.get(dup.id)!)!,
    kinds: variants.get(dup.id)!.split(',') as CorruptionKind[],
  }));

function e164(c: SyntheticContact): string | undefined {
  return c.phone ? parsePhoneNumberFromString(c.phone, c.country as 'US')?.number : undefined;
}
const local = (email: string) => email.slice(0, email.lastIndexOf('@'));
const domain = (email: string) => email.slice(email.lastIndexOf('@') + 1);
/** Same firm whatever its legal form: the names share a word of four letters or more. */
const sameFirm = (a: string | null, b: string | null) => {
  const words = (s: string | null) =>
    (s ?? '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 4);
  const theirs = new Set(words(b));
  return words(a).some((w) => theirs.has(w));
};
const isLatin = (s: string | null) => s !== null && /^[A-Za-z' -]+$/.test(s);
const NAME_KINDS: CorruptionKind[] = ['typo', 'nickname', 'name_swap', 'transliteration', 'diacritics'];
const COMPANY_KINDS: CorruptionKind[] = ['job_change', 'missing_company', 'company_suffix'];
/** No other corruption in the variant touches the same fields. */
const onlyTouches = (kinds: CorruptionKind[], own: CorruptionKind, fields: CorruptionKind[]) =>
  kinds.every((k) => k === own || !fields.includes(k));

type Pair = { dup: SyntheticContact; orig: SyntheticContact; kinds: CorruptionKind[] };
const CHECKS: { kind: CorruptionKind; applies?: (p: Pair) => boolean; holds: (p: Pair) => boolean }[] = [
  { kind: 'missing_email', holds: ({ dup, orig }) => dup.email === null && orig.email !== null },
  { kind: 'missing_phone', holds: ({ dup, orig }) => dup.phone === null && orig.phone !== null },
  {
    kind: 'missing_company',
    holds: ({ dup, orig }) => dup.company === null && orig.company !== null,
  },
  {
    kind: 'email_case',
    holds: ({ dup, orig }) =>
      dup.email !== orig.email && dup.email?.toLowerCase() === orig.email?.toLowerCase(),
  },
  {
    kind: 'email_gmail_dots',
    holds: ({ dup, orig }) =>
      dup.email !== orig.email &&
      domain(dup.email!) === 'gmail.com' &&
      mailboxKey(dup.email!) === mailboxKey(orig.email!),
  },
  {
    kind: 'email_plus_tag',
    holds: ({ dup, orig }) =>
      local(dup.email!).includes('+') && mailboxKey(dup.email!) === mailboxKey(orig.email!),
  },
  {
    kind: 'email_domain',
    holds: ({ dup, orig }) =>
      local(dup.email!) === local(orig.email!) && domain(dup.email!) !== domain(orig.email!),
  },
  {
    kind: 'email_typo',
    holds: ({ dup, orig }) =>
      domain(dup.email!) === domain(orig.email!) &&
      local(dup.email!) !== local(orig.email!) &&
      distance(local(dup.email!), local(orig.email!)) <= 2,
  },
  {
    kind: 'phone_format',
    holds: ({ dup, orig }) => dup.phone !== orig.phone && e164(dup) !== undefined && e164(dup) === e164(orig),
  },
  {
    kind: 'company_suffix',
    applies: ({ kinds }) => !kinds.includes('transliteration') && !kinds.includes('diacritics'),
    holds: ({ dup, orig }) =>
      dup.company !== null && dup.company !== orig.company && sameFirm(dup.company, orig.company),
  },
  {
    kind: 'transliteration',
    applies: ({ kinds }) => !kinds.includes('typo'),
    holds: ({ dup, orig }) => !isLatin(orig.last_name) && isLatin(dup.first_name) && isLatin(dup.last_name),
  },
  {
    kind: 'diacritics',
    applies: ({ kinds }) => onlyTouches(kinds, 'diacritics', [...NAME_KINDS, ...COMPANY_KINDS]),
    holds: ({ dup, orig }) => {
      const fields = ['first_name', 'last_name', 'city', 'company'] as const;
      const changed = fields.filter((f) => dup[f] !== orig[f]);
      return (
        changed.length > 0 &&
        changed.every((f) => dup[f] === dropDiacritics(orig[f]!) || dup[f] === germanFold(orig[f]!))
      );
    },
  },
  {
    kind: 'nickname',
    applies: ({ kinds }) => onlyTouches(kinds, 'nickname', NAME_KINDS),
    holds: ({ dup, orig }) =>
      nicknamesOf(orig.first_name!).includes(dup.first_name!) && dup.last_name === orig.last_name,
  },
  {
    kind: 'typo',
    applies: ({ kinds }) => onlyTouches(kinds, 'typo', NAME_KINDS),
    holds: ({ dup, orig }) => {
      const d = distance(dup.first_name!, orig.first_name!) + distance(dup.last_name!, orig.last_name!);
      return d >= 1 && d <= 2 && (dup.first_name === orig.first_name || dup.last_name === orig.last_name);
    },
  },
  {
    kind: 'name_swap',
    applies: ({ kinds }) => onlyTouches(kinds, 'name_swap', NAME_KINDS),
    holds: ({ dup, orig }) => dup.first_name === orig.last_name && dup.last_name === orig.first_name,
  },
  {
    kind: 'job_change',
    applies: ({ kinds }) => !kinds.includes('transliteration') && !kinds.includes('diacritics'),
    holds: ({ dup, orig }) =>
      dup.company !== null &&
      dup.company !== orig.company &&
      ((dup.phone !== null && e164(dup) === e164(orig)) || (dup.email !== null && dup.email === orig.email)),
  },
];

describe('planted duplicates', () => {
  it('carry 1-3 known corruptions each, every kind present', () => {
    for (const { kinds } of duplicates) {
      expect(kinds.length).toBeGreaterThanOrEqual(1);
      expect(kinds.length).toBeLessThanOrEqual(3);
      expect(new Set(kinds).size).toBe(kinds.length);
      for (const k of kinds) expect(CORRUPTION_KINDS).toContain(k);
    }
    expect(CHECKS.map((c) => c.kind).sort()).toEqual([...CORRUPTION_KINDS].sort());
  });

  it.each(CHECKS)('$kind: appears and changes the record the way it says', ({ kind, applies, holds }) => {
    const withKind = duplicates.filter((p) => p.kinds.includes(kind));
    const checked = withKind.filter((p) => applies?.(p) ?? true);
    expect(withKind.length).toBeGreaterThanOrEqual(10);
    expect(checked.length).toBeGreaterThanOrEqual(5);
    const failing = checked.filter((p) => !holds(p)).map((p) => [p.kinds.join(','), p.orig, p.dup]);
    expect(failing.slice(0, 3)).toEqual([]);
  });

  it('keep enough to recognise the person: mailbox, phone, or name and company', () => {
    for (const { dup, orig } of duplicates) {
      const mailbox =
        dup.email !== null && orig.email !== null && mailboxKey(dup.email) === mailboxKey(orig.email);
      const phone = dup.phone !== null && e164(dup) === e164(orig);
      const nameAndCompany =
        dup.first_name === orig.first_name &&
        dup.last_name === orig.last_name &&
        dup.company !== null &&
        sameFirm(dup.company, orig.company);
      expect(mailbox || phone || nameAndCompany, `${dup.id} (${variants.get(dup.id)})`).toBe(true);
    }
  });

  it('offer at least 40 nickname pairs, usable both ways', () => {
    const formal = [
      'Robert',
      'William',
      'Katherine',
      'Alexander',
      'Александр',
      'Γεώργιος',
      'Giuseppe',
      'Małgorzata',
    ];
    for (const name of formal) {
      const nicks = nicknamesOf(name);
      expect(nicks.length).toBeGreaterThan(0);
      for (const n of nicks) expect(nicknamesOf(n)).toContain(name);
    }
    expect(nicknamesOf('Robert')).toContain('Bob');
    expect(nicknamesOf('Александр')).toContain('Саша');
  });
});

describe('hard negatives', () => {
  const earlier = (c: SyntheticContact, pred: (o: SyntheticContact) => boolean) =>
    contacts.filter((o) => o.id < c.id && entityOf.get(o.id) !== entityOf.get(c.id) && pred(o));
  const phoneOwners = new Map<string, SyntheticContact[]>();
  for (const c of contacts) {
    const p = e164(c);
    if (p) phoneOwners.set(p, [...(phoneOwners.get(p) ?? []), c]);
  }
  const prefix = (s: string | null, n: number) => (s ?? '').slice(0, n);

  const CASES: { kind: HardNegativeKind; anchors: (c: SyntheticContact) => SyntheticContact[] }[] = [
    {
      kind: 'relative_shared_phone',
      anchors: (c) =>
        (phoneOwners.get(e164(c) ?? '') ?? []).filter(
          (o) =>
            o.id < c.id && o.first_name !== c.first_name && prefix(o.last_name, 3) === prefix(c.last_name, 3),
        ),
    },
    {
      kind: 'relative_shared_address',
      anchors: (c) =>
        earlier(
          c,
          (o) =>
            o.country === c.country &&
            o.city === c.city &&
            o.postcode === c.postcode &&
            o.first_name !== c.first_name &&
            prefix(o.last_name, 3) === prefix(c.last_name, 3),
        ),
    },
    {
      kind: 'namesake',
      anchors: (c) =>
        earlier(
          c,
          (o) =>
            o.first_name === c.first_name &&
            o.last_name === c.last_name &&
            (o.email === null || o.email !== c.email) &&
            (o.phone === null || o.phone !== c.phone),
        ),
    },
    {
      kind: 'colleague',
      anchors: (c) =>
        earlier(
          c,
          (o) =>
            o.company === c.company &&
            o.email !== null &&
            c.email !== null &&
            domain(o.email) === domain(c.email) &&
            o.email !== c.email &&
            o.first_name !== c.first_name &&
            distance(o.last_name!, c.last_name!) <= 3,
        ),
    },
  ];

  it.each(CASES)('$kind: appears and resembles an earlier, distinct person', ({ kind, anchors }) => {
    const planted = contacts.filter((c) => variants.get(c.id) === `hard_negative:${kind}`);
    expect(planted.length).toBeGreaterThanOrEqual(20);
    const orphans = planted.filter((c) => anchors(c).length === 0);
    expect(orphans.slice(0, 3)).toEqual([]);
  });

  it('are only of the listed kinds', () => {
    for (const v of variants.values()) {
      if (v.startsWith('hard_negative:'))
        expect(HARD_NEGATIVE_KINDS).toContain(v.slice('hard_negative:'.length));
    }
  });
});
