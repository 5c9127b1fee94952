import { describe, expect, it } from 'vitest';
import {
  generateCrm,
  SYNTHETIC_NOW,
  type SyntheticBatch,
  type SyntheticOptions,
  syntheticLists,
  syntheticUsers,
} from '../../src/core/synthetic/index.js';

const BASE: SyntheticOptions = {
  contacts: 20_000,
  duplicateRate: 0.1,
  activitiesPerContact: 5,
  seed: 42,
  firstContactId: 1,
  users: 40,
  lists: 12,
};
const KEYS = [
  'contacts',
  'truth',
  'activities',
  'notes',
  'opportunities',
  'tickets',
  'owners',
  'memberships',
] as const;

function collect(opts: Partial<SyntheticOptions> = {}): SyntheticBatch {
  const all = Object.fromEntries(KEYS.map((k) => [k, []])) as unknown as SyntheticBatch;
  for (const b of generateCrm({ ...BASE, ...opts }))
    for (const k of KEYS) (all[k] as unknown[]).push(...b[k]);
  return all;
}

function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const big = collect();
const contactById = new Map(big.contacts.map((c) => [c.id, c]));
const entities = groupBy(big.truth, (t) => t.entity_id);
const duplicates = big.truth.filter(
  (t) => t.variant !== 'original' && !t.variant.startsWith('hard_negative:'),
);
const hardNegatives = big.truth.filter((t) => t.variant.startsWith('hard_negative:'));

describe('generateCrm: shape of the stream', () => {
  it.each([
    { contacts: 0, firstContactId: 1, batchSize: 10 },
    { contacts: 1, firstContactId: 7, batchSize: 10 },
    { contacts: 37, firstContactId: 1000, batchSize: 10 },
    { contacts: 250, firstContactId: 1, batchSize: 64 },
  ])('emits exactly $contacts contacts with contiguous ids from $firstContactId', (o) => {
    const batches = [...generateCrm({ ...BASE, ...o })];
    const ids = batches.flatMap((b) => b.contacts.map((c) => c.id));
    expect(ids).toEqual(Array.from({ length: o.contacts }, (_, i) => o.firstContactId + i));
    for (const b of batches) {
      expect(b.contacts.length).toBeLessThanOrEqual(o.batchSize);
      expect(b.truth.map((t) => t.contact_id)).toEqual(b.contacts.map((c) => c.id));
    }
    expect(batches.slice(0, -1).every((b) => b.contacts.length === o.batchSize)).toBe(true);
  });

  it('is deterministic for a seed, and independent of the batch size', () => {
    const a = collect({ contacts: 3000, batchSize: 1000 });
    const b = collect({ contacts: 3000, batchSize: 7 });
    expect(b).toEqual(a);
  });

  it('gives different data for a different seed', () => {
    const a = collect({ contacts: 500 });
    const b = collect({ contacts: 500, seed: 43 });
    const same = a.contacts.filter(
      (c, i) => c.email === b.contacts[i]!.email && c.last_name === b.contacts[i]!.last_name,
    );
    expect(same.length).toBeLessThan(25);
  });

  it.each([
    { field: 'duplicateRate', value: 0.6 },
    { field: 'duplicateRate', value: -0.1 },
    { field: 'contacts', value: -1 },
    { field: 'contacts', value: 1.5 },
    { field: 'firstContactId', value: 0 },
    { field: 'batchSize', value: 0 },
    { field: 'activitiesPerContact', value: Number.NaN },
    { field: 'users', value: -2 },
  ])('rejects $field = $value before generating anything', ({ field, value }) => {
    expect(() => generateCrm({ ...BASE, [field]: value })).toThrow(RangeError);
  });
});

describe('generateCrm: planted duplicates and hard negatives', () => {
  it.each([0, 0.1, 0.3, 0.5])('duplicate share is close to duplicateRate %s', (rate) => {
    const data = rate === 0.1 ? big : collect({ contacts: 10_000, duplicateRate: rate });
    const dups = data.truth.filter(
      (t) => t.variant !== 'original' && !t.variant.startsWith('hard_negative:'),
    );
    expect(Math.abs(dups.length / data.contacts.length - rate)).toBeLessThan(0.015);
  });

  it('groups people in clusters of 2-4, mostly pairs, the original first', () => {
    const sizes = [...entities.values()].map((ts) => ts.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    const count = (n: number) => sizes.filter((s) => s === n).length;
    expect(count(2)).toBeGreaterThan(2 * (count(3) + count(4)));
    expect(count(3)).toBeGreaterThan(0);
    expect(count(4)).toBeGreaterThan(0);
    for (const [entity, ts] of entities) {
      expect(ts[0]!.contact_id).toBe(entity);
      expect(ts[0]!.variant === 'original' || ts[0]!.variant.startsWith('hard_negative:')).toBe(true);
      for (const t of ts.slice(1)) expect(t.variant).not.toMatch(/^(original|hard_negative:)/);
    }
  });

  it('spreads duplicates down the stream instead of next to their original', () => {
    const gaps = duplicates.map((t) => t.contact_id - t.entity_id);
    expect(gaps.every((g) => g > 0)).toBe(true);
    expect(gaps.filter((g) => g > 100).length / gaps.length).toBeGreaterThan(0.6);
    expect(gaps.filter((g) => g <= 30).length).toBeGreaterThan(0);
  });

  it('plants 2-5% hard negatives, each its own entity', () => {
    const share = hardNegatives.length / big.contacts.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.05);
    for (const t of hardNegatives) expect(entities.get(t.entity_id)).toHaveLength(1);
  });
});

