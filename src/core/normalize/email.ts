import { foldToAscii } from './text.js';

/** A normalized address: `full` is `local@domain` after provider-specific canonicalisation. */
export interface EmailParts {
  full: string;
  local: string;
  domain: string;
}

/** Gmail ignores dots in the local part; googlemail.com is the same mailbox as gmail.com. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
const LOCAL_OK = /^[a-z0-9!#$%&'*/=?^_`{|}~.+-]+$/;
const DOMAIN_OK = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/;

/**
 * trim, lower case, strip `mailto:` and surrounding <>, drop a `+tag` (plus addressing: every major
 * provider delivers a+x@d to a@d), drop dots for Gmail. Malformed → null.
 */
export function normalizeEmail(input: string | null | undefined): EmailParts | null {
  if (input == null) return null;
  let s = foldToAscii(input).trim().toLowerCase();
  if (s.startsWith('mailto:')) s = s.slice(7);
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (!LOCAL_OK.test(local) || !DOMAIN_OK.test(domain) || domain.length > 253) return null;
  const plus = local.indexOf('+');
  if (plus === 0) return null;
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '');
  }
  if (local.length === 0 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return { full: `${local}@${domain}`, local, domain };
}

/**
 * Shared mailboxes: the same local part at two domains says nothing about the person behind them.
 * The email comparator gives such pairs no local-part credit.
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'admin',
  'accounts',
  'billing',
  'contact',
  'enquiries',
  'hello',
  'help',
  'hr',
  'info',
  'jobs',
  'mail',
  'marketing',
  'noreply',
  'no-reply',
  'office',
  'sales',
  'service',
  'support',
  'team',
  'webmaster',
]);
