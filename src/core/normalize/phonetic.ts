import { doubleMetaphone } from 'double-metaphone';

/** Longest word the phonetic coder sees: codes only depend on the first few sounds anyway. */
const MAX_PHONETIC_INPUT = 32;

/**
 * Double-metaphone codes of a cleaned name (spaces ignored): the primary code, then the alternate when
 * it differs. Empty array when the name has no letters.
 */
export function phoneticCodes(clean: string): string[] {
  const word = clean.replace(/[^a-z]/g, '').slice(0, MAX_PHONETIC_INPUT);
  if (word.length === 0) return [];
  const [primary, alternate] = doubleMetaphone(word);
  if (primary.length === 0) return alternate.length > 0 ? [alternate] : [];
  return alternate.length > 0 && alternate !== primary ? [primary, alternate] : [primary];
}
