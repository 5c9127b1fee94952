/** Shapes of the per-country data the generator draws from (names, places, phones, businesses). */

export type CountryCode = 'US' | 'GB' | 'DE' | 'FR' | 'ES' | 'IT' | 'NL' | 'PL' | 'BR' | 'RU' | 'UA' | 'GR';
export type Script = 'latin' | 'cyrillic' | 'greek';
export type Gender = 'm' | 'f';

export interface NamePools {
  /** Frequency-ranked (most common first): drawn with a Zipf law. */
  male: string[];
  female: string[];
  last: string[];
  /**
   * The long tail of rarer surnames: each rule is a list of parts, one piece drawn from each and
   * glued (Ash + ford, Ross + etti, van den + Berg + ...). Rules are drawn by how many names they make.
   */
  tail: string[][][];
  /** Share of people with two surnames (Spanish and Brazilian custom). */
  compoundLast: number;
  /** Female form of a (masculine) surname: Kowalski → Kowalska, Иванов → Иванова. */
  feminize: (last: string) => string;
}

export interface City {
  name: string;
  /** Postcode template: # digit, A letter, anything else literal. */
  postcode: string;
  /** Landline national significant number template (see phone.ts), groups separated by spaces. */
  landline: string;
}

export type PhoneStyle = 'nanp' | 'grouped' | 'br' | 'ru';

export interface PhonePlan {
  countryCode: string;
  /** National trunk prefix written before the number at home ('0', '8', or '' where none). */
  trunk: string;
  /** Mobile national significant number templates. */
  mobile: string[];
  style: PhoneStyle;
  /** International call prefix, for the 00… way of writing a number (empty: not used). */
  idd: string;
}

export type LegalFormId =
  | 'inc'
  | 'llc'
  | 'corp'
  | 'co'
  | 'ltd'
  | 'plc'
  | 'llp'
  | 'gmbh'
  | 'ag'
  | 'gmbh_co_kg'
  | 'kg'
  | 'sas'
  | 'sarl'
  | 'sa_fr'
  | 'sl'
  | 'sa_es'
  | 'srl'
  | 'spa'
  | 'bv'
  | 'nv'
  | 'spzoo'
  | 'sa_pl'
  | 'ltda'
  | 'sa_br'
  | 'ooo'
  | 'ao'
  | 'tov'
  | 'prat'
  | 'ae'
  | 'epe'
  | 'ike';

export interface Locale {
  country: CountryCode;
  script: Script;
  /** Share of contacts from this country (relative weight). */
  weight: number;
  names: NamePools;
  cities: City[];
  /** Street address templates, {n} is the house number. */
  streets: string[];
  phone: PhonePlan;
  freeMail: string[];
  tld: string;
  /** Local-language job titles (English ones are used everywhere too). */
  titles: string[];
  companyStems: string[];
  industries: string[];
  legalForms: [LegalFormId, number][];
}

/** Comma- or newline-separated list, trimmed, duplicates dropped (first occurrence keeps its rank). */
export function list(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const item = raw.trim();
    if (item !== '' && !seen.has(item)) {
      seen.add(item);
      out.push(item);
    }
  }
  return out;
}

/**
 * Stems of surnames for deriving new ones: the ending matched by `strip` removed (Rossi → Ross).
 * `keep` filters the surnames used; stems shorter than three letters are dropped.
 */
export function stems(
  surnames: string[],
  strip: RegExp,
  keep: (surname: string) => boolean = () => true,
): string[] {
  const out = new Set<string>();
  for (const s of surnames) {
    if (s.includes(' ') || s.includes("'") || !keep(s)) continue;
    const stem = s.replace(strip, '');
    if (stem.length >= 3) out.add(stem);
  }
  return [...out];
}

/** Replaces the first matching suffix rule: [from, to] pairs, longest listed first. */
export function suffixRules(rules: [string, string][]): (word: string) => string {
  return (word) => {
    for (const [from, to] of rules)
      if (word.endsWith(from)) return word.slice(0, word.length - from.length) + to;
    return word;
  };
}
