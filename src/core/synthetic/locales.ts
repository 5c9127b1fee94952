import { BUSINESS } from './business.js';
import type { CountryCode, Locale, NamePools, Script } from './locale-types.js';
import { GREEK_NAMES, POLISH_NAMES, RUSSIAN_NAMES, UKRAINIAN_NAMES } from './names-east.js';
import { BRAZILIAN_NAMES, FRENCH_NAMES, ITALIAN_NAMES, SPANISH_NAMES } from './names-south.js';
import { DUTCH_NAMES, ENGLISH_NAMES, GERMAN_NAMES } from './names-west.js';
import { CITIES, PHONE_PLANS, STREETS } from './places.js';

/** The countries contacts come from, with their share of the CRM (a US/EU-heavy B2B mix). */
const COUNTRIES: [CountryCode, Script, NamePools, number][] = [
  ['US', 'latin', ENGLISH_NAMES, 30],
  ['GB', 'latin', ENGLISH_NAMES, 10],
  ['DE', 'latin', GERMAN_NAMES, 12],
  ['FR', 'latin', FRENCH_NAMES, 9],
  ['ES', 'latin', SPANISH_NAMES, 7],
  ['IT', 'latin', ITALIAN_NAMES, 7],
  ['NL', 'latin', DUTCH_NAMES, 5],
  ['PL', 'latin', POLISH_NAMES, 5],
  ['BR', 'latin', BRAZILIAN_NAMES, 6],
  ['RU', 'cyrillic', RUSSIAN_NAMES, 4],
  ['UA', 'cyrillic', UKRAINIAN_NAMES, 2],
  ['GR', 'greek', GREEK_NAMES, 3],
];

export const LOCALES: readonly Locale[] = COUNTRIES.map(([country, script, names, weight]) => {
  const b = BUSINESS[country];
  return {
    country,
    script,
    weight,
    names,
    cities: CITIES[country],
    streets: STREETS[country],
    phone: PHONE_PLANS[country],
    freeMail: b.freeMail,
    tld: b.tld,
    titles: b.titles,
    companyStems: b.stems,
    industries: b.industries,
    legalForms: b.legalForms,
  };
});
