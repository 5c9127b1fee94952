import { type Company, renderCompany } from './companies.js';
import { personalLocal, workLocal } from './email.js';
import type { City, Gender } from './locale-types.js';
import { fillTemplate, formatPhone, type Phone, type PhoneFormat, randomPhone } from './phone.js';
import { type Rng, WeightedChoice } from './random.js';
import {
  asciiSlug,
  germanFold,
  transliterateGreek,
  transliterateRussian,
  transliterateUkrainian,
} from './translit.js';
import type { SyntheticContact } from './types.js';
import type { LocaleTables, World } from './world.js';

/**
 * A generated person: the contact row's fields plus the structure they were rendered from (phone
 * parts, company, city), which corruptions and look-alikes need to write the same data differently.
 */

export type ContactFields = Pick<
  SyntheticContact,
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'phone'
  | 'company'
  | 'job_title'
  | 'city'
  | 'country'
  | 'postcode'
  | 'attributes'
>;

export interface Person {
  tables: LocaleTables;
  gender: Gender;
  /** Surname in its masculine form (feminized for women where the language does that). */
  lastBase: string;
  company: Company | null;
  companyStyle: number;
  emailKind: 'work' | 'personal' | null;
  phone: Phone | null;
  phoneFormat: PhoneFormat;
  /** A home landline (relatives share those) rather than a mobile. */
  landline: boolean;
  city: City | null;
  fields: ContactFields;
  ownerId: number | null;
  createdAt: number;
  updatedAt: number;
}

const PHONE_FORMAT_CHOICE = new WeightedChoice<PhoneFormat>([
  ['national', 45],
  ['international', 25],
  ['e164', 15],
  ['dashed', 5],
  ['compact', 5],
  ['dotted', 5],
]);
const SEGMENTS = ['smb', 'mid_market', 'enterprise', 'consumer', 'public_sector'];
const LEAD_SOURCES = ['website', 'referral', 'webinar', 'trade_show', 'import', 'partner', 'cold_call'];
const DAY = 86_400_000;

export function pickFirstName(rng: Rng, t: LocaleTables, gender: Gender): string {
  const pool = gender === 'm' ? t.locale.names.male : t.locale.names.female;
  return pool[rng.weighted(gender === 'm' ? t.male : t.female)]!;
}

/** A surname (masculine form): from the ranked pool or its long tail of rarer ones. */
export function pickLastBase(rng: Rng, t: LocaleTables): string {
  const names = t.locale.names;
  const one = () => {
    // A third from the ranked pool (Smith, Müller), the rest a long tail of rarer derived names.
    if (rng.chance(0.35)) return names.last[rng.weighted(t.last)]!;
    const parts = names.tail[rng.weighted(t.tailRules)]!;
    let name = '';
    for (const part of parts) name += rng.pick(part);
    return name;
  };
  if (names.compoundLast > 0 && rng.chance(names.compoundLast)) {
    const a = one();
    let b = one();
    if (b === a) b = one();
    return `${a} ${b}`;
  }
  return one();
}

export function genderedLast(t: LocaleTables, lastBase: string, gender: Gender): string {
  return gender === 'f' ? t.locale.names.feminize(lastBase) : lastBase;
}

/** ASCII slugs of a person's names as they would appear in an address they chose. */
export function emailSlugs(rng: Rng, t: LocaleTables, first: string, last: string): [string, string] {
  const firstToken = first.split(/[\s-]/)[0] ?? first;
  // Spanish and Brazilian double surnames: the address carries the first one.
  const lastPart = t.locale.names.compoundLast > 0 && last.includes(' ') ? primarySurname(last) : last;
  // One romanisation habit per person, for both names.
  const scheme = rng.float();
  const toLatin = (s: string): string => {
    switch (t.locale.country) {
      case 'RU':
        return transliterateRussian(s, scheme < 0.7 ? 'popular' : 'passport');
      case 'UA':
        return transliterateUkrainian(s, scheme < 0.6 ? 'popular' : 'kmu');
      case 'GR':
        return transliterateGreek(s, scheme < 0.7 ? 'elot' : 'phonetic');
      case 'DE':
        return germanFold(s);
      default:
        return s;
    }
  };
  return [asciiSlug(toLatin(firstToken)) || 'info', asciiSlug(toLatin(lastPart)) || 'contact'];
}

function primarySurname(last: string): string {
  const parts = last.split(' ');
  // Keep particles with their name: "da Silva Santos" → "da Silva".
  return /^(da|de|do|dos|das|del)$/i.test(parts[0]!) && parts.length > 1
    ? `${parts[0]} ${parts[1]}`
    : parts[0]!;
}

