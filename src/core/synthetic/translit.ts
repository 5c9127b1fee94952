/**
 * Script conversions used to corrupt duplicates the way real CRMs do: the same Russian, Ukrainian or
 * Greek person typed in Latin letters under different romanisation habits (passport, popular,
 * BGN, ELOT, phonetic), and diacritics lost on the way (Müller → Muller or Mueller).
 * Deliberately our own tables, not any-ascii: the matcher may normalise with any-ascii, and the
 * data must not be spelled the way the matcher happens to normalise.
 */

export type CyrillicScheme = 'passport' | 'popular' | 'bgn';
export type UkrainianScheme = 'kmu' | 'popular' | 'russified';
export type GreekScheme = 'elot' | 'phonetic';

const CYR_VOWELS = 'аеёиоуыэюяіїє';

interface CyrRules {
  base: Record<string, string>;
  /** Replacement of iotated vowels at a word start (Юлия → Yu…). */
  initial: Record<string, string>;
  /** Whether `initial` also applies after a vowel or soft/hard sign (Алексеев → Alekseyev). */
  initialAfterVowel: boolean;
  /** Word endings (longest first). */
  endings: [string, string][];
}

const RU_BASE: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

const CYRILLIC: Record<CyrillicScheme, CyrRules> = {
  // ICAO 9303, used in Russian passports since 2013: Дмитрий → Dmitrii, Юлия → Iuliia.
  passport: { base: RU_BASE, initial: {}, initialAfterVowel: false, endings: [] },
  // What people write in e-mails and on LinkedIn: Dmitry, Yevgeny, Alexey, Yulia.
  popular: {
    base: { ...RU_BASE, й: 'y', ё: 'yo', ъ: '', ю: 'yu', я: 'ya', кс: 'x' },
    initial: { е: 'ye', ё: 'yo' },
    initialAfterVowel: true,
    endings: [
      ['ий', 'y'],
      ['ый', 'y'],
      ['ия', 'ia'],
    ],
  },
  // BGN/PCGN: Dmitriy, Yevgeniy, Aleksey.
  bgn: {
    base: { ...RU_BASE, й: 'y', ё: 'ye', ъ: '', ю: 'yu', я: 'ya' },
    initial: { е: 'ye', ё: 'ye' },
    initialAfterVowel: true,
    endings: [
      ['ий', 'iy'],
      ['ый', 'yy'],
    ],
  },
};

const UA_BASE: Record<string, string> = {
  ...RU_BASE,
  г: 'h',
  ґ: 'g',
  е: 'e',
  є: 'ie',
  и: 'y',
  і: 'i',
  ї: 'i',
  й: 'i',
  ю: 'iu',
  я: 'ia',
  "'": '',
  '’': '',
};

const UKRAINIAN: Record<UkrainianScheme, CyrRules> = {
  // Official 2010 rules: Сергій → Serhii, Юлія → Yuliia (iotated letters become y… at a word start).
  kmu: {
    base: UA_BASE,
    initial: { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' },
    initialAfterVowel: false,
    endings: [],
  },
  popular: {
    base: { ...UA_BASE, й: 'y', є: 'ye', ї: 'yi', ю: 'yu', я: 'ya' },
    initial: {},
    initialAfterVowel: false,
    endings: [['ій', 'iy']],
  },
  // Written the Russian way, as in many older records: Sergiy, Oleksandr, Grygorii.
  russified: {
    base: { ...UA_BASE, г: 'g', й: 'y', є: 'ye', ї: 'yi', ю: 'yu', я: 'ya' },
    initial: {},
    initialAfterVowel: false,
    endings: [['ій', 'iy']],
  },
};

function transliterateCyrillicWith(text: string, rules: CyrRules): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const lower = ch.toLowerCase();
    const upper = ch !== lower;
    const prev = i > 0 ? text[i - 1]!.toLowerCase() : '';
    const wordStart = i === 0 || !isLetter(prev);
    let rep: string | undefined;
    let len = 1;
    for (const [ending, r] of rules.endings) {
      const slice = text.slice(i, i + ending.length).toLowerCase();
      const after = text[i + ending.length];
      if (slice === ending && (after === undefined || !isLetter(after.toLowerCase()))) {
        rep = r;
        len = ending.length;
        break;
      }
    }
    if (rep === undefined) {
      const pair = text.slice(i, i + 2).toLowerCase();
      if (pair.length === 2 && rules.base[pair] !== undefined) {
        rep = rules.base[pair];
        len = 2;
      }
    }
    const afterVowel = CYR_VOWELS.includes(prev) || prev === 'ь' || prev === 'ъ';
    if (rep === undefined && (wordStart || (rules.initialAfterVowel && afterVowel))) {
      rep = rules.initial[lower];
    }
    rep ??= rules.base[lower] ?? ch;
    out += upper && rep.length > 0 ? rep[0]!.toUpperCase() + rep.slice(1) : rep;
    i += len;
  }
  return out;
}

