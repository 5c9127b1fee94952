import { legalStyleCount, renderCompany } from './companies.js';
import { caseVariant, emailDomain, emailLocal, gmailDotsVariant, isGmail, plusTagVariant } from './email.js';
import { nicknamesOf } from './nicknames.js';
import { type Person, pickTitle, workEmail } from './person.js';
import { formatPhone, PHONE_FORMATS } from './phone.js';
import type { Rng } from './random.js';
import {
  dropDiacritics,
  germanFold,
  hasDiacritics,
  transliterateGreek,
  transliterateRussian,
  transliterateUkrainian,
} from './translit.js';
import { CORRUPTION_KINDS, type CorruptionKind } from './types.js';
import { applyTypo, TYPO_KINDS } from './typos.js';
import type { World } from './world.js';

/**
 * Turns an original person into a planted duplicate carrying 1-3 of the corruptions real CRMs show.
 * A duplicate always keeps enough for a careful human to recognise the person: the e-mail (possibly
 * re-cased, re-dotted or tagged) or the phone survives, or else the name and company are untouched.
 */

const WEIGHTS: Record<CorruptionKind, number> = {
  job_change: 6,
  missing_email: 8,
  missing_phone: 8,
  missing_company: 5,
  email_case: 6,
  email_gmail_dots: 8,
  email_plus_tag: 4,
  email_domain: 4,
  email_typo: 3,
  phone_format: 10,
  company_suffix: 8,
  transliteration: 40, // only Cyrillic and Greek records, where it is the usual corruption
  diacritics: 10,
  nickname: 10,
  typo: 14,
  name_swap: 2,
};

const EMAIL_KINDS: readonly CorruptionKind[] = [
  'missing_email',
  'email_case',
  'email_gmail_dots',
  'email_plus_tag',
  'email_domain',
  'email_typo',
];
const NAME_KINDS: readonly CorruptionKind[] = [
  'typo',
  'nickname',
  'name_swap',
  'transliteration',
  'diacritics',
];

/** Pairs that cannot go together (they edit the same field, or one makes the other moot). */
const CONFLICTS: [CorruptionKind, CorruptionKind][] = [
  ...pairsWithin(EMAIL_KINDS),
  ...EMAIL_KINDS.map((k): [CorruptionKind, CorruptionKind] => ['job_change', k]),
  ['job_change', 'missing_company'],
  ['job_change', 'company_suffix'],
  ['job_change', 'missing_phone'],
  ['missing_company', 'company_suffix'],
  ['missing_phone', 'phone_format'],
  ['transliteration', 'diacritics'],
];

function pairsWithin(kinds: readonly CorruptionKind[]): [CorruptionKind, CorruptionKind][] {
  const out: [CorruptionKind, CorruptionKind][] = [];
  for (let i = 0; i < kinds.length; i++)
    for (let j = i + 1; j < kinds.length; j++) out.push([kinds[i]!, kinds[j]!]);
  return out;
}

