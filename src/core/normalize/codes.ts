import { cleanText, digitsOnly, foldToAscii } from './text.js';

/** Postcodes: upper case, everything but letters and digits removed ("sw1a 1aa" → "SW1A1AA"). */
export function normalizePostcode(input: string | null | undefined): string | null {
  if (input == null) return null;
  const s = foldToAscii(input)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return s.length > 0 ? s : null;
}

/** Identifiers such as social security numbers: digits only ("244-03-7470" → "244037470"). */
export function normalizeDigits(input: string | null | undefined): string | null {
  return digitsOnly(input);
}

/** Free text (city, job title, address): lower-case ASCII words. */
export function normalizeText(input: string | null | undefined): string | null {
  return cleanText(input);
}
