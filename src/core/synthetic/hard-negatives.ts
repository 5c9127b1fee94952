import { distance } from 'fastest-levenshtein';
import { renderCompany } from './companies.js';
import type { NamePools } from './locale-types.js';
import { nicknamesOf } from './nicknames.js';
import {
  genderedLast,
  newPhone,
  type Person,
  personalEmail,
  pickCity,
  pickFirstName,
  pickTitle,
  randomDob,
  randomOwner,
  updatedAfter,
  workEmail,
} from './person.js';
import { fillTemplate } from './phone.js';
import { type Rng, WeightedChoice } from './random.js';
import type { HardNegativeKind } from './types.js';
import type { World } from './world.js';

/**
 * Distinct people who look like an earlier contact (the anchor), so that a matcher that merges on
 * surface similarity gets caught: relatives sharing a home phone or an address, namesakes at other
 * companies, colleagues whose addresses differ by a letter (j.smith@ vs j.smyth@).
 */

const KIND_WEIGHTS: [HardNegativeKind, number][] = [
  ['relative_shared_phone', 25],
  ['relative_shared_address', 25],
  ['namesake', 30],
  ['colleague', 20],
];

function applicable(anchor: Person, kind: HardNegativeKind): boolean {
  const f = anchor.fields;
  switch (kind) {
    case 'relative_shared_phone':
      return anchor.phone !== null && f.phone !== null && f.last_name !== null;
    case 'relative_shared_address':
      return f.city !== null && f.postcode !== null && f.last_name !== null;
    case 'namesake':
      return f.first_name !== null && f.last_name !== null;
    case 'colleague':
      return anchor.company !== null && anchor.emailKind === 'work' && f.email !== null;
  }
}

/** A look-alike of `anchor` of a kind that applies to it, or null when none does. */
export function hardNegative(
  world: World,
  anchor: Person,
  createdAt: number,
): [Person, HardNegativeKind] | null {
  const kinds = KIND_WEIGHTS.filter(([k]) => applicable(anchor, k));
  if (kinds.length === 0) return null;
  const kind = new WeightedChoice(kinds).sample(world.rng);
  switch (kind) {
    case 'relative_shared_phone':
    case 'relative_shared_address':
      return [relative(world, anchor, createdAt, kind === 'relative_shared_phone'), kind];
    case 'namesake':
      return [namesake(world, anchor, createdAt), kind];
    case 'colleague':
      return [colleague(world, anchor, createdAt), kind];
  }
}

function blank(world: World, anchor: Person, createdAt: number): Person {
  return {
    ...anchor,
    company: null,
    companyStyle: 0,
    emailKind: null,
    phone: null,
    fields: { ...anchor.fields, email: null, phone: null, company: null, job_title: null, attributes: {} },
    ownerId: randomOwner(world),
    createdAt,
    updatedAt: updatedAfter(world, createdAt),
  };
}

/** A first name that is neither the anchor's nor one of its nicknames. */
function otherFirstName(rng: Rng, p: Person, gender: Person['gender'], sameInitial: boolean): string {
  const taken = p.fields.first_name ?? '';
  const avoid = new Set([taken, ...nicknamesOf(taken)]);
  const pool = gender === 'm' ? p.tables.locale.names.male : p.tables.locale.names.female;
  if (sameInitial) {
    const matches = pool.filter((n) => n[0] === taken[0] && !avoid.has(n));
    if (matches.length > 0) return rng.pick(matches);
  }
  for (;;) {
    const name = pickFirstName(rng, p.tables, gender);
    if (!avoid.has(name)) return name;
  }
}

/** Different birth date than the anchor's, or none (a relative is not the same person). */
function otherDob(rng: Rng, anchor: Person): string | null {
  const dob = anchor.fields.attributes['date_of_birth'];
  if (typeof dob !== 'string' || rng.chance(0.5)) return null;
  for (;;) {
    const d = randomDob(rng);
    if (d !== dob) return d;
  }
}

function relative(world: World, anchor: Person, createdAt: number, sharePhone: boolean): Person {
  const { rng } = world;
  const p = blank(world, anchor, createdAt);
  const t = p.tables;
  p.gender = rng.chance(0.5) ? 'm' : 'f';
  const f = p.fields;
  f.first_name = otherFirstName(rng, anchor, p.gender, false);
  f.last_name = genderedLast(t, anchor.lastBase, p.gender);
  // Same household: same city and postcode (and street when known).
  const street = anchor.fields.attributes['street'];
  if (typeof street === 'string') f.attributes['street'] = street;
  const dob = otherDob(rng, anchor);
  if (dob) f.attributes['date_of_birth'] = dob;
  if (sharePhone && anchor.phone) {
    p.phone = anchor.phone;
    p.landline = true;
    f.phone = anchor.fields.phone;
  } else if (rng.chance(0.7) && p.city) {
    [p.phone, p.phoneFormat, f.phone] = newPhone(rng, t, p.city, false);
  }
  if (rng.chance(0.75)) {
    p.emailKind = 'personal';
    f.email = personalEmail(world, t, f.first_name, f.last_name);
  }
  if (rng.chance(0.4)) {
    p.company = t.companies.sample(rng);
    f.company = renderCompany(p.company, 0);
    f.job_title = pickTitle(rng, t);
  }
  return p;
}