function isLetter(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

export function transliterateRussian(text: string, scheme: CyrillicScheme): string {
  return transliterateCyrillicWith(text, CYRILLIC[scheme]);
}

export function transliterateUkrainian(text: string, scheme: UkrainianScheme): string {
  return transliterateCyrillicWith(text, UKRAINIAN[scheme]);
}

const GREEK_BASE: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};
const GREEK_VOICELESS = 'θκξπσςτφχψ';
const GREEK_FRONT = ['ι', 'ε', 'η', 'υ', 'αι', 'ει', 'οι'];

/** Greek to Latin: ELOT 743 (Γιώργος → Giorgos, Χρήστος → Christos) or phonetic (Yiorgos, Hristos). */
export function transliterateGreek(text: string, scheme: GreekScheme): string {
  const words = text.split(/(\s+|-)/);
  return words.map((w) => (/^(\s+|-)$/.test(w) ? w : greekWord(w, scheme))).join('');
}

function greekWord(word: string, scheme: GreekScheme): string {
  const upperStart = word.length > 0 && word[0] !== word[0]!.toLowerCase();
  const allUpper = word.length > 1 && word === word.toUpperCase() && isLetter(word[0]!);
  const w = word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  let out = '';
  let i = 0;
  while (i < w.length) {
    const two = w.slice(i, i + 2);
    const next = w[i + 2] ?? '';
    const start = i === 0;
    let rep: string | undefined;
    let len = 2;
    if (two === 'ου') rep = 'ou';
    else if (two === 'αυ' || two === 'ευ' || two === 'ηυ') {
      const v = two === 'αυ' ? 'a' : two === 'ευ' ? 'e' : 'i';
      rep = v + (next === '' || GREEK_VOICELESS.includes(next) ? 'f' : 'v');
    } else if (two === 'μπ') rep = start ? 'b' : 'mp';
    else if (two === 'ντ') rep = start ? 'd' : 'nt';
    else if (two === 'γγ') rep = 'ng';
    else if (two === 'γκ') rep = start ? 'g' : 'gk';
    else if (two === 'γξ') rep = 'nx';
    else if (two === 'γχ') rep = scheme === 'phonetic' ? 'nh' : 'nch';
    else if (scheme === 'phonetic' && (two === 'αι' || two === 'ει' || two === 'οι')) {
      rep = two === 'αι' ? 'e' : 'i';
    }
    if (rep === undefined) {
      len = 1;
      const ch = w[i]!;
      if (scheme === 'phonetic') {
        if (ch === 'γ' && GREEK_FRONT.some((f) => w.startsWith(f, i + 1))) rep = 'y';
        else if (ch === 'χ') rep = 'h';
        else if (ch === 'υ') rep = 'i';
      }
      rep ??= GREEK_BASE[ch] ?? ch;
    }
    out += rep;
    i += len;
  }
  if (allUpper) return out.toUpperCase();
  return upperStart && out.length > 0 ? out[0]!.toUpperCase() + out.slice(1) : out;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

const LATIN_SPECIAL: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
};

/** José → Jose, Łukasz → Lukasz, Γιώργος → Γιωργος (tonos lost); Cyrillic ё → е, ї → і. */
export function dropDiacritics(text: string): string {
  if (isAscii(text)) return text;
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) {
      out += ch;
      continue;
    }
    if (ch === 'ё') out += 'е';
    else if (ch === 'Ё') out += 'Е';
    else if (ch === 'ї') out += 'і';
    else if (ch === 'й' || ch === 'Й')
      out += ch; // a letter of its own, not и with a mark
    else out += LATIN_SPECIAL[ch] ?? ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  return out;
}

/** German-keyboard-less spelling: Müller → Mueller, Weiß → Weiss, Ärger → Aerger. */
export function germanFold(text: string): string {
  return dropDiacritics(
    text.replace(
      /[äöüÄÖÜß]/g,
      (c) => ({ ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' })[c] ?? c,
    ),
  );
}

/** True when dropDiacritics would change the text. */
export function hasDiacritics(text: string): boolean {
  return dropDiacritics(text) !== text;
}

/** Lowercase ASCII letters and digits only, for e-mail local parts and domains. */
export function asciiSlug(text: string): string {
  return dropDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
