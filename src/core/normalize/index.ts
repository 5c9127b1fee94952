import { normalizeDigits, normalizePostcode, normalizeText } from './codes.js';
import { normalizeCompany } from './company.js';
import { type DateParts, normalizeDate } from './date.js';
import { type EmailParts, normalizeEmail } from './email.js';
import { type NameParts, normalizeName } from './names.js';
import { normalizePhone, type PhoneParts } from './phone.js';
import { asText } from './text.js';

export type { DateParts } from './date.js';
export type { EmailParts } from './email.js';
export type { NameParts } from './names.js';
export type { PhoneParts } from './phone.js';

export const NORMALIZER_NAMES = [
  'text',
  'given_name',
  'family_name',
  'name',
  'email',
  'phone',
  'company',
  'postcode',
  'date',
  'digits',
] as const;
export type NormalizerName = (typeof NORMALIZER_NAMES)[number];

/** Per-contact context some normalizers need: phone numbers without +CC are read in the contact's country. */
export interface NormalizeContext {
  country: string | null;
  defaultCountry: string | null;
}

/** What a normalizer produces; `key` of it is the single string used for blocking, exact match and TF. */
export type Normalized = string | NameParts | EmailParts | PhoneParts | DateParts;

interface Normalizer {
  /** Never throws; null for missing or unusable input. */
  normalize(raw: unknown, ctx: NormalizeContext): Normalized | null;
  key(value: Normalized): string;
}

const asString = (v: Normalized): string => v as string;

export const NORMALIZERS: Readonly<Record<NormalizerName, Normalizer>> = {
  text: { normalize: (raw) => normalizeText(asText(raw)), key: asString },
  given_name: { normalize: (raw) => normalizeName(asText(raw), 'given'), key: (v) => (v as NameParts).canon },
  family_name: {
    normalize: (raw) => normalizeName(asText(raw), 'family'),
    key: (v) => (v as NameParts).canon,
  },
  name: { normalize: (raw) => normalizeName(asText(raw), 'full'), key: (v) => (v as NameParts).canon },
  email: { normalize: (raw) => normalizeEmail(asText(raw)), key: (v) => (v as EmailParts).full },
  phone: {
    normalize: (raw, ctx) => normalizePhone(asText(raw), ctx.country, ctx.defaultCountry),
    // The national number, not E.164: a number stored with and without its country code is one key.
    key: (v) => (v as PhoneParts).national,
  },
  company: { normalize: (raw) => normalizeCompany(asText(raw)), key: asString },
  postcode: { normalize: (raw) => normalizePostcode(asText(raw)), key: asString },
  date: { normalize: (raw) => normalizeDate(asText(raw)), key: (v) => (v as DateParts).iso },
  digits: { normalize: (raw) => normalizeDigits(asText(raw)), key: asString },
};

export { normalizeDigits, normalizePostcode, normalizeText } from './codes.js';
export { normalizeCompany } from './company.js';
export { normalizeDate } from './date.js';
export { normalizeEmail, ROLE_LOCAL_PARTS } from './email.js';
export { normalizeName } from './names.js';
export { canonicalGivenName, canonicalGivenNames, NICKNAME_COUNT } from './nicknames.js';
export { normalizePhone } from './phone.js';
export { phoneticCodes } from './phonetic.js';
export { foldRomanization } from './romanize.js';
export { cleanText, MAX_INPUT_CHARS } from './text.js';
