/**
 * Folds the spelling differences between romanizations of the same Cyrillic name (passport ICAO, BGN,
 * "popular", Ukrainian official) into one form, for name words only: Dmitrii / Dmitriy / Dmitry → dmitry,
 * Iuliia / Yuliya / Yulia → yulia, Yevgeny / Evgenii → evgeny, Aleksey / Alexey → alexey,
 * Natalya / Nataliia → natalia. Applied to both sides of every comparison, so it only ever merges spellings;
 * the side effect on Latin names (Bryan → brian) is of the same kind.
 */
export function foldRomanization(word: string): string {
  if (word.length < 3) return word;
  return (
    word
      .replace(/ks/g, 'x')
      .replace(/^iu/, 'yu')
      .replace(/^ia/, 'ya')
      .replace(/^ye/, 'e')
      // Consonant + y + vowel is the iotated vowel ("ya" in Natalya, "yo" in Solovyov): write it with i.
      .replace(/([bcdfghjklmnpqrstvwz])y(?=[aeiou])/g, '$1i')
      // i + y + vowel is ия/ие written out (Mariya, Yuliya, Sofiya): the plain i-vowel form.
      .replace(/iy(?=[aeiou])/g, 'i')
      .replace(/(?:iy|ii|yi|ij|yj|yy)$/, 'y')
      .replace(/(?:iia|ija)$/, 'ia')
  );
}