function namesake(world: World, anchor: Person, createdAt: number): Person {
  const { rng } = world;
  const p = blank(world, anchor, createdAt);
  const t = p.tables;
  const f = p.fields;
  // Same name, everything else their own: another city, phone, employer, mailbox, birth date.
  const cities = t.locale.cities.filter((c) => c !== anchor.city);
  p.city = cities.length > 0 && rng.chance(0.85) ? rng.pick(cities) : pickCity(rng, t);
  f.city = p.city.name;
  f.postcode = rng.chance(0.85) ? fillTemplate(rng, p.city.postcode) : null;
  if (rng.chance(0.8)) [p.phone, p.phoneFormat, f.phone] = newPhone(rng, t, p.city, rng.chance(0.3));
  if (rng.chance(0.7)) {
    const company = t.companies.sample(rng);
    if (company !== anchor.company) {
      p.company = company;
      f.company = renderCompany(company, 0);
      f.job_title = pickTitle(rng, t);
    }
  }
  const firstName = f.first_name ?? '';
  const lastName = f.last_name ?? '';
  if (rng.chance(0.92)) {
    const work = p.company !== null && rng.chance(0.6);
    p.emailKind = work ? 'work' : 'personal';
    f.email =
      work && p.company
        ? workEmail(world, t, p.company, firstName, lastName)
        : personalEmail(world, t, firstName, lastName);
  }
  const dob = otherDob(rng, anchor);
  if (dob) f.attributes['date_of_birth'] = dob;
  return p;
}

function colleague(world: World, anchor: Person, createdAt: number): Person {
  const { rng } = world;
  const p = blank(world, anchor, createdAt);
  const t = p.tables;
  const f = p.fields;
  p.gender = rng.chance(0.5) ? 'm' : 'f';
  p.lastBase = similarSurname(rng, t.locale.names, anchor.lastBase);
  f.first_name = otherFirstName(rng, anchor, p.gender, true);
  f.last_name = genderedLast(t, p.lastBase, p.gender);
  p.company = anchor.company;
  p.companyStyle = anchor.companyStyle;
  f.company = anchor.fields.company;
  let title = pickTitle(rng, t);
  if (title === anchor.fields.job_title) title = pickTitle(rng, t);
  f.job_title = title;
  p.emailKind = 'work';
  f.email = p.company ? workEmail(world, t, p.company, f.first_name, f.last_name) : null;
  if (!rng.chance(0.7)) {
    p.city = pickCity(rng, t);
    f.city = p.city.name;
    f.postcode = rng.chance(0.85) ? fillTemplate(rng, p.city.postcode) : null;
  }
  if (rng.chance(0.7))
    [p.phone, p.phoneFormat, f.phone] = newPhone(rng, t, p.city ?? pickCity(rng, t), false);
  return p;
}

const NEIGHBOURS = new WeakMap<NamePools, Map<string, string[]>>();

/** Surnames of the pool within two edits of each other with the same initial (Smith ~ Smyth). */
function neighbours(names: NamePools): Map<string, string[]> {
  let map = NEIGHBOURS.get(names);
  if (map) return map;
  map = new Map();
  for (const a of names.last) {
    const near = names.last.filter(
      (b) => b !== a && b[0] === a[0] && Math.abs(a.length - b.length) <= 1 && distance(a, b) <= 2,
    );
    if (near.length > 0) map.set(a, near);
  }
  NEIGHBOURS.set(names, map);
  return map;
}

/** Vowels by script, and what one may be mistaken for. */
const VOWELS: [members: string, replacements: string][] = [
  ['aeiouyàáâäèéêëìíîïòóôöùúûü', 'aeiouy'],
  ['аеиоуыяэ', 'аеиоуы'],
  ['αεηιουωάέήίόύώ', 'αεηιου'],
];

/** A different surname that looks nearly the same: a pool neighbour, else one vowel changed. */
export function similarSurname(rng: Rng, names: NamePools, last: string): string {
  const near = neighbours(names).get(last);
  if (near && rng.chance(0.8)) return rng.pick(near);
  const chars = Array.from(last);
  const spots: [number, string][] = [];
  chars.forEach((ch, i) => {
    const set = VOWELS.find(([members]) => members.includes(ch));
    if (i > 0 && set) spots.push([i, set[1]]);
  });
  if (spots.length === 0) return `${last}${last.at(-1) ?? 'e'}`;
  const [i, replacements] = rng.pick(spots);
  const options = Array.from(replacements).filter((c) => c !== chars[i]);
  chars[i] = rng.pick(options);
  return chars.join('');
}
