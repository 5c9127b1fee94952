import type { City, PhonePlan } from './locale-types.js';
import type { Rng } from './random.js';

/**
 * Phone numbers kept as their parts (country plan + digit groups) so that one number can be written
 * every way people write it: E.164, international with spaces, national with the trunk prefix,
 * dashes, dots, parentheses, without the country code, or with the 00 call prefix.
 */

export interface Phone {
  plan: PhonePlan;
  /** Groups of the national significant number as written at home; may contain '-' inside. */
  groups: string[];
}

export type PhoneFormat =
  | 'e164'
  | 'international'
  | 'national'
  | 'dashed'
  | 'dotted'
  | 'compact'
  | 'bare'
  | 'idd';

export const PHONE_FORMATS: readonly PhoneFormat[] = [
  'e164',
  'international',
  'national',
  'dashed',
  'dotted',
  'compact',
  'bare',
  'idd',
];

const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Expands a template: # any digit, X a digit 2-9, A a capital letter, the rest literal. */
export function fillTemplate(rng: Rng, template: string): string {
  let out = '';
  for (const ch of template) {
    if (ch === '#') out += String.fromCharCode(48 + rng.int(10));
    else if (ch === 'X') out += String.fromCharCode(50 + rng.int(8));
    else if (ch === 'A') out += LETTERS[rng.int(LETTERS.length)];
    else out += ch;
  }
  return out;
}

/** A mobile number, or a landline in the person's city (where the area code comes from). */
export function randomPhone(rng: Rng, plan: PhonePlan, city: City, landline: boolean): Phone {
  const areaCode = city.landline.split(' ')[0]!;
  let template = landline || plan.mobile.length === 0 ? city.landline : rng.pick(plan.mobile);
  template = template.replace('DD', areaCode);
  return { plan, groups: fillTemplate(rng, template).split(' ') };
}

export function phoneDigits(phone: Phone): string {
  return phone.groups.join('').replace(/\D/g, '');
}

export function formatPhone(phone: Phone, format: PhoneFormat): string {
  const { plan, groups } = phone;
  const cc = plan.countryCode;
  const digits = phoneDigits(phone);
  const flat = groups.map((g) => g.replace(/-/g, ' ')).join(' ');
  const [first, ...rest] = groups;
  switch (format) {
    case 'e164':
      return `+${cc}${digits}`;
    case 'international':
      if (plan.style === 'nanp') return `+1 ${first}-${rest.join('-')}`;
      return `+${cc} ${groups.join(' ')}`;
    case 'national':
      if (plan.style === 'nanp') return `(${first}) ${rest[0]}-${rest.slice(1).join('')}`;
      if (plan.style === 'ru') return `${plan.trunk} (${first}) ${rest.join(' ')}`;
      if (plan.style === 'br') return `(${first}) ${rest.join(' ')}`;
      return plan.trunk + groups.join(' ');
    case 'dashed':
      return trunkBefore(plan, '-') + flat.replace(/ /g, '-');
    case 'dotted':
      return trunkBefore(plan, '.') + flat.replace(/ /g, '.');
    case 'compact':
      return trunkBefore(plan, '') + digits;
    case 'bare':
      // The country code and the trunk prefix both left off, as typed by someone abroad.
      return flat;
    case 'idd':
      return plan.idd === '' ? `+${cc} ${flat}` : `${plan.idd}${cc} ${flat}`;
  }
}

/** The trunk prefix as written before the number: glued on (0 30…), or apart for Russia's 8 (8-495-…). */
function trunkBefore(plan: PhonePlan, separator: string): string {
  if (plan.style === 'nanp') return '';
  return plan.style === 'ru' ? plan.trunk + separator : plan.trunk;
}
