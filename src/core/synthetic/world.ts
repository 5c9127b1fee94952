import { ENGLISH_TITLES } from './business.js';
import { CompanyPool } from './companies.js';
import { EmailRegistry } from './email.js';
import type { CountryCode, Locale } from './locale-types.js';
import { LOCALES } from './locales.js';
import { cumulative, Rng, WeightedChoice, zipfTable } from './random.js';

/**
 * Everything drawn from during one generation run: the random stream, per-country frequency tables
 * and company pools, and the registry of e-mail addresses already handed out. Its size depends on
 * the pools, not on how many contacts are generated (the e-mail filter is capped).
 */

export interface LocaleTables {
  locale: Locale;
  male: Float64Array;
  female: Float64Array;
  last: Float64Array;
  /** Tail rules weighted by how many surnames each can make. */
  tailRules: Float64Array;
  cities: Float64Array;
  companies: CompanyPool;
  titles: string[];
}

export interface World {
  rng: Rng;
  users: number;
  lists: number;
  tables: Map<CountryCode, LocaleTables>;
  countries: WeightedChoice<LocaleTables>;
  emails: EmailRegistry;
  /** The CRM's "now": a fixed instant so that output never depends on the clock. */
  now: number;
  /** Earliest created_at. */
  start: number;
}

export const SYNTHETIC_NOW = Date.UTC(2026, 0, 1);
export const SYNTHETIC_START = Date.UTC(2016, 0, 1);

export function createWorld(opts: { seed: number; users: number; lists: number; contacts: number }): World {
  const tables = new Map<CountryCode, LocaleTables>();
  for (const locale of LOCALES) {
    const { names } = locale;
    tables.set(locale.country, {
      locale,
      // Zipf over frequency-ranked pools: common names are common, namesakes follow.
      male: zipfTable(names.male.length, 1, 10),
      female: zipfTable(names.female.length, 1, 10),
      last: zipfTable(names.last.length, 1, 30),
      tailRules: cumulative(names.tail.map((parts) => parts.reduce((n, p) => n * p.length, 1))),
      cities: zipfTable(locale.cities.length, 1, 1),
      // Companies depend on the seed but not on the generation order: own derived stream.
      companies: new CompanyPool(Rng.derive(opts.seed, `companies:${locale.country}`), locale),
      titles: [...ENGLISH_TITLES, ...locale.titles, ...locale.titles],
    });
  }
  const all = [...tables.values()];
  return {
    rng: Rng.derive(opts.seed, 'contacts'),
    users: opts.users,
    lists: opts.lists,
    tables,
    countries: new WeightedChoice(all.map((t) => [t, t.locale.weight] as const)),
    emails: new EmailRegistry(opts.contacts * 1.3),
    now: SYNTHETIC_NOW,
    start: SYNTHETIC_START,
  };
}
