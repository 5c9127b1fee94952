import { canonicalGivenNames } from './nicknames.js';
import { phoneticCodes } from './phonetic.js';
import { foldRomanization } from './romanize.js';
import { cleanText } from './text.js';

/** Which column a name comes from: given names get the nickname map, family names do not. */
export type NameKind = 'given' | 'family' | 'full';

/**
 * A normalized person name. `canon` is what exact agreement and blocking use (nicknames mapped to one
 * given name, romanizations folded: Dmitrii/Dmitriy → dmitry; titles and middle initials dropped);
 * `alts` other canonical readings when a word is a short form of several names (Sam: samuel, samantha);
 * `raw` the words as written (cleaned, not folded or mapped), for fuzzy comparison of typos; `phonetic` the
 * double-metaphone codes of canon, alts and raw.
 */
export interface NameParts {
  canon: string;
  alts: string[];
  raw: string;
  phonetic: string[];
}

const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'herr',
  'frau',
  'mme',
  'mlle',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'jnr', 'snr']);
const MAX_ALTS = 3;

export function normalizeName(input: string | null | undefined, kind: NameKind = 'full'): NameParts | null {
  const clean = cleanText(input);
  if (clean === null) return null;
  let words = clean.split(' ');
  // Titles, generational suffixes and middle initials only go when a real name word remains.
  const kept = words.filter((w) => !TITLES.has(w) && !SUFFIXES.has(w) && w.length > 1);
  if (kept.length > 0) words = kept;
  const raw = words.join(' ');
  if (kind === 'family') {
    const canon = words.map(foldRomanization).join(' ');
    const phonetic = phoneticCodes(canon);
    if (canon !== raw)
      for (const code of phoneticCodes(raw)) if (!phonetic.includes(code)) phonetic.push(code);
    return { canon, alts: [], raw, phonetic };
  }
  const readings = words.map(canonicalGivenNames);
  const canonWords = readings.map((r) => r[0]!);
  const canon = canonWords.join(' ');
  const alts: string[] = [];
  readings.forEach((r, i) => {
    for (let j = 1; j < r.length && alts.length < MAX_ALTS; j++) {
      alts.push(canonWords.map((w, k) => (k === i ? r[j]! : w)).join(' '));
    }
  });
  // Codes of the written form too: a given name that lands in the family-name column (swapped names)
  // is coded there as written (Giorgos), not as its canonical form (george).
  const phonetic = phoneticCodes(canon);
  for (const form of [...alts, raw]) {
    for (const code of phoneticCodes(form)) if (!phonetic.includes(code)) phonetic.push(code);
  }
  return { canon, alts, raw, phonetic };
}
