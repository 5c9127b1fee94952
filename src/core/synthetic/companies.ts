import { LEGAL_FORMS } from './business.js';
import type { LegalFormId, Locale } from './locale-types.js';
import { type Rng, WeightedChoice, zipfTable } from './random.js';
import {
  asciiSlug,
  germanFold,
  transliterateGreek,
  transliterateRussian,
  transliterateUkrainian,
} from './translit.js';

/**
 * A per-country pool of invented companies: a name, a legal form, a web domain and the e-mail
 * convention its staff share. Company sizes follow a Zipf law: a few big employers with many
 * contacts (colleagues, namesakes at the same firm), a long tail of small ones.
 */

export type EmailPattern = 'first.last' | 'flast' | 'f.last' | 'first' | 'firstl' | 'first_last';

export interface Company {
  /** Name without the legal form: "Summit Analytics". */
  name: string;
  legal: LegalFormId;
  domain: string;
  /** A second domain the firm also uses (group or foreign site). */
  altDomain: string;
  emailPattern: EmailPattern;
}

const EMAIL_PATTERNS = new WeightedChoice<EmailPattern>([
  ['first.last', 50],
  ['flast', 15],
  ['f.last', 15],
  ['firstl', 7],
  ['first_last', 8],
  ['first', 5],
]);

/** How many companies each country's pool holds (at most: fewer when the material runs out). */
const POOL_SIZE = 1500;

export class CompanyPool {
  readonly companies: Company[];
  private readonly zipf: Float64Array;

  constructor(rng: Rng, locale: Locale) {
    const legal = new WeightedChoice(locale.legalForms);
    const names = rng.shuffle(companyNames(rng, locale));
    const domains = new Set<string>();
    this.companies = [];
    for (const name of names) {
      if (this.companies.length >= POOL_SIZE) break;
      const slug = domainSlug(locale, name);
      if (slug.length < 3 || domains.has(slug)) continue;
      domains.add(slug);
      this.companies.push({
        name,
        legal: legal.sample(rng),
        domain: `${slug}.${locale.tld}`,
        altDomain: locale.tld === 'com' ? `${slug}-group.com` : `${slug}.com`,
        emailPattern: EMAIL_PATTERNS.sample(rng),
      });
    }
    this.zipf = zipfTable(this.companies.length, 0.9, 10);
  }

  sample(rng: Rng): Company {
    return this.companies[rng.weighted(this.zipf)]!;
  }

  /** Another company than `not` (a job change). */
  other(rng: Rng, not: Company): Company {
    for (;;) {
      const c = this.sample(rng);
      if (c !== not) return c;
    }
  }
}

/** Company name with its legal form written in one of its ways (0 = canonical). */
export function renderCompany(company: Company, style: number): string {
  const forms = LEGAL_FORMS[company.legal];
  const form = forms[Math.min(style, forms.length - 1)]!;
  return form.replace('{s}', company.name).replace('{S}', company.name.toUpperCase());
}

export function legalStyleCount(company: Company): number {
  return LEGAL_FORMS[company.legal].length;
}

function companyNames(rng: Rng, locale: Locale): string[] {
  const out: string[] = [];
  const { companyStems: stems, industries } = locale;
  const surnames = locale.names.last.slice(0, 60);
  for (const stem of stems) {
    for (const industry of industries) out.push(joinName(locale, stem, industry));
  }
  // Family firms: "Schmidt Bau", "Transports Dupont", "Harper & Lloyd".
  for (const surname of surnames) {
    const industry = rng.pick(industries);
    out.push(joinName(locale, surname, industry));
    if (locale.script === 'latin' && rng.chance(0.3)) out.push(`${surname} & ${rng.pick(surnames)}`);
  }
  return out;
}

function joinName(locale: Locale, stem: string, industry: string): string {
  switch (locale.country) {
    case 'ES':
    case 'BR':
    case 'FR':
      return `${industry} ${stem}`;
    case 'RU':
    case 'UA':
      // ВолгаСтрой, УралИнвест: glued the way Russian-speaking firms are named.
      return stem.includes(' ') ? stem : stem + industry;
    default:
      return `${stem} ${industry}`;
  }
}

function domainSlug(locale: Locale, name: string): string {
  if (locale.script === 'greek') return asciiSlug(transliterateGreek(name, 'elot'));
  if (locale.country === 'UA') return asciiSlug(transliterateUkrainian(name, 'kmu'));
  if (locale.script === 'cyrillic') return asciiSlug(transliterateRussian(name, 'popular'));
  const joined = name.replace(/&/g, locale.country === 'US' || locale.country === 'GB' ? 'and' : '');
  return asciiSlug(locale.country === 'DE' ? germanFold(joined) : joined);
}