export function personalEmail(world: World, t: LocaleTables, first: string, last: string): string {
  const { rng } = world;
  const [f, l] = emailSlugs(rng, t, first, last);
  const domain = rng.chance(0.35) ? 'gmail.com' : rng.pick(t.locale.freeMail);
  return world.emails.claim(rng, personalLocal(rng, f, l), domain, true);
}

export function workEmail(
  world: World,
  t: LocaleTables,
  company: Company,
  first: string,
  last: string,
): string {
  const [f, l] = emailSlugs(world.rng, t, first, last);
  return world.emails.claim(world.rng, workLocal(company.emailPattern, f, l), company.domain, false);
}

export function pickTitle(rng: Rng, t: LocaleTables): string {
  return rng.pick(t.titles);
}

export function randomDob(rng: Rng): string {
  const y = rng.range(1950, 2003);
  const m = rng.range(1, 12);
  const d = rng.range(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function streetAddress(rng: Rng, t: LocaleTables): string {
  return rng.pick(t.locale.streets).replace('{n}', String(rng.range(1, 180)));
}

export function pickCity(rng: Rng, t: LocaleTables): City {
  return t.locale.cities[rng.weighted(t.cities)]!;
}

export function newPhone(
  rng: Rng,
  t: LocaleTables,
  city: City,
  landline: boolean,
): [Phone, PhoneFormat, string] {
  const phone = randomPhone(rng, t.locale.phone, city, landline);
  const format = PHONE_FORMAT_CHOICE.sample(rng);
  return [phone, format, formatPhone(phone, format)];
}

export function randomOwner(world: World): number | null {
  return world.users > 0 && world.rng.chance(0.97) ? world.rng.range(1, world.users) : null;
}

/** updated_at: as created for a third of contacts, otherwise some time later (never after now). */
export function updatedAfter(world: World, createdAt: number): number {
  const { rng } = world;
  if (rng.chance(0.33)) return createdAt;
  return createdAt + Math.floor(rng.float() * (world.now - createdAt));
}

/** A new, original person from a random country, created at `createdAt`. */
export function newPerson(world: World, createdAt: number): Person {
  const { rng } = world;
  const t = world.countries.sample(rng);
  const gender: Gender = rng.chance(0.5) ? 'm' : 'f';
  const first = pickFirstName(rng, t, gender);
  const lastBase = pickLastBase(rng, t);
  const last = genderedLast(t, lastBase, gender);
  const city = rng.chance(0.9) ? pickCity(rng, t) : null;
  const phoneCity = city ?? pickCity(rng, t);
  const landline = rng.chance(0.3);
  const [phone, phoneFormat, phoneText] = rng.chance(0.78)
    ? newPhone(rng, t, phoneCity, landline)
    : [null, 'national' as const, null];
  const company = rng.chance(0.72) ? t.companies.sample(rng) : null;
  const companyStyle = rng.chance(0.85) ? 0 : 1;
  let email: string | null = null;
  let emailKind: Person['emailKind'] = null;
  if (rng.chance(0.93)) {
    emailKind = company && rng.chance(0.7) ? 'work' : 'personal';
    email =
      emailKind === 'work' && company
        ? workEmail(world, t, company, first, last)
        : personalEmail(world, t, first, last);
  }
  const attributes: Record<string, unknown> = {};
  if (rng.chance(0.25)) attributes['date_of_birth'] = randomDob(rng);
  if (rng.chance(0.3)) attributes['segment'] = rng.pick(SEGMENTS);
  if (rng.chance(0.2)) attributes['lead_source'] = rng.pick(LEAD_SOURCES);
  if (city && rng.chance(0.25)) attributes['street'] = streetAddress(rng, t);
  return {
    tables: t,
    gender,
    lastBase,
    company,
    companyStyle,
    emailKind,
    phone,
    phoneFormat,
    landline,
    city,
    fields: {
      first_name: first,
      last_name: last,
      email,
      phone: phoneText,
      company: company ? renderCompany(company, companyStyle) : null,
      job_title: company
        ? rng.chance(0.85)
          ? pickTitle(rng, t)
          : null
        : rng.chance(0.1)
          ? pickTitle(rng, t)
          : null,
      city: city?.name ?? null,
      country: t.locale.country,
      postcode: city && rng.chance(0.85) ? fillTemplate(rng, city.postcode) : null,
      attributes,
    },
    ownerId: randomOwner(world),
    createdAt,
    updatedAt: updatedAfter(world, createdAt),
  };
}

export function toContact(id: number, person: Person): SyntheticContact {
  return {
    id,
    external_id: `syn-${id}`,
    ...person.fields,
    attributes: { ...person.fields.attributes },
    owner_id: person.ownerId,
    created_at: new Date(person.createdAt),
    updated_at: new Date(person.updatedAt),
  };
}

/** Some days of jitter, for created_at spread around a position in the stream. */
export function jitterDays(rng: Rng, days: number): number {
  return Math.floor(rng.float() * days * DAY);
}
