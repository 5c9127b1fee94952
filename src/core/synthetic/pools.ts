import { LOCALES } from './locales.js';
import { Rng } from './random.js';
import { asciiSlug, germanFold } from './translit.js';

/**
 * The CRM's own users (owners of contacts) and marketing lists, inserted before the contacts that
 * reference them by id (1..users, 1..lists). Deterministic for a seed.
 */

const LATIN = LOCALES.filter((l) => l.script === 'latin');

export function syntheticUsers(opts: {
  users: number;
  seed: number;
}): { id: number; name: string; email: string }[] {
  const rng = Rng.derive(opts.seed, 'users');
  const taken = new Set<string>();
  const out: { id: number; name: string; email: string }[] = [];
  for (let id = 1; id <= opts.users; id++) {
    const { names, country } = rng.pick(LATIN);
    const first = rng.pick(rng.chance(0.5) ? names.male : names.female).split(' ')[0]!;
    const last = rng.pick(names.last);
    const slug = (s: string) => asciiSlug(country === 'DE' ? germanFold(s) : s);
    const local = `${slug(first)}.${slug(last)}`;
    let email = `${local}@sales.example`;
    for (let n = 2; taken.has(email); n++) email = `${local}${n}@sales.example`;
    taken.add(email);
    out.push({ id, name: `${first} ${last}`, email });
  }
  return out;
}

const LIST_KINDS = [
  'Newsletter',
  'Webinar attendees',
  'Trade show leads',
  'Customers',
  'Prospects',
  'Event invitees',
  'Churn risk',
  'VIP',
  'Beta testers',
  'Partners',
  'Product updates',
  'Win-back campaign',
];
const REGIONS = ['EMEA', 'NA', 'LATAM', 'DACH', 'Nordics', 'Benelux', 'Iberia', 'CEE', 'UK&I', 'Global'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function syntheticLists(opts: { lists: number; seed: number }): { id: number; name: string }[] {
  const rng = Rng.derive(opts.seed, 'lists');
  const taken = new Set<string>();
  const out: { id: number; name: string }[] = [];
  for (let id = 1; id <= opts.lists; id++) {
    const base = `${rng.pick(LIST_KINDS)} ${rng.pick(REGIONS)} ${rng.pick(MONTHS)} ${rng.range(2016, 2025)}`;
    const name = taken.has(base) ? `${base} (${id})` : base;
    taken.add(name);
    out.push({ id, name });
  }
  return out;
}
