import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { digitsOnly } from './text.js';

/**
 * A normalized phone number. `e164` when libphonenumber-js could parse a possible number (using the
 * contact's country for numbers written without +CC), else null; `national` is the national significant
 * number (or, unparsed, all digits with leading zeros dropped); `tail` its last TAIL_DIGITS digits, the part
 * that survives different ways of writing country and trunk prefixes.
 */
export interface PhoneParts {
  e164: string | null;
  national: string;
  tail: string;
}

export const TAIL_DIGITS = 8;
/** Fewer digits than this is not a phone number (extensions, typos, "n/a"). */
const MIN_DIGITS = 6;
/** ITU-T E.164 allows 15 digits; a little slack for extensions written inline. */
const MAX_DIGITS = 20;

export function countryOrUndefined(country: string | null | undefined): CountryCode | undefined {
  if (typeof country !== 'string') return undefined;
  const c = country.trim().toUpperCase();
  if (c.length !== 2) return undefined;
  if (c === 'UK') return 'GB';
  return isSupportedCountry(c) ? c : undefined;
}

/**
 * An extension written after the number ("ext. 23", "x23", "#23") is not part of it: glued on, its
 * digits would make the same line a different number, in comparisons and in blocking keys.
 */
const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$/i;

/** Never throws: garbage yields digits only, or null when fewer than MIN_DIGITS digits remain. */
export function normalizePhone(
  written: string | null | undefined,
  country?: string | null,
  fallbackCountry?: string | null,
): PhoneParts | null {
  const input = typeof written === 'string' ? written.replace(EXTENSION, '') : written;
  const digits = digitsOnly(input);
  if (digits === null || digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return null;
  const defaultCountry = countryOrUndefined(country) ?? countryOrUndefined(fallbackCountry);
  const raw = (input as string).trim();
  // "00" international prefix and a bare leading "+" are both common ways of writing the country code.
  const text = raw.startsWith('+') ? `+${digits}` : digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
  let e164: string | null = null;
  let national = digits.replace(/^0+/, '');
  try {
    const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
    if (parsed?.isPossible()) {
      e164 = parsed.number;
      national = parsed.nationalNumber;
    }
  } catch {
    // libphonenumber-js throws on some inputs in some versions; the digits are still useful.
  }
  if (national.length < MIN_DIGITS) return null;
  return { e164, national, tail: national.slice(-TAIL_DIGITS) };
}
