import { cleanText, foldToAscii } from './text.js';

/**
 * Legal-form words removed from the end of a company name (after dots are squeezed out, so "S.A." is "sa"
 * and "Sp. z o.o." is "sp z oo").
 */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'plc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'se',
  'sa',
  'sarl',
  'sas',
  'sasu',
  'sl',
  'slu',
  'bv',
  'nv',
  'spa',
  'srl',
  'sro',
  'sp',
  'oo',
  'zoo',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'co',
  'corp',
  'corporation',
  'company',
  'pty',
  'pvt',
  'kk',
  'cv',
  'rl',
  'ooo',
  'zao',
  'oao',
  'pao',
  'ltda',
  'lda',
  'spz',
  'spolka',
  'akcyjna',
  'aktiengesellschaft',
  'kommanditgesellschaft',
  'gesellschaft',
  'sociedad',
  'societe',
  'societa',
  'anonima',
  'anonyme',
  'limitada',
  'ae',
  'epe',
  'ike',
]);
/** Multi-word legal forms, as cleaned words (S/A → "s a"). */
const LEGAL_PHRASES: readonly (readonly string[])[] = [
  ['public', 'limited', 'company'],
  ['limited', 'liability', 'company'],
  ['s', 'a'],
  ['s', 'l'],
];
/** Legal forms written before the name (Russian, Ukrainian). */
const LEGAL_PREFIXES = new Set(['ooo', 'oao', 'zao', 'pao', 'ao', 'tov', 'prat', 'pat', 'ip']);
const LEGAL_PREFIX_PHRASES: readonly (readonly string[])[] = [
  ['obshchestvo', 's', 'ogranichennoy', 'otvetstvennostyu'],
  ['obshchestvo', 's', 'ogranichennoi', 'otvetstvennostiu'],
  ['tovarystvo', 'z', 'obmezhenoyu', 'vidpovidalnistyu'],
  ['tovaristvo', 'z', 'obmezhenoyu', 'vidpovidalnistyu'],
  ['tovarystvo', 'z', 'obmezhenoiu', 'vidpovidalnistiu'],
];

function endsWith(words: readonly string[], end: number, phrase: readonly string[]): boolean {
  if (end - phrase.length < 1) return false;
  for (let i = 0; i < phrase.length; i++) if (words[end - phrase.length + i] !== phrase[i]) return false;
  return true;
}

function startsWith(
  words: readonly string[],
  start: number,
  end: number,
  phrase: readonly string[],
): boolean {
  if (end - start - phrase.length < 1) return false;
  for (let i = 0; i < phrase.length; i++) if (words[start + i] !== phrase[i]) return false;
  return true;
}
/** Joining words inside a legal form ("GmbH & Co. KG", "S. de R.L.", "Sp. z o.o.") go only with it. */
const CONNECTORS = new Set(['and', 'de', 'z', 'y', 'et', 'und', 'u']);

/**
 * Lower case, punctuation and legal form removed ("ACME, Inc." → "acme", "ООО «Ромашка»" → "romashka");
 * a name that is nothing but a legal form is kept as it is.
 */
export function normalizeCompany(input: string | null | undefined): string | null {
  if (input == null) return null;
  // Dots inside abbreviations join letters (S.A. → SA); "&" is a word.
  const squeezed = foldToAscii(input).replace(/\./g, '').replace(/&/g, ' and ');
  const clean = cleanText(squeezed);
  if (clean === null) return null;
  const words = clean.split(' ');
  let end = words.length;
  let strippedLegal = false;
  while (end > 1) {
    const phrase = LEGAL_PHRASES.find((p) => endsWith(words, end, p));
    if (phrase !== undefined) {
      end -= phrase.length;
      strippedLegal = true;
      continue;
    }
    const w = words[end - 1]!;
    if (LEGAL_SUFFIXES.has(w)) strippedLegal = true;
    else if (!(strippedLegal && CONNECTORS.has(w))) break;
    end--;
  }
  let start = 0;
  for (;;) {
    const phrase = LEGAL_PREFIX_PHRASES.find((p) => startsWith(words, start, end, p));
    if (phrase !== undefined) start += phrase.length;
    else if (end - start > 1 && (LEGAL_PREFIXES.has(words[start]!) || words[start] === 'the')) start++;
    else break;
  }
  return words.slice(start, end).join(' ');
}
