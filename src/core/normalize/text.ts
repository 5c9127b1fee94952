import anyAscii from 'any-ascii';

/**
 * Shared text folding. Every normalizer goes through here, so every normalizer is total: input is cut to
 * MAX_INPUT_CHARS first (a 100 KB note pasted into a name field costs nothing), control/format/private-use
 * characters and emoji are dropped, and every script is transliterated to ASCII.
 */

/** Longest input any normalizer looks at. Longer values are truncated before any other work. */
export const MAX_INPUT_CHARS = 256;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Controls, format chars (incl. RTL marks), private use, unassigned, lone surrogates, symbols/emoji.
const STRIP = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{So}\p{Sk}]/gu;
const GREEK = /[\u0370-\u03ff\u1f00-\u1fff]/;
const GREEK_VOICELESS = 'θκξπσςτφχψ';

/**
 * Greek digraphs the way ELOT 743 (passports) romanizes them, before any-ascii does the single letters
 * (which would give Papadopoyloy, Euaggelos): ου → ou, αυ/ευ → av/ev (af/ef before a voiceless consonant
 * or at the end), γγ → ng, γκ/μπ/ντ → g/b/d at a word start and gk/mp/nt inside. Lower-cases Greek text.
 */
function greekDigraphs(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ου/g, 'ou')
    .replace(/([αεη])υ(.?)/g, (_m, v: string, next: string) => {
      const latin = v === 'α' ? 'a' : v === 'ε' ? 'e' : 'i';
      return (
        latin + (next === '' || GREEK_VOICELESS.includes(next) || !/\p{L}/u.test(next) ? 'f' : 'v') + next
      );
    })
    .replace(/γγ/g, 'ng')
    .replace(/(^|[^\p{L}])γκ/gu, '$1g')
    .replace(/(^|[^\p{L}])μπ/gu, '$1b')
    .replace(/(^|[^\p{L}])ντ/gu, '$1d')
    .replace(/γκ/g, 'gk')
    .replace(/μπ/g, 'mp')
    .replace(/ντ/g, 'nt');
}

/** Any value from a contact column or attributes jsonb as a string, or null (objects/arrays are not text). */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/** Truncated, stripped, transliterated, still mixed case and punctuated. */
export function foldToAscii(input: string): string {
  const s = input.length > MAX_INPUT_CHARS ? input.slice(0, MAX_INPUT_CHARS) : input;
  if (PRINTABLE_ASCII.test(s)) return s;
  // NFC first so decomposed accents (e + U+0301) transliterate like precomposed ones.
  const cleaned = (GREEK.test(s) ? greekDigraphs(s) : s)
    .normalize('NFC')
    .replace(STRIP, (ch) => (ch.length === 1 && ch.charCodeAt(0) < 0x20 ? ' ' : ''));
  return anyAscii(cleaned).replace(/[^\x20-\x7e]/g, ' ');
}

/**
 * Lower-case ASCII words separated by single spaces, or null when nothing is left. Apostrophes vanish
 * (O'Brien → obrien); every other non-alphanumeric character separates words.
 */
export function cleanText(input: string | null | undefined): string | null {
  if (input == null) return null;
  const s = foldToAscii(input)
    .toLowerCase()
    .replace(/['`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return s.length > 0 ? s : null;
}

/** Only the digits, or null when none. */
export function digitsOnly(input: string | null | undefined): string | null {
  if (input == null) return null;
  const s = foldToAscii(input).replace(/[^0-9]/g, '');
  return s.length > 0 ? s : null;
}