describe('generateCrm: related rows', () => {
  it('references only emitted contacts, users and lists, without duplicate keys', () => {
    for (const key of ['activities', 'notes', 'opportunities', 'tickets', 'owners', 'memberships'] as const) {
      for (const row of big[key]) expect(contactById.has(row.contact_id)).toBe(true);
    }
    const ownerKeys = big.owners.map((o) => `${o.contact_id}:${o.user_id}`);
    expect(new Set(ownerKeys).size).toBe(ownerKeys.length);
    const listKeys = big.memberships.map((m) => `${m.contact_id}:${m.list_id}`);
    expect(new Set(listKeys).size).toBe(listKeys.length);
    expect(big.owners.every((o) => o.user_id >= 1 && o.user_id <= BASE.users)).toBe(true);
    expect(big.memberships.every((m) => m.list_id >= 1 && m.list_id <= BASE.lists)).toBe(true);
    expect(
      big.contacts.every((c) => c.owner_id === null || (c.owner_id >= 1 && c.owner_id <= BASE.users)),
    ).toBe(true);
  });

  it('gives each contact 1-2 owners, the contact owner first, and 0-3 lists', () => {
    const owners = groupBy(big.owners, (o) => o.contact_id);
    const lists = groupBy(big.memberships, (m) => m.contact_id);
    for (const c of big.contacts) {
      const own = owners.get(c.id) ?? [];
      expect(own.length).toBeGreaterThanOrEqual(1);
      expect(own.length).toBeLessThanOrEqual(2);
      expect(own[0]!.role).toBe('owner');
      if (c.owner_id !== null) expect(own[0]!.user_id).toBe(c.owner_id);
      expect((lists.get(c.id) ?? []).length).toBeLessThanOrEqual(3);
    }
  });

  it('keeps time consistent: updated >= created, events after creation, nothing after now', () => {
    for (const c of big.contacts) {
      expect(c.updated_at.getTime()).toBeGreaterThanOrEqual(c.created_at.getTime());
      expect(c.updated_at.getTime()).toBeLessThanOrEqual(SYNTHETIC_NOW);
    }
    const rows = [
      ...big.activities.map((a) => [a.contact_id, a.occurred_at] as const),
      ...[...big.notes, ...big.opportunities, ...big.tickets].map(
        (r) => [r.contact_id, r.created_at] as const,
      ),
    ];
    for (const [id, at] of rows) {
      expect(at.getTime()).toBeGreaterThan(contactById.get(id)!.created_at.getTime());
      expect(at.getTime()).toBeLessThanOrEqual(SYNTHETIC_NOW);
    }
    const years = new Set(big.contacts.map((c) => c.created_at.getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(8);
  });

  it('emits activities around the requested mean, of every kind, e-mails with a message id', () => {
    expect(big.activities.length / big.contacts.length).toBeCloseTo(5, 0);
    expect(collect({ contacts: 2000, activitiesPerContact: 1 }).activities.length / 2000).toBeCloseTo(1, 0);
    const kinds = new Set(big.activities.map((a) => a.kind));
    expect([...kinds].sort()).toEqual(['call', 'email', 'form_submission', 'meeting', 'note', 'task']);
    for (const a of big.activities) {
      if (a.kind === 'email') expect(a.external_message_id).toMatch(/^<[0-9a-f]{16}@mail\.example>$/);
      else expect(a.external_message_id).toBeNull();
    }
    expect(big.notes.length / big.contacts.length).toBeCloseTo(0.5, 1);
    expect(big.opportunities.length / big.contacts.length).toBeCloseTo(0.2, 1);
    expect(big.tickets.length / big.contacts.length).toBeCloseTo(0.2, 1);
    expect(big.opportunities.some((o) => o.stage === 'open')).toBe(true);
  });

  it('makes every duplicate share at least one event with its original', () => {
    const acts = groupBy(big.activities, (a) => a.contact_id);
    const key = (a: SyntheticBatch['activities'][number]) =>
      a.external_message_id ?? `${a.kind}|${a.occurred_at.getTime()}|${a.subject}`;
    for (const t of duplicates) {
      const mine = new Set((acts.get(t.contact_id) ?? []).map(key));
      const theirs = (acts.get(t.entity_id) ?? []).map(key);
      expect(theirs.some((k) => mine.has(k))).toBe(true);
    }
  });

  it('often gives duplicates the same owner and sometimes the same list as their original', () => {
    const lists = groupBy(big.memberships, (m) => m.contact_id);
    const sameOwner = duplicates.filter(
      (t) => contactById.get(t.contact_id)!.owner_id === contactById.get(t.entity_id)!.owner_id,
    );
    expect(sameOwner.length / duplicates.length).toBeGreaterThan(0.5);
    const sameList = duplicates.filter((t) => {
      const theirs = new Set((lists.get(t.entity_id) ?? []).map((m) => m.list_id));
      return (lists.get(t.contact_id) ?? []).some((m) => theirs.has(m.list_id));
    });
    expect(sameList.length / duplicates.length).toBeGreaterThan(0.2);
  });

  it('emits no owners or memberships when there are no users or lists', () => {
    const data = collect({ contacts: 300, users: 0, lists: 0 });
    expect(data.owners).toEqual([]);
    expect(data.memberships).toEqual([]);
    expect(data.contacts.every((c) => c.owner_id === null)).toBe(true);
  });
});

describe('generateCrm: realistic people', () => {
  it('covers the countries, with Cyrillic and Greek names in their own script', () => {
    const countries = new Set(big.contacts.map((c) => c.country));
    for (const cc of ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL', 'BR', 'RU', 'UA', 'GR'])
      expect(countries).toContain(cc);
    const originals = big.truth
      .filter((t) => t.variant === 'original')
      .map((t) => contactById.get(t.contact_id)!);
    const cyrillic = originals.filter((c) => /^[\u0400-\u04ff]/.test(c.last_name ?? ''));
    const greek = originals.filter((c) => /^[\u0370-\u03ff\u1f00-\u1fff]/.test(c.last_name ?? ''));
    expect(cyrillic.every((c) => c.country === 'RU' || c.country === 'UA')).toBe(true);
    expect(cyrillic.length / originals.length).toBeGreaterThan(0.03);
    expect(greek.length / originals.length).toBeGreaterThan(0.015);
  });

  it('fills contact fields with plausible values', () => {
    const share = (pred: (c: (typeof big.contacts)[number]) => boolean) =>
      big.contacts.filter(pred).length / big.contacts.length;
    expect(
      share((c) => c.email !== null && /^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/i.test(c.email)),
    ).toBeGreaterThan(0.85);
    expect(share((c) => c.phone !== null)).toBeGreaterThan(0.6);
    expect(share((c) => c.company !== null)).toBeGreaterThan(0.6);
    expect(share((c) => typeof c.attributes['date_of_birth'] === 'string')).toBeGreaterThan(0.15);
    expect(share((c) => /^syn-\d+$/.test(c.external_id))).toBe(1);
    expect(new Set(big.contacts.map((c) => c.external_id)).size).toBe(big.contacts.length);
    const free = big.contacts.filter((c) =>
      /@(gmail\.com|web\.de|outlook\.com|yandex\.ru|mail\.ru)$/.test(c.email ?? ''),
    );
    expect(free.length).toBeGreaterThan(1000);
  });

  it('never gives two distinct people the same e-mail address', () => {
    const owner = new Map<string, number>();
    for (const t of big.truth) {
      const email = contactById.get(t.contact_id)!.email?.toLowerCase();
      if (!email) continue;
      const entity = owner.get(email);
      if (entity !== undefined) expect(entity).toBe(t.entity_id);
      owner.set(email, t.entity_id);
    }
  });

  it('has namesakes (distinct people, same name) that grow with N but are not everyone', () => {
    const namesakes = (data: SyntheticBatch) => {
      const people = new Map<string, Set<number>>();
      data.truth.forEach((t, i) => {
        if (t.variant !== 'original') return;
        const c = data.contacts[i]!;
        const name = `${c.first_name} ${c.last_name}`;
        people.set(name, (people.get(name) ?? new Set()).add(t.entity_id));
      });
      const shared = [...people.values()].filter((s) => s.size > 1);
      return { names: shared.length, people: shared.reduce((n, s) => n + s.size, 0), all: people.size };
    };
    const small = namesakes(collect({ contacts: 2000 }));
    const large = namesakes(big);
    expect(large.names).toBeGreaterThan(3 * small.names);
    expect(large.people / big.contacts.length).toBeLessThan(0.5);
    expect(large.all).toBeGreaterThan(big.contacts.length / 2);
  });
});

describe('syntheticUsers and syntheticLists', () => {
  it.each([0, 1, 25])('returns %s users with ids 1..n and unique e-mails, deterministically', (n) => {
    const users = syntheticUsers({ users: n, seed: 1 });
    expect(users.map((u) => u.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(users.map((u) => u.email)).size).toBe(n);
    expect(users.every((u) => u.name.includes(' '))).toBe(true);
    expect(syntheticUsers({ users: n, seed: 1 })).toEqual(users);
  });

  it.each([0, 3, 40])('returns %s lists with ids 1..n and unique names', (n) => {
    const lists = syntheticLists({ lists: n, seed: 9 });
    expect(lists.map((l) => l.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(lists.map((l) => l.name)).size).toBe(n);
    expect(syntheticLists({ lists: n, seed: 9 })).toEqual(lists);
  });
});
