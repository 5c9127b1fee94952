import type { Rng } from './random.js';

/**
 * One-letter typing mistakes as they happen on a keyboard: a neighbouring key hit instead, a letter
 * doubled or dropped, two letters swapped. Neighbours come from the keyboard of the text's script
 * (QWERTY, ЙЦУКЕН, Greek) so the typos look like real ones.
 */

export type TypoKind = 'insert' | 'delete' | 'substitute' | 'transpose';

const KEYBOARDS = [
  ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'],
  ['ςερτυθιοπ', 'ασδφγηξκλ', 'ζχψωβνμ'],
];

const NEIGHBOURS = new Map<string, string>();
for (const rows of KEYBOARDS) {
  rows.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      let near = (row[c - 1] ?? '') + (row[c + 1] ?? '');
      for (const other of [rows[r - 1], rows[r + 1]]) {
        if (other) near += (other[c - 1] ?? '') + (other[c] ?? '') + (other[c + 1] ?? '');
      }
      NEIGHBOURS.set(row[c]!, near);
    }
  });
}

function isLetter(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

function neighbourOf(rng: Rng, ch: string): string {
  const lower = ch.toLowerCase();
  const near = NEIGHBOURS.get(lower) ?? NEIGHBOURS.get(lower.normalize('NFD')[0] ?? '');
  const rep = near ? near[rng.int(near.length)]! : lower;
  return ch === lower ? rep : rep.toUpperCase();
}

/**
 * Applies one typo of the given kind at a random inner position (the first letter is kept: people
 * rarely get that wrong, and a changed initial would be a different name more than a typo).
 * Returns the text unchanged only when it is too short to be mistyped.
 */
export function applyTypo(rng: Rng, text: string, kind: TypoKind): string {
  const chars = Array.from(text);
  const positions: number[] = [];
  for (let i = 1; i < chars.length; i++) if (isLetter(chars[i]!)) positions.push(i);
  if (positions.length < 2) return text;
  const at = rng.pick(positions);
  const ch = chars[at]!;
  switch (kind) {
    case 'insert':
      // Mostly a doubled letter (Smiith), sometimes a neighbouring key slipping in.
      chars.splice(at, 0, rng.chance(0.6) ? ch : neighbourOf(rng, ch));
      break;
    case 'delete':
      chars.splice(at, 1);
      break;
    case 'substitute': {
      let rep = neighbourOf(rng, ch);
      if (rep === ch) rep = ch === 'e' ? 'a' : 'e';
      chars[at] = rep;
      break;
    }
    case 'transpose': {
      const j = at + 1 < chars.length && isLetter(chars[at + 1]!) ? at + 1 : at - 1;
      if (j < 1) return applyTypo(rng, text, 'substitute');
      if (chars[j] === ch) return applyTypo(rng, text, 'substitute');
      chars[at] = chars[j]!;
      chars[j] = ch;
      break;
    }
  }
  const out = chars.join('');
  return out === text ? applyTypo(rng, text, 'substitute') : out;
}

export const TYPO_KINDS: readonly TypoKind[] = ['insert', 'delete', 'substitute', 'transpose'];