function conflicts(a: CorruptionKind, b: CorruptionKind): boolean {
  return CONFLICTS.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** Whether this person can carry a duplicate at all (something to recognise them by). */
export function canBeDuplicated(p: Person): boolean {
  return p.fields.email !== null || p.fields.phone !== null;
}

function applicable(p: Person, kind: CorruptionKind): boolean {
  const f = p.fields;
  switch (kind) {
    case 'job_change':
      return p.company !== null && (p.emailKind === 'personal' || f.phone !== null);
    case 'missing_email':
    case 'email_case':
    case 'email_plus_tag':
    case 'email_domain':
    case 'email_typo':
      return f.email !== null;
    case 'email_gmail_dots':
      return f.email !== null && isGmail(f.email);
    case 'missing_phone':
    case 'phone_format':
      return f.phone !== null;
    case 'missing_company':
      return f.company !== null;
    case 'company_suffix':
      return p.company !== null && legalStyleCount(p.company) > 1;
    case 'transliteration':
      return p.tables.locale.script !== 'latin';
    case 'diacritics':
      return [f.first_name, f.last_name, f.city, f.company].some((s) => s !== null && hasDiacritics(s));
    case 'nickname':
      return f.first_name !== null && nicknamesOf(f.first_name).length > 0;
    case 'typo':
    case 'name_swap':
      return f.first_name !== null && f.last_name !== null;
  }
}

/** The duplicate still carries a strong identifier, or an untouched name at the same company. */
function keepsSignal(p: Person, kinds: ReadonlySet<CorruptionKind>): boolean {
  const emailKept =
    p.fields.email !== null &&
    !kinds.has('missing_email') &&
    !kinds.has('email_domain') &&
    !kinds.has('email_typo') &&
    !(kinds.has('job_change') && p.emailKind === 'work');
  const phoneKept = p.fields.phone !== null && !kinds.has('missing_phone');
  if (emailKept || phoneKept) return true;
  const nameChanged = NAME_KINDS.some((k) => kinds.has(k));
  const companyKept = p.company !== null && !kinds.has('missing_company') && !kinds.has('job_change');
  return !nameChanged && companyKept;
}

export function chooseCorruptions(rng: Rng, p: Person): CorruptionKind[] {
  const target = rng.chance(0.5) ? 1 : rng.chance(0.7) ? 2 : 3;
  const chosen = new Set<CorruptionKind>();
  const rejected = new Set<CorruptionKind>();
  while (chosen.size < target) {
    const candidates: [CorruptionKind, number][] = [];
    let total = 0;
    for (const kind of CORRUPTION_KINDS) {
      if (chosen.has(kind) || rejected.has(kind) || !applicable(p, kind)) continue;
      if ([...chosen].some((c) => conflicts(c, kind))) continue;
      candidates.push([kind, WEIGHTS[kind]]);
      total += WEIGHTS[kind];
    }
    if (candidates.length === 0) break;
    let x = rng.float() * total;
    let kind = candidates[candidates.length - 1]![0];
    for (const [k, w] of candidates) {
      x -= w;
      if (x < 0) {
        kind = k;
        break;
      }
    }
    chosen.add(kind);
    if (!keepsSignal(p, chosen)) {
      chosen.delete(kind);
      rejected.add(kind);
    }
  }
  if (chosen.size === 0) chosen.add(p.fields.phone !== null ? 'phone_format' : 'email_case');
  return CORRUPTION_KINDS.filter((k) => chosen.has(k));
}

/** Applies the corruptions to `dup` (a copy of the original) in a fixed, sensible order. */
export function applyCorruptions(world: World, dup: Person, kinds: readonly CorruptionKind[]): void {
  const { rng } = world;
  const f = dup.fields;
  const t = dup.tables;
  const has = (k: CorruptionKind) => kinds.includes(k);
  if (has('job_change') && dup.company) {
    const company = t.companies.other(rng, dup.company);
    dup.company = company;
    dup.companyStyle = rng.chance(0.85) ? 0 : 1;
    f.company = renderCompany(company, dup.companyStyle);
    let title = pickTitle(rng, t);
    if (title === f.job_title) title = pickTitle(rng, t);
    f.job_title = title;
    if (dup.emailKind === 'work')
      f.email = workEmail(world, t, company, f.first_name ?? '', f.last_name ?? '');
  }
  if (has('missing_email')) f.email = null;
  if (has('missing_phone')) f.phone = null;
  if (has('missing_company')) {
    f.company = null;
    if (rng.chance(0.5)) f.job_title = null;
  }
  if (f.email !== null) {
    if (has('email_case')) f.email = caseVariant(rng, f.email);
    if (has('email_gmail_dots')) f.email = gmailDotsVariant(rng, f.email);
    if (has('email_plus_tag')) f.email = plusTagVariant(rng, f.email);
    if (has('email_domain')) f.email = otherDomain(world, dup, f.email);
    if (has('email_typo')) f.email = mistypedEmail(world, f.email);
  }
  if (has('phone_format') && dup.phone && f.phone !== null) {
    const before = f.phone;
    for (let i = 0; i < 10 && f.phone === before; i++)
      f.phone = formatPhone(dup.phone, rng.pick(PHONE_FORMATS));
    if (f.phone === before) f.phone = formatPhone(dup.phone, 'e164');
  }
  if (has('company_suffix') && dup.company) {
    const before = f.company;
    const n = legalStyleCount(dup.company);
    for (let i = 0; i < 10 && f.company === before; i++) f.company = renderCompany(dup.company, rng.int(n));
  }
  if (has('nickname') && f.first_name !== null) f.first_name = rng.pick(nicknamesOf(f.first_name));
  if (has('transliteration')) transliterate(rng, dup);
  if (has('diacritics')) {
    const german = t.locale.country === 'DE' && rng.chance(0.5);
    const fold = (s: string | null) => (s === null ? null : german ? germanFold(s) : dropDiacritics(s));
    const before = [f.first_name, f.last_name, f.city, f.company];
    // Names lose their marks; city and company often do too (typed on the same keyboard).
    f.first_name = fold(f.first_name);
    f.last_name = fold(f.last_name);
    if (rng.chance(0.6)) f.city = fold(f.city);
    if (rng.chance(0.6)) f.company = fold(f.company);
    const after = [f.first_name, f.last_name, f.city, f.company];
    if (after.every((v, i) => v === before[i])) {
      f.city = fold(f.city);
      f.company = fold(f.company);
    }
  }
  if (has('typo')) {
    const kind = rng.pick(TYPO_KINDS);
    if (rng.chance(0.6) && f.last_name !== null) f.last_name = applyTypo(rng, f.last_name, kind);
    else if (f.first_name !== null) f.first_name = applyTypo(rng, f.first_name, kind);
  }
  if (has('name_swap')) [f.first_name, f.last_name] = [f.last_name, f.first_name];
}

function transliterate(rng: Rng, dup: Person): void {
  const f = dup.fields;
  const country = dup.tables.locale.country;
  let convert: (s: string) => string;
  if (country === 'GR') {
    const scheme = rng.chance(0.5) ? 'elot' : 'phonetic';
    convert = (s) => transliterateGreek(s, scheme);
  } else if (country === 'UA') {
    const scheme = rng.pick(['kmu', 'popular', 'russified'] as const);
    convert = (s) => transliterateUkrainian(s, scheme);
  } else {
    const scheme = rng.pick(['passport', 'popular', 'bgn'] as const);
    convert = (s) => transliterateRussian(s, scheme);
  }
  if (f.first_name !== null) f.first_name = convert(f.first_name);
  if (f.last_name !== null) f.last_name = convert(f.last_name);
  if (f.city !== null && rng.chance(0.8)) f.city = convert(f.city);
  if (f.company !== null && rng.chance(0.4)) f.company = convert(f.company);
}

/** A slip in the mailbox name that does not happen to hit somebody else's address. */
function mistypedEmail(world: World, email: string): string {
  let typo = email;
  for (let i = 0; i < 5 && (typo === email || world.emails.has(typo)); i++) {
    typo = `${applyTypo(world.rng, emailLocal(email), world.rng.pick(TYPO_KINDS))}@${emailDomain(email)}`;
  }
  world.emails.add(typo);
  return typo;
}

/** Same mailbox name at another domain: another free-mail provider, or the firm's other domain. */
function otherDomain(world: World, dup: Person, email: string): string {
  const { rng } = world;
  const current = emailDomain(email).toLowerCase();
  const local = emailLocal(email);
  let options: string[];
  if (dup.emailKind === 'work' && dup.company) {
    // The firm's other domain, or failing that the same name at a free-mail provider.
    const firm = current === dup.company.altDomain ? dup.company.domain : dup.company.altDomain;
    options = [firm, ...rng.shuffle([...dup.tables.locale.freeMail])];
  } else {
    options = rng.shuffle(
      [...dup.tables.locale.freeMail, 'gmail.com', 'outlook.com'].filter((d) => d !== current),
    );
  }
  for (const domain of options) {
    const moved = `${local}@${domain}`;
    // Someone else may own that mailbox already: then try the next provider.
    if (!world.emails.has(moved)) {
      world.emails.add(moved);
      return moved;
    }
  }
  return world.emails.claim(rng, local, options[0] ?? current, true);
}
